// Reusing the previous version's compile after an edit that touched only whitespace or
// comments. The new text is parsed (the cheap part); when its tokens are the previous
// version's, word for word and broken into lines alike (whether a line break separates
// two tokens is grammar: `total 100` and a unit on the next line are two statements), every result of the previous compile still
// holds and only its offsets move. The checked schedules, their lowering, the lints and the
// diagnostics are then carried over, each range moved to where its tokens now stand and each
// reference to the syntax tree pointed at the new tree, instead of compiling again.
//
// The trivia between tokens must be plain ASCII: a comment that gains a bidirectional
// control or a zero-width character gets its warning (A320) from a real compile, and so
// does a document whose previous parse had syntax errors, whose recovery this does not
// pretend to know.

import { type CompileResult, createEvaluator, type ScheduleIR, withRoles } from "@anneal/compiler";
import type { ParseResult, Range } from "@anneal/dsl";

/** What may sit between tokens for a result to be reused: tabs, line breaks and printable ASCII. */
const PLAIN_TRIVIA = /^[\t\n\r\x20-\x7e]*$/;

/**
 * The previous result moved onto `text`, or undefined when the edit changed more than
 * whitespace and comments (then the caller compiles). It never throws: a fault in moving
 * the result is one more reason to compile.
 */
export function reuseCompile(previous: CompileResult, previousText: string, text: string, parsed: ParseResult): CompileResult | undefined {
  try {
    return moveResult(previous, previousText, text, parsed);
  } catch {
    return undefined;
  }
}

/**
 * A parse's tokens as their starts, ends (exclusive), type indices and lines, read from the
 * lexer's columns when the parse has them, so that the check below makes no token objects.
 */
interface TokenView {
  n: number;
  start(i: number): number;
  end(i: number): number;
  type(i: number): number;
  line(i: number): number;
}

function view(p: ParseResult): TokenView {
  const c = p.columns;
  if (c) return { n: c.length, start: (i) => c.starts[i]!, end: (i) => c.ends[i]!, type: (i) => c.types[i]!, line: (i) => c.lines[i]! };
  const t = p.tokens;
  return { n: t.length, start: (i) => t[i]!.startOffset, end: (i) => t[i]!.endOffset! + 1, type: (i) => t[i]!.tokenTypeIdx, line: (i) => t[i]!.startLine! };
}

/** Whether two spans of two texts hold the same characters. */
function sameText(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++) if (a.charCodeAt(aStart + k) !== b.charCodeAt(bStart + k)) return false;
  return true;
}

function moveResult(previous: CompileResult, previousText: string, text: string, parsed: ParseResult): CompileResult | undefined {
  if (previous.parsed.diagnostics.length > 0 || parsed.diagnostics.length > 0) return undefined;
  const before = view(previous.parsed);
  const after = view(parsed);
  if (before.n !== after.n) return undefined;
  let end = 0;
  for (let i = 0; i < after.n; i++) {
    // The same token: the same type and the same characters (a token is its text).
    if (before.type(i) !== after.type(i) || !sameText(previousText, before.start(i), before.end(i), text, after.start(i), after.end(i))) return undefined;
    // Only whether a line break separates two tokens is grammar, not how many (a token never spans lines).
    if (i > 0 && before.line(i) > before.line(i - 1) !== after.line(i) > after.line(i - 1)) return undefined;
    if (!PLAIN_TRIVIA.test(text.slice(end, after.start(i)))) return undefined;
    end = after.end(i);
  }
  if (!PLAIN_TRIVIA.test(text.slice(end))) return undefined;

  const move = offsetMap(before, after, previousText.length, text.length);
  const seen = new Map<object, unknown>();
  pair(previous.ast, parsed.ast, seen);
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    const known = seen.get(v);
    if (known !== undefined) return known;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(copy(x));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    // Class instances (maps, evaluators, typed arrays) hold no source offsets; they are shared.
    if (proto !== Object.prototype && proto !== null) return v;
    const keys = Object.keys(v);
    if (isRange(v, keys)) {
      const r = { start: move(v.start), end: move(v.end) };
      seen.set(v, r);
      return r;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    // Fields are read directly, not through property descriptors (four times the cost of a
    // compile on a 5,000-line file); the one accessor in a result, a schedule's lazy
    // `evaluator`, is left unread.
    const record = v as Record<string, unknown>;
    let lazy = false;
    for (const key of keys) {
      if (key === "evaluator" && Object.getOwnPropertyDescriptor(v, key)?.get) lazy = true;
      else out[key] = copy(record[key]);
    }
    // A lazily built evaluator is built again, lazily, over the copied lowering.
    const ir = out.ir as ScheduleIR | undefined;
    if (lazy && ir) {
      let evaluator: ReturnType<typeof createEvaluator> | undefined;
      Object.defineProperty(out, "evaluator", { get: () => (evaluator ??= createEvaluator(ir)), enumerable: true, configurable: true });
    }
    return out;
  };

  const result: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(previous))) {
    if (key === "ast" || key === "parsed" || key === "tokens" || !("value" in d)) continue;
    result[key] = copy(d.value);
  }
  result.ast = parsed.ast;
  result.parsed = parsed;
  withRoles(result as unknown as CompileResult, parsed);
  return result as unknown as CompileResult;
}

function isRange(v: object, keys: readonly string[]): v is Range {
  return keys.length === 2 && typeof (v as Range).start === "number" && typeof (v as Range).end === "number";
}

/**
 * Pairs each object of the previous tree with the one in the same place of the new tree,
 * which has the same shape (same tokens, same lines); only the comments differ.
 */
function pair(a: unknown, b: unknown, seen: Map<object, unknown>): void {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || seen.has(a)) return;
  seen.set(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) pair(a[i], b[i], seen);
    return;
  }
  for (const key of Object.keys(a)) {
    if (key === "comments") continue;
    pair((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], seen);
  }
}

/**
 * Where an offset of the previous text stands in the new one: inside or at the end of a
 * token, at the same place in that token; in the trivia after a token, as far past its end
 * (up to the next token); past the text, as far past the new text's end.
 */
function offsetMap(a: TokenView, b: TokenView, beforeLength: number, afterLength: number): (o: number) => number {
  return (o) => {
    if (o >= beforeLength) return o - beforeLength + afterLength;
    // The last token that starts at or before o.
    let lo = 0;
    let hi = a.n - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (a.start(mid) <= o) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return Math.min(o, b.n > 0 ? b.start(0) : afterLength);
    const oldEnd = a.end(k);
    const newStart = b.start(k);
    if (o <= oldEnd) return newStart + (o - a.start(k));
    const limit = k + 1 < b.n ? b.start(k + 1) : afterLength;
    return Math.min(limit, b.end(k) + (o - oldEnd));
  };
}
