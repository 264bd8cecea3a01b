/**
 * A small, allocation-light XML writer for the SVD export: elements open and close in order,
 * text is escaped, output is indented two spaces per level. Only what CMSIS-SVD needs (no
 * namespaces beyond plain attributes, no mixed content).
 */

/** Escapes text or an attribute value for XML (the five predefined entities). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export class XmlWriter {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  private readonly open: string[] = [];

  /** Opens `<tag attrs…>`. */
  start(tag: string, attrs: Readonly<Record<string, string>> = {}): this {
    const a = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    this.lines.push(`${this.indent()}<${tag}${a}>`);
    this.open.push(tag);
    return this;
  }

  /** `<tag>text</tag>` on one line. */
  leaf(tag: string, text: string | number): this {
    this.lines.push(`${this.indent()}<${tag}>${escapeXml(String(text))}</${tag}>`);
    return this;
  }

  /** Closes the innermost open element. Throws Error when none is open. */
  end(): this {
    const tag = this.open.pop();
    if (tag === undefined) throw new Error('XmlWriter: end() without an open element');
    this.lines.push(`${this.indent()}</${tag}>`);
    return this;
  }

  /** A comment line (`--` in the text is broken up, as XML forbids it there). */
  comment(text: string): this {
    this.lines.push(`${this.indent()}<!-- ${text.replace(/--/g, '- -')} -->`);
    return this;
  }

  /** The document. Throws Error while elements are still open. */
  toString(): string {
    if (this.open.length > 0) throw new Error(`XmlWriter: <${this.open.join('>, <')}> not closed`);
    return this.lines.join('\n') + '\n';
  }

  private indent(): string {
    return '  '.repeat(this.open.length);
  }
}
