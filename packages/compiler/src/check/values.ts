// Names, types and units: what an expression means, in the context of one schedule.
//
// An expression has one of four types: a plain number, a percent (which becomes a duration
// or a rate by its position), a learning rate, or a duration in steps, epochs, tokens or
// clock ticks. Rates are kept affine in the peak (`scale * peak + abs`) so that a relative
// schedule, whose peak is only known at run time, can still say `10%` and `1e-6` apart.
// Positions coerce: `asRate`, `asTicks` and `asNumber` either return a value or report a
// located diagnostic that says what to write instead.

import type { Expr, Let, Range } from "@anneal/dsl";
import type { Reporter } from "../diagnostics/report.js";
import { closest } from "../diagnostics/suggest.js";
import type { ClockUnit, RateValue, Sym } from "../ir.js";
import type { Dual, RuntimeRecorder } from "./runtime.js";
import { rateAt } from "../evaluate.js";

/**
 * A value. A duration (and a number divided out of durations) may carry `s`, the same
 * value as an expression over the settings bound at run time: it is built beside the
 * arithmetic on the file's values, with the same operations, so the generated code can
 * redo exactly this arithmetic with other settings (check/runtime.ts).
 */
export type Val =
  | { t: "num"; v: number; s?: Sym }
  | { t: "pct"; v: number }
  | { t: "rate"; scale: number; abs: number }
  | { t: "dur"; unit: "steps" | "epochs" | "tokens" | "ticks"; v: number; s?: Sym };

/**
 * A duration rounded to whole clock ticks: JavaScript's `Math.round`, halves toward +inf
 * (2.5 is 3, -2.5 is -2). The one definition of the rounding; each emitter dialect spells
 * it (`roundTicks` in emit/dialect.ts) and the run-time program calls it.
 */
export function roundTicks(x: number): number {
  return Math.round(x);
}

/** A literal, or `s` when the value carries one. */
export function symOf(v: { v: number; s?: Sym }): Sym {
  return v.s ?? { k: "lit", v: v.v };
}

/** `a op b` as a run-time expression, or undefined when neither side depends on a setting. */
export function symBin(op: "+" | "-" | "*" | "/", a: { v: number; s?: Sym }, b: { v: number; s?: Sym }): Sym | undefined {
  return a.s || b.s ? { k: "bin", op, a: symOf(a), b: symOf(b) } : undefined;
}

export interface LetBinding {
  decl: Let;
  /** Scope the binding's own expression is evaluated in (top-level lets see only top-level names). */
  scope: Scope;
}

export class Scope {
  readonly names = new Map<string, LetBinding>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): LetBinding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
  allNames(): string[] {
    return [...this.names.keys(), ...(this.parent?.allNames() ?? [])];
  }
}

/** What `peak` and `total` mean while evaluating, and how to convert durations. */
export interface ValueContext {
  report: Reporter;
  /** `peak`: the lr of an absolute schedule, `relative` when there is none, `forbidden` inside `lr`. */
  peak: number | "relative" | "forbidden" | "unknown";
  /**
   * `total` in clock ticks; `forbidden` inside `total`, undefined when the schedule has none,
   * `unknown` when it has one whose value is in error (reported there, so uses stay quiet).
   */
  total: number | "forbidden" | "unknown" | undefined;
  clock: ClockUnit;
  stepsPerEpoch?: number;
  tokensPerStep?: number;
  /**
   * Settings that are given but have no value because of an error already reported there:
   * a conversion that needs one is unknown, not a second "add `steps_per_epoch`" error.
   */
  unknownSettings?: Set<"steps_per_epoch" | "tokens_per_step">;
  /** Clock unit of the schedule's own `total` as written (the IR keeps it as `totalUnit`). */
  totalUnit?: "steps" | "epochs" | "tokens";
  /** Marks names as used (for the unused-name lint). */
  used: Set<LetBinding>;
  /** Every duration expression that resolved, with its ticks and conversion (for hovers and inlay hints). */
  durations?: DurationRecord[];
  /** Per-schedule memo of evaluated names; `null` while a name is being evaluated (cycle check). */
  memo: Map<LetBinding, Val | undefined | null>;
  /** How many `evalExpr` calls are under way, to bound the recursion (see `MAX_EVAL_DEPTH`). */
  depth?: number;
  /** `total`, `steps_per_epoch` and `tokens_per_step` as the run-time program names them. */
  totalSym?: Sym;
  speSym?: Sym;
  tpsSym?: Sym;
  /** The run-time program being built beside the check (check/runtime.ts). */
  runtime?: RuntimeRecorder;
  /**
   * True when the file writes `lr ?`: the peak is `peak` here but bound when the scheduler
   * is built, so rates stay affine in it (`scale * lr + abs`, as in a relative schedule) and
   * only the checks read the number. What the peak's value decides (which of two rates of
   * different kinds is smaller, their ratio) is computed with the number and keeps `lr` from
   * being taken at run time (A404).
   */
  peakBound?: boolean;
}

