// The lexer's fast path: one pass over the characters, with no regular expression tried
// per token, producing the very tokens chevrotain's lexer (`tokens.ts`) produces, positions
// included. It knows the token list's rules: numbers before names, `x` before a digit as
// the restart multiplier, a keyword only where the whole word is one (`longer_alt`). At the
// characters no token starts with it recovers as chevrotain's lexer does: it skips the run
// and reports it as one error. A differential test holds the two to the same tokens and
// errors (test/robustness/fast-parse.test.ts).

import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

const KEYWORD_BY_WORD = new Map<string, TokenType>(T.keywordTokenTypes.map((t) => [(t.PATTERN as RegExp).source, t]));
/** Each keyword's spelling, one string shared by all its tokens rather than a copy per token. */
const KEYWORD_IMAGE = new Map<TokenType, string>(T.keywordTokenTypes.map((t) => [t, (t.PATTERN as RegExp).source]));
/** The number pattern itself, anchored where the scan stands. */
const NUMBER = new RegExp((T.NumberLiteral.PATTERN as RegExp).source, "y");

const PUNCTUATION: Record<number, TokenType> = {
  0x25: T.PercentSign,
  0x7b: T.LCurly,
  0x7d: T.RCurly,
  0x28: T.LParen,
  0x29: T.RParen,
  0x2c: T.Comma,
  0x3a: T.Colon,
  0x3f: T.Question,
  0x3d: T.Equals,
  0x2b: T.Plus,
  0x2f: T.Slash,
  0x2212: T.Minus,
  0x2192: T.Arrow,
  0xd7: T.Times,
};
/** Each punctuation character's one image string. */
const PUNCTUATION_IMAGE: Record<number, string> = Object.fromEntries(Object.keys(PUNCTUATION).map((c) => [c, String.fromCharCode(Number(c))]));

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * One token, with chevrotain's fields. A class of its own, not an object literal:
 * chevrotain's end-of-file token is a literal with these fields and NaN positions, so
 * literal tokens share its hidden class, whose number fields V8 then stores as boxed
 * doubles, six heap numbers per token. Instances of this class keep their positions as
 * small integers, and hold only what cannot be derived: a token never spans lines and its
 * image is its text, so its end offset, end line and end column are read from its start,
 * and its type's index from its type. 64 bytes a token instead of 190, and far less work
 * for the collector on a large file.
 */
class Token implements IToken {
  constructor(
    readonly image: string,
    readonly startOffset: number,
    readonly startLine: number,
    readonly startColumn: number,
    readonly tokenType: TokenType,
  ) {}

  get endOffset(): number {
    return this.startOffset + this.image.length - 1;
  }

  get endLine(): number {
    return this.startLine;
  }

  get endColumn(): number {
    return this.startColumn + this.image.length - 1;
  }

  get tokenTypeIdx(): number {
    return this.tokenType.tokenTypeIdx!;
  }
}

/** A run of characters no token starts with, as chevrotain's lexer reports it. */
export interface ScanError {
  offset: number;
  length: number;
  message: string;
}

/** Each token type by its index, so a token's type is one byte of a column. */
const TYPE_BY_INDEX: TokenType[] = [];
for (const t of T.allTokens) TYPE_BY_INDEX[t.tokenTypeIdx!] = t;
if (TYPE_BY_INDEX.length > 256) throw new Error("token type indices must fit in a byte");

/**
 * The tokens of a text as columns of numbers, 13 bytes a token, from which each token
 * object is made when something asks for it (`tokenAt`). The scan writes these, not
 * objects: a file of stray tokens past the parser's error limit (`skim.ts`) is read from
 * the columns, so the objects of a 2 MiB file (46 MB) are never made unless a feature
 * needs every token.
 */
export class TokenColumns {
  /** How many tokens (comments excluded). */
  length = 0;
  starts: Int32Array;
  ends: Int32Array;
  /** Each token's 1-based line; `lineStarts[line - 1]` is that line's first offset. */
  lines: Int32Array;
  types: Uint8Array;
  lineStarts: Int32Array;
  private lineCount = 0;

  constructor(readonly text: string) {
    // About one token per five characters in schedule files; grown by doubling past that.
    const capacity = Math.max(16, text.length >> 2);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.lines = new Int32Array(capacity);
    this.types = new Uint8Array(capacity);
    this.lineStarts = new Int32Array(Math.max(16, text.length >> 5));
  }

  /** Records the start of line `line` (1-based) at `offset`. */
  line(line: number, offset: number): void {
    if (line > this.lineStarts.length) this.lineStarts = grow(this.lineStarts, line * 2);
    this.lineStarts[line - 1] = offset;
    this.lineCount = line;
  }

