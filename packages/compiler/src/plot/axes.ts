// What the axes of a plot mean, shared by the SVG and the terminal renderers.
//
// The x axis reads in the unit the schedule was written in: epochs for `total 90 epochs`
// (even when the clock ticks per step), tokens for `total 300B tokens`, steps otherwise.
// The y axis is the learning rate, or a multiplier of the optimizer's base rate for a
// relative schedule, on a linear or a log scale. A log axis cannot show 0, so values below
// the smallest positive one drawn are clamped to it and the axis says so.

import type { ScheduleIR } from "../ir.js";
import type { Polyline } from "./sample.js";
import { formatCount, formatRate, linearTicks, logTicks, type Tick } from "./ticks.js";

export type XUnit = "steps" | "epochs" | "tokens" | "ticks";

export interface XAxis {
  unit: XUnit;
  /** Per schedule: the x value of one tick (display = tick * scale). */
  scales: number[];
  /** The ends of the axis, in display units: 0 and the longest schedule's end unless zoomed. */
  min: number;
  max: number;
}

/** A zoomed part of a plot: ticks `from` to `to` of the first schedule's clock. */
export interface PlotWindow {
  from: number;
  to: number;
}

/** The ticks of schedule `i` that the axis shows (past `total` the rate holds, and is drawn). */
export function windowOf(axis: XAxis, i: number, total: number): { from: number; to: number } {
  const scale = axis.scales[i]!;
  return { from: axis.min / scale, to: axis.min === 0 && axis.max >= total * scale ? total : axis.max / scale };
}

/** The unit a schedule's x axis reads in, and the size of one tick in it. */
function ownUnit(ir: ScheduleIR): { unit: XUnit; scale: number } {
  if (ir.totalUnit === "tokens" && ir.clock === "steps" && ir.tokensPerStep) {
    return { unit: "tokens", scale: ir.tokensPerStep };
  }
  if (ir.clock === "epochs") return { unit: "epochs", scale: 1 };
  if (ir.totalUnit === "epochs" && ir.stepsPerEpoch) return { unit: "epochs", scale: 1 / ir.stepsPerEpoch };
  return { unit: "steps", scale: 1 };
}

/** One x axis for several schedules: their common unit, or optimizer steps when they differ. */
export function xAxisFor(irs: readonly ScheduleIR[], window?: PlotWindow): XAxis {
  const own = irs.map(ownUnit);
  let unit: XUnit = own[0]?.unit ?? "steps";
  let scales = own.map((o) => o.scale);
  if (own.some((o) => o.unit !== unit)) {
    // Mixed units meet on optimizer steps; a per-epoch clock without a steps-per-epoch
    // cannot be placed there, and then the axis can only count raw ticks.
    const steps = irs.map((ir) => (ir.clock === "epochs" ? ir.stepsPerEpoch : 1));
    unit = steps.every((s) => s !== undefined) ? "steps" : "ticks";
    scales = steps.map((s) => (unit === "steps" ? s! : 1));
  }
  if (window && scales.length > 0 && window.to > window.from) return { unit, scales, min: window.from * scales[0]!, max: window.to * scales[0]! };
  const max = Math.max(0, ...irs.map((ir, i) => ir.total * scales[i]!));
  return { unit, scales, min: 0, max: max > 0 ? max : 1 };
}

/** About `target` ticks along the x axis, labelled with k/M/B suffixes. */
export function xTicks(axis: XAxis, target: number): Tick[] {
  return linearTicks(axis.min, axis.max, target).map((value) => ({ value, label: formatCount(value) }));
}

/** The axis title: `steps`, `epochs`, `tokens`. */
export function xLabel(axis: XAxis): string {
  return axis.unit;
}

export interface YScale {
  log: boolean;
  /** Bottom and top of the axis (data values). */
  lo: number;
  hi: number;
  ticks: Tick[];
  /** The axis title, with the scale and any clamping said. */
  label: string;
  /** On a log axis: the value that smaller ones (and 0) are drawn at. */
  floor?: number;
  /** A note on clamping (`0 drawn at 1e-9`), when values were clamped. */
  note?: string;
  /** Position of a value from the bottom (0) to the top (1) of the axis. */
  frac(v: number): number;
}

export interface YScaleOptions {
  log: boolean;
  /** Every schedule is relative: values are multiples of the base rate. */
  relative: boolean;
  /** About how many ticks to show. */
  target: number;
  /** Room left above the largest value, as a fraction of the axis (0 to 1). */
  headroom: number;
  /**
   * What the values are, when not a learning rate (a hyperparameter's panel): the axis
   * is named after it and fits the values, rather than starting at 0.
   */
  valueName?: string;
}

