// A one-line picture of a schedule in braille (`⣿⣷⣦⣤⣄⣀`), for places that show text but not
// images: inlay hints, code lenses, plain-text hovers.
//
// Each character is two dot columns, and each dot column stands for its slice of the clock
// (the pixel columns of `tickColumns`, so the sparkline, the SVG plots and the preview slice
// the clock alike). A column lights every dot from its slice's lowest rate to its highest:
// the range, not a sample or the maximum alone, so a restart, a warmup's peak or the step
// just before a drop is never lost between two columns, and a column that holds whole
// restart cycles reads as the full span they sweep. Heights are quarters of the schedule's
// largest rate, rounded: 0 is the bottom dot and the peak the top one.

import type { ScheduleIR } from "../ir.js";
import { type Column, tickColumns } from "./columns.js";
import { DOT_BITS } from "./terminal.js";

/** Dot rows in one character of a sparkline. */
const ROWS = 4;

/** The slice of the clock each dot column of a sparkline `width` characters long stands for, with its lowest and highest rate. */
export function sparklineColumns(ir: ScheduleIR, width: number, baseLr?: number): Column[] {
  return tickColumns(ir, 2 * Math.max(1, Math.floor(width)), baseLr);
}

/** The sparkline of a schedule, `width` characters long. */
export function sparkline(ir: ScheduleIR, width: number, baseLr?: number): string {
  return sparklineText(sparklineColumns(ir, width, baseLr));
}

/**
 * The sparkline of columns from `sparklineColumns`, for a caller that reads their extremes
 * too. Heights run from 0 to the largest rate; with `scale: "range"` from the lowest value
 * to the largest instead, for a hyperparameter such as momentum whose dip from 0.95 to 0.85
 * would otherwise be one row.
 */
export function sparklineText(columns: readonly Column[], scale: "zero" | "range" = "zero"): string {
  let top = -Infinity;
  let bottom = scale === "zero" ? 0 : Infinity;
  for (const c of columns) {
    top = Math.max(top, c.max);
    if (scale === "range") bottom = Math.min(bottom, c.min);
  }
  const span = top - bottom;
  const row = (v: number) => (span > 0 ? Math.min(ROWS - 1, Math.max(0, Math.round(((v - bottom) / span) * (ROWS - 1)))) : 0);
  let out = "";
  for (let i = 0; i < columns.length; i += 2) {
    let bits = 0;
    for (const side of [0, 1]) {
      const c = columns[i + side];
      if (!c) continue;
      // Rows count up from the bottom here; braille numbers its dots from the top.
      for (let r = row(c.min); r <= row(c.max); r++) bits |= DOT_BITS[side]![ROWS - 1 - r]!;
    }
    out += String.fromCharCode(0x2800 + bits);
  }
  return out;
}
