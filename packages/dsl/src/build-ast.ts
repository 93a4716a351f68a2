// From chevrotain's concrete tree to the typed AST, and from its raw errors to diagnostics
// that say what was expected in words a user knows. Tokens that error recovery invented
// (`isInsertedInRecovery`) never become AST content: a missing piece stays missing.

import type { CstElement, CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import type { Range, SyntaxDiagnostic } from "./diagnostic.js";
import { type Lexed, lex, lexLazy, MAX_EXPRESSION_DEPTH, MAX_SYNTAX_ERRORS, parseRaw } from "./parser.js";
import type { TokenColumns } from "./scan.js";
import { skim } from "./skim.js";
import * as T from "./tokens.js";
import { PHASE_KEYWORDS } from "./tokens.js";
import { parseNumber, UNIT_OF } from "./numbers.js";
import { fastParse } from "./fast-parse.js";

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function real(tok: IToken | undefined): tok is IToken {
  return tok !== undefined && !tok.isInsertedInRecovery && Number.isFinite(tok.startOffset);
}

function tokRange(tok: IToken): Range {
  return { start: tok.startOffset, end: (tok.endOffset ?? tok.startOffset) + 1 };
}

function span(a: Range, b: Range): Range {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** All real tokens under a node, in source order. */
function tokensOf(e: CstElement, out: IToken[] = []): IToken[] {
  if (isToken(e)) {
    if (real(e)) out.push(e);
    return out;
  }
  for (const list of Object.values(e.children)) for (const c of list ?? []) tokensOf(c, out);
  return out;
}

function nodeRange(node: CstNode): Range | undefined {
  // Chevrotain tracks each node's first and last offsets as it parses; only a node that
  // recovery left without real tokens at an end (NaN) needs the walk over its tokens.
  const loc = node.location;
  if (loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset)) return { start: loc.startOffset, end: loc.endOffset! + 1 };
  const toks = tokensOf(node);
  if (toks.length === 0) return undefined;
  let start = Infinity;
  let end = -Infinity;
  for (const t of toks) {
    start = Math.min(start, t.startOffset);
    end = Math.max(end, (t.endOffset ?? t.startOffset) + 1);
  }
  return { start, end };
}

function tok(ch: Children, name: string, i = 0): IToken | undefined {
  const t = ch[name]?.[i];
  return t && isToken(t) && real(t) ? t : undefined;
}

function node(ch: Children, name: string, i = 0): CstNode | undefined {
  const n = ch[name]?.[i];
  return n && !isToken(n) ? n : undefined;
}

function nodes(ch: Children, name: string): CstNode[] {
  return (ch[name] ?? []).filter((n): n is CstNode => !isToken(n));
}

/** The first real token among the given child names, in source order. */
function firstTok(ch: Children, names: string[]): IToken | undefined {
  let best: IToken | undefined;
  for (const n of names)
    for (const t of ch[n] ?? [])
      if (isToken(t) && real(t) && (!best || t.startOffset < best.startOffset)) best = t;
  return best;
}

class AstBuilder {
  readonly diagnostics: SyntaxDiagnostic[] = [];

  file(cst: CstNode, text: string, comments: IToken[]): A.AnnealFile {
    const items = nodes(cst.children, "item")
      .map((i) => this.item(i))
      .filter((i): i is A.Item => i !== undefined);
    return {
      kind: "File",
      range: { start: 0, end: text.length },
      items,
      comments: comments.map((c) => ({ range: tokRange(c), text: c.image })),
    };
  }

  item(cst: CstNode): A.Item | undefined {
    const ch = cst.children;
    const s = node(ch, "setting");
    if (s) return this.labelledLr(s) ?? this.setting(s);
    const l = node(ch, "letDecl");
    if (l) return this.letDecl(l);
    const sc = node(ch, "schedule");
    if (sc) return this.schedule(sc);
    const c = node(ch, "chain");
    if (c) return this.chain(c);
    return undefined;
  }

  /** `lr: warmup ...`, which the parser reads after `lr` as a setting would be: the labelled chain. */
  labelledLr(cst: CstNode): A.PhaseChain | undefined {
    const ch = cst.children;
    const c = node(ch, "chain");
    const lr = tok(ch, "Kw_lr");
    const range = nodeRange(cst);
    if (!c || !range) return undefined;
    const chain = this.chain(c);
    if (!chain) return undefined;
    return { ...chain, range: span(range, chain.range), ...(lr ? { target: { name: "lr", range: tokRange(lr) } } : {}) };
  }

  setting(cst: CstNode): A.Setting | undefined {
    const ch = cst.children;
    const keyTok = firstTok(ch, ["Kw_lr", "Kw_total", "Kw_steps_per_epoch", "Kw_tokens_per_step", "Kw_clock"]);
    const range = nodeRange(cst);
    if (!keyTok || !range) return undefined;
    const key = keyTok.image as A.SettingKey;
    if (key === "clock") {
      const u = tok(ch, "UnitKeyword");
      const unit = this.clockUnit(u, "the clock counts steps or epochs; write `clock steps` or `clock epochs` (tokens are converted with `tokens_per_step`)");
      return {
        kind: "Setting",
        range,
        key,
        keyRange: tokRange(keyTok),
        ...(unit === "steps" || unit === "epochs" ? { clock: unit } : {}),
      };
    }
    const e = node(ch, "expr");
    const value = e ? this.expr(e) : undefined;
    const q = tok(ch, "Question");
    return { kind: "Setting", range, key, keyRange: tokRange(keyTok), ...(value ? { value } : {}), ...(q ? { runtime: tokRange(q) } : {}) };
  }

  /** The unit of a `clock` or `per` word; tokens are no clock (A005, with `why`). */
  private clockUnit(u: IToken | undefined, why: string): A.Unit | undefined {
    const unit = u ? UNIT_OF[u.image] : undefined;
    if (u && unit === "tokens") this.diagnostics.push({ problem: "unit-not-allowed", message: why, range: tokRange(u) });
    return unit;
  }

  letDecl(cst: CstNode): A.Let | undefined {
    const ch = cst.children;
    const range = nodeRange(cst);
    if (!range) return undefined;
    const id = tok(ch, "Identifier");
    const e = node(ch, "expr");
    const value = e ? this.expr(e) : undefined;
    return {
      kind: "Let",
      range,
      ...(id ? { name: { name: id.image, range: tokRange(id) } } : {}),
      ...(value ? { value } : {}),
    };
  }

  schedule(cst: CstNode): A.Schedule | undefined {
    const ch = cst.children;
    const kw = tok(ch, "Kw_schedule");
    const range = nodeRange(cst);
    if (!kw || !range) return undefined;
    const id = tok(ch, "Identifier");
    const open = tok(ch, "LCurly");
    const close = tok(ch, "RCurly");
    const body: (A.Setting | A.Let)[] = [];
    const labelled: A.PhaseChain[] = [];
    for (const s of nodes(ch, "setting")) {
      const lr = this.labelledLr(s);
      if (lr) {
        labelled.push(lr);
        continue;
      }
      const v = this.setting(s);
      if (v) body.push(v);
    }
    for (const l of nodes(ch, "letDecl")) {
      const v = this.letDecl(l);
      if (v) body.push(v);
    }
    body.sort((a, b) => a.range.start - b.range.start);
    const chains = nodes(ch, "chain")
      .map((c) => this.chain(c))
      .filter((c): c is A.PhaseChain => c !== undefined);
    if (labelled.length > 0) {
      for (const c of labelled) chains.push(c);
      chains.sort((a, b) => a.range.start - b.range.start);
    }
    return {
      kind: "Schedule",
      range,
      keywordRange: tokRange(kw),
      body,
      chains,
      ...(id ? { name: { name: id.image, range: tokRange(id) } } : {}),
      ...(open ? { open: tokRange(open) } : {}),
      ...(close ? { close: tokRange(close) } : {}),
    };
  }

  chain(cst: CstNode): A.PhaseChain | undefined {
    const ch = cst.children;
    const range = nodeRange(cst);
    if (!range) return undefined;
    const phases = nodes(ch, "phase")
      .map((p) => this.phase(p))
      .filter((p): p is A.Phase => p !== undefined);
    if (phases.length === 0) return undefined;
    const arrows = (ch.Arrow ?? []).filter((t): t is IToken => isToken(t) && real(t)).map(tokRange);
    const label = tok(ch, "Kw_momentum") ?? tok(ch, "Kw_beta2") ?? tok(ch, "Kw_weight_decay");
    const target = label ? { target: { name: label.image as A.ChainTarget, range: tokRange(label) } } : {};
    return { kind: "Chain", range, ...target, phases, arrows };
  }

  phase(cst: CstNode): A.Phase | undefined {
    const ch = cst.children;
    const kw = tok(ch, "PhaseKeyword");
    const range = nodeRange(cst);
    if (!kw || !range) return undefined;
    const type = (kw.image === "hold" ? "constant" : kw.image) as A.PhaseKind;
    const d = node(ch, "expr");
    const duration = d ? this.expr(d) : undefined;
    const clauses = nodes(ch, "clause")
      .map((c) => this.clause(c))
      .filter((c): c is A.Clause => c !== undefined);
    return {
      kind: "Phase",
      range,
      keyword: kw.image,
      type,
      keywordRange: tokRange(kw),
      clauses,
      ...(duration ? { duration } : {}),
    };
  }

  clause(cst: CstNode): A.Clause | undefined {
    const ch = cst.children;
    const range = nodeRange(cst);
    if (!range) return undefined;
    const shape = tok(ch, "ShapeKeyword");
    if (shape) return { kind: "shape", range, shape: shape.image as "linear" | "cosine" | "exp" | "step" };
    const r = node(ch, "restart");
    if (r) return this.restart(r);
    const pts = node(ch, "points");
    if (pts) return this.points(pts);
    if (tok(ch, "Identifier", 1)) return { kind: "threePhase", range };
    const exprs = nodes(ch, "expr").map((e) => this.expr(e)).filter((e): e is A.Expr => e !== undefined);
    const value = exprs[0];
    const withValue = value ? { value } : {};
    if (tok(ch, "Kw_from")) return { kind: "from", range, ...withValue };
    if (tok(ch, "Kw_to")) return { kind: "to", range, ...withValue };
    if (tok(ch, "Kw_power")) return { kind: "power", range, ...withValue };
    if (tok(ch, "Kw_by")) return { kind: "by", range, ...withValue };
    if (tok(ch, "Kw_every")) return { kind: "every", range, ...withValue };
    if (tok(ch, "Kw_timescale")) return { kind: "timescale", range, ...withValue };
    if (tok(ch, "Kw_up")) return { kind: "up", range, ...withValue };
    if (tok(ch, "Kw_via")) return { kind: "via", range, ...withValue };
    if (tok(ch, "Kw_over")) return { kind: "over", range, ...withValue };
    if (tok(ch, "Kw_decay")) return { kind: "decay", range, ...withValue };
    if (tok(ch, "Kw_at")) return { kind: "at", range, values: exprs };
    if (tok(ch, "Kw_gamma")) {
      const u = tok(ch, "UnitKeyword");
      const unit = this.clockUnit(u, "`gamma` applies per step or per epoch; write `per step` or `per epoch`");
      const per = unit === "steps" ? "step" : unit === "epochs" ? "epoch" : undefined;
      return { kind: "gamma", range, ...withValue, ...(per && u ? { per, perRange: tokRange(u) } : {}) };
    }
    return undefined;
  }

  points(cst: CstNode): A.Clause | undefined {
    const ch = cst.children;
    const range = nodeRange(cst);
    const open = tok(ch, "LCurly");
    if (!range || !open) return undefined;
    const close = tok(ch, "RCurly");
    const points: A.TablePoint[] = [];
    for (const p of nodes(ch, "point")) {
      const r = nodeRange(p);
      if (!r) continue;
      const [at, value] = nodes(p.children, "expr").map((e) => this.expr(e));
      points.push({ range: r, ...(at ? { at } : {}), ...(value ? { value } : {}) });
    }
    return { kind: "points", range, points, open: tokRange(open), ...(close ? { close: tokRange(close) } : {}) };
  }

  restart(cst: CstNode): A.Clause | undefined {
    const ch = cst.children;
    const range = nodeRange(cst);
    if (!range) return undefined;
    const exprs = nodes(ch, "expr");
    const every = exprs[0] ? this.expr(exprs[0]) : undefined;
    // After `every P`, each expression belongs to the word just before it: `x`, `decay` or `limit`.
    const words = [...(ch.Times ?? []), ...(ch.Identifier ?? []), ...(ch.Kw_decay ?? []), ...(ch.Kw_limit ?? [])]
      .filter((t): t is IToken => isToken(t) && real(t))
      .sort((a, b) => a.startOffset - b.startOffset);
    const parts: { mult?: A.Expr; multRange?: Range; decay?: A.Expr; limit?: A.Expr; limitRange?: Range } = {};
    const seen = new Set<string>();
    for (const w of words) {
      const part = w.image === "decay" ? "decay" : w.image === "limit" ? "limit" : "mult";
      const e = exprs.slice(1).find((x) => {
        const r = nodeRange(x);
        return r !== undefined && r.start >= w.startOffset + w.image.length && !words.some((o) => o.startOffset > w.startOffset && o.startOffset < r.start);
      });
      const v = e ? this.expr(e) : undefined;
      const wordRange = tokRange(w);
      if (seen.has(part)) {
        const what = part === "mult" ? "the multiplier `x`" : `\`${part}\``;
        this.diagnostics.push({ problem: "repeated-clause", message: `${what} is given twice in this restart; keep one`, range: v ? span(wordRange, v.range) : wordRange });
        continue;
      }
      seen.add(part);
      if (part === "mult") {
        if (v) parts.mult = v;
        parts.multRange = v ? span(wordRange, v.range) : wordRange;
      } else if (part === "decay") {
        if (v) parts.decay = v;
      } else {
        if (v) parts.limit = v;
        parts.limitRange = v ? span(wordRange, v.range) : wordRange;
      }
    }
    return { kind: "restart", range, ...(every ? { every } : {}), ...parts };
  }

  expr(cst: CstNode): A.Expr | undefined {
    const ch = cst.children;
    const terms = nodes(ch, "term");
    const ops = [...(ch.Plus ?? []), ...(ch.Minus ?? [])]
      .filter((t): t is IToken => isToken(t) && real(t))
      .sort((a, b) => a.startOffset - b.startOffset);
    return this.foldBinary(terms.map((t) => this.term(t)), ops);
  }

  term(cst: CstNode): A.Expr | undefined {
    const ch = cst.children;
    const ops = [...(ch.Star ?? []), ...(ch.Slash ?? [])]
      .filter((t): t is IToken => isToken(t) && real(t))
      .sort((a, b) => a.startOffset - b.startOffset);
    return this.foldBinary(nodes(ch, "unary").map((u) => this.unary(u)), ops);
  }

  /** Left-associative folding of `a op b op c`; a missing operand stays missing. */
  private foldBinary(operands: (A.Expr | undefined)[], ops: IToken[]): A.Expr | undefined {
    let acc = operands[0];
    if (!acc) return undefined;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const right = operands[i + 1];
      const opText = (op.image === "−" ? "-" : op.image) as A.Binary["op"];
      acc = {
        kind: "Binary",
        op: opText,
        left: acc,
        range: span(acc.range, right ? right.range : tokRange(op)),
        ...(right ? { right } : {}),
      };
    }
    return acc;
  }

  unary(cst: CstNode): A.Expr | undefined {
    const ch = cst.children;
    const minus = tok(ch, "Minus");
    if (minus) {
      const inner = node(ch, "unary");
      const operand = inner ? this.unary(inner) : undefined;
      return {
        kind: "Unary",
        op: "-",
        range: operand ? span(tokRange(minus), operand.range) : tokRange(minus),
        ...(operand ? { operand } : {}),
      };
    }
    const p = node(ch, "power");
    return p ? this.power(p) : undefined;
  }

  power(cst: CstNode): A.Expr | undefined {
    const ch = cst.children;
    const p = node(ch, "postfix");
    const base = p ? this.postfix(p) : undefined;
    const op = tok(ch, "StarStar");
    if (!base || !op) return base;
    const u = node(ch, "unary");
    const right = u ? this.unary(u) : undefined;
    return { kind: "Binary", op: "**", left: base, range: span(base.range, right ? right.range : tokRange(op)), ...(right ? { right } : {}) };
  }

  postfix(cst: CstNode): A.Expr | undefined {
    const ch = cst.children;
    const prim = node(ch, "primary");
    const value = prim ? this.primary(prim) : undefined;
    if (!value) return undefined;
    const pct = tok(ch, "PercentSign");
    if (pct) return { kind: "Percent", value, range: span(value.range, tokRange(pct)) };
    const u = tok(ch, "UnitKeyword");
    if (u) {
      const unit = UNIT_OF[u.image]!;
      return { kind: "Quantity", value, unit, unitRange: tokRange(u), range: span(value.range, tokRange(u)) };
    }
    return value;
  }

  primary(cst: CstNode): A.Expr | undefined {
    const ch = cst.children;
    const num = tok(ch, "NumberLiteral");
    if (num) {
      const { value, suffix } = parseNumber(num.image);
      const range = tokRange(num);
      if (suffix === "m")
        this.diagnostics.push({
          problem: "lowercase-m",
          message: `lowercase \`m\` is not a magnitude suffix; did you mean \`${num.image.slice(0, -1)}M\` (million)? Write \`e-3\` for thousandths`,
          range: { start: range.end - 1, end: range.end },
          fixes: [{ title: `Change to ${num.image.slice(0, -1)}M`, edits: [{ range: { start: range.end - 1, end: range.end }, newText: "M" }] }],
        });
      return { kind: "Number", range, raw: num.image, value, ...(suffix ? { suffix } : {}) };
    }
    const id = tok(ch, "Identifier");
    if (id) return { kind: "Name", range: tokRange(id), name: id.image };
    const peak = tok(ch, "Kw_peak");
    if (peak) return { kind: "Peak", range: tokRange(peak) };
    const total = tok(ch, "Kw_total");
    if (total) return { kind: "Total", range: tokRange(total) };
    const lp = tok(ch, "LParen");
    if (lp) {
      const e = node(ch, "expr");
      const inner = e ? this.expr(e) : undefined;
      const rp = tok(ch, "RParen");
      const end = rp ? tokRange(rp) : inner ? inner.range : tokRange(lp);
      return { kind: "Paren", range: span(tokRange(lp), end), ...(inner ? { inner } : {}) };
    }
    const c = node(ch, "call");
    if (c) {
      const fn = tok(c.children, "FunctionKeyword");
      const range = nodeRange(c);
      if (!fn || !range) return undefined;
      const args = nodes(c.children, "expr")
        .map((e) => this.expr(e))
        .filter((e): e is A.Expr => e !== undefined);
      return { kind: "Call", range, fn: fn.image as A.Call["fn"], fnRange: tokRange(fn), args };
    }
    return undefined;
  }
}

