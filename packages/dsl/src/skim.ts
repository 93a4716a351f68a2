// The rest of a file after the recovering parser stopped (`MAX_SYNTAX_ERRORS` errors, see
// `AnnealParser.parseFile`), read statement by statement in one pass. Each statement that
// is free of errors becomes AST items as the fast path reads them, so its schedules are
// still checked, plotted and listed; each one that is not is skipped whole and counted,
// without the recovering parser's per-token work. A statement starts at a keyword that
// starts an item (`lr`, `total`, `let`, `schedule`, a phase, a chain label) at the start of
// a line, outside braces, unless the line before ends in a token that continues it (`->`,
// an operator, `:`, `=`, `(`).

import type { IToken } from "chevrotain";
import type * as A from "./ast.js";
import { fastParseItem } from "./fast-parse.js";
import type { LazyTokens, TokenColumns } from "./scan.js";
import * as T from "./tokens.js";

const IS_STATEMENT_START = T.membership(T.PhaseKeyword, T.Lr, T.Total, T.StepsPerEpoch, T.TokensPerStep, T.Clock, T.Let, T.Schedule, T.Momentum, T.Beta2, T.WeightDecay);
const CONTINUES_LINE = T.membership(T.Arrow, T.Plus, T.Minus, T.Star, T.Slash, T.StarStar, T.Colon, T.Equals, T.LParen);
const LCURLY = T.LCurly.tokenTypeIdx!;
const RCURLY = T.RCurly.tokenTypeIdx!;

export interface Skimmed {
  /** The items of the statements free of errors, in source order. */
  items: A.Item[];
  /** How many statements were skipped for an error, the one the parser stopped in included. */
  skipped: number;
}

/** The token types and lines `skim` reads: the lexer's columns, or a list of token objects. */
interface Reader {
  n: number;
  type(i: number): number;
  line(i: number): number;
}

function listReader(tokens: IToken[]): Reader {
  return { n: tokens.length, type: (i) => tokens[i]!.tokenTypeIdx, line: (i) => tokens[i]!.startLine! };
}

function columnsReader(c: TokenColumns): Reader {
  const types = c.types;
  const lines = c.lines;
  return { n: c.length, type: (i) => types[i]!, line: (i) => lines[i]! };
}

/** Whether the token at `i` starts a statement when outside braces (see the file's head); a token never spans lines. */
function startsStatement(r: Reader, i: number): boolean {
  if (!IS_STATEMENT_START[r.type(i)]) return false;
  return i === 0 || (r.line(i - 1) < r.line(i) && !CONTINUES_LINE[r.type(i - 1)]);
}

/**
 * Reads `tokens` from index `from`, where the parser stopped in the middle of a statement,
 * to the end. Braces are counted from the file's start, so that a stop inside a `schedule`
 * block skips the rest of that block rather than reading its lines as top-level items.
 * Given the lazy list the tokens are (`LazyTokens`), it reads types and lines from the
 * lexer's columns and makes the objects of one statement at a time, giving them back as it
 * moves on, so the rest of a large file never exists as objects all at once.
 */
export function skim(tokens: IToken[], from: number, lazy?: LazyTokens): Skimmed {
  const r = lazy ? columnsReader(lazy.columns) : listReader(tokens);
  const n = r.n;
  let depth = 0;
  for (let i = 0; i < from; i++) {
    const type = r.type(i);
    if (type === LCURLY) depth++;
    else if (type === RCURLY && depth > 0) depth--;
  }
  const items: A.Item[] = [];
  let skipped = 1;
  /** The index of the next statement's start at or after `i`, with the brace depth at `i`. */
  const nextStatement = (i: number, d: number): number => {
    for (; i < n; i++) {
      if (d === 0 && startsStatement(r, i)) break;
      const type = r.type(i);
      if (type === LCURLY) d++;
      else if (type === RCURLY && d > 0) d--;
    }
    return i;
  };
  // The parser stopped at an error: the rest of its statement is skipped (counted above).
  let i = from < n ? nextStatement(from, depth) : n;
  while (i < n) {
    lazy?.release(i);
    const read = fastParseItem(tokens, i, lazy);
    if (read) {
      items.push(read.item);
      i = read.end;
      continue;
    }
    skipped++;
    i = nextStatement(i + 1, r.type(i) === LCURLY ? 1 : 0);
  }
  lazy?.release(n);
  return { items, skipped };
}
