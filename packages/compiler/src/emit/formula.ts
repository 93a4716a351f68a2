// A schedule's closed form, spelled as Python or JavaScript source.
//
// The evaluator is the reference. The emitted `lr_at` / `lrAt` functions must compute the
// same doubles, so each shape's module (`shapes/`) spells its own formula with the same
// operations in the same order as its `at` (`b + ((a - b) * (1 + cos(pi * (u / len)))) / 2`,
// not an algebraically equal rearrangement); this file binds the rates, picks the segment
// and holds the end. The conformance tests compare the outputs value for value.

import { rateAt } from "../evaluate.js";
import type { RateValue, ScheduleIR, Segment, Shape } from "../ir.js";
import { needsLogSpaceInFloat32 } from "../shapes/exp.js";
import { shapeModule, type Helper } from "../shapes/index.js";
import type { EmitNames } from "../shapes/shape.js";
import type { Dialect } from "./dialect.js";
import { intLiteral } from "./escape.js";
import { lrAtRunTime } from "./runtime.js";

export type { Dialect } from "./dialect.js";


/**
 * The name a schedule's rates scale, when they are not literals: each group's base rate in a
 * relative schedule, `lr` (the peak bound at run time, `resolve_settings`) under `lr ?`.
 */
function scaledName(ir: ScheduleIR, d: Dialect): string | undefined {
  if (ir.relative) return d.baseLr;
  return lrAtRunTime(ir.runtime) ? "lr" : undefined;
}

/**
 * The rate `v` as an expression: a literal in an absolute schedule, `s * base + c` in a
 * relative one, and `s * lr + c` when the peak is bound at run time.
 */
export function rateExpression(v: RateValue, ir: ScheduleIR, d: Dialect): string {
  const base = scaledName(ir, d);
  if (base === undefined) return d.num(rateAt(v, ir.peak ?? 1));
  // Same operations as `rateAt`: `scale * peak + abs`, or `abs` alone when scale is 0.
  // Adding an abs of 0 and multiplying by a scale of 1 are exact, so they are left out.
  if (v.scale === 0) return d.num(v.abs);
  const scaled = v.scale === 1 ? base : `${d.num(v.scale)} * ${base}`;
  return v.abs === 0 ? scaled : `${scaled} + ${d.num(v.abs)}`;
}

/**
 * A rate the run-time program computes, spelled as `segmentEnd` combines it and `rateAt`
 * reads it: `scale * base + abs`, with `scale = alpha * of.scale + beta * to.scale` and
 * `abs = alpha * of.abs + beta * to.abs` (`alpha`, `beta`: run-time variables, spelled).
 * A factor of 1 and a term with a factor of 0 are left out, which is exact; in an absolute
 * schedule every rate's scale is 0, so the rate is `abs`.
 */
export function runtimeRateExpression(r: SpelledRate, ir: ScheduleIR, d: Dialect): string {
  const base = scaledName(ir, d);
  const terms = (part: "scale" | "abs"): string => {
    const out: string[] = [];
    const term = (w: string, v: RateValue) => {
      // An absolute schedule folds its peak into `abs` (scale 0); without a base name, a scale is read at the file's peak.
      const c = base === undefined ? (part === "abs" ? rateAt(v, ir.peak ?? 1) : 0) : v[part];
      if (c !== 0) out.push(c === 1 ? w : `${w} * ${d.num(c)}`);
    };
    term(r.alpha, r.of);
    if (r.beta !== undefined && r.to) term(r.beta, r.to);
    return out.join(" + ");
  };
  const scale = base === undefined ? "" : terms("scale");
  const abs = terms("abs");
  if (!scale) return abs ? (abs.includes(" + ") ? `(${abs})` : abs) : d.num(0);
  const scaled = `(${scale}) * ${base}`;
  return abs ? `${scaled} + (${abs})` : scaled;
}

/** A rate the run-time program computes: its variables `alpha` and `beta`, spelled, times the rates `of` and `to`. */
export interface SpelledRate {
  alpha: string;
  of: RateValue;
  beta?: string;
  to?: RateValue;
}

/** The rate `r` as an expression: `rateExpression`, or `runtimeRateExpression` when the program computes it. */
function startRate(r: SpelledRate | undefined, v: RateValue, ir: ScheduleIR, d: Dialect): string {
  return r ? runtimeRateExpression(r, ir, d) : rateExpression(v, ir, d);
}