const TOKEN_WORDS: Record<string, string> = {
  RCurly: "`}`",
  LCurly: "`{`",
  RParen: "`)`",
  LParen: "`(`",
  Equals: "`=`",
  Arrow: "`->`",
  Comma: "`,`",
  Identifier: "a name",
  NumberLiteral: "a number",
  UnitKeyword: "a unit (`steps`, `epochs` or `tokens`)",
  PhaseKeyword: `a phase (${PHASE_KEYWORDS.filter((w) => w !== "hold").map((w) => `\`${w}\``).join(", ")})`,
  Colon: "`:`",
  Question: "`?`",
  Kw_every: "`every`",
};

function describeFound(t: IToken): string {
  if (t.tokenType?.name === "EOF") return "the end of the file";
  return `\`${t.image}\``;
}

const VALUE_RULES = new Set(["expr", "term", "unary", "power", "postfix", "primary", "call", "point"]);
const ITEM_LIST = "a setting (`lr`, `total`, `steps_per_epoch`, `tokens_per_step`, `clock`), `let`, `schedule`, or a phase such as `warmup` or `cosine`";

/** The last real token that ends before `offset`, by binary search over the file's tokens (or the lexer's columns of a lazy list). */
function tokenBefore(lexed: Lexed, offset: number): IToken | undefined {
  if (lexed.lazy) return lexed.lazy.at(lexed.lazy.columns.firstAtOrAfter(offset) - 1);
  const tokens = lexed.tokens;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return tokens[lo - 1];
}