/** The run-time program's name for the peak bound at run time. */
export const LR_SYM: Sym = { k: "ref", name: "lr" };


/**
 * How deep evaluation may recurse through names and operators. Parsing already bounds one
 * expression's depth, but a chain of `let`s, each naming the one before, recursed once per
 * name: a hundred thousand of them overflowed the stack. No schedule needs more than a few.
 */
const MAX_EVAL_DEPTH = 256;

/** Numbers in messages: `4,000` for counts, `1e-6` and `1.04347e-4` for small rates. */
const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return x > 0 ? "infinity" : x < 0 ? "-infinity" : "NaN";
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toLocaleString("en-US");
  const r = Number(x.toPrecision(6));
  return r !== 0 && Math.abs(r) < 1e-3 ? r.toExponential() : String(r);
};

function typeName(v: Val): string {
  switch (v.t) {
    case "num":
      return "a number";
    case "pct":
      return "a percent";
    case "rate":
      return "a learning rate";
    case "dur":
      return v.unit === "ticks" ? "a duration" : `a duration in ${v.unit}`;
  }
}

/** Evaluates an expression to a typed value, or reports why it has none. */
export function evalExpr(e: Expr | undefined, scope: Scope, cx: ValueContext): Val | undefined {
  if (!e) return undefined;
  const depth = cx.depth ?? 0;
  if (depth >= MAX_EVAL_DEPTH) {
    cx.report.report("A111", e.range, `this value is defined through more than ${MAX_EVAL_DEPTH} nested names and operations; shorten the chain of \`let\`s`);
    return undefined;
  }
  cx.depth = depth + 1;
  let v: Val | undefined;
  try {
    v = evalInner(e, scope, cx);
  } finally {
    cx.depth = depth;
  }
  if (v && !finite(v)) {
    cx.report.report("A109", e.range, "this value is not a finite number; every rate and duration must be finite");
    return undefined;
  }
  return v;
}

function finite(v: Val): boolean {
  return v.t === "rate" ? Number.isFinite(v.scale) && Number.isFinite(v.abs) : Number.isFinite(v.v);
}

function evalInner(e: Expr, scope: Scope, cx: ValueContext): Val | undefined {
  switch (e.kind) {
    case "Number":
      // A lowercase `m` suffix is already an error (A004); guessing its value would only
      // add a second, misleading diagnostic.
      if (e.suffix === "m") return undefined;
      if (!Number.isFinite(e.value)) {
        cx.report.report("A109", e.range, `\`${e.raw}\` is too large for a double-precision number; every rate and duration must be finite`);
        return undefined;
      }
      return { t: "num", v: e.value };
    case "Percent": {
      const inner = evalExpr(e.value, scope, cx);
      if (!inner) return undefined;
      if (inner.t !== "num") {
        cx.report.report("A111", e.range, `\`%\` applies to a plain number, not to ${typeName(inner)}`);
        return undefined;
      }
      return { t: "pct", v: inner.v / 100 };
    }
    case "Quantity": {
      const inner = evalExpr(e.value, scope, cx);
      if (!inner) return undefined;
      if (inner.t === "num") return { t: "dur", unit: e.unit, v: inner.v, ...(inner.s ? { s: inner.s } : {}) };
      if (inner.t === "dur" && inner.unit === e.unit) return inner;
      cx.report.report("A111", e.range, `a unit applies to a plain number, not to ${typeName(inner)}; write the number with its unit, such as \`3 ${e.unit}\``);
      return undefined;
    }
    case "Peak":
      if (cx.peak === "forbidden") {
        cx.report.report("A108", e.range, "`lr` defines the peak, so it cannot refer to `peak`; write the rate itself, such as `3e-4`");
        return undefined;
      }
      if (cx.peak === "unknown") return undefined;
      return cx.peak === "relative" || cx.peakBound ? { t: "rate", scale: 1, abs: 0 } : { t: "rate", scale: 0, abs: cx.peak };
    case "Total":
      if (cx.total === "forbidden") {
        cx.report.report("A108", e.range, "`total` cannot refer to itself; write the duration, such as `100k`");
        return undefined;
      }
      if (cx.total === "unknown") return undefined;
      if (cx.total === undefined) {
        cx.report.report("A105", e.range, "`total` is used here but this schedule has no `total`; add one, such as `total 100k`");
        return undefined;
      }
      return { t: "dur", unit: "ticks", v: cx.total, ...(cx.totalSym ? { s: cx.totalSym } : {}) };
    case "Name":
      return evalName(e.name, e.range, scope, cx);
    case "Paren":
      return evalExpr(e.inner, scope, cx);
    case "Unary": {
      const v = evalExpr(e.operand, scope, cx);
      return v ? scale(v, -1) : undefined;
    }
    case "Binary": {
      const l = evalExpr(e.left, scope, cx);
      const r = evalExpr(e.right, scope, cx);
      if (!l || !r) return undefined;
      return e.op === "**" ? power(l, r, e, cx) : combine(e.op, l, r, e.range, cx);
    }
    case "Call":
      return call(e, scope, cx);
  }
}