/**
 * A segment's bounds as source: literals, or the run-time program's tick variables when
 * the settings are bound at run time (emit/runtime.ts), with the shape's parameters and
 * the start rate that the program computes, if any.
 */
export interface SpelledBounds {
  start: string;
  end: string;
  len: string;
  params?: EmitNames["params"];
  /** The start rate `a`, when the run-time program computes it (`runtimeRateExpression`). */
  from?: SpelledRate;
}

/** A segment's bounds as literals. */
export function literalBounds(seg: Segment, d: Dialect): SpelledBounds {
  return { start: intLiteral(seg.start), end: intLiteral(seg.end), len: d.num(seg.end - seg.start) };
}

/** The segments of a chain with their bounds as source. */
export interface SpelledChain {
  segments: Segment[];
  bounds: SpelledBounds[];
  /** The rate held from `total` on, when the run-time program computes it. */
  final?: SpelledRate;
}

function literalChain(ir: ScheduleIR, d: Dialect): SpelledChain {
  return { segments: ir.segments, bounds: ir.segments.map((s) => literalBounds(s, d)) };
}

/** The statements that compute one segment's rate at offset `u`, ending in a return. */
export function shapeStatements(seg: Segment, ir: ScheduleIR, d: Dialect, bounds: SpelledBounds = literalBounds(seg, d)): string[] {
  const shape = seg.shape;
  const mod = shapeModule(shape);
  const out: string[] = [];
  out.push(d.assign("a", startRate(bounds.from, seg.from, ir, d)));
  if (mod.usesB) out.push(d.assign("b", rateExpression(seg.to, ir, d)));
  const spelled = mod.spell(shape, { a: "a", b: "b", u: "u", len: bounds.len, ...(bounds.params ? { params: bounds.params } : {}) }, d);
  // A formula that reads only `a` (a constant) needs no offset.
  if (spelled.value !== "a" || spelled.statements.length > 0) {
    out.push(d.assign("u", bounds.start === "0" ? "t" : `t - ${bounds.start}`));
  }
  out.push(...spelled.statements, d.ret(spelled.value));
  return out;
}

/** The helpers a schedule's formulas call, so a module only carries what it uses. */
export function helpersNeeded(ir: ScheduleIR): Record<Helper, boolean> {
  const need: Record<Helper, boolean> = { restartCycle: false, countAtOrBelow: false };
  const chains = [ir.segments, ...Object.values(ir.params ?? {}).map((p) => p.segments)];
  for (const segs of chains) for (const s of segs) for (const h of shapeModule(s.shape).helpers) need[h] = true;
  return need;
}

/**
 * A short human description of a segment for a comment: `warmup (linear), ticks [0, 400)`;
 * with bounds resolved at run time, their variables (`ticks [k1, total_ticks)`).
 */
export function segmentLabel(seg: Segment, bounds?: SpelledBounds): string {
  const which = seg.phaseIndex >= 0 ? `phase ${seg.phaseIndex + 1}: ` : "";
  const shape = seg.shape.kind === seg.phase ? seg.phase : `${seg.phase} (${seg.shape.kind})`;
  return `${which}${shape}, ticks [${bounds?.start ?? seg.start}, ${bounds?.end ?? seg.end})`;
}

/**
 * The body of `lr_at` / `lrAt`: clamp negative ticks to 0 (as the evaluator reads them),
 * hold `final` from `total` on, then one branch per segment (the last one unconditional,
 * since every tick below `total` lies in some segment). Lines are indented from one level.
 */