function friendlyParseError(e: ReturnType<typeof parseRaw>["parseErrors"][number], text: string, tokens: Lexed): SyntaxDiagnostic {
  const t = e.token;
  const eof = t.tokenType?.name === "EOF" || !Number.isFinite(t.startOffset);
  let range: Range;
  if (eof) {
    const prev = e.previous && Number.isFinite(e.previous.startOffset) ? e.previous : undefined;
    const at = prev ? (prev.endOffset ?? prev.startOffset) + 1 : text.length;
    range = { start: Math.max(0, at - (prev ? (prev.endOffset ?? 0) - prev.startOffset + 1 : 0)), end: at };
    if (!prev) range = { start: text.length, end: text.length };
  } else {
    range = tokRange(t);
  }
  const found = describeFound(t);
  const before = eof ? undefined : tokenBefore(tokens, t.startOffset);
  const startsLine = before === undefined || before.endLine !== t.startLine;
  // `total 100 step 50 ...`: the phase keyword `step` read as the unit of the value before it.
  const stepUnit = before && !startsLine && before.tokenType === T.Step ? tokenBefore(tokens, before.startOffset) : undefined;
  if (stepUnit && stepUnit.endLine === before!.startLine && (stepUnit.tokenType === T.NumberLiteral || stepUnit.tokenType === T.Identifier || stepUnit.tokenType === T.RParen)) {
    const at = before!.startOffset;
    return {
      problem: "syntax",
      message: `\`${stepUnit.image} step\` reads as a duration of ${stepUnit.image} steps, so ${found} cannot follow it; to start a step decay, put \`step\` at the start of its own line, or after \`->\``,
      range,
      fixes: [{ title: "Start the step decay on its own line", edits: [{ range: { start: at, end: at }, newText: "\n" }] }],
    };
  }
  const rule = e.ruleStack[e.ruleStack.length - 1] ?? "";
  const k = e.kind;
  let message: string;
  if (k.kind === "mismatch" && k.expected !== "EOF") {
    const want = TOKEN_WORDS[k.expected] ?? `\`${k.expected.replace(/^Kw_/, "")}\``;
    message = `expected ${want} but found ${found}`;
    if (k.expected === "RCurly" && eof) message = "this `schedule` block is not closed: add `}` at its end";
  } else if (VALUE_RULES.has(rule) || (rule === "setting" && e.previous?.tokenType !== T.Clock)) {
    message = `expected a value (a number such as \`3e-4\` or \`10k\`, a name, \`peak\`, \`total\` or \`(\`) but found ${found}`;
  } else if (rule === "setting") {
    message = `expected \`steps\` or \`epochs\` after \`clock\` but found ${found}`;
  } else if (rule === "clause" || rule === "phase" || rule === "restart" || rule === "points") {
    message = `${found} does not continue this phase; expected a clause such as \`to 1e-6\`, or \`->\` before the next phase`;
  } else if (!startsLine && before) {
    // A token in the middle of a line, after an item that is complete.
    message =
      t.tokenType === T.Identifier && before.tokenType === T.NumberLiteral
        ? `\`${t.image}\` is not a unit; after a number write \`steps\`, \`epochs\` or \`tokens\` (such as \`${before.image} epochs\`), or start a new line`
        : /^[A-Za-z_0-9.]/.test(t.image)
          ? `${found} cannot follow \`${before.image}\` on this line: what comes before it is complete; put ${found} on a line of its own, or join phases with \`->\``
          : `${found} cannot follow \`${before.image}\` on this line: what comes before it is complete; remove ${found}`;
  } else {
    message = `${found} cannot start a line here; expected ${ITEM_LIST}`;
  }
  return { problem: eof ? "unexpected-end" : "syntax", message, range };
}

