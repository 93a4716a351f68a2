// A schedule in pixel columns, for plots that draw every column (the preview's canvas): for
// each column, the ticks it covers, the lowest and highest rate among them, and the rates at
// its first and last tick, so consecutive columns join into one line and every spike and drop
// stays visible however many ticks a column holds. The extremes come from `Curve`'s exact
// `extentOfTicks`, the same arithmetic as the sparklines and the SVG plots.

import type { ScheduleIR } from "../ir.js";
import { Curve } from "./curve.js";

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

/**
 * `ir` over `columns` equal slices of the ticks [0, total): column c covers the ticks whose
 * unit interval [k, k + 1) overlaps [c * total / columns, (c + 1) * total / columns). With
 * fewer ticks than columns, neighbouring columns share a tick and the plot shows the rate as
 * the staircase it is. `peak` binds a relative schedule (default 1).
 */
export function tickColumns(ir: ScheduleIR, columns: number, peak?: number): Column[] {
  const out: Column[] = [];
  const total = ir.total;
  const n = Math.floor(columns);
  if (!(total > 0) || !(n >= 1)) return out;
  const curve = new Curve(ir, peak);
  for (let c = 0; c < n; c++) {
    const t0 = (c * total) / n;
    const t1 = ((c + 1) * total) / n;
    const first = Math.min(total - 1, Math.floor(t0));
    const last = Math.max(first, Math.min(total - 1, Math.ceil(t1) - 1));
    const { min, max } = curve.extentOfTicks(first, last + 1);
    out.push({ first, last, min, max, from: curve.valueAt(first), to: curve.valueAt(last) });
  }
  return out;
}