export function lrAtBody(ir: ScheduleIR, d: Dialect, indent: string, totalName: string, chain: SpelledChain = literalChain(ir, d)): string[] {
  const lines: string[] = [];
  const push = (depth: number, text: string) => lines.push(indent.repeat(depth) + text);
  push(1, d.comment("Ticks before 0 read as tick 0; a NaN tick gives NaN."));
  push(1, d.ifOpen(d.not("step >= 0")));
  push(2, d.ifOpen(d.isNaN("step")));
  push(3, d.ret(d.nan));
  if (d.ifClose) push(2, d.ifClose);
  push(2, d.reassign("step", "0"));
  if (d.ifClose) push(1, d.ifClose);
  push(1, d.assign("t", "step"));
  push(1, d.comment("Past the end, the rate holds where the schedule ended."));
  push(1, d.ifOpen(`t >= ${totalName}`));
  push(2, d.ret(startRate(chain.final, ir.final, ir, d)));
  if (d.ifClose) push(1, d.ifClose);
  chain.segments.forEach((seg, i) => {
    const bounds = chain.bounds[i]!;
    push(1, d.comment(segmentLabel(seg, bounds)));
    if (i === chain.segments.length - 1) {
      for (const s of shapeStatements(seg, ir, d, bounds)) push(1, s);
    } else {
      push(1, d.ifOpen(`t < ${bounds.end}`));
      for (const s of shapeStatements(seg, ir, d, bounds)) push(2, s);
      if (d.ifClose) push(1, d.ifClose);
    }
  });
  return lines;
}

/**
 * A segment's shape as a traced target computes it: an `exp` whose ratio is past float32's
 * range takes its log-space form (relative schedules are judged at a base rate of 1).
 */
function tracedShape(seg: Segment, ir: ScheduleIR): Shape {
  const s = seg.shape;
  if (s.kind !== "exp" || s.logSpace) return s;
  return needsLogSpaceInFloat32(rateAt(seg.from, ir.peak ?? 1), rateAt(seg.to, ir.peak ?? 1)) ? { ...s, logSpace: true } : s;
}

/**
 * The expression form of `lr_at`, for traced targets (keras.ops, jax.numpy): straight-line
 * code with no branch on a value, so a graph compiler can trace it. Every segment's rate is
 * computed at every tick (`rate_0`, `rate_1`, ...) and `where` picks the one the tick lies
 * in, then the held rate from `total` on, then NaN for a NaN tick: the same choices as
 * `lrAtBody`, in the same formulas. Each offset is clamped at 0, which changes nothing
 * where its segment is selected and keeps the other segments' values finite.
 * Python only (both traced dialects are Python); lines are indented from one level.
 * `integerCount`, when given, names a flag in scope that is true when the step came from
 * an integer count; the NaN guard is then left out of the traced graph.
 */
export function lrAtTracedBody(ir: ScheduleIR, d: Dialect, indent: string, totalName: string, chain: SpelledChain = literalChain(ir, d), integerCount?: string): string[] {
  const lines: string[] = [];
  const push = (text: string) => lines.push(indent + text);
  push(d.comment("Ticks before 0 read as tick 0; a NaN tick gives NaN (the last line)."));
  push(d.assign("t", `${d.max}(step, 0.0)`));
  chain.segments.forEach((seg, i) => {
    const bounds = chain.bounds[i]!;
    push(d.comment(segmentLabel(seg, bounds)));
    const shape = tracedShape(seg, ir);
    const mod = shapeModule(shape);
    push(d.assign("a", startRate(bounds.from, seg.from, ir, d)));
    if (mod.usesB) push(d.assign("b", rateExpression(seg.to, ir, d)));
    const spelled = mod.spell(shape, { a: "a", b: "b", u: "u", len: bounds.len, ...(bounds.params ? { params: bounds.params } : {}) }, d);
    if (spelled.value !== "a" || spelled.statements.length > 0) {
      push(d.assign("u", bounds.start === "0" ? "t" : `${d.max}(t - ${bounds.start}, 0.0)`));
    }
    for (const s of spelled.statements) push(s);
    push(d.assign(`rate_${i}`, spelled.value));
  });
  const last = chain.segments.length - 1;
  push(d.comment("Each tick takes the rate of the segment it lies in; from the end on, the rate holds."));
  push(d.assign("rate", `rate_${last}`));
  for (let i = last - 1; i >= 0; i--) push(d.reassign("rate", d.select(`t < ${chain.bounds[i]!.end}`, `rate_${i}`, "rate")));
  push(d.reassign("rate", d.select(`t >= ${totalName}`, startRate(chain.final, ir.final, ir, d), "rate")));
  if (integerCount !== undefined) {
    // A Python-level branch on a flag fixed while tracing, not on a value: a step that
    // came from an integer count is never NaN, so its graph needs no NaN guard.
    push(d.ifOpen(integerCount));
    lines.push(indent + indent + d.ret("rate"));
    if (d.ifClose) push(d.ifClose);
  }
  push(d.ret(d.select(d.isNaN("step"), d.nan, "rate")));
  return lines;
}
