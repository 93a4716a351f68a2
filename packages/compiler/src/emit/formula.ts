// The evaluator's formulas, spelled as Python or JavaScript source.
//
// `evaluate.ts` is the reference. The emitted `lr_at` / `lrAt` functions must compute the
// same doubles, so this module writes the same expressions with the same operations in
// the same order (`b + ((a - b) * (1 + cos(pi * (u / len)))) / 2`, not an algebraically
// equal rearrangement). Both languages share `**` with the same precedence and
// associativity and the same IEEE-754 arithmetic, so one template per shape serves both;
// a `Dialect` supplies the few spellings that differ. If a formula changes in
// `evaluate.ts`, it must change here too (the conformance tests compare them value for value).

import { rateAt } from "../evaluate.js";
import type { RateValue, ScheduleIR, Segment, Shape } from "../ir.js";
import { intLiteral } from "./escape.js";

export interface Dialect {
  /** A float literal (negative ones parenthesised). */
  num(x: number): string;
  cos: string;
  sqrt: string;
  floor: string;
  pi: string;
  nan: string;
  /** The base-rate parameter of a relative schedule's `lr_at`. */
  baseLr: string;
  /** Statement declaring a local: `name = expr`. */
  assign(name: string, expr: string): string;
  /** Statement assigning an existing variable or parameter. */
  reassign(name: string, expr: string): string;
  not(cond: string): string;
  isNaN(expr: string): string;
  /** Statement: unpack `restartCycle(u, period, mult)` into `cycle`, `offset`, `length`. */
  assignCycle(call: string): string;
  ret(expr: string): string;
  /** `ifFirst` when `cycle` is 0, else `otherwise`. */
  firstCycleOr(ifFirst: string, otherwise: string): string;
  /** Calls of the emitted helpers. */
  countAtOrBelow(milestones: string, u: string): string;
  restartCycle(u: string, period: string, mult: string): string;
  /** A list literal of tick offsets. */
  list(items: string[]): string;
  /** A line comment. */
  comment(text: string): string;
  /** The line opening an `if` block; `ifClose` closes it (undefined where indentation does). */
  ifOpen(cond: string): string;
  ifClose: string | undefined;
}

/** The rate `v` as an expression: a literal in an absolute schedule, `s * base + c` in a relative one. */
export function rateExpression(v: RateValue, ir: ScheduleIR, d: Dialect): string {
  if (!ir.relative) return d.num(rateAt(v, ir.peak ?? 1));
  // Same operations as `rateAt`: `scale * peak + abs`, or `abs` alone when scale is 0.
  // Adding an abs of 0 and multiplying by a scale of 1 are exact, so they are left out.
  if (v.scale === 0) return d.num(v.abs);
  const scaled = v.scale === 1 ? d.baseLr : `${d.num(v.scale)} * ${d.baseLr}`;
  return v.abs === 0 ? scaled : `${scaled} + ${d.num(v.abs)}`;
}

/** Which of `a`, `b` and `u` a shape's formula reads. */
function usesB(shape: Shape): boolean {
  switch (shape.kind) {
    case "linear":
    case "cosine":
    case "exp":
    case "poly":
    case "sqrt":
    case "restarts":
      return true;
    default:
      return false;
  }
}

