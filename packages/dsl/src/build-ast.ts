// From chevrotain's concrete tree to the typed AST, and from its raw errors to diagnostics
// that say what was expected in words a user knows. Tokens that error recovery invented
// (`isInsertedInRecovery`) never become AST content: a missing piece stays missing.

import type { CstElement, CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import type { Range, SyntaxDiagnostic } from "./diagnostic.js";
import { MAX_EXPRESSION_DEPTH, parseRaw } from "./parser.js";

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

const SUFFIX: Record<string, number> = { k: 1e3, M: 1e6, B: 1e9, m: 1e-3 };

export function parseNumber(raw: string): { value: number; suffix?: A.NumberLit["suffix"] } {
  const last = raw[raw.length - 1]!;
  if (last in SUFFIX) {
    const base = Number(raw.slice(0, -1).replace(/_/g, ""));
    // Multiplying by 1e3 can round (0.1 * 1e3 is 100.00000000000001); parsing the
    // exponent-shifted decimal keeps `1.5M` exactly 1500000.
    const exp = last === "k" ? 3 : last === "M" ? 6 : last === "B" ? 9 : -3;
    const shifted = Number(`${raw.slice(0, -1).replace(/_/g, "")}e${exp}`);
    return { value: Number.isNaN(shifted) ? base * SUFFIX[last]! : shifted, suffix: last as A.NumberLit["suffix"] };
  }
  return { value: Number(raw.replace(/_/g, "")) };
}

const UNIT_OF: Record<string, A.Unit> = {
  step: "steps",
  steps: "steps",
  epoch: "epochs",
  epochs: "epochs",
  ep: "epochs",
  token: "tokens",
  tokens: "tokens",
};

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
    if (s) return this.setting(s);
    const l = node(ch, "letDecl");
    if (l) return this.letDecl(l);
    const sc = node(ch, "schedule");
    if (sc) return this.schedule(sc);
    const c = node(ch, "chain");
    if (c) return this.chain(c);
    return undefined;
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
    return { kind: "Setting", range, key, keyRange: tokRange(keyTok), ...(value ? { value } : {}) };
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
    for (const s of nodes(ch, "setting")) {
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
    return { kind: "Chain", range, phases, arrows };
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
    if (shape) return { kind: "shape", range, shape: shape.image as "linear" | "cosine" | "exp" };
    const r = node(ch, "restart");
    if (r) return this.restart(r);
    const exprs = nodes(ch, "expr").map((e) => this.expr(e)).filter((e): e is A.Expr => e !== undefined);
    const value = exprs[0];
    const withValue = value ? { value } : {};
    if (tok(ch, "Kw_from")) return { kind: "from", range, ...withValue };
    if (tok(ch, "Kw_to")) return { kind: "to", range, ...withValue };
    if (tok(ch, "Kw_power")) return { kind: "power", range, ...withValue };
    if (tok(ch, "Kw_by")) return { kind: "by", range, ...withValue };
    if (tok(ch, "Kw_every")) return { kind: "every", range, ...withValue };
    if (tok(ch, "Kw_timescale")) return { kind: "timescale", range, ...withValue };
    if (tok(ch, "Kw_at")) return { kind: "at", range, values: exprs };
    if (tok(ch, "Kw_gamma")) {
      const u = tok(ch, "UnitKeyword");
      const unit = this.clockUnit(u, "`gamma` applies per step or per epoch; write `per step` or `per epoch`");
      const per = unit === "steps" ? "step" : unit === "epochs" ? "epoch" : undefined;
      return { kind: "gamma", range, ...withValue, ...(per && u ? { per, perRange: tokRange(u) } : {}) };
    }
    return undefined;
  }

  restart(cst: CstNode): A.Clause | undefined {
    const ch = cst.children;
    const range = nodeRange(cst);
    if (!range) return undefined;
    const exprs = nodes(ch, "expr");
    const every = exprs[0] ? this.expr(exprs[0]) : undefined;
    const times = tok(ch, "Times") ?? tok(ch, "Identifier");
    let mult: A.Expr | undefined;
    let decay: A.Expr | undefined;
    const decayTok = tok(ch, "Kw_decay");
    for (const e of exprs.slice(1)) {
      const r = nodeRange(e);
      const v = this.expr(e);
      if (!r || !v) continue;
      if (decayTok && r.start > decayTok.startOffset) decay = v;
      else mult = v;
    }
    return {
      kind: "restart",
      range,
      ...(every ? { every } : {}),
      ...(mult ? { mult } : {}),
      ...(times ? { multRange: times && mult ? span(tokRange(times), mult.range) : tokRange(times) } : {}),
      ...(decay ? { decay } : {}),
    };
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
    const p = node(ch, "postfix");
    return p ? this.postfix(p) : undefined;
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
  PhaseKeyword: "a phase (`warmup`, `constant`, `linear`, `cosine`, `exp`, `poly`, `sqrt`, `rsqrt`, `step`)",
  Kw_every: "`every`",
};

function describeFound(t: IToken): string {
  if (t.tokenType?.name === "EOF") return "the end of the file";
  return `\`${t.image}\``;
}

function friendlyParseError(e: ReturnType<typeof parseRaw>["parseErrors"][number], text: string): SyntaxDiagnostic {
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
  const rule = e.ruleStack[e.ruleStack.length - 1] ?? "";
  const expectedMatch = /Expecting token of type --> (\w+) <--/.exec(e.message);
  let message: string;
  if (expectedMatch && expectedMatch[1] !== "EOF") {
    const want = TOKEN_WORDS[expectedMatch[1]!] ?? `\`${expectedMatch[1]!.replace(/^Kw_/, "")}\``;
    message = `expected ${want} but found ${found}`;
    if (expectedMatch[1] === "RCurly" && eof) message = "this `schedule` block is not closed: add `}` at its end";
  } else if (rule === "expr" || rule === "term" || rule === "unary" || rule === "postfix" || rule === "primary") {
    message = `expected a value (a number such as \`3e-4\` or \`10k\`, a name, \`peak\`, \`total\` or \`(\`) but found ${found}`;
  } else if (rule === "setting") {
    message = `expected \`steps\` or \`epochs\` after \`clock\` but found ${found}`;
  } else if (rule === "clause" || rule === "phase") {
    message = `${found} does not continue this phase; expected a clause such as \`to 1e-6\`, or \`->\` before the next phase`;
  } else if (rule === "item" || rule === "file" || rule === "schedule") {
    message = `${found} cannot start a line here; expected a setting (\`lr\`, \`total\`, \`steps_per_epoch\`, \`tokens_per_step\`, \`clock\`), \`let\`, \`schedule\`, or a phase such as \`warmup\` or \`cosine\``;
  } else {
    message = `unexpected ${found}`;
  }
  if (/NotAllInputParsed/.test(e.message) || (!expectedMatch && rule === "")) {
    message = `${found} cannot start a line here; expected a setting (\`lr\`, \`total\`, ...), \`let\`, \`schedule\`, or a phase such as \`warmup\``;
  }
  return { problem: eof ? "unexpected-end" : "syntax", message, range };
}

export interface ParseResult {
  ast: A.AnnealFile;
  /** Lexing and parsing problems, in source order; `compile()` gives them their codes. */
  diagnostics: SyntaxDiagnostic[];
  /** The real tokens, comments excluded, for the formatter and semantic highlighting. */
  tokens: IToken[];
}

/** Parses a whole file. Never throws: syntax errors become diagnostics next to a best-effort tree. */
export function parse(text: string): ParseResult {
  const raw = parseRaw(text);
  const diagnostics: SyntaxDiagnostic[] = [];
  for (const e of raw.lexErrors) {
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
    const d = friendlyParseError(e, text);
    if (seen.has(d.range.start)) continue;
    seen.add(d.range.start);
    diagnostics.push(d);
  }
  const builder = new AstBuilder();
  const ast = builder.file(raw.cst, text, raw.comments);
  // A loop, not `push(...list)`: a file with a hundred thousand `1m` would overflow the stack.
  for (const d of builder.diagnostics) diagnostics.push(d);
  diagnostics.sort((a, b) => a.range.start - b.range.start);
  return { ast, diagnostics, tokens: raw.tokens };
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
  }
}