/** `x ** y`, of plain numbers only: a power of a rate or a duration has no unit Anneal knows. */
function power(l: Val, r: Val, e: Expr & { kind: "Binary" }, cx: ValueContext): Val | undefined {
  for (const [v, side] of [[l, e.left], [r, e.right ?? e]] as const)
    if (v.t !== "num") {
      cx.report.report("A110", side.range, `\`**\` raises a plain number to a plain power, but this is ${typeName(v)}; write the number itself, such as \`2 ** 10\``);
      return undefined;
    }
  const base = (l as { v: number }).v;
  const exp = (r as { v: number }).v;
  const v = base ** exp;
  if (Number.isNaN(v)) {
    cx.report.report("A109", e.range, `a negative number to a fractional power is not a real number (\`(${fmt(base)}) ** ${fmt(exp)}\`)`);
    return undefined;
  }
  if (!Number.isFinite(v)) {
    cx.report.report("A109", e.range, base === 0 ? "0 to a negative power is infinite (a division by zero)" : "this power is too large for a double-precision number; every rate and duration must be finite");
    return undefined;
  }
  return { t: "num", v };
}

/** How many arguments each built-in function takes, and how it is written. */
const ARITY: Record<"sqrt" | "min" | "max", { min: number; max: number; spelled: string }> = {
  sqrt: { min: 1, max: 1, spelled: "`sqrt(x)` takes one value" },
  min: { min: 2, max: Infinity, spelled: "`min(a, b)` takes two or more values" },
  max: { min: 2, max: Infinity, spelled: "`max(a, b)` takes two or more values" },
};

function call(e: Expr & { kind: "Call" }, scope: Scope, cx: ValueContext): Val | undefined {
  const arity = ARITY[e.fn];
  if (e.args.length < arity.min || e.args.length > arity.max) {
    cx.report.report("A111", e.range, `${arity.spelled}, but ${e.args.length === 1 ? "one is" : `${e.args.length} are`} given here`);
    return undefined;
  }
  const vals: Val[] = [];
  for (const a of e.args) {
    const v = evalExpr(a, scope, cx);
    if (!v) return undefined;
    vals.push(v);
  }
  if (e.fn === "sqrt") {
    const x = vals[0]!;
    if (x.t !== "num") {
      cx.report.report("A110", e.args[0]!.range, `\`sqrt\` takes a plain number, but this is ${typeName(x)}; write the number itself, such as \`sqrt(256 * 8000)\``);
      return undefined;
    }
    if (x.v < 0) {
      cx.report.report("A109", e.args[0]!.range, `the square root of a negative number (${fmt(x.v)}) is not a real number`);
      return undefined;
    }
    return { t: "num", v: Math.sqrt(x.v) };
  }
  let acc = vals[0]!;
  for (let i = 1; i < vals.length; i++) {
    const next = pick(e.fn, acc, vals[i]!, e.range, cx);
    if (!next) return undefined;
    acc = next;
  }
  return acc;
}

/**
 * The smaller (`min`) or larger (`max`) of two values of one type. A plain number takes the
 * type of the other side, and a percent becomes a rate or a duration beside one, as with `+`.
 */