/** The statements that compute one segment's rate at offset `u`, ending in a return. */
export function shapeStatements(seg: Segment, ir: ScheduleIR, d: Dialect): string[] {
  const shape = seg.shape;
  const len = d.num(seg.end - seg.start);
  const out: string[] = [];
  out.push(d.assign("a", rateExpression(seg.from, ir, d)));
  if (usesB(shape)) out.push(d.assign("b", rateExpression(seg.to, ir, d)));
  if (shape.kind !== "constant") {
    out.push(d.assign("u", seg.start === 0 ? "t" : `t - ${intLiteral(seg.start)}`));
  }
  switch (shape.kind) {
    case "constant":
      out.push(d.ret("a"));
      break;
    case "linear":
      out.push(d.ret(`a + (b - a) * (u / ${len})`));
      break;
    case "cosine":
      out.push(d.ret(`b + ((a - b) * (1 + ${d.cos}(${d.pi} * (u / ${len})))) / 2`));
      break;
    case "exp":
      out.push(d.ret(`a * (b / a) ** (u / ${len})`));
      break;
    case "gamma":
      out.push(d.ret(`a * ${d.num(shape.gamma)} ** (u / ${d.num(shape.per)})`));
      break;
    case "poly":
      out.push(d.ret(`b + (a - b) * (1 - u / ${len}) ** ${d.num(shape.power)}`));
      break;
    case "sqrt":
      out.push(d.ret(`b + (a - b) * (1 - ${d.sqrt}(u / ${len}))`));
      break;
    case "rsqrt": {
      const tau = d.num(shape.tau);
      out.push(d.ret(`a * ${d.sqrt}(${tau} / (${tau} + u))`));
      break;
    }
    case "step":
      out.push(d.ret(`a * ${d.num(shape.factor)} ** ${d.floor}(u / ${d.num(shape.every)})`));
      break;
    case "multistep": {
      const milestones = d.list(shape.milestones.map((m) => d.num(m)));
      out.push(d.ret(`a * ${d.num(shape.factor)} ** ${d.countAtOrBelow(milestones, "u")}`));
      break;
    }
    case "restarts": {
      out.push(d.assignCycle(d.restartCycle("u", d.num(shape.period), d.num(shape.mult))));
      // `a * 1 ** k` is exactly `a`, so a restart without decay skips the power.
      const top = shape.decay === 1 ? "a" : d.firstCycleOr("a", `a * ${d.num(shape.decay)} ** cycle`);
      out.push(d.assign("top", top));
      out.push(d.ret(`b + ((top - b) * (1 + ${d.cos}(${d.pi} * ((u - offset) / length)))) / 2`));
      break;
    }
  }
  return out;
}

/** The helpers a schedule's formulas call, so a module only carries what it uses. */
export function helpersNeeded(ir: ScheduleIR): { restartCycle: boolean; countAtOrBelow: boolean } {
  return {
    restartCycle: ir.segments.some((s) => s.shape.kind === "restarts"),
    countAtOrBelow: ir.segments.some((s) => s.shape.kind === "multistep"),
  };
}

/** A short human description of a segment for a comment: `warmup (linear), ticks [0, 400)`. */
export function segmentLabel(seg: Segment): string {
  const which = seg.phaseIndex >= 0 ? `phase ${seg.phaseIndex + 1}: ` : "";
  const shape = seg.shape.kind === seg.phase ? seg.phase : `${seg.phase} (${seg.shape.kind})`;
  return `${which}${shape}, ticks [${seg.start}, ${seg.end})`;
}

/**
 * The body of `lr_at` / `lrAt`: clamp negative ticks to 0 (as the evaluator reads them),
 * hold `final` from `total` on, then one branch per segment (the last one unconditional,
 * since every tick below `total` lies in some segment). Lines are indented from one level.
 */
export function lrAtBody(ir: ScheduleIR, d: Dialect, indent: string, totalName: string): string[] {
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
  push(2, d.ret(rateExpression(ir.final, ir, d)));
  if (d.ifClose) push(1, d.ifClose);
  ir.segments.forEach((seg, i) => {
    push(1, d.comment(segmentLabel(seg)));
    if (i === ir.segments.length - 1) {
      for (const s of shapeStatements(seg, ir, d)) push(1, s);
    } else {
      push(1, d.ifOpen(`t < ${intLiteral(seg.end)}`));
      for (const s of shapeStatements(seg, ir, d)) push(2, s);
      if (d.ifClose) push(1, d.ifClose);
    }
  });
  return lines;
}
