// The parser's fast path: a recursive-descent reading of the token list straight into the
// typed AST, for a file with no syntax error (what an editor and the command line see
// almost always). It follows `parser.ts` rule for rule, same-line gates included, and
// builds each node exactly as `build-ast.ts` does; at the first token it does not expect,
// or anything the tree builder would report (a lowercase `m`, `clock tokens`, a restart
// part given twice), it gives up, and the chevrotain parser, with its error recovery and
// messages, reads the file instead. So the grammar's definition, its recovery and its
// diagnostics stay in `parser.ts`; this file only makes the clean case fast, and a
// differential test (packages/dsl/test/fast-parse.test.ts) holds the two to the same trees.

import type { IToken, TokenType } from "chevrotain";
import type * as A from "./ast.js";
import type { Range } from "./diagnostic.js";
import { parseNumber, UNIT_OF } from "./numbers.js";
import * as T from "./tokens.js";
import { membership } from "./tokens.js";
import type { LazyTokens } from "./scan.js";

/** Thrown to leave the fast path; never escapes `fastParse`. */
class GiveUp {}
const GIVE_UP = new GiveUp();

const IS_PHASE = membership(T.PhaseKeyword);
const IS_SHAPE = membership(T.ShapeKeyword);
const IS_UNIT = membership(T.UnitKeyword);
const IS_FUNCTION = membership(T.FunctionKeyword);
const idx = (t: TokenType): number => t.tokenTypeIdx!;
const NUM = idx(T.NumberLiteral);
const ID = idx(T.Identifier);
const PEAK = idx(T.Peak);
const TOTAL = idx(T.Total);
const LPAREN = idx(T.LParen);
const RPAREN = idx(T.RParen);
const MINUS = idx(T.Minus);
const PLUS = idx(T.Plus);
const STAR = idx(T.Star);
const SLASH = idx(T.Slash);
const STARSTAR = idx(T.StarStar);
const PERCENT = idx(T.PercentSign);
const COMMA = idx(T.Comma);
const COLON = idx(T.Colon);
const QUESTION = idx(T.Question);
const LCURLY = idx(T.LCurly);
const RCURLY = idx(T.RCurly);
const ARROW = idx(T.Arrow);
const EQUALS = idx(T.Equals);
const TIMES = idx(T.Times);
const MIN = idx(T.Min);
const MAX = idx(T.Max);
const SQRT = idx(T.Sqrt);
const STEP = idx(T.Step);
const BY = idx(T.By);
const SETTING_KEYS = new Set([idx(T.Lr), TOTAL, idx(T.StepsPerEpoch), idx(T.TokensPerStep)]);
const CLOCK = idx(T.Clock);
const LR = idx(T.Lr);
const LET = idx(T.Let);
const SCHEDULE = idx(T.Schedule);
const LABELS = new Set([idx(T.Momentum), idx(T.Beta2), idx(T.WeightDecay)]);
const VALUE_CLAUSES = new Map<number, A.Clause["kind"]>([
  [idx(T.From), "from"],
  [idx(T.To), "to"],
  [idx(T.Power), "power"],
  [idx(T.By), "by"],
  [idx(T.Every), "every"],
  [idx(T.Timescale), "timescale"],
  [idx(T.Up), "up"],
  [idx(T.Via), "via"],
  [idx(T.Over), "over"],
  [idx(T.Decay), "decay"],
]);
const AT = idx(T.At);
const GAMMA = idx(T.Gamma);
const PER = idx(T.Per);
const RESTART = idx(T.Restart);
const EVERY = idx(T.Every);
const DECAY = idx(T.Decay);
const LIMIT = idx(T.Limit);
const OPERATORS = new Set([PLUS, MINUS, STAR, SLASH, STARSTAR]);
const EXPR_START = new Set([NUM, ID, PEAK, TOTAL, LPAREN, MINUS, MIN, MAX]);

function tokRange(tok: IToken): Range {
  return { start: tok.startOffset, end: tok.endOffset! + 1 };
}

