/**
 * Checks of one WQ's settings against the device's capabilities, following what Linux does with
 * them (drivers/dma/idxd/sysfs.c wq_*_store, device.c idxd_wqs_setup / drv_enable_wq):
 * errors for what sysfs or the driver refuses, warnings for what it ignores or adjusts.
 * Sizes across WQs are checked per device (checks-device.ts).
 */
import type { Node } from 'jsonc-parser';
import type { DeviceCaps } from './caps';
import { roundUpPowerOfTwo, WQ_PRIORITY_MAX, WQ_PRIORITY_MIN } from './defaults';
import { anchorOf, flagField, intField, stringField } from './fields';
import { opcodesOutside, parseOpMask } from './opmask';
import type { Reporter } from './source';
import type { PartRef } from './structure';
import { hex } from '../bits';

/** What the WQ checks need to know. */
interface WqContext {
  readonly obj: Node;
  readonly anchor: Node;
  readonly caps: DeviceCaps;
  readonly report: Reporter;
  readonly shared: boolean;
  readonly size: number;
  /** In a group with entries: what the driver would write to WQCFG and enable. */
  readonly configured: boolean;
}

/** Reports the findings about one WQ's own settings. */
export function checkWq(wq: PartRef, caps: DeviceCaps, report: Reporter): void {
  const obj = wq.obj;
  const size = intField(obj, 'size')?.value ?? 0;
  const ctx: WqContext = {
    obj,
    anchor: anchorOf(obj),
    caps,
    report,
    shared: (stringField(obj, 'mode')?.value ?? 'shared') === 'shared',
    size,
    configured: wq.group !== null && size > 0,
  };
  if (wq.group !== null && size === 0) {
    report.warn(
      intField(obj, 'size')?.node ?? ctx.anchor,
      '0 leaves the WQ, which is in a group, without entries, so it cannot be enabled',
      'size',
    );
  }
  checkMode(ctx, wq.group !== null);
  checkThreshold(ctx);
  checkPriority(ctx);
  checkLimit(ctx, 'max_transfer_size', caps.maxXferBytes, 'maximum transfer size');
  checkLimit(ctx, 'max_batch_size', caps.maxBatchSize, 'maximum batch size');
  checkBlockOnFault(ctx);
  checkIgnoredFlag(
    ctx,
    'ats_disable',
    caps.wqAtsSupport,
    'per-WQ ATS control (WQCAP.wq_ats_support)',
  );
  checkIgnoredFlag(
    ctx,
    'prs_disable',
    caps.wqPrsSupport,
    'per-WQ PRS control (WQCAP.wq_prs_support)',
  );
  checkOpConfig(ctx);
  checkName(ctx);
}

/** Shared WQs need PASID (idxd_wqs_setup: "No shared wq support but configured"). */
function checkMode(ctx: WqContext, grouped: boolean): void {
  if (!grouped || !ctx.shared || ctx.caps.pasidEnabled) return;
  const mode = stringField(ctx.obj, 'mode');
  const why = 'needs PASID, which is not enabled for the device, so Linux refuses to enable it';
  if (mode !== undefined) ctx.report.error(mode.node, `"shared" ${why}`);
  else
    ctx.report.error(
      ctx.anchor,
      `not set, so Linux's default "shared" applies, which ${why}`,
      'mode',
    );
}

/** wq_threshold_store takes 1..size; drv_enable_wq refuses a shared WQ with threshold 0. */
function checkThreshold(ctx: WqContext): void {
  const t = intField(ctx.obj, 'threshold');
  if (!ctx.shared) {
    if (t !== undefined && t.value !== 0) {
      ctx.report.warn(t.node, `${t.value} is ignored for a dedicated WQ (load-config skips it)`);
    }
    return;
  }
  if (t === undefined) {
    if (ctx.configured) {
      ctx.report.error(
        ctx.anchor,
        'not set; a shared WQ needs a threshold of 1 to its size, and Linux refuses to enable ' +
          'one whose threshold is 0',
        'threshold',
      );
    }
  } else if (t.value === 0) {
    ctx.report.error(t.node, '0 is not allowed: a shared WQ needs 1 to its size (Linux refuses 0)');
  } else if (t.value > ctx.size) {
    ctx.report.error(t.node, `${t.value} exceeds the WQ size ${ctx.size}`);
  }
}