  push(type: TokenType, start: number, end: number, line: number): void {
    const k = this.length;
    if (k === this.starts.length) {
      const size = k * 2;
      this.starts = grow(this.starts, size);
      this.ends = grow(this.ends, size);
      this.lines = grow(this.lines, size);
      this.types = grow(this.types, size);
    }
    this.starts[k] = start;
    this.ends[k] = end;
    this.lines[k] = line;
    this.types[k] = type.tokenTypeIdx!;
    this.length = k + 1;
  }

  /** Gives back the room the doubling left unused, when it is worth a copy (the editor's small files are lexed at every keystroke). */
  trim(): void {
    const n = this.length;
    if (this.starts.length > n + (n >> 3) + 4096) {
      this.starts = this.starts.slice(0, n);
      this.ends = this.ends.slice(0, n);
      this.lines = this.lines.slice(0, n);
      this.types = this.types.slice(0, n);
    }
    if (this.lineStarts.length > this.lineCount + 4096) this.lineStarts = this.lineStarts.slice(0, this.lineCount);
  }

  typeAt(i: number): TokenType {
    return TYPE_BY_INDEX[this.types[i]!]!;
  }

  /** The token at index `i`, the very object the scan made before it wrote columns. */
  tokenAt(i: number): IToken {
    const type = TYPE_BY_INDEX[this.types[i]!]!;
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    const line = this.lines[i]!;
    return new Token(imageOf(this.text, type, start, end), start, line, start - this.lineStarts[line - 1]! + 1, type);
  }

  /** The index of the first token that starts at or after `offset` (binary search). */
  firstAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function grow<A extends Int32Array | Uint8Array>(a: A, size: number): A {
  const b = new (a.constructor as new (n: number) => A)(size);
  b.set(a);
  return b;
}

/** The image of each token of one or two characters that is not a keyword. */
const SHORT_IMAGE: Record<number, string> = { ...PUNCTUATION_IMAGE, 0x2d: "-", 0x2a: "*", 0x78: "x" };

/** A token's image: one shared string per keyword and punctuation mark, the text's own slice for names and numbers. */
function imageOf(text: string, type: TokenType, start: number, end: number): string {
  const keyword = KEYWORD_IMAGE.get(type);
  if (keyword !== undefined) return keyword;
  if (type === T.Identifier || type === T.NumberLiteral) return text.slice(start, end);
  if (end - start === 1) return SHORT_IMAGE[text.charCodeAt(start)]!;
  return type === T.Arrow ? "->" : "**";
}

/**
 * Per token type, the one token that stands in a lazy list's slot (see `LazyTokens`) until
 * a reader reaches it: the right type, at position -1 (small integers, so every token keeps
 * its number fields unboxed).
 */
const STAND_IN: IToken[] = TYPE_BY_INDEX.map((t) => t && new Token(KEYWORD_IMAGE.get(t) ?? "", -1, -1, -1, t));

/** How many token objects a lazy list makes at a time past the one asked for. */
const CHUNK = 4096;

/**
 * The token list of a text at its full length, whose objects are made from the columns as
 * readers reach them (`reach`): the fast parser, and the recovering parser up to where it
 * stops at the error limit. Slots not made yet hold a stand-in of the token's type, which
 * is all that chevrotain's look-ahead past the stop reads (`findReSyncTokenType`). The rest
 * of a file past the stop is read in a window (`skim.ts`): made, read and given back
 * (`release`), so it never holds the whole file's objects. `all()` makes every one, for
 * the features that read every token (highlighting, formatting, completion, reuse).
 */
export class LazyTokens {
  /** The list: real tokens as far as readers reached (`ready`), then, once `fullLength()` asked for it, a stand-in per slot. */
  readonly list: IToken[] = [];
  /** Every slot below `kept` holds its real token, and so does every slot in `[from, ready)`. */
  private kept = 0;
  private from = 0;
  ready = 0;

  constructor(readonly columns: TokenColumns) {}

  get length(): number {
    return this.columns.length;
  }

  /** Makes the list as long as the text's tokens, with stand-ins past what is made: chevrotain reads its input's length. */
  fullLength(): IToken[] {
    const types = this.columns.types;
    for (let k = this.list.length; k < this.columns.length; k++) this.list.push(STAND_IN[types[k]!]!);
    return this.list;
  }

  /** Makes the real tokens of every slot up to `i` (inclusive), and of up to `CHUNK` more. */
  reach(i: number): void {
    if (i < this.ready) return;
    const to = Math.min(this.columns.length, Math.max(i + 1, this.ready + CHUNK));
    const list = this.list;
    for (let k = this.ready; k < to; k++) {
      if (k < list.length) list[k] = this.columns.tokenAt(k);
      else list.push(this.columns.tokenAt(k));
    }
    this.ready = to;
  }

  /** Whether slot `i` holds its real token. */
  isReal(i: number): boolean {
    return i < this.kept || (i >= this.from && i < this.ready);
  }

  /** The slots made so far stay made (they are the recovering parser's). */
  keep(): void {
    if (this.from === this.kept) this.kept = this.from = this.ready;
  }

