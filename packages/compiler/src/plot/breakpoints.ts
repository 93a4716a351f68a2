// Where a segment's rate jumps, and what it is just before a jump.
//
// Inside a segment only three shapes are discontinuous: `step` (every N ticks), `multistep`
// (at its milestones) and `restarts` (at each cycle start). The plots draw every such jump
// as a vertical edge at its exact tick, so they need the jump positions inside a window of
// the clock without walking the whole schedule: a 10M-step schedule with a restart every 10
// ticks has a million jumps, and a plot only has a few hundred columns. Each function here
// answers for one window in O(answer) or O(log) work, never O(total).

import { countAtOrBelow, restartCycle, shapeAt } from "../evaluate.js";
import type { Shape } from "../ir.js";

/**
 * Offset of SGDR cycle `k` from the segment start. The same expression as `restartCycle`
 * in evaluate.ts uses, so the boundaries found here are the ones the evaluator switches at.
 */
export function cycleStart(k: number, period: number, mult: number): number {
  return mult === 1 ? k * period : (period * (mult ** k - 1)) / (mult - 1);
}

/** True for the shapes whose rate can jump inside a segment. */
export function hasJumps(shape: Shape): boolean {
  switch (shape.kind) {
    case "step":
      return shape.every > 0;
    case "multistep":
      return shape.milestones.length > 0;
    case "restarts":
      return shape.period > 0 && shape.mult >= 1;
    default:
      return false;
  }
}

/**
 * The first jump offsets `u` with `lo < u < hi` and `0 < u < len`, in ascending order, at
 * most `max` of them. Offsets are relative to the segment start. A multistep milestone
 * listed twice is one jump (by the factor squared).
 */
export function jumpsBetween(shape: Shape, len: number, lo: number, hi: number, max: number): number[] {
  const out: number[] = [];
  const stop = Math.min(hi, len);
  if (max <= 0 || !(stop > Math.max(lo, 0)) || !hasJumps(shape)) return out;
  switch (shape.kind) {
    case "step": {
      let k = Math.max(1, Math.floor(lo / shape.every) + 1);
      for (; out.length < max; k++) {
        const u = k * shape.every;
        if (u >= stop) break;
        if (u > lo) out.push(u);
      }
      return out;
    }
    case "multistep": {
      const ms = shape.milestones;
      for (let i = countAtOrBelow(ms, Math.max(lo, 0)); i < ms.length && out.length < max; i++) {
        const u = ms[i]!;
        if (u >= stop) break;
        if (u > 0 && u > lo && out[out.length - 1] !== u) out.push(u);
      }
      return out;
    }
    case "restarts": {
      const { period, mult } = shape;
      let k = restartCycle(Math.max(lo, 0), period, mult).k + 1;
      for (; out.length < max; k++) {
        const u = cycleStart(k, period, mult);
        if (u >= stop) break;
        if (u > lo) out.push(u);
      }
      return out;
    }
    default:
      return out;
  }
}

/** The last jump offset `u` with `lo < u < hi` and `0 < u < len`, if there is one. */
export function lastJumpBetween(shape: Shape, len: number, lo: number, hi: number): number | undefined {
  const stop = Math.min(hi, len);
  if (!(stop > Math.max(lo, 0)) || !hasJumps(shape)) return undefined;
  let u: number | undefined;
  switch (shape.kind) {
    case "step": {
      const k = Math.ceil(stop / shape.every) - 1;
      u = k >= 1 ? k * shape.every : undefined;
      break;
    }
    case "multistep": {
      // Milestones strictly below `stop`: those at or below it, less any equal to it.
      const ms = shape.milestones;
      let i = countAtOrBelow(ms, stop) - 1;
      while (i >= 0 && ms[i]! >= stop) i--;
      u = i >= 0 && ms[i]! > 0 ? ms[i] : undefined;
      break;
    }
    case "restarts": {
      const c = restartCycle(stop, shape.period, shape.mult);
      const k = c.start >= stop ? c.k - 1 : c.k;
      u = k >= 1 ? cycleStart(k, shape.period, shape.mult) : undefined;
      break;
    }
    default:
      return undefined;
  }
  return u !== undefined && u > lo ? u : undefined;
}

/**
 * The limit of a segment's rate as the offset rises to `u` (0 < u < len): the rate of the
 * piece that ends at `u`. Away from a jump this is the rate at `u` itself, computed by the
 * evaluator's own `shapeAt`; at a jump it is the last value before the drop.
 */
export function shapeLeftLimit(shape: Shape, a: number, b: number, u: number, len: number): number {
  switch (shape.kind) {
    case "step": {
      const q = u / shape.every;
      return Number.isInteger(q) && q >= 1 ? a * shape.factor ** (q - 1) : shapeAt(shape, a, b, u, len);
    }
    case "multistep": {
      const ms = shape.milestones;
      let n = countAtOrBelow(ms, u);
      while (n > 0 && ms[n - 1]! >= u) n--;
      return a * shape.factor ** n;
    }
    case "restarts": {
      const { period, mult, decay } = shape;
      const c = restartCycle(u, period, mult);
      if (c.k === 0 || c.start < u) return shapeAt(shape, a, b, u, len);
      // `u` opens cycle k: the limit is the end of cycle k - 1, by the same cosine formula.
      const k = c.k - 1;
      const start = cycleStart(k, period, mult);
      const cycleLen = period * mult ** k;
      const top = k === 0 ? a : a * decay ** k;
      return b + ((top - b) * (1 + Math.cos(Math.PI * ((u - start) / cycleLen)))) / 2;
    }
    default:
      return shapeAt(shape, a, b, u, len);
  }
}