/**
 * Priority is 1..15 (accel-config documents that range; IDXD_MAX_PRIORITY is 15). Linux's default
 * is 0, which the 4-bit WQCFG field can hold but the device refuses at ENABLE_WQ — the only value
 * its "invalid priority" status 0x23 can mean (an inference from the status list, registers.h).
 */
function checkPriority(ctx: WqContext): void {
  const p = intField(ctx.obj, 'priority');
  if (p !== undefined) {
    if (p.value < WQ_PRIORITY_MIN || p.value > WQ_PRIORITY_MAX) {
      ctx.report.error(p.node, `${p.value} is outside ${WQ_PRIORITY_MIN} to ${WQ_PRIORITY_MAX}`);
    }
  } else if (ctx.configured) {
    ctx.report.warn(
      ctx.anchor,
      `not set, so Linux leaves it 0, outside ${WQ_PRIORITY_MIN} to ${WQ_PRIORITY_MAX}; the ` +
        'device refuses to enable such a WQ (CMDSTS 0x23)',
      'priority',
    );
  }
}

/** sysfs rounds max_transfer_size / max_batch_size up to a power of two, then checks the cap. */
function checkLimit(ctx: WqContext, key: string, cap: number, noun: string): void {
  const f = intField(ctx.obj, key);
  if (f === undefined) return;
  const rounded = roundUpPowerOfTwo(f.value);
  if (rounded > cap) {
    const how = rounded === f.value ? '' : ` (rounded up to ${rounded})`;
    ctx.report.error(f.node, `${f.value}${how} exceeds the device's ${noun} ${cap}`);
  } else if (rounded !== f.value) {
    ctx.report.warn(f.node, `${f.value} is not a power of two; Linux rounds it up to ${rounded}`);
  }
}

/** wq_block_on_fault_store: needs GENCAP.block_on_fault and PRS not disabled. */
function checkBlockOnFault(ctx: WqContext): void {
  const bof = flagField(ctx.obj, 'block_on_fault');
  if (bof?.value !== true) return;
  if (!ctx.caps.blockOnFault) {
    ctx.report.error(bof.node, 'set, but the device has no block-on-fault (GENCAP.block_on_fault)');
    return;
  }
  const prs = flagField(ctx.obj, 'prs_disable');
  if (!ctx.caps.wqPrsSupport || prs?.value !== true) return;
  if (prs.node.offset < bof.node.offset) {
    ctx.report.error(bof.node, 'set after "prs_disable": Linux refuses block-on-fault without PRS');
  } else {
    ctx.report.warn(bof.node, 'cleared by the "prs_disable" that follows, as Linux does');
  }
}

/** ats_disable / prs_disable on a device without the control: load-config skips them. */
function checkIgnoredFlag(ctx: WqContext, key: string, supported: boolean, what: string): void {
  const f = flagField(ctx.obj, key);
  if (f?.value === true && !supported) {
    ctx.report.warn(f.node, `ignored: the device has no ${what}`);
  }
}

/** op_config: only with WQCAP.op_config; every opcode must be in OPCAP (idxd_verify_supported_opcap). */
function checkOpConfig(ctx: WqContext): void {
  const f = stringField(ctx.obj, 'op_config');
  if (f === undefined) return;
  if (!ctx.caps.opConfig) {
    ctx.report.error(
      f.node,
      'given, but the device has no per-WQ op_config (WQCAP.op_config), so load-config fails writing it',
    );
    return;
  }
  let mask: bigint[];
  try {
    mask = parseOpMask(f.value);
  } catch (e: unknown) {
    ctx.report.error(f.node, e instanceof Error ? e.message : String(e));
    return;
  }
  const extra = opcodesOutside(mask, ctx.caps.opcap);
  if (extra.length > 0) {
    const ops = extra.map((op) => hex(op, 2)).join(', ');
    ctx.report.error(
      f.node,
      `enables opcode${extra.length > 1 ? 's' : ''} ${ops}, not in the device's OPCAP`,
    );
  }
}

/** drv_enable_wq refuses a WQ without a name (IDXD_SCMD_WQ_NO_NAME). */
function checkName(ctx: WqContext): void {
  if (!ctx.configured) return;
  const name = stringField(ctx.obj, 'name');
  if (name === undefined || name.value === '') {
    ctx.report.warn(
      name?.node ?? ctx.anchor,
      `${name === undefined ? 'not set' : 'empty'}; Linux refuses to enable a WQ without a name`,
      'name',
    );
  }
}