export interface ParseResult {
  ast: A.AnnealFile;
  /** Lexing and parsing diagnostics (codes A0xx), in source order. */
  diagnostics: SyntaxDiagnostic[];
  /** The real tokens, comments excluded, for the formatter and semantic highlighting. */
  tokens: IToken[];
  /** The same tokens as the lexer's columns, when the parse was lazy (`parse()`'s are). */
  columns?: TokenColumns;
}

/** Parses a whole file. Never throws: syntax errors become diagnostics next to a best-effort tree. */
export function parse(text: string): ParseResult {
  // The token objects are made as the parsers reach them (`LazyTokens`): past the error
  // limit the rest of the file is read from the lexer's columns.
  const lexed = lexLazy(text);
  // A file free of errors is read by the fast path; anything else by the recovering parser.
  if (lexed.errors.length === 0 && !lexed.tooDeep) {
    const items = fastParse(lexed.tokens, lexed.lazy);
    if (items)
      return lazyTokens(
        { ast: { kind: "File", range: { start: 0, end: text.length }, items, comments: lexed.comments.map((c) => ({ range: tokRange(c), text: c.image })) }, diagnostics: [], tokens: lexed.tokens },
        lexed,
      );
  }
  return parseRecovering(text, lexed);
}

/**
 * A parse over a lazy list (`lexLazy`) makes its token objects when a feature first reads
 * `tokens` (highlighting reads the lexer's columns instead, `columns`); until then a file
 * of 25,000 schedules holds 3 MB of columns, not 15 MB of objects.
 */