/** The y axis that shows every value of the given polylines. */
export function yScaleFor(lines: readonly Polyline[], o: YScaleOptions): YScale {
  let min = Infinity;
  let max = -Infinity;
  let minPositive = Infinity;
  for (const line of lines) {
    for (const v of line.v) {
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v > 0 && v < minPositive) minPositive = v;
    }
  }
  if (!Number.isFinite(min)) {
    min = 0;
    max = 1;
  }
  const name = o.valueName ?? (o.relative ? "× base lr" : "learning rate");
  if (o.log && max > 0) return logScale(min, max, minPositive, name, o);
  // A rate is read against 0; a momentum between 0.85 and 0.95 is read against its range.
  const span = max - min;
  const lo = o.valueName === undefined ? Math.min(0, min) : span > 0 ? min - span * 0.1 : min - Math.abs(min) * 0.1 - (min === 0 ? 1 : 0);
  const top = max > lo ? max : lo + 1;
  const hi = top + ((top - lo) * o.headroom) / (1 - o.headroom);
  const values = linearTicks(lo, hi, o.target);
  return {
    log: false,
    lo,
    hi,
    ticks: values.map((value) => ({ value, label: formatRate(value) })),
    label: o.log ? `${name} (linear: no positive values for a log scale)` : name,
    frac: (v) => (v - lo) / (hi - lo),
  };
}

function logScale(min: number, max: number, minPositive: number, name: string, o: YScaleOptions): YScale {
  // The smallest positive value drawn sets the bottom, but no lower than 8 decades under
  // the top: a cosine that reaches 0 passes through values like 1e-17 that say nothing.
  const floor = Math.max(minPositive, max * 1e-8);
  let lo = floor;
  let hi = max;
  if (hi / lo < 10 ** 0.5) {
    // A nearly flat schedule still gets a readable stretch of axis around it.
    lo = floor / 10 ** 0.5;
    hi = max * 10 ** 0.5;
  }
  const decades = Math.log10(hi) - Math.log10(lo);
  hi = 10 ** (Math.log10(hi) + (decades * o.headroom) / (1 - o.headroom));
  const l0 = Math.log10(lo);
  const l1 = Math.log10(hi);
  let note: string | undefined;
  if (min <= 0) note = `0 drawn at ${formatRate(floor)}`;
  else if (min < floor) note = `values below ${formatRate(floor)} drawn at it`;
  return {
    log: true,
    lo,
    hi,
    floor,
    note,
    ticks: logTicks(lo, hi, o.target).map((value) => ({ value, label: formatRate(value) })),
    label: `${name} (log)`,
    frac: (v) => (Math.log10(Math.max(v, floor)) - l0) / (l1 - l0),
  };
}

/** A one-line description of a schedule: `lr 3e-4 · 100k steps`. */
export function describe(ir: ScheduleIR): string {
  const own = ownUnit(ir);
  const unit = own.unit === "ticks" ? "steps" : own.unit;
  // A hyperparameter's panel is titled with its name already: only its length is news.
  const parts = ir.valueName ? [] : [ir.relative || ir.peak === undefined ? "relative (× base lr)" : `lr ${formatRate(ir.peak)}`];
  let total = `${formatCount(ir.total * own.scale)} ${unit}`;
  if (own.unit === "tokens") total += ` (${formatCount(ir.total)} steps)`;
  else if (own.unit === "epochs" && ir.clock === "steps") total += ` (${formatCount(ir.total)} steps)`;
  parts.push(total);
  return parts.join(" · ");
}

export interface PhaseSpan {
  /** The phase keyword (`warmup`, `cosine`, `hold` for the implicit fill, ...). */
  name: string;
  start: number;
  end: number;
}

/** The phases of a schedule as spans of ticks: a phase may lower to several segments. */
export function phaseSpans(ir: ScheduleIR): PhaseSpan[] {
  const out: (PhaseSpan & { index: number })[] = [];
  for (const seg of ir.segments) {
    const last = out[out.length - 1];
    if (last && last.index === seg.phaseIndex && last.name === seg.phase) last.end = seg.end;
    else out.push({ index: seg.phaseIndex, name: seg.phase, start: seg.start, end: seg.end });
  }
  return out.map(({ name, start, end }) => ({ name, start, end }));
}

/** The largest value of a polyline and the first tick it is reached at. */
export function peakOf(line: Polyline): { t: number; v: number } {
  let best = 0;
  for (let i = 1; i < line.v.length; i++) if (line.v[i]! > line.v[best]!) best = i;
  return { t: line.t[best] ?? 0, v: line.v[best] ?? 0 };
}
