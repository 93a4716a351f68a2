// Where a segment's rate jumps, and what it is just before a jump, for the plots.
//
// The plots draw every jump as a vertical edge at its exact tick, so they need the jump
// positions inside a window of the clock without walking the whole schedule: a 10M-step
// schedule with a restart every 10 ticks has a million jumps, and a plot only has a few
// hundred columns. Each shape answers for one window in O(answer) or O(log) work (its
// module's `jumps`); these functions ask the shape table.

import { shapeAt } from "../evaluate.js";
import type { Shape } from "../ir.js";
import { shapeModule } from "../shapes/index.js";

export { cycleStart } from "../shapes/restarts.js";

/** True for the shapes whose rate can jump inside a segment. */
export function hasJumps(shape: Shape): boolean {
  return shapeModule(shape).jumps?.has(shape) ?? false;
}

/**
 * The first jump offsets `u` with `lo < u < hi` and `0 < u < len`, in ascending order, at
 * most `max` of them. Offsets are relative to the segment start.
 */
export function jumpsBetween(shape: Shape, len: number, lo: number, hi: number, max: number): number[] {
  const j = shapeModule(shape).jumps;
  return j && j.has(shape) ? j.between(shape, len, lo, hi, max) : [];
}

/** The last jump offset `u` with `lo < u < hi` and `0 < u < len`, if there is one. */
export function lastJumpBetween(shape: Shape, len: number, lo: number, hi: number): number | undefined {
  const j = shapeModule(shape).jumps;
  return j && j.has(shape) ? j.lastBetween(shape, len, lo, hi) : undefined;
}

/**
 * The limit of a segment's rate as the offset rises to `u` (0 < u < len): the rate of the
 * piece that ends at `u`. Away from a jump this is the rate at `u` itself; at a jump it is
 * the last value before the drop.
 */
export function shapeLeftLimit(shape: Shape, a: number, b: number, u: number, len: number): number {
  const j = shapeModule(shape).jumps;
  return j ? j.leftLimit(shape, a, b, u, len) : shapeAt(shape, a, b, u, len);
}

/**
 * Offsets in `(lo, hi)` that, with their left limits and the window's ends, bound the
 * segment's rate over the window: its turning points and representative jumps.
 */
export function criticalOffsets(shape: Shape, len: number, lo: number, hi: number): number[] {
  return shapeModule(shape).critical(shape, len, Math.max(lo, 0), Math.min(hi, len));
}
