// A schedule bound to a peak, seen as a curve over the clock for drawing.
//
// The plots read a schedule as a function of a real-valued tick: inside a segment the
// evaluator's own formula (`shapeAt`), continuous except at the jumps listed by
// breakpoints.ts and at segment boundaries. At integer ticks it is exactly the evaluator's
// `lrAt`; between them it is the curve the formula traces, so a 10-step warmup is a ramp to
// the peak rather than a staircase. Each shape names the offsets that bound it over a
// window (its turning points and representative jumps: `ShapeModule.critical`), which is
// what lets a whole window of the clock be summarised by a handful of evaluations,
// whatever its length.

import { rateAt, segmentEnd, shapeAt } from "../evaluate.js";
import type { ScheduleIR, Shape } from "../ir.js";
import { criticalOffsets, jumpsBetween, shapeLeftLimit } from "./breakpoints.js";

interface BoundSegment {
  start: number;
  end: number;
  len: number;
  shape: Shape;
  a: number;
  b: number;
  /** The rate the segment ends on (its left limit at `end`). */
  endValue: number;
}

export interface Extent {
  min: number;
  max: number;
}

export class Curve {
  readonly total: number;
  readonly final: number;
  private readonly segs: BoundSegment[];

  /** `peak` binds a relative schedule (default 1: values read as multipliers of base lr). */
  constructor(
    readonly ir: ScheduleIR,
    peak?: number,
  ) {
    // The same binding as `createEvaluator`, so both read the same numbers.
    const p = ir.relative ? (peak ?? 1) : (ir.peak ?? 1);
    this.total = ir.total;
    this.final = rateAt(ir.final, p);
    const n = ir.segments.length;
    this.segs = ir.segments.map((s, i) => ({
      start: s.start,
      end: s.end,
      len: s.end - s.start,
      shape: s.shape,
      a: rateAt(s.from, p),
      b: rateAt(s.to, p),
      // The last segment ends on `final` by definition; use it so the curve's right end is
      // the very value the evaluator holds past `total`.
      endValue: i === n - 1 ? this.final : rateAt(segmentEnd(s), p),
    }));
  }

  /** Index of the segment holding tick `t` (0 <= t < total). */
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

  /** The rate at tick `t`: the evaluator's `lrAt` (right-continuous at every jump). */
  valueAt(t: number): number {
    if (this.segs.length === 0 || t >= this.total) return this.final;
    const s = this.segs[this.segmentIndex(Math.max(t, 0))]!;
    return shapeAt(s.shape, s.a, s.b, Math.max(t, 0) - s.start, s.len);
  }

  /** The limit of the rate as the tick rises to `t` (0 < t <= total). */
  leftLimit(t: number): number {
    if (this.segs.length === 0) return this.final;
    if (t > this.total) return this.final;
    if (t <= 0) return this.valueAt(0);
    const i = this.segmentIndex(t);
    const s = this.segs[i]!;
    if (t === this.total) return this.final;
    if (t === s.start) return this.segs[i - 1]!.endValue;
    return shapeLeftLimit(s.shape, s.a, s.b, t - s.start, s.len);
  }

  /**
   * The ticks strictly inside (lo, hi) where the curve may be discontinuous (segment starts
   * and jumps inside segments), ascending, at most `max` of them.
   */
  breakpointsIn(lo: number, hi: number, max: number): number[] {
    const out: number[] = [];
    if (this.segs.length === 0 || !(hi > lo)) return out;
    for (let i = this.segmentIndex(Math.max(lo, 0)); i < this.segs.length && out.length < max; i++) {
      const s = this.segs[i]!;
      if (s.start >= hi) break;
      if (i > 0 && s.start > lo) out.push(s.start);
      if (out.length >= max) break;
      for (const u of jumpsBetween(s.shape, s.len, lo - s.start, hi - s.start, max - out.length)) {
        out.push(s.start + u);
      }
    }
    return out;
  }

  /**
   * The smallest and largest rate the curve takes on the closed window [lo, hi], counting
   * the limits at its jumps: the window's ends, the segment boundaries inside it, and each
   * segment's critical offsets (its shape module says which, and why they suffice).
   */
  extent(lo: number, hi: number): Extent {
    let min = Infinity;
    let max = -Infinity;
    const see = (v: number) => {
      if (v < min) min = v;
      if (v > max) max = v;
    };
    see(this.valueAt(lo));
    see(hi > lo ? this.leftLimit(hi) : this.valueAt(lo));
    if (this.segs.length === 0 || !(hi > lo)) return { min, max };
    for (let i = this.segmentIndex(Math.max(lo, 0)); i < this.segs.length; i++) {
      const s = this.segs[i]!;
      if (s.start >= hi) break;
      if (i > 0 && s.start > lo) {
        see(this.segs[i - 1]!.endValue);
        see(shapeAt(s.shape, s.a, s.b, 0, s.len));
      }
      for (const u of criticalOffsets(s.shape, s.len, lo - s.start, hi - s.start)) {
        see(shapeLeftLimit(s.shape, s.a, s.b, u, s.len));
        see(shapeAt(s.shape, s.a, s.b, u, s.len));
      }
    }
    return { min, max };
  }

  /**
   * The smallest and largest rate at the integer ticks lo, lo + 1, ..., hi - 1 (lo < hi):
   * what a training run actually sees. The same argument as `extent`, on whole ticks: the
   * whole ticks on either side of each critical offset stand for it.
   */
  extentOfTicks(lo: number, hi: number): Extent {
    let min = Infinity;
    let max = -Infinity;
    const see = (t: number) => {
      if (t < lo || t >= hi) return;
      const v = this.valueAt(t);
      if (v < min) min = v;
      if (v > max) max = v;
    };
    see(lo);
    see(hi - 1);
    for (let i = this.segmentIndex(Math.max(lo, 0)); i < this.segs.length; i++) {
      const s = this.segs[i]!;
      if (s.start >= hi) break;
      if (s.start > lo) {
        see(s.start - 1);
        see(s.start);
      }
      for (const u of criticalOffsets(s.shape, s.len, lo - s.start, hi - s.start)) {
        // A jump or turning point at a fractional offset falls between two whole ticks.
        const t = Math.ceil(s.start + u);
        see(t - 1);
        see(t);
      }
    }
    if (hi > this.total && lo < hi) see(Math.max(lo, this.total));
    return { min, max };
  }
}
