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

/**
 * The tokens, comments and lexing errors of `text`, as chevrotain's lexer gives them. At a
 * character no token can start with, chevrotain's lexer drops characters until one can
 * and reports the run as one error; so does this scan.
 */
export function scan(text: string): { tokens: IToken[]; comments: IToken[]; errors: ScanError[] } {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: ScanError[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  function push(list: IToken[], type: TokenType, start: number, end: number, image = text.slice(start, end)): void {
    list.push(new Token(image, start, line, start - lineStart + 1, type));
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
      continue;
    }
    const start = i;
    if (c === 0x23) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
      push(comments, T.Comment, start, i);
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
      push(tokens, T.NumberLiteral, start, i);
      continue;
    }
    if (isIdentStart(c)) {
      const next = text.charCodeAt(i + 1);
      if (c === 0x78 && (isDigit(next) || next === 0x2e)) {
        i++;
        push(tokens, T.Times, start, i, "x");
        continue;
      }
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      const keyword = KEYWORD_BY_WORD.get(word);
      push(tokens, keyword ?? T.Identifier, start, i, keyword ? KEYWORD_IMAGE.get(keyword)! : word);
      continue;
    }
    if (c === 0x2d) {
      const arrow = text.charCodeAt(i + 1) === 0x3e;
      i += arrow ? 2 : 1;
      push(tokens, arrow ? T.Arrow : T.Minus, start, i, arrow ? "->" : "-");
      continue;
    }
    if (c === 0x2a) {
      const pow = text.charCodeAt(i + 1) === 0x2a;
      i += pow ? 2 : 1;
      push(tokens, pow ? T.StarStar : T.Star, start, i, pow ? "**" : "*");
      continue;
    }
    const p = PUNCTUATION[c];
    if (!p) {
      unexpected(start);
      continue;
    }
    i++;
    push(tokens, p, start, i, PUNCTUATION_IMAGE[c]);
  }
  return { tokens, comments, errors };
}
