// A one-line picture of a schedule in block characters (`▁▂▄▆█▆▄▂`), for places that show
// text but not images: plain-text hovers, completion details, logs.
//
// Character i stands for the whole ticks [floor(i * total / width), floor((i + 1) * total /
// width)) and shows the largest rate among them, so a short warmup peak or the step just
// before a drop is never lost between two characters. Heights are eighths of the schedule's
// largest rate, rounded: 0 is `▁` and the peak is `█`.

import type { ScheduleIR } from "../ir.js";
import { Curve } from "./curve.js";

export const SPARK_LEVELS = "▁▂▃▄▅▆▇█";

/** The rate each character of a sparkline of `width` characters stands for. */
export function sparklineValues(ir: ScheduleIR, width: number, baseLr?: number): number[] {
  const curve = new Curve(ir, baseLr);
  const n = Math.max(1, Math.floor(width));
  const total = Math.max(1, ir.total);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const lo = Math.floor((i * total) / n);
    // A schedule shorter than the line gives some characters no tick of their own: they
    // repeat the tick they fall on.
    const hi = Math.max(lo + 1, Math.floor(((i + 1) * total) / n));
    out.push(curve.extentOfTicks(lo, hi).max);
  }
  return out;
}

/** The sparkline of a schedule, `width` characters long. */
export function sparkline(ir: ScheduleIR, width: number, baseLr?: number): string {
  const values = sparklineValues(ir, width, baseLr);
  const top = Math.max(...values);
  return values
    .map((v) => {
      const level = top > 0 ? Math.round((Math.max(0, v) / top) * 7) : 0;
      return SPARK_LEVELS[Math.min(7, Math.max(0, level))]!;
    })
    .join("");
}
