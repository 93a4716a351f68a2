// The terminal renderer: a plot in Unicode braille, with axes, for `anneal plot` without -o.
//
// Each character cell holds a 2 × 4 grid of braille dots, so an 80-column terminal gets
// about 150 dot columns: the curve is sampled at one column per dot (sample.ts) and drawn as
// line segments between the samples, so a drop is a vertical run of dots at its step.
// Every line is at most `columns` characters wide (the x axis rule is exactly that wide);
// colour, when asked for, is ANSI escapes around the cells and does not count.

import type { ScheduleIR } from "../ir.js";
import { describe, peakOf, phaseSpans, type PlotWindow, windowOf, xAxisFor, xLabel, xTicks, yScaleFor } from "./axes.js";
import { Curve } from "./curve.js";
import { sampleCurve } from "./sample.js";
import { formatCount, formatRate } from "./ticks.js";

export interface TerminalOptions {
  /** Width of the whole plot in characters (default 80). */
  columns?: number;
  /** Height of the plot area in character rows (default 16). */
  rows?: number;
  log?: boolean;
  /** Colour the curves and legend with ANSI escapes. */
  color?: boolean;
  /** A heading; defaults to the schedule's name when one schedule is drawn. */
  title?: string;
  /** The base rate that relative schedules are drawn against (default 1: a multiplier). */
  baseLr?: number;
  /** Draw only these ticks (of the first schedule's clock): a zoom. */
  window?: PlotWindow;
}

/** 256-colour codes close to the SVG palette: orange, blue, green, purple, ... */
const ANSI = [208, 33, 34, 134, 214, 37, 161, 69];
const paint = (text: string, i: number, on: boolean) => (on ? `\x1b[38;5;${ANSI[i % ANSI.length]}m${text}\x1b[0m` : text);
const dim = (text: string, on: boolean) => (on ? `\x1b[2m${text}\x1b[0m` : text);

/** Braille dot bits by (column, row from the top) inside a cell, per the Unicode braille block. */
export const DOT_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

class BrailleCanvas {
  readonly bits: Uint8Array;
  /** Which series last drew in each cell, for colour. */
  readonly owner: Int16Array;
  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.bits = new Uint8Array(cols * rows);
    this.owner = new Int16Array(cols * rows).fill(-1);
  }
  get width(): number {
    return this.cols * 2;
  }
  get height(): number {
    return this.rows * 4;
  }
  set(x: number, y: number, series: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const cell = Math.floor(y / 4) * this.cols + Math.floor(x / 2);
    this.bits[cell]! |= DOT_BITS[x % 2]![y % 4]!;
    this.owner[cell] = series;
  }
  /** A straight run of dots between two dot positions (Bresenham). */
  line(x0: number, y0: number, x1: number, y1: number, series: number): void {
    // The walk below takes one step per dot, so an end that is not finite (a rate of
    // Infinity) made it endless, and one far off the canvas made it long: skip the first,
    // and hold the ends just outside the canvas, which draws the same dots.
    if (!Number.isFinite(x0) || !Number.isFinite(y0) || !Number.isFinite(x1) || !Number.isFinite(y1)) return;
    const cx = (x: number) => Math.min(Math.max(x, -1), this.width);
    const cy = (y: number) => Math.min(Math.max(y, -1), this.height);
    [x0, y0, x1, y1] = [cx(x0), cy(y0), cx(x1), cy(y1)];
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      this.set(x0, y0, series);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }
  row(r: number, color: boolean): string {
    let s = "";
    for (let c = 0; c < this.cols; c++) {
      const b = this.bits[r * this.cols + c]!;
      const ch = b === 0 ? " " : String.fromCharCode(0x2800 + b);
      s += b === 0 ? ch : paint(ch, this.owner[r * this.cols + c]!, color);
    }
    return s.replace(/ +$/, "");
  }
}

/** Cuts `text` to `width` characters, marking the cut with an ellipsis. */
function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + "…";
}

