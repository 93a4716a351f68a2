// Phases that are sugar over several segments: `onecycle` and `table`.
//
// Each returns its pieces on the phase's own clock (offsets from the phase start), every
// one an ordinary segment of an existing shape, so the evaluator, the emitters and the
// plots need nothing new for them.

import type { RateValue, Shape } from "../ir.js";

/** One segment of a lowered phase, at offsets from the phase's start. */
export interface Piece {
  start: number;
  end: number;
  shape: Shape;
  from: RateValue;
  to: RateValue;
}

export interface OneCycle {
  /** The phase's length in ticks (torch's total_steps). */
  len: number;
  /** Where the rise ends, as torch computes it: `float(pct_start * total_steps) - 1`. */
  upEnd: number;
  from: RateValue;
  via: RateValue;
  to: RateValue;
  anneal: "cosine" | "linear";
  threePhase: boolean;
}

/**
 * torch's OneCycleLR. Its phases end at fractional steps (`pct_start * total_steps - 1`,
 * then `2 * pct_start * total_steps - 2` with three phases, then `total_steps - 1`); step s
 * belongs to the first phase whose end is at or above s, and inside a phase the progress is
 * `(s - start) / (end - start)`. Each phase is therefore a segment over the whole steps it
 * holds, whose curve is laid over `end - start` and begins `first step - start` into it.
 * The last phase reaches its end value exactly at `len - 1`, which then holds.
 */
export function lowerOneCycle(oc: OneCycle): Piece[] {
  const ends = oc.threePhase ? [oc.upEnd, 2 * oc.upEnd, oc.len - 1] : [oc.upEnd, oc.len - 1];
  // torch writes the second end of three as `2 * pct * total - 2`, which is 2 * upEnd.
  const values = oc.threePhase ? [oc.from, oc.via, oc.from, oc.to] : [oc.from, oc.via, oc.to];
  const pieces: Piece[] = [];
  let prevEnd = 0;
  let first = 0;
  for (const [i, end] of ends.entries()) {
    const stop = i === ends.length - 1 ? oc.len : Math.floor(end) + 1;
    if (stop > first) {
      const span = end - prevEnd;
      const shift = first - prevEnd;
      pieces.push({ start: first, end: stop, shape: { kind: oc.anneal, span, shift }, from: values[i]!, to: values[i + 1]! });
    }
    prevEnd = end;
    first = Math.max(first, stop);
  }
  return pieces;
}

/** A table's points, on the phase clock: offsets rising from 0, and the rate at each. */
export interface TablePoints {
  offsets: number[];
  values: RateValue[];
  interp: "step" | "linear" | "cosine";
  len: number;
}

/**
 * A table: between two points the rate holds (`step`), goes straight (`linear`) or along
 * half a cosine (`cosine`); after the last point it holds until the phase ends.
 */
export function lowerTable(t: TablePoints): Piece[] {
  const pieces: Piece[] = [];
  const n = t.offsets.length;
  for (let i = 0; i < n; i++) {
    const start = t.offsets[i]!;
    const end = i + 1 < n ? t.offsets[i + 1]! : t.len;
    if (!(end > start)) continue;
    const from = t.values[i]!;
    const to = i + 1 < n ? t.values[i + 1]! : from;
    const kind = i + 1 < n && t.interp !== "step" ? t.interp : "constant";
    pieces.push({ start, end, shape: { kind }, from, to: kind === "constant" ? from : to });
  }
  return pieces;
}