function lazyTokens(result: ParseResult, lexed: Lexed): ParseResult {
  const lazy = lexed.lazy;
  if (!lazy) return result;
  Object.defineProperty(result, "tokens", { get: () => lazy.all(), enumerable: true, configurable: true });
  Object.defineProperty(result, "columns", { value: lazy.columns, enumerable: false, configurable: true });
  return result;
}

/**
 * The recovering parser alone (chevrotain's, with its messages), whatever the file; for
 * tests of the fast path, and with an `errorLimit` other than `MAX_SYNTAX_ERRORS` (such as
 * Infinity: every error reported) for tests of the limit.
 */
export function parseRecovering(text: string, lexed: Lexed = lex(text), errorLimit = MAX_SYNTAX_ERRORS): ParseResult {
  const raw = parseRaw(text, lexed, errorLimit);
  const diagnostics: SyntaxDiagnostic[] = [];
  // Past the limit no lexing error is reported (see `capped`): the first one past it marks
  // where the summary goes, and the rest, later in the file, are only counted.
  const lexShown = Math.min(raw.lexErrors.length, errorLimit + 1);
  for (let k = 0; k < lexShown; k++) {
    const e = raw.lexErrors[k]!;
    const ch = text.slice(e.offset, e.offset + Math.max(1, e.length));
    const first = String.fromCodePoint(ch.codePointAt(0) ?? 0x3f);
    diagnostics.push({
      problem: "unexpected-character",
      message: `unexpected character \`${first}\`${first === ";" ? ": statements end at the line's end, no `;` is needed" : first === '"' || first === "'" ? ": Anneal has no strings; names are written bare" : ""}`,
      range: { start: e.offset, end: e.offset + Math.max(1, e.length) },
      ...(first === ";" ? { fixes: [{ title: "Remove `;`", edits: [{ range: { start: e.offset, end: e.offset + 1 }, newText: "" }] }] } : {}),
    });
  }
  if (raw.tooDeep)
    diagnostics.push({
      problem: "syntax",
      message: `this expression is nested too deeply or is too long: more than ${MAX_EXPRESSION_DEPTH} levels of parentheses, signs and operators; give parts of it names with \`let\``,
      range: tokRange(raw.tooDeep),
    });
  // Chevrotain reports one error per recovery; keep the first error at each position.
  const seen = new Set<number>();
  for (const e of raw.parseErrors) {
    const d = friendlyParseError(e, text, lexed);
    if (seen.has(d.range.start)) continue;
    seen.add(d.range.start);
    diagnostics.push(d);
  }
  const builder = new AstBuilder();
  const ast = builder.file(raw.cst, text, raw.comments);
  // A loop, not `push(...list)`: a file with a hundred thousand `1m` would overflow the stack.
  for (const d of builder.diagnostics) diagnostics.push(d);
  diagnostics.sort((a, b) => a.range.start - b.range.start);
  const rest = raw.stopped ? skim(raw.tokens, raw.stopped.at, lexed.lazy) : undefined;
  if (rest) for (const item of rest.items) ast.items.push(item);
  return lazyTokens({ ast, diagnostics: capped(diagnostics, raw.lexErrors.length - lexShown, errorLimit, text, raw.stopped?.token, rest?.skipped ?? 0), tokens: raw.tokens }, lexed);
}

