/**
 * Markdown tooltips of register and field rows, in peripheral-viewer's manner: name and bit
 * range, access, reset value, the register table's description, the value in hex, decimal and
 * binary, and the source the layout was taken from.
 */
import { formatValue } from './format';

/** What the register table says about a field (see platform/idxd/regdef.ts `FieldDef`). */
export interface FieldDoc {
  readonly description: string;
  readonly access?: string;
  /** Reset value, shifted down to bit 0. */
  readonly reset?: bigint;
  readonly source?: string;
  /** Names of enumerated values. */
  readonly enums?: Readonly<Record<number, string>>;
}

/** What the register table says about a register (or a 16-byte message word, an IRTE). */
export interface RegisterDoc {
  readonly description: string;
  readonly source?: string;
  /** Physical address or BAR0 offset, as text (`0xe0001010`). */
  readonly address?: string;
  readonly reset?: bigint;
  /** Access of the register as a whole, when its fields do not say. */
  readonly access?: string;
}

/** Escapes Markdown punctuation in plain text. */
export function md(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}

/** Markdown tooltip of field `name` [hi:lo] holding `value`. */
export function fieldTooltip(
  register: string,
  name: string,
  hi: number,
  lo: number,
  value: bigint,
  doc: FieldDoc | undefined,
): string {
  const bits = hi - lo + 1;
  const facts = [`bits ${hi}:${lo}`];
  if (doc?.access !== undefined) facts.push(doc.access);
  if (doc?.reset !== undefined) facts.push(`reset ${formatValue(doc.reset, bits, 'hex')}`);
  const parts = [`**${md(register)}.${md(name)}** — ${facts.join(' · ')}`];
  if (doc !== undefined && doc.description !== '') parts.push(md(doc.description));
  const enums = doc?.enums;
  if (enums !== undefined) {
    const names = Object.entries(enums).map(([v, n]) => `${v} = ${md(n)}`);
    if (names.length > 0) parts.push(`Values: ${names.join(', ')}`);
  }
  parts.push(valueTable(value, bits));
  if (doc?.source !== undefined) parts.push(`*Source:* ${md(doc.source)}`);
  return parts.join('\n\n');
}

/** Markdown tooltip of a `width`-bit register `name` holding `value`. */
export function registerTooltip(
  name: string,
  width: number,
  value: bigint,
  doc: RegisterDoc | undefined,
): string {
  const facts = [`${width} bits`];
  if (doc?.address !== undefined) facts.unshift(`at ${doc.address}`);
  if (doc?.access !== undefined) facts.push(doc.access);
  if (doc?.reset !== undefined) facts.push(`reset ${formatValue(doc.reset, width, 'hex')}`);
  const parts = [`**${md(name)}** — ${facts.join(' · ')}`];
  if (doc !== undefined && doc.description !== '') parts.push(md(doc.description));
  parts.push(valueTable(value, width));
  if (doc?.source !== undefined) parts.push(`*Source:* ${md(doc.source)}`);
  return parts.join('\n\n');
}

/** A one-row table of `value` in hex, decimal and (up to 64 bits) binary. */
function valueTable(value: bigint, bits: number): string {
  const cols: [string, string][] = [
    ['hex', formatValue(value, Math.max(bits, 4), 'hex')],
    ['dec', value.toString()],
  ];
  if (bits <= 64) cols.push(['bin', formatValue(value, bits, 'binary')]);
  return [
    `| ${cols.map((c) => c[0]).join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    `| ${cols.map((c) => `\`${c[1]}\``).join(' | ')} |`,
  ].join('\n');
}

/** A Markdown bullet list of `key: value` facts (for rows that are not registers). */
export function factsTooltip(title: string, facts: readonly (readonly [string, string])[]): string {
  return [`**${md(title)}**`, facts.map(([k, v]) => `- ${md(k)}: ${md(v)}`).join('\n')].join(
    '\n\n',
  );
}
