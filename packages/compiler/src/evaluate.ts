// The evaluator: the learning rate at any tick, from the IR's closed-form segments.
//
// These formulas are the reference every other output is held to: the emitted PyTorch and
// TF.js code spell the same expressions in the same order, so they agree to the last bit
// floating point allows. Change one here and the emitters must change with it.

import type { RateValue, ScheduleIR, Segment, Shape } from "./ir.js";

export interface Evaluator {
  /** Number of ticks in the schedule; ticks at or past it hold `final`. */
  readonly total: number;
  /** The rate the last segment ends on, held for every tick at or past `total`. */
  readonly final: number;
  /** The rate at `step` (ticks before 0 read as 0; fractional ticks are allowed). */
  lrAt(step: number): number;
  /** Writes the rates of ticks `start, start + 1, ...` into `out` and returns it. */
  fill(out: Float64Array, start?: number): Float64Array;
}

/** Binds a rate to a peak. */
export function rateAt(v: RateValue, peak: number): number {
  return v.scale === 0 ? v.abs : v.scale * peak + v.abs;
}

/** The SGDR cycle that holds offset `u` (0 <= u): its index, first offset and length. */
export function restartCycle(u: number, period: number, mult: number): { k: number; start: number; len: number } {
  if (mult === 1) {
    const k = Math.floor(u / period);
    return { k, start: k * period, len: period };
  }
  // Closed form for the index, then a correction of at most one cycle either way: the log
  // can land a hair off at exact boundaries, and boundaries must be exact.
  let k = Math.max(0, Math.floor(Math.log1p((u * (mult - 1)) / period) / Math.log(mult)));
  const startOf = (i: number) => (period * (mult ** i - 1)) / (mult - 1);
  while (k > 0 && startOf(k) > u) k--;
  while (startOf(k + 1) <= u) k++;
  return { k, start: startOf(k), len: period * mult ** k };
}

/** The rate of a segment's shape at offset `u = t - start` (0 <= u < end - start). */
export function shapeAt(shape: Shape, a: number, b: number, u: number, len: number): number {
  switch (shape.kind) {
    case "constant":
      return a;
    case "linear":
      return a + (b - a) * (u / len);
    case "cosine":
      return b + ((a - b) * (1 + Math.cos(Math.PI * (u / len)))) / 2;
    case "exp":
      return a * (b / a) ** (u / len);
    case "gamma":
      return a * shape.gamma ** (u / shape.per);
    case "poly":
      return b + (a - b) * (1 - u / len) ** shape.power;
    case "sqrt":
      return b + (a - b) * (1 - Math.sqrt(u / len));
    case "rsqrt":
      return a * Math.sqrt(shape.tau / (shape.tau + u));
    case "step":
      return a * shape.factor ** Math.floor(u / shape.every);
    case "multistep":
      return a * shape.factor ** countAtOrBelow(shape.milestones, u);
    case "restarts": {
      const c = restartCycle(u, shape.period, shape.mult);
      const top = c.k === 0 ? a : a * shape.decay ** c.k;
      return b + ((top - b) * (1 + Math.cos(Math.PI * ((u - c.start) / c.len)))) / 2;
    }
  }
}

