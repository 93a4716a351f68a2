// Exact sampling: the polyline a plot draws for one schedule, sized by pixels, not steps.
//
// The window [from, to] of the clock is cut into `columns` equal columns (one per pixel, or
// per braille dot in a terminal). The polyline passes through the curve's exact values:
// - at every column edge;
// - at every breakpoint (segment start or jump) when a column holds at most one: the left
//   limit and then the value at the same tick, so a drop is a vertical edge at its step;
// - where a column holds more breakpoints than it can show (a restart every 10 steps over
//   10M steps), through the column's exact minimum and maximum at its middle: the envelope
//   the jumps fill at this resolution.
// Each column adds at most four points, so a plot costs O(columns + segments) evaluations
// whatever the number of steps, and the path stays under 4 * columns + 1 points.

import type { Curve } from "./curve.js";

export interface Polyline {
  /** Ticks, non-decreasing. */
  t: number[];
  /** Rates, one per tick. */
  v: number[];
}

export interface SampleOptions {
  /** Number of columns the window is cut into (at least 1). */
  columns: number;
  /** First tick of the window (default 0). */
  from?: number;
  /** Last tick of the window (default the schedule's total). */
  to?: number;
}

export function sampleCurve(curve: Curve, options: SampleOptions): Polyline {
  const from = options.from ?? 0;
  const to = options.to ?? curve.total;
  const columns = Math.max(1, Math.floor(options.columns));
  const out: Polyline = { t: [], v: [] };
  const push = (t: number, v: number) => {
    const n = out.t.length;
    if (n > 0 && out.t[n - 1] === t && Object.is(out.v[n - 1], v)) return;
    out.t.push(t);
    out.v.push(v);
  };
  push(from, curve.valueAt(from));
  if (!(to > from)) return out;
  const span = to - from;
  let lo = from;
  for (let c = 0; c < columns; c++) {
    // Edges are computed from the column index, not accumulated, so they do not drift.
    const hi = c === columns - 1 ? to : from + (span * (c + 1)) / columns;
    const inside = curve.breakpointsIn(lo, hi, 2);
    if (inside.length <= 1) {
      for (const t of inside) {
        push(t, curve.leftLimit(t));
        push(t, curve.valueAt(t));
      }
    } else {
      const { min, max } = curve.extent(lo, hi);
      const mid = (lo + hi) / 2;
      // Visit the extreme nearer the entry value first, so the stroke doubles back once.
      const entry = out.v[out.v.length - 1]!;
      const maxFirst = Math.abs(entry - max) <= Math.abs(entry - min);
      push(mid, maxFirst ? max : min);
      push(mid, maxFirst ? min : max);
    }
    push(hi, curve.leftLimit(hi));
    if (hi < curve.total) push(hi, curve.valueAt(hi));
    lo = hi;
  }
  return out;
}