/** Draws one schedule or several overlaid as lines of text. */
export function renderTerminal(input: ScheduleIR | readonly ScheduleIR[], options: TerminalOptions = {}): string {
  const irs: readonly ScheduleIR[] = Array.isArray(input) ? input : [input as ScheduleIR];
  const columns = Math.max(24, Math.floor(options.columns ?? 80));
  const rows = Math.max(3, Math.floor(options.rows ?? 16));
  const color = options.color ?? false;
  const axis = xAxisFor(irs, options.window);
  const curves = irs.map((ir) => new Curve(ir, options.baseLr));
  const relative = irs.length > 0 && irs.every((ir) => ir.relative);
  const single = irs.length === 1;

  // The gutter holds the y labels; its width depends on them, and they on the samples.
  const span = axis.max - axis.min;
  const sampleAt = (plotCols: number) =>
    irs.map((ir, i) => {
      const w = windowOf(axis, i, ir.total);
      return sampleCurve(curves[i]!, { ...w, columns: Math.max(1, Math.round((plotCols * 2 * (w.to - w.from) * axis.scales[i]!) / span)) });
    });
  const scaleFor = (lines: ReturnType<typeof sampleAt>) =>
    yScaleFor(lines, { log: options.log ?? false, relative, ...(irs[0]?.valueName ? { valueName: irs[0].valueName } : {}), target: Math.max(2, Math.floor(rows / 3)), headroom: 0 });
  let gutter = 6;
  let lines = sampleAt(columns - gutter - 2);
  let y = scaleFor(lines);
  const widest = Math.max(1, ...y.ticks.map((t) => t.label.length));
  if (widest !== gutter) {
    gutter = widest;
    lines = sampleAt(columns - gutter - 2);
    y = scaleFor(lines);
  }
  const plotCols = columns - gutter - 2;
  const canvas = new BrailleCanvas(plotCols, rows);
  const xd = (x: number) => Math.round(((x - axis.min) / span) * (canvas.width - 1));
  const yd = (v: number) => Math.round((1 - y.frac(v)) * (canvas.height - 1));
  lines.forEach((line, i) => {
    const scale = axis.scales[i]!;
    let px = xd(line.t[0]! * scale);
    let py = yd(line.v[0]!);
    canvas.set(px, py, i);
    for (let k = 1; k < line.t.length; k++) {
      const qx = xd(line.t[k]! * scale);
      const qy = yd(line.v[k]!);
      canvas.line(px, py, qx, qy, i);
      px = qx;
      py = qy;
    }
  });

  const out: string[] = [];
  // Heading: name and settings, then the peak and final values (or a legend).
  const title = options.title ?? (single && irs[0]!.name !== "default" ? irs[0]!.name : "");
  if (single) {
    const head = [title, describe(irs[0]!)].filter((s) => s).join("  ");
    out.push(fit(head, columns));
    const peak = peakOf(lines[0]!);
    const at = peak.t > 0 ? ` at ${formatCount(peak.t * axis.scales[0]!)}` : "";
    out.push(fit(`peak ${formatRate(peak.v)}${at} · final ${formatRate(curves[0]!.final)}`, columns));
  } else {
    if (title) out.push(fit(title, columns));
    let row = "";
    let rowLen = 0;
    irs.forEach((ir, i) => {
      const peak = curves[i]!.extent(0, curves[i]!.total).max;
      const text = fit(`${ir.name} ${formatRate(peak)} → ${formatRate(curves[i]!.final)}`, columns - 3);
      const len = 3 + text.length;
      if (rowLen > 0 && rowLen + 2 + len > columns) {
        out.push(row);
        row = "";
        rowLen = 0;
      }
      row += (rowLen > 0 ? "  " : "") + paint("━━", i, color) + " " + text;
      rowLen += (rowLen > 0 ? 2 : 0) + len;
    });
    if (row) out.push(row);
  }
  out.push(fit(y.note ? `${y.label} · ${y.note}` : y.label, columns));

  // Plot rows, with a y label on the row each tick falls in.
  const labels = new Map<number, string>();
  for (const t of y.ticks) {
    const r = Math.floor(yd(t.value) / 4);
    if (r >= 0 && r < rows && !labels.has(r)) labels.set(r, t.label);
  }
  for (let r = 0; r < rows; r++) {
    const label = labels.get(r);
    const left = label === undefined ? " ".repeat(gutter) + " │" : label.padStart(gutter) + " ┤";
    out.push(dim(left, color) + canvas.row(r, color));
  }

  // The x axis rule, exactly `columns` wide, with a ┬ under each tick.
  const ticks = xTicks(axis, Math.max(2, Math.floor(plotCols / 12)));
  const rule = Array.from({ length: plotCols }, () => "─");
  const tickCells = ticks.map((t) => Math.min(plotCols - 1, Math.floor(xd(t.value) / 2)));
  for (const c of tickCells) rule[c] = "┬";
  out.push(dim(" ".repeat(gutter) + " └" + rule.join(""), color));

  // Tick labels centred under their ┬ where they fit, then the unit at the right.
  const under = Array.from({ length: columns }, () => " ");
  let free = 0;
  ticks.forEach((t, i) => {
    const centre = gutter + 2 + tickCells[i]!;
    const start = Math.max(free, Math.min(columns - t.label.length, centre - Math.floor(t.label.length / 2)));
    if (start > centre || start + t.label.length > columns) return;
    for (let k = 0; k < t.label.length; k++) under[start + k] = t.label[k]!;
    free = start + t.label.length + 1;
  });
  const unit = xLabel(axis);
  const labelLine = under.join("").replace(/ +$/, "");
  if (labelLine.length + 2 + unit.length <= columns) out.push(labelLine + " ".repeat(columns - labelLine.length - unit.length) + unit);
  else out.push(labelLine, unit.padStart(columns));

  if (single) {
    const phases = phaseRuler(irs[0]!, gutter + 2, columns, (tick) => Math.floor(xd(tick * axis.scales[0]!) / 2));
    if (phases) out.push(dim(phases, color));
  }
  return out.map((l) => l.replace(/ +$/, "")).join("\n") + "\n";
}

/** A line naming each phase under its stretch of the axis, where the name fits. */
function phaseRuler(ir: ScheduleIR, offset: number, columns: number, cellOf: (tick: number) => number): string | undefined {
  const phases = phaseSpans(ir);
  if (phases.length < 2) return undefined;
  const line = Array.from({ length: columns }, () => " ");
  for (const ph of phases) {
    const c0 = offset + cellOf(ph.start);
    const c1 = offset + cellOf(ph.end);
    if (ph.start > 0 && c0 < columns) line[c0] = "╵";
    const room = c1 - c0 - 2;
    if (ph.name.length > room) continue;
    const start = c0 + 1 + Math.floor((room - ph.name.length) / 2);
    for (let k = 0; k < ph.name.length; k++) line[start + k] = ph.name[k]!;
  }
  return line.join("").replace(/ +$/, "");
}