function pick(fn: "min" | "max", l: Val, r: Val, range: Range, cx: ValueContext): Val | undefined {
  const better = (x: number, y: number) => (fn === "min" ? x <= y : x >= y);
  let a = l;
  let b = r;
  const lift = (n: Dual, like: Val): Val =>
    like.t === "rate" ? { t: "rate", scale: 0, abs: n.v } : like.t === "dur" ? withSym({ t: "dur", unit: like.unit, v: n.v }, n.s) : withSym({ t: like.t, v: n.v }, n.s);
  // With a side that depends on a setting, the choice is made again at run time.
  const chosen = <T extends Dual>(x: Dual, y: Dual, base: T): T => {
    const s: Sym | undefined = x.s || y.s ? { k: "fn", fn, args: [symOf(x), symOf(y)] } : undefined;
    const { s: _old, ...rest } = base;
    return withSym(rest as T, s);
  };
  if (a.t === "num" && b.t !== "num" && b.t !== "pct") a = lift(a, b);
  else if (b.t === "num" && a.t !== "num" && a.t !== "pct") b = lift(b, a);
  if (a.t === "pct" && b.t === "rate") a = { t: "rate", scale: a.v, abs: 0 };
  if (b.t === "pct" && a.t === "rate") b = { t: "rate", scale: b.v, abs: 0 };
  if (a.t === "pct" && b.t === "dur") a = pctOfTotal(a, range, cx) ?? a;
  if (b.t === "pct" && a.t === "dur") b = pctOfTotal(b, range, cx) ?? b;
  if (a.t === "num" && b.t === "num") return chosen(a, b, better(a.v, b.v) ? a : b);
  if (a.t === "pct" && b.t === "pct") return better(a.v, b.v) ? a : b;
  if (a.t === "rate" && b.t === "rate") {
    // A relative schedule's rates are multiples of a peak known only at run time (and
    // positive), so two of them compare only when they differ in one part alone.
    if (a.scale === b.scale) return better(a.abs, b.abs) ? a : b;
    if (a.abs === b.abs) return better(a.scale, b.scale) ? a : b;
    if (cx.peakBound && typeof cx.peak === "number") {
      cx.runtime?.unresolved(range, `which of the rates in this \`${fn}\` is the ${fn === "min" ? "smaller" : "larger"}`, LR_SYM);
      return better(rateAt(a, cx.peak), rateAt(b, cx.peak)) ? a : b;
    }
    cx.report.report("A111", range, `which of these rates is the ${fn === "min" ? "smaller" : "larger"} depends on the peak, which a relative schedule only knows at run time; compare rates of one kind (both percents of the peak, or both absolute)`);
    return undefined;
  }
  if (a.t === "dur" && b.t === "dur") {
    if (a.unit === b.unit) return chosen(a, b, better(a.v, b.v) ? a : b);
    const x = sameUnit(a, b, range, cx);
    return x ? chosen<Val & { t: "dur" }>(x[0], x[1], { t: "dur", unit: "ticks", v: better(x[0].v, x[1].v) ? x[0].v : x[1].v }) : undefined;
  }
  cx.report.report("A111", range, `\`${fn}\` compares values of one kind, not ${typeName(a)} and ${typeName(b)}`);
  return undefined;
}

function evalName(name: string, range: Range, scope: Scope, cx: ValueContext): Val | undefined {
  const b = scope.lookup(name);
  if (!b) {
    // A suggestion compares the name with every name in scope: with thousands of names and
    // thousands of misspellings that was quadratic, so one compile (one reporter) spends a
    // bounded amount of work on suggestions and reports the rest without one.
    let budget = suggestionWork.get(cx.report);
    if (!budget) suggestionWork.set(cx.report, (budget = { left: SUGGESTION_WORK }));
    let near: string | undefined;
    if (budget.left > 0) {
      const names = scope.allNames();
      budget.left -= names.length;
      near = closest(name, names, budget);
    }
    const keyword = near === undefined ? closest(name, VALUE_POSITION_KEYWORDS, budget) : undefined;
    if (keyword !== undefined) {
      // A misspelled clause word: the rest of its line was read without it, so what the
      // parser said about it is a consequence, which compile() drops (one cause, one message).
      cx.report.keywordTypos.push(range);
      cx.report.report("A101", range, `\`${name}\` is not a name or a keyword; did you mean \`${keyword}\`?`, {
        fixes: [{ title: `Change to ${keyword}`, edits: [{ range, newText: keyword }] }],
      });
      return undefined;
    }
    const inOption = cx.report.inOption(range);
    cx.report.report(
      "A101",
      range,
      `unknown name \`${name}\`${near ? `; did you mean \`${near}\`?` : inOption ? "; an option is written as in a file, such as `3e-4`, `200k` or `90 epochs`, and can only name the file's own `let`s" : "; define it first with `let " + name + " = ...`"}`,
      near ? { fixes: [{ title: `Change to ${near}`, edits: [{ range, newText: near }] }] } : undefined,
    );
    return undefined;
  }
  cx.used.add(b);
  const memo = cx.memo.get(b);
  if (memo === null) {
    cx.report.report("A108", b.decl.name?.range ?? range, `\`${name}\` is defined in terms of itself`);
    return undefined;
  }
  if (memo !== undefined || cx.memo.has(b)) return memo ?? undefined;
  cx.memo.set(b, null);
  let v = evalExpr(b.decl.value, b.scope, cx);
  // A name that depends on a setting becomes one variable of the run-time program, so
  // names built from names (`let b = a + a`) stay one line each instead of a tree that
  // doubles with every name.
  if (v && (v.t === "num" || v.t === "dur") && v.s && cx.runtime) v = { ...v, s: cx.runtime.name(v.s) };
  cx.memo.set(b, v);
  return v;
}

