/**
 * The kernel-shaped API a driver model calls, assembled from its groups. Every function call
 * goes through a thin wrapper that (when debugging) pushes a `kernel` frame for the call stack
 * and, on return, lets CPUs take the interrupts that became deliverable during the call — the
 * same points in a headless run and under the debugger, so both produce the same trace.
 * Constants, classes and pure bit macros are passed through unwrapped.
 */
import { KernelContext, KernelError, type KernelHooks } from './context';
import { ioApi } from './io';
import { dmaApi, DmaBuffer } from './dma';
import { irqApi } from './irq';
import { msiApi } from './msi';
import { pciApi } from './pci';
import { timeApi } from './time';
import { printkApi, kformat } from './printk';
import { bitsApi } from './bits';
import { uapiIdxd } from './uapi-idxd';
import { debugApi } from './debug';
import { errno } from './errno';
import type { Machine } from '../../platform/machine/machine';

export { KernelContext, KernelError, DmaBuffer, kformat };
export type { KernelHooks };

/** The assembled API: names → functions, classes and constants. */
export type KernelApi = Record<string, unknown>;

/** Builds the API for `machine`. `ctx.hooks` receive kernel-frame enter/leave. */
export function createKernelApi(ctx: KernelContext): KernelApi {
  const wrapped = {
    ...ioApi(ctx),
    ...dmaApi(ctx),
    ...irqApi(ctx),
    ...msiApi(ctx),
    ...pciApi(ctx),
    ...timeApi(ctx),
    ...printkApi(ctx),
    ...debugApi(ctx),
  };
  const api: KernelApi = {};
  for (const [name, v] of Object.entries(wrapped))
    api[name] =
      typeof v === 'function' && !isClass(v)
        ? wrap(ctx, name, v as (...a: unknown[]) => unknown)
        : v;
  const dbg = api.ims_debug as Record<string, unknown>;
  for (const [name, v] of Object.entries(dbg))
    dbg[name] = wrap(ctx, `ims_debug.${name}`, v as (...a: unknown[]) => unknown);
  return { ...api, ...bitsApi, ...uapiIdxd, ...errno, DmaBuffer };
}

function isClass(f: unknown): boolean {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

function wrap(
  ctx: KernelContext,
  name: string,
  fn: (...a: unknown[]) => unknown,
): (...a: unknown[]) => unknown {
  const hooks = ctx.hooks;
  const named = {
    [name](this: unknown, ...args: unknown[]): unknown {
      hooks.enter?.(name);
      let out: unknown;
      try {
        out = fn.apply(this, args);
      } finally {
        hooks.leave?.();
      }
      ctx.settle();
      return out;
    },
  };
  return named[name]!;
}

/** Convenience for the CLI and tests: a context and API for `machine` without debugger hooks. */
export function kernelFor(
  machine: Machine,
  hooks: KernelHooks = {},
): { ctx: KernelContext; api: KernelApi } {
  const ctx = new KernelContext(machine, hooks);
  return { ctx, api: createKernelApi(ctx) };
}
