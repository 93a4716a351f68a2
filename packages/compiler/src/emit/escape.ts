// Spelling source-derived text and numbers safely inside generated Python and JavaScript.
//
// Schedule names, file names and the quoted schedule source all end up in generated code:
// in string literals, docstrings and comments. Whatever they contain (quotes, backslashes,
// newlines, `"""`, `*/`, U+2028, NUL, lone surrogates), the generated file must parse and
// mean exactly what the emitter meant. Every such piece of text goes through one of the
// functions here; nothing else in the emitters interpolates raw source text.


import { INVISIBLE_PATTERN, isInvisible } from "../check/invisible.js";

/** Code points JavaScript treats as line terminators (besides \n and \r). */
const JS_LINE_SEPARATORS = /[\u2028\u2029]/g;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

/**
 * True for a code unit that must never appear raw inside a Python string or comment: C0
 * and C1 controls, DEL, Unicode line and paragraph separators, the BOM, bidirectional
 * controls and zero-width characters (which make an editor show other text than the file
 * holds), and lone surrogates
 * (a surrogate that is half of a valid pair is handled by the caller, which walks code points).
 */
function isUnsafeCodePoint(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    isInvisible(cp) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

/** Python's escape for one unsafe code point: `\xHH` or `\uHHHH`. */
function pyEscapeCodePoint(cp: number): string {
  return cp <= 0xff ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`;
}

function pyEscape(text: string, docstring: boolean): string {
  let out = "";
  const chars = Array.from(text);
  // Walking code points, a valid surrogate pair arrives as one code point above U+FFFF and
  // only lone surrogates are seen as surrogates.
  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    // In a docstring a quote only needs escaping where it could help close the literal:
    // before another quote, or as the last character (next to the closing quotes).
    else if (ch === '"') out += docstring && i + 1 < chars.length && chars[i + 1] !== '"' ? '"' : '\\"';
    else if (ch === "\n") out += docstring ? "\n" : "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += docstring ? "\t" : "\\t";
    else if (isUnsafeCodePoint(cp)) out += pyEscapeCodePoint(cp);
    else out += ch;
  });
  return out;
}

/** A Python string literal (double-quoted) whose value is exactly `text`. */
export function pyString(text: string): string {
  return `"${pyEscape(text, false)}"`;
}

/**
 * A Python docstring literal (`"""..."""`) whose value is exactly `text`. Newlines stay
 * real newlines so the docstring reads naturally; no two quotes are left side by side and
 * a quote or backslash at the end is escaped, so nothing can close the literal early.
 */
export function pyDocstring(text: string): string {
  return `"""${pyEscape(text, true)}"""`;
}

/**
 * Text for one `#` comment line: anything that could end the line (or confuse an editor)
 * is shown as its escape instead, so the comment cannot leak into code.
 */
export function pyComment(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isUnsafeCodePoint(cp) ? pyEscapeCodePoint(cp) : ch;
  }
  return out;
}

/** A JavaScript string literal whose value is exactly `text`. */
export function jsString(text: string): string {
  // JSON.stringify escapes quotes, backslashes, controls and lone surrogates; U+2028 and
  // U+2029 are legal in string literals since ES2019 but older parsers reject them.
  return JSON.stringify(text)
    .replace(JS_LINE_SEPARATORS, (c) => `\\u${hex(c.charCodeAt(0), 4)}`)
    // Bidirectional controls and zero-width characters reorder or hide text in an editor
    // ("Trojan Source"): generated files show them as escapes, never raw.
    .replace(INVISIBLE_PATTERN, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/**
 * Text for the inside of a `/* ... *\/` block comment. `*\/` would close the comment, so it
 * is broken up; line separators and control characters other than newline and tab are shown
 * as escapes so the comment reads the same in every editor.
 */
export function jsCommentText(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\n" || ch === "\t") out += ch;
    else if (isUnsafeCodePoint(cp)) out += `\\u${hex(cp, 4)}`;
    else out += ch;
  }
  return out.replace(/\*\//g, "*\\/");
}

/** Normalises line breaks to `\n` so quoted source text has one line structure everywhere. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/**
 * An ASCII identifier in PascalCase built from `name`, followed by `suffix` (which must be a
 * valid identifier tail starting with an upper-case letter, so the result can never be a
 * keyword in Python or JavaScript). Characters that cannot appear in an identifier separate
 * words; an empty or digit-led stem falls back to or gains `fallback`.
 */
export function pascalIdentifier(name: string, suffix: string, fallback = "Anneal"): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  let stem = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  if (stem.length === 0) stem = fallback;
  else if (/^[0-9]/.test(stem)) stem = fallback + stem;
  return stem + suffix;
}

/**
 * A JavaScript numeric literal for `x` in shortest round-trip form. Negative values are
 * parenthesised: they appear as operands (`a * (-0.5) ** k`), where a bare unary minus
 * before `**` is a syntax error.
 */
export function jsNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "(-Infinity)";
  if (Object.is(x, -0)) return "(-0)";
  const s = String(x);
  return x < 0 ? `(${s})` : s;
}

/**
 * A Python float literal for `x` in shortest round-trip form (JavaScript's `String(x)` is a
 * valid Python float spelling once an integer-looking value gains `.0`; both languages
 * round-trip it to the same double). Negative values are parenthesised: in Python `-2 ** k`
 * means `-(2 ** k)`.
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "math.nan";
  if (x === Infinity) return "math.inf";
  if (x === -Infinity) return "(-math.inf)";
  if (Object.is(x, -0)) return "(-0.0)";
  let s = String(x);
  if (/^-?[0-9]+$/.test(s)) s += ".0";
  return x < 0 ? `(${s})` : s;
}

/**
 * A Python or JavaScript literal for an integer tick count. Integers print exactly up to
 * 2^53, and `String` only switches to exponent form at 1e21, far beyond any schedule.
 */
export function intLiteral(n: number): string {
  return n < 0 ? `(${String(n)})` : String(n);
}

/** Text for one `//` line comment: anything that could end the line is shown as an escape. */
export function jsLineComment(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isUnsafeCodePoint(cp) ? `\\u${hex(cp, 4)}` : ch;
  }
  return out;
}

/**
 * One word of a POSIX shell command that, pasted, passes `text` as one argument and runs
 * nothing: bare when it is plain (letters, digits, `_./@%+=:,-`, not starting with `-`),
 * otherwise in single quotes, inside which the shell expands nothing (`$(...)`, backquotes,
 * spaces and globs stay text). Undefined for text with control or invisible characters,
 * which the comment escapes would alter, so the command would name another file.
 */
export function shellWord(text: string): string | undefined {
  for (const ch of text) if (isUnsafeCodePoint(ch.codePointAt(0)!) || ch === "\t") return undefined;
  if (/^[A-Za-z0-9_./@%+=:,][A-Za-z0-9_./@%+=:,-]*$/.test(text)) return text;
  // A single quote cannot appear inside single quotes: close, add it in double quotes, reopen.
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}