/** The 1-based line of `offset` in `text`, counting line ends as the lexer does. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

/**
 * At most `limit` diagnostics, the first in the file, then one (A009) at the
 * first problem not reported, saying how much was left out and where to start. `stop` is
 * the token where the parser stopped, and `skipped` how many statements from there on had
 * errors (see `skim.ts`); `sorted` is in source order, and `uncounted` more problems, all
 * after the first `limit + 1` of it, were never made into diagnostics.
 */
function capped(sorted: SyntaxDiagnostic[], uncounted: number, limit: number, text: string, stop: IToken | undefined, skipped: number): SyntaxDiagnostic[] {
  if (!stop && sorted.length <= limit) return sorted;
  // A stop at the end of the input (an error that found no token) is placed at the text's end.
  const end = { start: text.length, end: text.length };
  let from = stop ? (Number.isFinite(stop.startOffset) ? tokRange(stop) : end) : sorted[limit]!.range;
  const overflow = sorted[limit];
  if (overflow && overflow.range.start < from.start) from = overflow.range;
  const kept: SyntaxDiagnostic[] = [];
  for (const d of sorted) {
    if (kept.length === limit || d.range.start >= from.start) break;
    kept.push(d);
  }
  const dropped = sorted.length - kept.length + uncounted;
  const parts: string[] = [];
  if (skipped > 0) parts.push(`${count(skipped, "statement")} from here on with syntax errors`);
  if (dropped > 0) parts.push(`${count(dropped, "more problem")}`);
  const first = kept[0] ?? sorted[0];
  const fixFirst = first ? `fix the first one, on line ${lineAt(text, first.range.start)}, and check again` : "fix the first ones and check again";
  kept.push({
    problem: "too-many-errors",
    message: `too many syntax errors: the first ${kept.length} are reported, and ${parts.join(" and ")} ${skipped + dropped === 1 ? "is" : "are"} not; ${fixFirst}: a missing \`}\`, \`->\` or line break often breaks much of what follows it`,
    range: from,
  });
  return kept;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/** Parses a lone expression (for command-line overrides such as `--total "90 epochs"`). */
export function parseExpression(text: string): { expr?: A.Expr; diagnostics: SyntaxDiagnostic[] } {
  const r = parse(`total ${text}`);
  const item = r.ast.items[0];
  const shifted = r.diagnostics.map((d) => ({
    ...d,
    range: { start: Math.max(0, d.range.start - 6), end: Math.max(0, d.range.end - 6) },
  }));
  if (r.ast.items.length !== 1 || !item || item.kind !== "Setting" || !item.value || item.range.end !== text.length + 6) {
    return { diagnostics: shifted.length > 0 ? shifted : [{ problem: "syntax", message: `\`${text}\` is not a single value`, range: { start: 0, end: text.length } }] };
  }
  return { expr: shiftExpr(item.value, -6), diagnostics: shifted };
}

function shiftExpr(e: A.Expr, by: number): A.Expr {
  const r = (x: Range): Range => ({ start: x.start + by, end: x.end + by });
  switch (e.kind) {
    case "Number":
    case "Name":
    case "Peak":
    case "Total":
      return { ...e, range: r(e.range) };
    case "Binary":
      return { ...e, range: r(e.range), left: shiftExpr(e.left, by), ...(e.right ? { right: shiftExpr(e.right, by) } : {}) };
    case "Unary":
      return { ...e, range: r(e.range), ...(e.operand ? { operand: shiftExpr(e.operand, by) } : {}) };
    case "Paren":
      return { ...e, range: r(e.range), ...(e.inner ? { inner: shiftExpr(e.inner, by) } : {}) };
    case "Quantity":
      return { ...e, range: r(e.range), unitRange: r(e.unitRange), value: shiftExpr(e.value, by) };
    case "Percent":
      return { ...e, range: r(e.range), value: shiftExpr(e.value, by) };
    case "Call":
      return { ...e, range: r(e.range), fnRange: r(e.fnRange), args: e.args.map((a) => shiftExpr(a, by)) };
  }
}