  /** Puts stand-ins back below `below`, down to what is kept: a window reader has moved past them. */
  release(below: number): void {
    const to = Math.min(below, this.ready);
    for (let k = Math.max(this.from, this.kept); k < to; k++) this.list[k] = STAND_IN[this.columns.types[k]!]!;
    if (to > this.from) this.from = to;
  }

  /** Counts no slot as made, for a reader that starts again from the first token. */
  rewind(): void {
    this.kept = this.from = this.ready = 0;
  }

  /** The token at `i`, made on its own when its slot holds a stand-in. */
  at(i: number): IToken | undefined {
    if (i < 0 || i >= this.columns.length) return undefined;
    return this.isReal(i) ? this.list[i] : this.columns.tokenAt(i);
  }

  /** Every slot with its real token. */
  all(): IToken[] {
    const n = this.columns.length;
    const list = this.list;
    for (let k = this.kept; k < n; k++) {
      if (k >= this.from && k < this.ready) continue;
      if (k < list.length) list[k] = this.columns.tokenAt(k);
      else list.push(this.columns.tokenAt(k));
    }
    this.kept = this.from = this.ready = n;
    return list;
  }
}

/**
 * The tokens, comments and lexing errors of `text`, as chevrotain's lexer gives them. At a
 * character no token can start with, chevrotain's lexer drops characters until one can
 * and reports the run as one error; so does this scan.
 */
export function scan(text: string): { tokens: IToken[]; comments: IToken[]; errors: ScanError[] } {
  const { columns, comments, errors } = scanColumns(text);
  const tokens: IToken[] = new Array(columns.length);
  for (let k = 0; k < columns.length; k++) tokens[k] = columns.tokenAt(k);
  return { tokens, comments, errors };
}

/** The scan, with its tokens as columns (see `TokenColumns`); comments are few, and are objects. */
export function scanColumns(text: string): { columns: TokenColumns; comments: IToken[]; errors: ScanError[] } {
  const columns = new TokenColumns(text);
  const comments: IToken[] = [];
  const errors: ScanError[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  columns.line(1, 0);
  function push(type: TokenType, start: number, end: number): void {
    columns.push(type, start, end, line);
  }
  function comment(start: number, end: number): void {
    comments.push(new Token(text.slice(start, end), start, line, start - lineStart + 1, T.Comment));
  }
  /** Whether a token (whitespace and comments included) can start at `j`: where chevrotain's lexer resumes after an error. */
  function startsToken(j: number): boolean {
    const c = text.charCodeAt(j);
    if (c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b || c === 0xa0 || c === 0xfeff || c === 0x0a || c === 0x0d || c === 0x23) return true;
    if (isIdentStart(c) || c === 0x2d || c === 0x2a || PUNCTUATION[c] !== undefined) return true;
    if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(j + 1)))) {
      NUMBER.lastIndex = j;
      return NUMBER.test(text);
    }
    return false;
  }
  /** Skips the run of characters from `start` that no token starts with, and reports it. */
  function unexpected(start: number): void {
    i = start + 1;
    while (i < n && !startsToken(i)) i++;
    // The tree builder words the message from the text; this one is for logs.
    errors.push({ offset: start, length: i - start, message: "unexpected character" });
  }
  while (i < n) {
    const c = text.charCodeAt(i);
    // Whitespace, counting lines as chevrotain does: `\r\n`, `\r` and `\n` each end one.
    if (c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 0x0a || c === 0x0d) {
      i += c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      line++;
      lineStart = i;
      columns.line(line, i);
      continue;
    }
    const start = i;
    if (c === 0x23) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
      comment(start, i);
      continue;
    }
    if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(i + 1)))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) {
        unexpected(start);
        continue;
      }
      i += m[0].length;
      push(T.NumberLiteral, start, i);
      continue;
    }
    if (isIdentStart(c)) {
      const next = text.charCodeAt(i + 1);
      if (c === 0x78 && (isDigit(next) || next === 0x2e)) {
        i++;
        push(T.Times, start, i);
        continue;
      }
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      const keyword = KEYWORD_BY_WORD.get(word);
      push(keyword ?? T.Identifier, start, i);
      continue;
    }
    if (c === 0x2d) {
      const arrow = text.charCodeAt(i + 1) === 0x3e;
      i += arrow ? 2 : 1;
      push(arrow ? T.Arrow : T.Minus, start, i);
      continue;
    }
    if (c === 0x2a) {
      const pow = text.charCodeAt(i + 1) === 0x2a;
      i += pow ? 2 : 1;
      push(pow ? T.StarStar : T.Star, start, i);
      continue;
    }
    const p = PUNCTUATION[c];
    if (!p) {
      unexpected(start);
      continue;
    }
    i++;
    push(p, start, i);
  }
  columns.trim();
  return { columns, comments, errors };
}
