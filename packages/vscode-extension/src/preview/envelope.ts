// What the preview draws: for each pixel column, the lowest and highest rate over the ticks
// that column covers, and the rates at its first and last tick (so consecutive columns join
// into one line). A million-step schedule on a 1000-pixel plot has a thousand ticks per
// column; the envelope keeps every spike and drop visible instead of sampling one value.
//
// Exactness without evaluating every tick: each IR shape is monotone over a segment (ramps,
// decays, step and multi-step decays), except SGDR restarts, which are monotone inside each
// cycle. So over any run of ticks the extremes sit at the run's ends, at segment boundaries
// and at cycle boundaries, and evaluating those ticks alone gives the exact envelope.

import { createEvaluator, restartCycle, type Evaluator } from "@anneal/compiler/evaluate";
import type { ScheduleIR } from "@anneal/compiler/ir";

export interface Column {
  /** First and last tick the column covers (inclusive; equal when it covers one tick). */
  first: number;
  last: number;
  min: number;
  max: number;
  /** Rates at `first` and at `last`. */
  from: number;
  to: number;
}

/** Columns with more ticks than this are reduced to their candidate extremes. */
const DENSE_LIMIT = 256;
/** A column crossing more restart cycles than this is sampled evenly instead. */
const CYCLE_LIMIT = 128;
const SAMPLES = 512;

/**
 * The envelope of `ir` over `columns` equal slices of the ticks [0, total): column c covers
 * the ticks whose unit interval [k, k + 1) overlaps [c * total / columns, (c + 1) * total / columns).
 * When there are fewer ticks than columns, neighbouring columns share a tick and the plot
 * shows the rate as the staircase it is.
 */
export function envelope(ir: ScheduleIR, columns: number, evaluator: Evaluator = createEvaluator(ir)): Column[] {
  const out: Column[] = [];
  const total = ir.total;
  if (!(total > 0) || columns < 1) return out;
  const buf = new Float64Array(DENSE_LIMIT);
  for (let c = 0; c < columns; c++) {
    const t0 = (c * total) / columns;
    const t1 = ((c + 1) * total) / columns;
    const first = Math.min(total - 1, Math.floor(t0));
    const last = Math.max(first, Math.min(total - 1, Math.ceil(t1) - 1));
    const n = last - first + 1;
    let min = Infinity;
    let max = -Infinity;
    const see = (v: number) => {
      if (v < min) min = v;
      if (v > max) max = v;
    };
    if (n <= DENSE_LIMIT) {
      const vals = evaluator.fillExact(buf.subarray(0, n), first);
      for (let i = 0; i < n; i++) see(vals[i]!);
    } else {
      for (const t of candidateTicks(ir, first, last)) see(evaluator.lrAt(t));
    }
    out.push({ first, last, min, max, from: evaluator.lrAt(first), to: evaluator.lrAt(last) });
  }
  return out;
}

/** The ticks in [first, last] where the rate can reach an extreme of that run. */
export function candidateTicks(ir: ScheduleIR, first: number, last: number): number[] {
  const ticks = [first, last];
  for (const seg of ir.segments) {
    if (seg.end <= first || seg.start > last) continue;
    // The segment's own first and last tick inside the run.
    ticks.push(Math.max(first, seg.start), Math.min(last, seg.end - 1));
    if (seg.shape.kind !== "restarts") continue;
    const { period, mult } = seg.shape;
    const lo = Math.max(first, seg.start) - seg.start;
    const hi = Math.min(last, seg.end - 1) - seg.start;
    let cycle = restartCycle(lo, period, mult);
    let crossed = 0;
    // Each later cycle starts on a jump up: its first tick is a maximum, the tick before it
    // a minimum. A boundary between two ticks takes effect at the next whole tick; the ticks
    // on both sides of floor(boundary) are taken, so rounding in the summed cycle lengths
    // cannot miss the jump.
    for (;;) {
      const next = cycle.start + cycle.len;
      if (next > hi + 1) break;
      const b = seg.start + Math.floor(next);
      ticks.push(b - 1, b, b + 1);
      if (++crossed > CYCLE_LIMIT) return evenSamples(first, last);
      cycle = { k: cycle.k + 1, start: next, len: cycle.len * mult };
    }
  }
  return ticks.filter((t) => t >= first && t <= last);
}

function evenSamples(first: number, last: number): number[] {
  const ticks: number[] = [];
  for (let i = 0; i <= SAMPLES; i++) ticks.push(Math.round(first + ((last - first) * i) / SAMPLES));
  return ticks;
}