/** How many sorted `milestones` are <= u. */
export function countAtOrBelow(milestones: readonly number[], u: number): number {
  let lo = 0;
  let hi = milestones.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (milestones[mid]! <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where a segment ends, as `alpha * a + beta * b`: the limit of its rate as t rises to
 * `end`. Continuous shapes end on `b` (exactly, not on `a + (b - a) * 1`); piecewise-constant
 * ones end on their last piece, so a milestone at the very end never takes effect; a
 * restart phase ends wherever its last cycle is cut (on `b` when the cycles fit exactly).
 */
export function endCoefficients(shape: Shape, len: number): { alpha: number; beta: number } {
  switch (shape.kind) {
    case "constant":
      return { alpha: 1, beta: 0 };
    case "linear":
    case "cosine":
    case "exp":
    case "poly":
    case "sqrt":
      return { alpha: 0, beta: 1 };
    case "gamma":
      return { alpha: shape.gamma ** (len / shape.per), beta: 0 };
    case "rsqrt":
      return { alpha: Math.sqrt(shape.tau / (shape.tau + len)), beta: 0 };
    case "step":
      return { alpha: shape.factor ** (Math.ceil(len / shape.every) - 1), beta: 0 };
    case "multistep": {
      let n = 0;
      for (const m of shape.milestones) if (m < len) n++;
      return { alpha: shape.factor ** n, beta: 0 };
    }
    case "restarts": {
      // The cycle that holds the last instant before `len`.
      let c = restartCycle(len, shape.period, shape.mult);
      if (c.start === len && c.k > 0) c = restartCycle(len - c.len / shape.mult, shape.period, shape.mult);
      const p = (len - c.start) / c.len;
      const w = (1 + Math.cos(Math.PI * p)) / 2;
      return { alpha: shape.decay ** c.k * w, beta: 1 - w };
    }
  }
}

/** The rate value a segment ends on (see `endCoefficients`), in the affine form. */
export function segmentEnd(seg: Pick<Segment, "shape" | "from" | "to" | "start" | "end">): RateValue {
  const { alpha, beta } = endCoefficients(seg.shape, seg.end - seg.start);
  if (beta === 1 && alpha === 0) return { ...seg.to };
  if (alpha === 1 && beta === 0) return { ...seg.from };
  return {
    scale: alpha * seg.from.scale + beta * seg.to.scale,
    abs: alpha * seg.from.abs + beta * seg.to.abs,
  };
}

interface BoundSegment {
  start: number;
  end: number;
  len: number;
  shape: Shape;
  a: number;
  b: number;
}

class ScheduleEvaluator implements Evaluator {
  readonly total: number;
  readonly final: number;
  private readonly segs: BoundSegment[];
  private readonly first: number;

  constructor(ir: ScheduleIR, peak: number) {
    this.total = ir.total;
    this.final = rateAt(ir.final, peak);
    this.segs = ir.segments.map((s) => ({
      start: s.start,
      end: s.end,
      len: s.end - s.start,
      shape: s.shape,
      a: rateAt(s.from, peak),
      b: rateAt(s.to, peak),
    }));
    this.first = this.segs.length > 0 ? this.valueIn(this.segs[0]!, 0) : this.final;
  }

  private valueIn(s: BoundSegment, t: number): number {
    return shapeAt(s.shape, s.a, s.b, t - s.start, s.len);
  }

  private segmentIndex(t: number): number {
    const segs = this.segs;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]!.start <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lrAt(step: number): number {
    if (!(step >= 0)) return Number.isNaN(step) ? NaN : this.first;
    if (step >= this.total) return this.final;
    return this.valueIn(this.segs[this.segmentIndex(step)]!, step);
  }

  fill(out: Float64Array, start = 0): Float64Array {
    const n = out.length;
    let i = 0;
    // Ticks before 0 read as tick 0.
    while (i < n && start + i < 0) out[i++] = this.first;
    if (i < n && start + i < this.total) {
      let k = this.segmentIndex(start + i);
      while (i < n && k < this.segs.length) {
        const s = this.segs[k]!;
        const stop = Math.min(n, s.end - start);
        for (; i < stop; i++) out[i] = shapeAt(s.shape, s.a, s.b, start + i - s.start, s.len);
        k++;
      }
    }
    for (; i < n; i++) out[i] = this.final;
    return out;
  }
}

/**
 * An evaluator for a schedule. `peak` binds a relative schedule to a base rate (default 1,
 * so values read as multipliers of the optimizer's rate); an absolute schedule ignores it.
 */
export function createEvaluator(ir: ScheduleIR, peak?: number): Evaluator {
  return new ScheduleEvaluator(ir, ir.relative ? (peak ?? 1) : (ir.peak ?? 1));
}
