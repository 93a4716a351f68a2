// The lexer's fast path: one pass over the characters, with no regular expression tried
// per token, producing the very tokens chevrotain's lexer (`tokens.ts`) produces, positions
// included. It knows the token list's rules: numbers before names, `x` before a digit as
// the restart multiplier, a keyword only where the whole word is one (`longer_alt`). At the
// first character that would be a lexing error it gives up and chevrotain's lexer, with its
// error recovery, reads the text instead. A differential test holds the two to the same
// tokens (test/robustness/fast-parse.test.ts).

import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

const KEYWORD_BY_WORD = new Map<string, TokenType>(T.keywordTokenTypes.map((t) => [(t.PATTERN as RegExp).source, t]));
/** Each keyword's one image string, shared by every token of it. */
const KEYWORD_IMAGE = new Map<string, string>([...KEYWORD_BY_WORD.keys()].map((w) => [w, w]));
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
 * One token, with chevrotain's fields, built by a class so that every scanned token has one
 * hidden class of its own. A plain object literal with chevrotain's fields in chevrotain's
 * order shares the hidden class of chevrotain's END_OF_FILE token, whose offsets are NaN:
 * V8 then stores the offsets, lines and columns of every token as boxed doubles (six 16-byte
 * numbers per token), and every range built from them as boxed doubles too. With their own
 * class they stay small integers, which halved the memory a parse of many schedules keeps.
 */
class ScannedToken implements IToken {
  readonly startLine: number;
  constructor(
    readonly image: string,
    readonly startOffset: number,
    readonly endOffset: number,
    line: number,
    readonly startColumn: number,
    readonly tokenType: TokenType,
  ) {
    this.startLine = line;
  }
  // A scanned token never spans lines, and its type's index is its type's: read, not stored,
  // so each token holds six fields instead of nine.
  get endLine(): number {
    return this.startLine;
  }
  get endColumn(): number {
    return this.startColumn + (this.endOffset - this.startOffset);
  }
  get tokenTypeIdx(): number {
    return this.tokenType.tokenTypeIdx!;
  }
}

function token(image: string, startOffset: number, endOffset: number, line: number, startColumn: number, tokenType: TokenType): IToken {
  return new ScannedToken(image, startOffset, endOffset, line, startColumn, tokenType);
}

/** The tokens and comments of `text`, or undefined where chevrotain's lexer would report an error. */
export function scan(text: string): { tokens: IToken[]; comments: IToken[] } | undefined {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // Keywords and punctuation take their one shared image; a file of 25,000 schedules held
  // 150,000 copies of `{`, `lr`, `total` and the like.
  function push(list: IToken[], type: TokenType, start: number, end: number, image = text.slice(start, end)): void {
    const column = start - lineStart + 1;
    list.push(token(image, start, end - 1, line, column, type));
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
      if (!m) return undefined;
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
      push(tokens, keyword ?? T.Identifier, start, i, keyword ? KEYWORD_IMAGE.get(word) : word);
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
    if (!p) return undefined;
    i++;
    push(tokens, p, start, i, PUNCTUATION_IMAGE[c]);
  }
  return { tokens, comments };
}
