/**
 * A strict little XML parser for the SVD tests: elements, attributes, text and the five
 * predefined entities; it throws on anything not well-formed (mismatched or unclosed tags,
 * unquoted or duplicate attributes, bare `&` or `<` in text, content after the root).
 */
export interface XmlElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text (trimmed, entities decoded). */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`'<' in text at ${where}`);
  return raw.replace(/&([^;]*);?/g, (m: string, name: string) => {
    if (!m.endsWith(';') || !(name in ENTITY)) throw new Error(`bad entity ${m} at ${where}`);
    return ENTITY[name]!;
  });
}

/** Parses `xml`; returns the root element. Throws Error saying where it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const skipMisc = (): void => {
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('<?', i)) i = xml.indexOf('?>', i) + 2;
      else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
      else return;
      if (i < 2) throw new Error('unterminated declaration or comment');
    }
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') throw new Error(`expected '<' at ${i}`);
    i++;
    const tag = NAME.exec(xml.slice(i))?.[0];
    if (tag === undefined) throw new Error(`expected a tag name at ${i}`);
    i += tag.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      i += /^\s*/.exec(xml.slice(i))![0].length;
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { tag, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const name = NAME.exec(xml.slice(i))?.[0];
      if (name === undefined) throw new Error(`bad attribute at ${i}`);
      i += name.length;
      const m = /^\s*=\s*"([^"<]*)"/.exec(xml.slice(i));
      if (m === null) throw new Error(`attribute ${name} is not quoted at ${i}`);
      if (name in attrs) throw new Error(`duplicate attribute ${name} at ${i}`);
      attrs[name] = decode(m[1]!, i);
      i += m[0].length;
    }
    const el: XmlElement = { tag, attrs, children: [], text: '' };
    let text = '';
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) throw new Error(`<${tag}> is not closed`);
      text += decode(xml.slice(i, lt), i);
      i = lt;
      if (xml.startsWith('<!--', i)) {
        i = xml.indexOf('-->', i) + 3;
        continue;
      }
      if (xml.startsWith('</', i)) {
        const close = new RegExp(`^</${tag.replace(/[.:-]/g, '\\$&')}\\s*>`).exec(xml.slice(i));
        if (close === null) throw new Error(`mismatched close tag at ${i}: expected </${tag}>`);
        i += close[0].length;
        el.text = text.trim();
        return el;
      }
      el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

/** The children of `el` with tag `tag`. */
export function all(el: XmlElement, tag: string): XmlElement[] {
  return el.children.filter((c) => c.tag === tag);
}

/** The one child with tag `tag`; throws when there is none or several. */
export function one(el: XmlElement, tag: string): XmlElement {
  const found = all(el, tag);
  if (found.length !== 1) throw new Error(`<${el.tag}> has ${found.length} <${tag}>`);
  return found[0]!;
}

/** The text of the one child `tag`. */
export function textOf(el: XmlElement, tag: string): string {
  return one(el, tag).text;
}