/** `v * k`; a factor that depends on a setting (`total / 1000`) carries its expression. */
function scale(v: Val, k: number | { v: number; s?: Sym }): Val {
  const kv = typeof k === "number" ? { v: k } : k;
  switch (v.t) {
    case "pct":
      return { ...v, v: v.v * kv.v };
    case "num":
    case "dur": {
      const s = symBin("*", v, kv);
      const { s: _old, ...rest } = v;
      return s ? { ...rest, v: v.v * kv.v, s } : { ...rest, v: v.v * kv.v };
    }
    case "rate":
      return { t: "rate", scale: v.scale * kv.v, abs: v.abs * kv.v };
  }
}

/** A dual value `{v, s}` as the number it is, with its expression when it has one. */
function withSym<const T extends { v: number }>(base: T, s: Sym | undefined): T & { s?: Sym } {
  return s ? { ...base, s } : base;
}

function combine(op: "+" | "-" | "*" | "/", l: Val, r: Val, range: Range, cx: ValueContext): Val | undefined {
  const fail = (why: string) => {
    cx.report.report("A111", range, why);
    return undefined;
  };
  if (l.t === "num" && r.t === "num") {
    const v = op === "+" ? l.v + r.v : op === "-" ? l.v - r.v : op === "*" ? l.v * r.v : l.v / r.v;
    return withSym({ t: "num", v }, symBin(op, l, r));
  }
  if (op === "*") {
    if (l.t === "num") return scale(r, l);
    if (r.t === "num") return scale(l, r);
    if (l.t === "pct") return r.t === "pct" ? { t: "pct", v: l.v * r.v } : scale(r, l.v);
    if (r.t === "pct") return scale(l, r.v);
    return fail(`cannot multiply ${typeName(l)} by ${typeName(r)}; multiply by a plain number instead`);
  }
  if (op === "/") {
    if (r.t === "num") {
      if (r.v === 0) {
        cx.report.report("A109", range, "division by zero");
        return undefined;
      }
      return scale(l, { v: 1 / r.v, ...(r.s ? { s: { k: "bin", op: "/", a: { k: "lit", v: 1 }, b: r.s } } : {}) });
    }
    if (l.t === "pct" && r.t === "pct") return { t: "num", v: l.v / r.v };
    if (l.t === "dur" && r.t === "dur") {
      const a = sameUnit(l, r, range, cx);
      return a ? withSym({ t: "num", v: a[0].v / a[1].v }, symBin("/", a[0], a[1])) : undefined;
    }
    if (l.t === "rate" && r.t === "rate") {
      if (l.abs === 0 && r.abs === 0 && r.scale !== 0) return { t: "num", v: l.scale / r.scale };
      if (l.scale === 0 && r.scale === 0 && r.abs !== 0) return { t: "num", v: l.abs / r.abs };
      if (cx.peakBound && typeof cx.peak === "number" && rateAt(r, cx.peak) !== 0) {
        cx.runtime?.unresolved(range, "this ratio of rates", LR_SYM);
        return { t: "num", v: rateAt(l, cx.peak) / rateAt(r, cx.peak) };
      }
      return fail("this ratio of rates depends on the peak, which a relative schedule only knows at run time; write a plain factor instead");
    }
    return fail(`cannot divide ${typeName(l)} by ${typeName(r)}`);
  }
  // + and -: a plain number takes the type of the other side.
  const sign = op === "+" ? 1 : -1;
  const lift = (n: { v: number; s?: Sym }, like: Val): Val | undefined =>
    like.t === "rate" ? { t: "rate", scale: 0, abs: n.v } : like.t === "dur" ? withSym({ t: "dur", unit: like.unit, v: n.v }, n.s) : undefined;
  let a = l;
  let b = r;
  if (a.t === "num") {
    const x = lift(a, b);
    if (!x) return fail(`cannot add a plain number and ${typeName(b)}`);
    a = x;
  } else if (b.t === "num") {
    const x = lift(b, a);
    if (!x) return fail(`cannot add ${typeName(a)} and a plain number`);
    b = x;
  }
  if (a.t === "pct" && b.t === "rate") a = { t: "rate", scale: a.v, abs: 0 };
  if (b.t === "pct" && a.t === "rate") b = { t: "rate", scale: b.v, abs: 0 };
  // Without a total, the percent's own message is the one cause: no "cannot add" after it.
  if (a.t === "pct" && b.t === "dur") {
    const x = pctOfTotal(a, range, cx);
    if (!x) return undefined;
    a = x;
  }
  if (b.t === "pct" && a.t === "dur") {
    const x = pctOfTotal(b, range, cx);
    if (!x) return undefined;
    b = x;
  }
  if (a.t === "pct" && b.t === "pct") return { t: "pct", v: a.v + sign * b.v };
  if (a.t === "rate" && b.t === "rate") return { t: "rate", scale: a.scale + sign * b.scale, abs: a.abs + sign * b.abs };
  if (a.t === "dur" && b.t === "dur") {
    // `a + -b` is `a - b` exactly in IEEE arithmetic, so the expression writes `-`.
    const binop = op === "+" ? "+" : "-";
    if (a.unit === b.unit) return withSym({ t: "dur", unit: a.unit, v: a.v + sign * b.v }, symBin(binop, a, b));
    const x = sameUnit(a, b, range, cx);
    return x ? withSym({ t: "dur", unit: "ticks", v: x[0].v + sign * x[1].v }, symBin(binop, x[0], x[1])) : undefined;
  }
  return fail(`cannot ${op === "+" ? "add" : "subtract"} ${typeName(a)} and ${typeName(b)}`);
}

