import { strict as assert } from 'node:assert';
import path from 'node:path';
import ts from 'typescript';
import { DTS, EXAMPLE_DIR, JSCONFIG, formatDiagnostics } from './dts';

/** The example's jsconfig.json, parsed as VS Code reads it. */
function readJsconfig(): ts.ParsedCommandLine {
  const read = ts.readConfigFile(JSCONFIG, (f) => ts.sys.readFile(f));
  if (read.error) throw new Error(formatDiagnostics([read.error]).join('\n'));
  return ts.parseJsonConfigFileContent(
    read.config,
    ts.sys,
    path.dirname(JSCONFIG),
    undefined,
    JSCONFIG,
  );
}

/** A program of the jsconfig's files and options, plus `extra` virtual files. */
function programFor(
  cfg: ts.ParsedCommandLine,
  extra: Readonly<Record<string, string>> = {},
): ts.Program {
  const host = ts.createCompilerHost(cfg.options);
  const virtual = new Map(Object.entries(extra));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    const text = virtual.get(path.resolve(file));
    return text !== undefined
      ? ts.createSourceFile(file, text, lang, true)
      : getSourceFile(file, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => virtual.get(path.resolve(file)) ?? readFile(file);
  return ts.createProgram({
    rootNames: [...cfg.fileNames, ...virtual.keys()],
    options: cfg.options,
    host,
  });
}

/**
 * A model with one mistake per line marked `// TSnnnn`, and correct code elsewhere (including
 * JSDoc types from the d.ts): the checker must flag exactly the marked lines.
 */
const PROBE = `'use strict';
/** @type {msi_domain_template} */
const tpl = {
  chip: {
    name: 'PCI-PROBE',
    irq_mask(d) { writel(1, irq_data_get_msi_desc(d).data.dcookie.iobase + 12); },
    irq_unmask(d) { writel(0, irq_data_get_msi_desc(d).data.dcookie.iobase + 12); },
    irq_write_msi_msg(d, msg) { writel(msg.data, d.hwirq * 16 + 8); },
  },
  ops: { prepare_desc(domain, arg, desc) { arg.hwirq = desc.msi_index; } },
  info: {
    flags: MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS,
    bus_token: DOMAIN_BUS_PCI_DEVICE_IMS,
  },
};
/** @param {pci_dev} pdev */
function probe(pdev) {
  const base = pcim_iomap(pdev, 0, 0);
  if (!pci_create_ims_domain(pdev, tpl, 8, base + 0x2000)) return -ENODEV;
  const map = pci_ims_alloc_irq(pdev, { value: 1 });
  const done = init_completion();
  const handler = (irq, x) => { complete(x); return IRQ_HANDLED; };
  const rc = request_irq(map.virq, handler, 0, 'probe', done);
  const buf = dma_alloc_coherent(pdev.dev, 64);
  const desc = new dsa_hw_desc({ opcode: DSA_OPCODE_NOOP, completion_addr: buf.dma_handle });
  iosubmit_cmds512(base, desc);
  const lo = FIELD_GET(GENMASK(7, 4), readl(base)) + lower_32_bits(readq(base));
  const hi = FIELD_GET(GENMASK_ULL(39, 32), readq(base)) + 1n;
  dev_info(pdev, 'rc %d lo %u hi %llu\\n', rc, lo, hi);
  readl(); // TS2554
  writel('1', base); // TS2345
  request_irq(map.virq, () => IRQ_HANDLED, 0, 'x'); // TS2554
  request_irq(map.virq, function () {}, 0, 'x', null); // TS2345
  return map.vrq; // TS2551
}
pci_create_ims_domains(null, tpl, 8); // TS2552
const bad = readq(0) & 0xff; // TS2365
new dsa_hw_desc({ opcod: 3 }); // TS2561
const id_table = [PCI_DEVICE(PCI_VENDOR_ID_INTEL, PCI_ANY_ID)];
module_pci_driver({ name: 'probe', id_table, probe });
module_pci_driver({ name: 'probe', probe }); // TS2345
`;

describe('kernel: examples/idxd-ims type-checks against kernel.d.ts', () => {
  let cfg: ts.ParsedCommandLine;
  before(() => {
    cfg = readJsconfig();
  });

  it('jsconfig.json checks JavaScript and brings in the d.ts', () => {
    assert.deepEqual(formatDiagnostics(cfg.errors), []);
    assert.equal(cfg.options.checkJs, true);
    assert.ok(cfg.fileNames.map((f) => path.resolve(f)).includes(DTS), 'kernel.d.ts not included');
    assert.ok(
      cfg.fileNames.map((f) => path.resolve(f)).includes(path.join(EXAMPLE_DIR, 'driver.js')),
      'driver.js not included',
    );
  });

  it('driver.js has no type errors', () => {
    const diags = ts.getPreEmitDiagnostics(programFor(cfg));
    assert.deepEqual(formatDiagnostics(diags), []);
  });

  it('flags mistakes in a model: exactly the marked lines, with the expected errors', () => {
    const file = path.join(EXAMPLE_DIR, '__probe__.js');
    const program = programFor(cfg, { [file]: PROBE });
    const sf = program.getSourceFile(file)!;
    const got = ts
      .getPreEmitDiagnostics(program, sf)
      .map((d) => `${sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: TS${d.code}`);
    const want = PROBE.split('\n').flatMap((line, i) => {
      const m = /\/\/ (TS\d+)$/.exec(line);
      return m ? [`${i + 1}: ${m[1]!}`] : [];
    });
    assert.ok(want.length >= 8);
    assert.deepEqual(
      got,
      want,
      formatDiagnostics(ts.getPreEmitDiagnostics(program, sf)).join('\n'),
    );
  });
});
