// The syntactic part of completion: which words the grammar allows at a point of a file,
// from chevrotain's own `computeContentAssist` over the grammar in `parser.ts`, so the
// editor's list follows the grammar instead of a second description of it. What the words
// mean at that point (which clauses a phase kind takes, which names are in scope, where a
// duration rather than a rate goes) is the checker's and the server's business.
//
// Content assist interprets the grammar from a rule's start over the tokens before the
// point, so it starts at the item (top-level line or `schedule` block) that holds the
// point: the work is bounded by that item, not by the file. It ignores the grammar's gates,
// so it may offer a word that the same-line rules would read as the start of the next item
// (a shape word on a new line); the server filters by position where that matters.

import type { IToken, TokenType } from "chevrotain";
import type { ParseResult } from "./build-ast.js";
import { parser } from "./parser.js";
import * as T from "./tokens.js";

export interface SyntacticCompletion {
  /** Reserved words the grammar allows next, in the lexer's order, without duplicates. */
  keywords: string[];
  /** Whether a name (a `let` name, a schedule name, or a name inside a value) may come next. */
  name: boolean;
  /** Whether a number may come next (so a value is expected). */
  number: boolean;
  /** Punctuation the grammar allows next: `->`, `{`, `(`, `:`, `?`, `,`, `=`, operators. */
  punctuation: string[];
}

const CATEGORY_WORDS = new Map<TokenType, readonly string[]>([
  [T.PhaseKeyword, T.PHASE_KEYWORDS],
  [T.UnitKeyword, T.UNIT_WORDS],
  [T.SettingKeyword, T.SETTING_KEYWORDS],
  [T.ShapeKeyword, T.SHAPE_WORDS],
  [T.TargetKeyword, T.TARGET_KEYWORDS],
  [T.FunctionKeyword, T.FUNCTION_KEYWORDS],
  [T.ClauseKeyword, T.CLAUSE_KEYWORDS],
]);

const PUNCTUATION_TEXT = new Map<TokenType, string>([
  [T.Arrow, "->"],
  [T.LCurly, "{"],
  [T.RCurly, "}"],
  [T.LParen, "("],
  [T.RParen, ")"],
  [T.Colon, ":"],
  [T.Question, "?"],
  [T.Comma, ","],
  [T.Equals, "="],
  [T.Plus, "+"],
  [T.Minus, "-"],
  [T.Star, "*"],
  [T.StarStar, "**"],
  [T.Slash, "/"],
  [T.PercentSign, "%"],
  [T.Times, "x"],
]);

/**
 * What may be written at `offset`, given the parse of the whole text. A word the cursor is
 * in the middle of (or right after) is the one being typed, so the answer is for its start.
 */
export function syntacticCompletion(parsed: ParseResult, offset: number): SyntacticCompletion {
  const tokens = parsed.tokens;
  // The tokens before the point, without the word being typed.
  let end = 0;
  while (end < tokens.length && tokens[end]!.endOffset! + 1 < offset) end++;
  if (end < tokens.length && tokens[end]!.startOffset < offset && !/^[A-Za-z_0-9]/.test(tokens[end]!.image)) end++;
  // The item holding the point starts the interpretation.
  let start = 0;
  for (const item of parsed.ast.items) {
    if (item.range.start >= offset) break;
    start = item.range.start;
  }
  let from = 0;
  while (from < end && tokens[from]!.startOffset < start) from++;
  const before: IToken[] = tokens.slice(from, end);
  const paths = parser.computeContentAssist("file", before);
  const keywords = new Set<string>();
  const punctuation = new Set<string>();
  let name = false;
  let number = false;
  for (const p of paths) {
    const t = p.nextTokenType;
    const words = CATEGORY_WORDS.get(t);
    if (words) for (const w of words) keywords.add(w);
    else if (t === T.Identifier) name = true;
    else if (t === T.NumberLiteral) number = true;
    else if (PUNCTUATION_TEXT.has(t)) punctuation.add(PUNCTUATION_TEXT.get(t)!);
    else if (T.keywordTokenTypes.includes(t)) keywords.add((t.PATTERN as RegExp).source);
  }
  const order = new Map(T.KEYWORDS.map((w, i) => [w, i]));
  return {
    keywords: [...keywords].sort((a, b) => order.get(a)! - order.get(b)!),
    name,
    number,
    punctuation: [...punctuation],
  };
}