function pctOfTotal(p: { t: "pct"; v: number }, range: Range, cx: ValueContext): Val | undefined {
  if (typeof cx.total !== "number") {
    if (cx.total === "unknown") return undefined;
    cx.report.report("A105", range, "a percent of `total` needs a `total`; add one, such as `total 100k`");
    return undefined;
  }
  return withSym({ t: "dur", unit: "ticks", v: p.v * cx.total }, cx.totalSym ? { k: "bin", op: "*", a: { k: "lit", v: p.v }, b: cx.totalSym } : undefined);
}

function sameUnit(a: Val & { t: "dur" }, b: Val & { t: "dur" }, range: Range, cx: ValueContext): [Dual, Dual] | undefined {
  if (a.unit === b.unit) return [a, b];
  const x = durationInTicksDual(a, range, cx);
  const y = durationInTicksDual(b, range, cx);
  return x === undefined || y === undefined ? undefined : [x, y];
}

/** A duration in clock ticks, unrounded; reports what setting a conversion is missing. */
export function durationInTicks(d: Val & { t: "dur" }, range: Range, cx: ValueContext): number | undefined {
  return durationInTicksDual(d, range, cx)?.v;
}

/** `durationInTicks`, with the conversion's expression over the run-time settings. */
function durationInTicksDual(d: Val & { t: "dur" }, range: Range, cx: ValueContext): Dual | undefined {
  const x = durationInTicksPlain(d, range, cx);
  if (x === undefined) return undefined;
  const lit = (v: number): Sym => ({ k: "lit", v });
  const ds = symOf(d);
  const times = (by: Sym | undefined, y: number): Sym | undefined => (d.s || by ? { k: "bin", op: "*", a: ds, b: by ?? lit(y) } : undefined);
  const over = (a: Sym | undefined, av: number, by: Sym | undefined, y: number): Sym | undefined => (a || by ? { k: "bin", op: "/", a: a ?? lit(av), b: by ?? lit(y) } : undefined);
  const spe = cx.stepsPerEpoch ?? 0;
  const tps = cx.tokensPerStep ?? 0;
  let s: Sym | undefined = d.s;
  if (d.unit !== "ticks" && d.unit !== cx.clock) {
    if (cx.clock === "steps") s = d.unit === "epochs" ? times(cx.speSym, spe) : over(d.s, d.v, cx.tpsSym, tps);
    else if (d.unit === "steps") s = over(d.s, d.v, cx.speSym, spe);
    else s = over(over(d.s, d.v, cx.tpsSym, tps), d.v / tps, cx.speSym, spe);
  }
  return withSym({ v: x }, s);
}

function durationInTicksPlain(d: Val & { t: "dur" }, range: Range, cx: ValueContext): number | undefined {
  const spe = cx.stepsPerEpoch;
  const tps = cx.tokensPerStep;
  const needSpe = () => {
    if (cx.unknownSettings?.has("steps_per_epoch")) return undefined;
    cx.report.report(
      "A106",
      range,
      cx.clock === "epochs"
        ? `this schedule's clock counts epochs, so a duration in ${d.unit} needs \`steps_per_epoch\`; add it, or write the duration in epochs`
        : "a duration in epochs needs `steps_per_epoch` to convert to steps; add it, such as `steps_per_epoch 500`",
    );
    return undefined;
  };
  const needTps = () => {
    if (cx.unknownSettings?.has("tokens_per_step")) return undefined;
    cx.report.report("A107", range, "a duration in tokens needs `tokens_per_step` to convert to steps; add it, such as `tokens_per_step 0.5M`");
    return undefined;
  };
  if (d.unit === "ticks") return d.v;
  if (cx.clock === "steps") {
    if (d.unit === "steps") return d.v;
    if (d.unit === "epochs") return spe === undefined ? needSpe() : d.v * spe;
    return tps === undefined ? needTps() : d.v / tps;
  }
  if (d.unit === "epochs") return d.v;
  if (d.unit === "steps") return spe === undefined ? needSpe() : d.v / spe;
  if (tps === undefined) return needTps();
  return spe === undefined ? needSpe() : d.v / tps / spe;
}

