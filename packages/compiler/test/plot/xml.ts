// A small XML reader for the SVG tests: it checks well-formedness (one root, balanced and
// properly nested tags, quoted attributes, no duplicate attributes, only the predefined or
// numeric entities, no raw `<` or `&` in text) and returns the element tree. It knows just
// enough XML for what an SVG renderer writes: no DTDs, no CDATA, no processing instructions
// other than an optional XML declaration.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded (text of child elements excluded). */
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes("<")) throw new Error(`raw '<' in text or attribute near offset ${where}`);
  return raw.replace(/&([^;]*);|&/g, (m, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare '&' near offset ${where}`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const num = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(body);
    if (!num) throw new Error(`unknown entity '&${body};' near offset ${where}`);
    const code = num[1]!.startsWith("x") ? Number.parseInt(num[1]!.slice(1), 16) : Number.parseInt(num[1]!, 10);
    return String.fromCodePoint(code);
  });
}

/** Parses `text` as XML, throwing an Error that says where it is not well-formed. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  if (text.startsWith("<?xml")) {
    const end = text.indexOf("?>");
    if (end < 0) throw new Error("unterminated XML declaration");
    i = end + 2;
  }
  for (;;) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (stack.length === 0) {
      if (chunk.trim() !== "") throw new Error(`text outside the root element near offset ${i}`);
    } else {
      stack[stack.length - 1]!.text += decode(chunk, i);
    }
    if (lt < 0) break;
    i = lt + 1;
    if (text.startsWith("!--", i)) {
      const end = text.indexOf("-->", i);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 3;
      continue;
    }
    if (text[i] === "/") {
      i++;
      const m = NAME.exec(text.slice(i));
      if (!m) throw new Error(`bad closing tag near offset ${i}`);
      i += m[0].length;
      skipSpace();
      if (text[i] !== ">") throw new Error(`expected '>' near offset ${i}`);
      i++;
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`</${m[0]}> does not match <${open?.name ?? "nothing"}> near offset ${i}`);
      if (stack.length === 0) {
        if (text.slice(i).trim() !== "") throw new Error("content after the root element");
        return open;
      }
      continue;
    }
    const m = NAME.exec(text.slice(i));
    if (!m) throw new Error(`bad tag near offset ${i}`);
    i += m[0].length;
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: "" };
    for (;;) {
      const before = i;
      skipSpace();
      if (text.startsWith("/>", i) || text[i] === ">") break;
      if (i === before) throw new Error(`expected space before attribute near offset ${i}`);
      const a = NAME.exec(text.slice(i));
      if (!a) throw new Error(`bad attribute name near offset ${i}`);
      i += a[0].length;
      skipSpace();
      if (text[i] !== "=") throw new Error(`expected '=' after ${a[0]} near offset ${i}`);
      i++;
      skipSpace();
      const q = text[i];
      if (q !== '"' && q !== "'") throw new Error(`unquoted attribute ${a[0]} near offset ${i}`);
      const end = text.indexOf(q, i + 1);
      if (end < 0) throw new Error(`unterminated attribute ${a[0]}`);
      if (a[0] in el.attrs) throw new Error(`duplicate attribute ${a[0]} near offset ${i}`);
      el.attrs[a[0]] = decode(text.slice(i + 1, end), i);
      i = end + 1;
    }
    const selfClosing = text.startsWith("/>", i);
    i += selfClosing ? 2 : 1;
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error("more than one root element");
    else root = el;
    if (selfClosing) {
      if (stack.length === 0) {
        if (text.slice(i).trim() !== "") throw new Error("content after the root element");
        return el;
      }
    } else stack.push(el);
  }
  throw new Error(stack.length > 0 ? `<${stack[stack.length - 1]!.name}> is never closed` : "no root element");
}

/** Every element of the tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [root];
  for (const c of root.children) out.push(...allElements(c));
  return out;
}

/** The concatenated text of an element and its descendants. */
export function textOf(el: XmlElement): string {
  return el.text + el.children.map(textOf).join("");
}

/** The points of an SVG path made of absolute M and L commands only. */
export function pathPoints(d: string): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  const re = /([ML])\s*(-?[\d.]+(?:e-?\d+)?)\s*,\s*(-?[\d.]+(?:e-?\d+)?)|(Z)/g;
  let consumed = 0;
  for (let m = re.exec(d); m; m = re.exec(d)) {
    if (d.slice(consumed, m.index).trim() !== "") throw new Error(`unexpected path data '${d.slice(consumed, m.index)}'`);
    consumed = m.index + m[0].length;
    if (m[4]) continue;
    out.push({ x: Number(m[2]), y: Number(m[3]) });
  }
  if (d.slice(consumed).trim() !== "") throw new Error(`unexpected path data '${d.slice(consumed)}'`);
  return out;
}