function span(a: Range, b: Range): Range {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

class FastParser {
  private i = 0;
  private last: IToken | undefined;

  /** Below this index the list's slots hold real tokens; a lazy list makes more when a read reaches it. */
  private ready: number;
  /** How many tokens the text has (a lazy list is only as long as what has been made). */
  private readonly count: number;

  constructor(
    private readonly toks: IToken[],
    private readonly lazy?: LazyTokens,
  ) {
    this.ready = lazy ? lazy.ready : Infinity;
    this.count = lazy ? lazy.length : toks.length;
  }

  /** The token at `j`, made first when the list is lazy and has not reached it. */
  private at(j: number): IToken | undefined {
    if (j >= this.ready) {
      this.lazy!.reach(j);
      this.ready = this.lazy!.ready >= this.count ? Infinity : this.lazy!.ready;
    }
    return this.toks[j];
  }

  private type(k = 0): number {
    const t = this.at(this.i + k);
    return t ? t.tokenType.tokenTypeIdx! : 0;
  }

  private peek(k = 0): IToken | undefined {
    return this.at(this.i + k);
  }

  private next(): IToken {
    const t = this.at(this.i++);
    if (!t) throw GIVE_UP;
    this.last = t;
    return t;
  }

  private expect(type: number): IToken {
    if (this.type() !== type) throw GIVE_UP;
    return this.next();
  }

  /** As the parser's `sameLine`: the next token starts on the line where the last one ends. */
  private sameLine(): boolean {
    const t = this.peek();
    return this.last === undefined || this.last.endLine === undefined || (t !== undefined && t.startLine === this.last.endLine);
  }

  /** As the parser's `atThreePhase`: the next two tokens are the words `three phase` on one line. */
  private atThreePhase(): boolean {
    const a = this.peek();
    const b = this.peek(1);
    return a !== undefined && b !== undefined && a.image === "three" && b.image === "phase" && a.tokenType.tokenTypeIdx === ID && b.tokenType.tokenTypeIdx === ID && a.endLine === b.startLine;
  }

  private startsExpr(): boolean {
    const t = this.type();
    if (t === SQRT) return this.type(1) === LPAREN;
    return EXPR_START.has(t);
  }

  private endOfLast(): number {
    return this.last!.endOffset! + 1;
  }

  /** One item from the token at `start` on, and the index of the token after it. */
  itemAt(start: number): { item: A.Item; end: number } {
    this.i = start;
    this.last = undefined;
    const item = this.item();
    return { item, end: this.i };
  }

  file(): A.Item[] {
    const items: A.Item[] = [];
    while (this.i < this.count) {
      items.push(this.item());
      // The tree holds no tokens, so a lazy list's objects behind the item are given back.
      this.lazy?.release(this.i);
    }
    return items;
  }

  private item(): A.Item {
    const t = this.type();
    if (SETTING_KEYS.has(t) || t === CLOCK) return this.setting();
    if (t === LET) return this.letDecl();
    if (t === SCHEDULE) return this.schedule();
    if (LABELS.has(t) || IS_PHASE[t]) return this.chain();
    throw GIVE_UP;
  }

  private setting(): A.Setting | A.PhaseChain {
    const key = this.next();
    const keyRange = tokRange(key);
    const start = key.startOffset;
    if (key.tokenType.tokenTypeIdx === CLOCK) {
      const u = this.next();
      if (!IS_UNIT[u.tokenType.tokenTypeIdx!]) throw GIVE_UP;
      const unit = UNIT_OF[u.image];
      // `clock tokens` is an error the tree builder reports.
      if (unit === "tokens") throw GIVE_UP;
      return { kind: "Setting", range: { start, end: this.endOfLast() }, key: "clock", keyRange, ...(unit === "steps" || unit === "epochs" ? { clock: unit } : {}) };
    }
    const k = key.image as A.SettingKey;
    if (this.type() === QUESTION) {
      const q = this.next();
      const value = this.sameLine() && this.startsExpr() ? this.expr() : undefined;
      return { kind: "Setting", range: { start, end: this.endOfLast() }, key: k, keyRange, ...(value ? { value } : {}), runtime: tokRange(q) };
    }
    if (this.type() === COLON && key.tokenType.tokenTypeIdx === LR) {
      this.next();
      const chain = this.chain();
      return { ...chain, range: { start, end: chain.range.end }, target: { name: "lr", range: keyRange } };
    }
    if (!this.startsExpr() && !IS_FUNCTION[this.type()]) throw GIVE_UP;
    const value = this.expr();
    return { kind: "Setting", range: { start, end: this.endOfLast() }, key: k, keyRange, value };
  }

  private letDecl(): A.Let {
    const kw = this.next();
    const id = this.expect(ID);
    this.expect(EQUALS);
    const value = this.expr();
    return { kind: "Let", range: { start: kw.startOffset, end: this.endOfLast() }, name: { name: id.image, range: tokRange(id) }, value };
  }

  private schedule(): A.Schedule {
    const kw = this.next();
    const id = this.expect(ID);
    const open = this.expect(LCURLY);
    const body: (A.Setting | A.Let)[] = [];
    const chains: A.PhaseChain[] = [];
    for (;;) {
      const t = this.type();
      if (t === RCURLY) break;
      if (SETTING_KEYS.has(t) || t === CLOCK) {
        const s = this.setting();
        if (s.kind === "Chain") chains.push(s);
        else body.push(s);
      } else if (t === LET) body.push(this.letDecl());
      else if (LABELS.has(t) || IS_PHASE[t]) chains.push(this.chain());
      else throw GIVE_UP;
    }
    const close = this.next();
    return {
      kind: "Schedule",
      range: { start: kw.startOffset, end: this.endOfLast() },
      keywordRange: tokRange(kw),
      // Copied to their length: an array grown by `push` keeps room for 17 entries, which
      // the tree of a file of many schedules holds as long as the file is open.
      body: body.slice(),
      chains: chains.slice(),
      name: { name: id.image, range: tokRange(id) },
      open: tokRange(open),
      close: tokRange(close),
    };
  }

  private chain(): A.PhaseChain {
    const first = this.peek();
    if (!first) throw GIVE_UP;
    let target: A.PhaseChain["target"];
    if (LABELS.has(this.type())) {
      const label = this.next();
      this.expect(COLON);
      target = { name: label.image as A.ChainTarget, range: tokRange(label) };
    }
    const phases = [this.phase()];
    const arrows: Range[] = [];
    while (this.type() === ARROW) {
      arrows.push(tokRange(this.next()));
      phases.push(this.phase());
    }
    return { kind: "Chain", range: { start: first.startOffset, end: this.endOfLast() }, ...(target ? { target } : {}), phases, arrows };
  }

  private phase(): A.Phase {
    const kw = this.next();
    if (!IS_PHASE[kw.tokenType.tokenTypeIdx!]) throw GIVE_UP;
    let duration: A.Expr | undefined;
    if (this.startsExpr() && this.sameLine() && !this.atThreePhase() && (this.type() !== TOTAL || OPERATORS.has(this.type(1)))) duration = this.expr();
    const clauses: A.Clause[] = [];
    for (;;) {
      const c = this.clause();
      if (!c) break;
      clauses.push(c);
    }
    return {
      kind: "Phase",
      range: { start: kw.startOffset, end: this.endOfLast() },
      keyword: kw.image,
      type: (kw.image === "hold" ? "constant" : kw.image) as A.PhaseKind,
      keywordRange: tokRange(kw),
      clauses,
      ...(duration ? { duration } : {}),
    };
  }

  /** One clause, or undefined where the phase ends. */
  private clause(): A.Clause | undefined {
    const t = this.type();
    const tok = this.peek();
    if (!tok) return undefined;
    const start = tok.startOffset;
    if (IS_SHAPE[t]) {
      if (!this.sameLine()) return undefined;
      this.next();
      return { kind: "shape", range: tokRange(tok), shape: tok.image as "linear" | "cosine" | "exp" | "step" };
    }
    const valueKind = VALUE_CLAUSES.get(t);
    if (valueKind) {
      this.next();
      const value = this.expr();
      return { kind: valueKind, range: { start, end: this.endOfLast() }, value } as A.Clause;
    }
    if (t === AT) {
      this.next();
      const values = [this.expr()];
      while (this.type() === COMMA) {
        this.next();
        values.push(this.expr());
      }
      return { kind: "at", range: { start, end: this.endOfLast() }, values };
    }
    if (t === GAMMA) {
      this.next();
      const value = this.expr();
      let per: { per: "step" | "epoch"; perRange: Range } | undefined;
      if (this.type() === PER) {
        this.next();
        const u = this.next();
        if (!IS_UNIT[u.tokenType.tokenTypeIdx!]) throw GIVE_UP;
        const unit = UNIT_OF[u.image];
        if (unit === "tokens") throw GIVE_UP;
        per = { per: unit === "steps" ? "step" : "epoch", perRange: tokRange(u) };
      }
      return { kind: "gamma", range: { start, end: this.endOfLast() }, value, ...(per ?? {}) };
    }
    if (t === RESTART) return this.restart();
    if (t === ID) {
      if (this.atThreePhase() && this.sameLine()) {
        this.next();
        this.next();
        return { kind: "threePhase", range: { start, end: this.endOfLast() } };
      }
      return undefined;
    }
    if (t === LCURLY) return this.points();
    return undefined;
  }

  private restart(): A.Clause {
    const kw = this.next();
    this.expect(EVERY);
    const every = this.expr();
    const parts: { mult?: A.Expr; multRange?: Range; decay?: A.Expr; limit?: A.Expr; limitRange?: Range } = {};
    for (;;) {
      const t = this.type();
      const w = this.peek();
      if (!w) break;
      if (t === TIMES || (t === ID && w.image === "x")) {
        if (parts.mult) throw GIVE_UP;
        this.next();
        parts.mult = this.expr();
        parts.multRange = span(tokRange(w), parts.mult.range);
      } else if (t === DECAY) {
        if (parts.decay) throw GIVE_UP;
        this.next();
        parts.decay = this.expr();
      } else if (t === LIMIT) {
        if (parts.limit) throw GIVE_UP;
        this.next();
        parts.limit = this.expr();
        parts.limitRange = span(tokRange(w), parts.limit.range);
      } else if (t === ID) {
        // Chevrotain enters its repetition on any name here, and fails on one that is not `x`.
        throw GIVE_UP;
      } else break;
    }
    return { kind: "restart", range: { start: kw.startOffset, end: this.endOfLast() }, every, ...parts };
  }

  private points(): A.Clause {
    const open = this.next();
    const points: A.TablePoint[] = [];
    if (this.startsExpr() || IS_FUNCTION[this.type()]) {
      points.push(this.point());
      while (this.type() === COMMA && this.type(1) !== RCURLY) {
        this.next();
        points.push(this.point());
      }
      if (this.type() === COMMA) this.next();
    }
    const close = this.expect(RCURLY);
    return { kind: "points", range: { start: open.startOffset, end: this.endOfLast() }, points, open: tokRange(open), close: tokRange(close) };
  }

  private point(): A.TablePoint {
    const first = this.peek();
    if (!first) throw GIVE_UP;
    const start = first.startOffset;
    const at = this.expr();
    this.expect(COLON);
    const value = this.expr();
    return { range: { start, end: this.endOfLast() }, at, value };
  }

  // ---- expressions: the same folds as the tree builder ------------------------------------

  private expr(): A.Expr {
    let acc = this.term();
    for (;;) {
      const t = this.type();
      if (t !== PLUS && t !== MINUS) return acc;
      this.next();
      const right = this.term();
      acc = { kind: "Binary", op: t === PLUS ? "+" : "-", left: acc, range: span(acc.range, right.range), right };
    }
  }

  private term(): A.Expr {
    let acc = this.unary();
    for (;;) {
      const t = this.type();
      if (t !== STAR && t !== SLASH) return acc;
      this.next();
      const right = this.unary();
      acc = { kind: "Binary", op: t === STAR ? "*" : "/", left: acc, range: span(acc.range, right.range), right };
    }
  }

  private unary(): A.Expr {
    if (this.type() === MINUS) {
      const minus = this.next();
      const operand = this.unary();
      return { kind: "Unary", op: "-", range: span(tokRange(minus), operand.range), operand };
    }
    const base = this.postfix();
    if (this.type() !== STARSTAR) return base;
    this.next();
    const right = this.unary();
    return { kind: "Binary", op: "**", left: base, range: span(base.range, right.range), right };
  }

  private postfix(): A.Expr {
    const value = this.primary();
    const t = this.type();
    if (t === PERCENT) {
      const pct = this.next();
      return { kind: "Percent", value, range: span(value.range, tokRange(pct)) };
    }
    if (IS_UNIT[t] && this.sameLine() && !(t === STEP && (this.type(1) === BY || this.type(1) === LCURLY))) {
      const u = this.next();
      return { kind: "Quantity", value, unit: UNIT_OF[u.image]!, unitRange: tokRange(u), range: span(value.range, tokRange(u)) };
    }
    return value;
  }

  private primary(): A.Expr {
    const tok = this.peek();
    if (!tok) throw GIVE_UP;
    const t = tok.tokenType.tokenTypeIdx!;
    if (t === NUM) {
      this.next();
      const { value, suffix } = parseNumber(tok.image);
      // A lowercase `m` is an error the tree builder reports.
      if (suffix === "m") throw GIVE_UP;
      return { kind: "Number", range: tokRange(tok), raw: tok.image, value, ...(suffix ? { suffix } : {}) };
    }
    if (t === ID) {
      this.next();
      return { kind: "Name", range: tokRange(tok), name: tok.image };
    }
    if (t === PEAK) {
      this.next();
      return { kind: "Peak", range: tokRange(tok) };
    }
    if (t === TOTAL) {
      this.next();
      return { kind: "Total", range: tokRange(tok) };
    }
    if (t === LPAREN) {
      this.next();
      const inner = this.expr();
      const rp = this.expect(RPAREN);
      return { kind: "Paren", range: span(tokRange(tok), tokRange(rp)), inner };
    }
    if (IS_FUNCTION[t]) {
      this.next();
      this.expect(LPAREN);
      const args = [this.expr()];
      while (this.type() === COMMA) {
        this.next();
        args.push(this.expr());
      }
      this.expect(RPAREN);
      return { kind: "Call", range: { start: tok.startOffset, end: this.endOfLast() }, fn: tok.image as A.Call["fn"], fnRange: tokRange(tok), args };
    }
    throw GIVE_UP;
  }
}

/**
 * The file's items, read without error recovery, or undefined when the file is not free of
 * syntax errors (or of anything the tree builder reports), so the full parser must read it.
 * The tokens must be the lexer's, free of lexing errors and of too deep a nest.
 */
export function fastParse(tokens: IToken[], lazy?: LazyTokens): A.Item[] | undefined {
  try {
    return new FastParser(tokens, lazy).file();
  } catch {
    // Giving up, or a fault of this path: either way the recovering parser reads the file,
    // so a mistake here costs time, never a tree (the differential test looks for both).
    return undefined;
  }
}

/**
 * One item read without error recovery from `tokens[start]` on, with the index of the token
 * after it, or undefined where the fast path gives up on it (the item is not free of
 * syntax errors). For reading past the point where the recovering parser stopped (`skim.ts`).
 */
export function fastParseItem(tokens: IToken[], start: number, lazy?: LazyTokens): { item: A.Item; end: number } | undefined {
  try {
    return new FastParser(tokens, lazy).itemAt(start);
  } catch {
    return undefined;
  }
}