/** One duration expression as the checker converted it to clock ticks. */
export interface DurationRecord {
  range: Range;
  /** Whole clock ticks, after rounding. */
  ticks: number;
  /** True when the expression was a bare number of clock ticks. */
  bare: boolean;
  /**
   * What the value was before conversion: clock ticks (a bare count, or arithmetic already
   * in ticks such as `total / 4`), a fraction of `total` (`4%` is 0.04), or a count in
   * steps, epochs or tokens.
   */
  written: { unit: "ticks" | "percent" | "steps" | "epochs" | "tokens"; value: number };
  /** The settings the conversion read: `total` for a percent, `steps_per_epoch`, `tokens_per_step`. */
  via: ("total" | "steps_per_epoch" | "tokens_per_step")[];
  /** The clock the ticks count. */
  clock: ClockUnit;
  /** Set when rounding to whole ticks changed the value: what it was, and how it was written (A301). */
  rounded?: { from: number; written: string };
  /**
   * In a list of durations (`at 30, 60`), where a unit written after the list would go:
   * it applies to every item (A312's fix writes it there).
   */
  listEnd?: number;
}

/** The settings a duration in `unit` reads to become ticks of `clock`. */
function conversionVia(unit: "ticks" | "steps" | "epochs" | "tokens", clock: ClockUnit): DurationRecord["via"] {
  if (unit === "ticks" || unit === clock) return [];
  if (unit === "tokens") return clock === "steps" ? ["tokens_per_step"] : ["tokens_per_step", "steps_per_epoch"];
  return ["steps_per_epoch"];
}

export interface Ticks {
  ticks: number;
  /** The value before rounding, when rounding changed it. */
  unrounded?: number;
  /** When the ticks depend on a setting: the rounded ticks, and the value before rounding, as run-time expressions. */
  s?: Sym;
  us?: Sym;
}

/**
 * A value in a duration position, as whole clock ticks. Percents are of `total`; bare
 * numbers count clock ticks; a small fraction such as `1e-3` reads as a misplaced rate.
 */
export function asTicks(v: Val | undefined, e: Expr, cx: ValueContext, what: string): Ticks | undefined {
  if (!v) return undefined;
  let x: number | undefined;
  let xs: Sym | undefined;
  switch (v.t) {
    case "rate":
      cx.report.report("A104", e.range, `${what} needs a duration, but this is a learning rate; write steps (\`2k\`), a percent of total (\`4%\`) or a unit (\`3 epochs\`)`);
      return undefined;
    case "num":
      if (v.v > 0 && v.v < 1) {
        cx.report.report(
          "A104",
          e.range,
          `\`${fmt(v.v)}\` looks like a learning rate, not a duration: ${what} needs steps (\`2k\`), a percent of total (\`4%\`) or a unit (\`3 epochs\`)`,
        );
        return undefined;
      }
      x = v.v;
      xs = v.s;
      break;
    case "pct":
      if (typeof cx.total !== "number") {
        if (cx.total === undefined)
          cx.report.report("A105", e.range, `\`${fmt(v.v * 100)}%\` is a percent of \`total\`, but this schedule has no \`total\`; add one, such as \`total 100k\`, or write the duration in steps`);
        return undefined;
      }
      x = v.v * cx.total;
      if (cx.totalSym) xs = { k: "bin", op: "*", a: { k: "lit", v: v.v }, b: cx.totalSym };
      break;
    case "dur": {
      const d = durationInTicksDual(v, e.range, cx);
      if (d === undefined) return undefined;
      x = d.v;
      xs = d.s;
      break;
    }
  }
  if (!Number.isFinite(x)) {
    cx.report.report("A109", e.range, "this duration is not a finite number");
    return undefined;
  }
  const ticks = roundTicks(x);
  const rounded = Math.abs(ticks - x) > 1e-9 * Math.max(1, Math.abs(x));
  // Overrides carry no place in the file (an empty range at 0): nothing to annotate. The
  // rounding is a fact for the lint A301 (lints/rounded-duration.ts).
  // Nor does a duration that reads a setting with no preview value: its ticks are a stand-in's.
  if (e.range.end > e.range.start && !(xs && cx.runtime?.readsPending(xs)))
    cx.durations?.push({
      range: e.range,
      ticks,
      bare: e.kind === "Number",
      written: v.t === "dur" ? { unit: v.unit, value: v.v } : v.t === "pct" ? { unit: "percent", value: v.v } : { unit: "ticks", value: v.v },
      via: v.t === "dur" ? conversionVia(v.unit, cx.clock) : v.t === "pct" ? ["total"] : [],
      clock: cx.clock,
      ...(rounded ? { rounded: { from: x, written: describeDuration(v) } } : {}),
    });
  const syms = xs ? { s: { k: "fn", fn: "round", args: [xs] } as Sym, us: xs } : {};
  return rounded ? { ticks, unrounded: x, ...syms } : { ticks, ...syms };
}

function describeDuration(v: Val): string {
  if (v.t === "pct") return `${fmt(v.v * 100)}% of total`;
  if (v.t === "dur" && v.unit !== "ticks") return `${fmt(v.v)} ${v.unit}`;
  return "this duration";
}

/** A value in a rate position, as `scale * peak + abs` (scale 0 in an absolute schedule). */
export function asRate(v: Val | undefined, e: Expr, cx: ValueContext, what: string): RateValue | undefined {
  if (!v) return undefined;
  if ((v.t === "num" || v.t === "dur") && v.s) cx.runtime?.unresolved(e.range, what, v.s);
  let r: RateValue;
  switch (v.t) {
    case "dur":
      cx.report.report("A103", e.range, `${what} needs a learning rate, but this is a duration; write a rate such as \`1e-6\`, or a fraction of the peak such as \`10%\``);
      return undefined;
    case "num":
      r = { scale: 0, abs: v.v };
      break;
    case "pct":
      r = { scale: v.v, abs: 0 };
      break;
    case "rate":
      r = { scale: v.scale, abs: v.abs };
      break;
  }
  if (typeof cx.peak === "number" && cx.peakBound && (r.scale < 0 || r.abs < 0) && rateAt(r, cx.peak) >= 0) {
    // `peak - 1e-5`: its sign depends on the peak, which the generated code does not check.
    cx.runtime?.unresolved(e.range, what, LR_SYM);
    r = { scale: 0, abs: rateAt(r, cx.peak) };
  } else if (typeof cx.peak === "number" && !cx.peakBound) r = { scale: 0, abs: rateAt(r, cx.peak) };
  // A rate written `-0` (or `-(0)`, or `0 * -1`) is 0: adding +0 turns -0 into +0, so that no
  // output shows a rate of `-0` and every table, which writes both as `0`, reads back the
  // same double the evaluator gives.
  r = { scale: r.scale + 0, abs: r.abs + 0 };
  if (r.scale < 0 || r.abs < 0) {
    cx.report.report("A211", e.range, `a learning rate cannot be negative; ${what} must be 0 or more`);
    return undefined;
  }
  if (isSubnormal(r.scale) || isSubnormal(r.abs)) {
    cx.report.report("A119", e.range, subnormalMessage(isSubnormal(r.abs) ? r.abs : r.scale, what));
    return undefined;
  }
  return r;
}

/**
 * The smallest positive normal double. Below it (down to 5e-324) doubles lose precision
 * step by step: ratios, logarithms and formatted labels of such rates stop meaning anything
 * (`Infinitye-323` on a plot axis), and no optimizer moves a weight by them.
 */
export const MIN_NORMAL = 2.2250738585072014e-308;

/** True for a nonzero value below the normal range of doubles. */
export function isSubnormal(x: number): boolean {
  return x !== 0 && Math.abs(x) < MIN_NORMAL;
}

/** The A119 message for a rate below the normal range; `what` names where it was written. */
export function subnormalMessage(value: number, what: string): string {
  return `${what} is ${String(value)}${SUBNORMAL_ADVICE}`;
}

const SUBNORMAL_ADVICE = ", below the smallest normal double (about 2.2e-308); write 0, or a rate of at least 1e-307";

/** The A119 message as parts, for a value the run-time program checks (a peak passed as `lr=`). */
export function subnormalParts(value: { v: number; s?: Sym }, what: string): [string, { v: number; s?: Sym; repr: true }, string] {
  return [`${what} is `, { ...value, repr: true }, SUBNORMAL_ADVICE];
}

/** A value in a plain-number position (factors, powers, multipliers, counts). */
export function asNumber(v: Val | undefined, e: Expr, cx: ValueContext, what: string, allowPercent = false): number | undefined {
  if (!v) return undefined;
  if (v.t === "num" && v.s) cx.runtime?.unresolved(e.range, what, v.s);
  if (v.t === "num") return v.v;
  if (v.t === "pct") {
    if (allowPercent) return v.v;
    cx.report.report("A113", e.range, `${what} is a multiplier; write it as a number, such as \`0.1\` (a percent here could mean "times" or "minus")`);
    return undefined;
  }
  cx.report.report("A110", e.range, `${what} needs a plain number, but this is ${typeName(v)}`);
  return undefined;
}

/** Edit-distance cells one compile may spend on `did you mean` suggestions (some 10 ms). */
const SUGGESTION_WORK = 2_000_000;
const suggestionWork = new WeakMap<Reporter, { left: number }>();

/**
 * Words an unknown name may be a misspelling of: the clause and value words that can stand
 * where a value is read (`cosine too 1e-5` is `to`, not a name `too`).
 */
const VALUE_POSITION_KEYWORDS = ["from", "to", "at", "by", "every", "power", "gamma", "per", "restart", "decay", "timescale", "peak", "total", "steps", "epochs", "tokens"];

export { fmt as formatNumber };
