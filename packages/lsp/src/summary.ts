// How the server writes a schedule's numbers and pictures: exact step counts (`4,000`),
// rates as a paper writes them (`3e-4`; `10%` of the peak in a relative schedule), the
// one-line sparkline summary the inlay hint and the code lens show, and the hover's plot as
// an SVG data URI. Hover, inlay hints and code lenses all write through here, so the same
// number reads the same everywhere.

import {
  formatCount,
  formatNumber,
  formatRate,
  rateAt,
  type RateValue,
  renderSvg,
  type ScheduleIR,
  segmentEnd,
  sparklineColumns,
  sparklineText,
} from "@anneal/compiler";

/** An exact count with thousands separators (`4,000`), as the compiler's messages write it. */
export const count = formatNumber;

/** `4,000 steps`, `1 epoch`. */
export function ticks(n: number, clock: ScheduleIR["clock"] | undefined): string {
  if (!clock) return count(n);
  return `${count(n)} ${n === 1 ? clock.slice(0, -1) : clock}`;
}

/**
 * A rate value: absolute (`3e-4`) when the peak is known, else in the language's own
 * relative terms (`10%` of the peak, `1e-6` absolute, or both).
 */
export function rate(v: RateValue, peak: number | undefined): string {
  if (peak !== undefined) return formatRate(rateAt(v, peak));
  const parts: string[] = [];
  if (v.scale !== 0) parts.push(`${formatRate(v.scale * 100)}%`);
  if (v.abs !== 0 || parts.length === 0) parts.push(formatRate(v.abs));
  return parts.join(" + ");
}

/** A schedule's peak as a rate value: the largest value any segment starts or ends on. */
function peakValue(ir: ScheduleIR): RateValue {
  // Every shape is monotone between the ends of its pieces, and a restart cycle starts at
  // or below its segment's start, so the largest end value is the largest rate.
  let best: RateValue = ir.final;
  const at = (v: RateValue) => rateAt(v, ir.peak ?? 1);
  for (const s of ir.segments) for (const v of [s.from, s.to, segmentEnd(s)]) if (at(v) > at(best)) best = v;
  return best;
}

/** The length of a schedule, in the unit its `total` was written in when that differs. */
export function totalText(ir: ScheduleIR): string {
  const own = ticks(ir.total, ir.clock);
  if (ir.totalUnit === "tokens" && ir.tokensPerStep !== undefined) return `${formatCount(ir.total * ir.tokensPerStep)} tokens (${own})`;
  if (ir.totalUnit === "epochs" && ir.clock === "steps" && ir.stepsPerEpoch !== undefined) return `${formatCount(ir.total / ir.stepsPerEpoch)} epochs (${own})`;
  return own;
}

export interface ScheduleSummary {
  spark: string;
  /** The largest rate, written as `rate()` writes it. */
  peak: string;
  /** The rate held from `total` on. */
  final: string;
  total: string;
}

export const SPARK_WIDTH = 16;

export function summarize(ir: ScheduleIR, width = SPARK_WIDTH): ScheduleSummary {
  // Absolute schedules read their peak off the curve itself; relative ones have no number
  // until run time, so their peak is written as a fraction of the optimizer's rate.
  const columns = sparklineColumns(ir, width);
  const peak = ir.relative ? rate(peakValue(ir), undefined) : formatRate(Math.max(...columns.map((c) => c.max)));
  return { spark: sparklineText(columns), peak, final: rate(ir.final, ir.relative ? undefined : ir.peak), total: totalText(ir) };
}

/** `⣠⣾⣿⣷⣦⣤⣀⣀ 3e-4 → 1e-6`: the inlay hint at the end of a schedule. */
export function sparkLabel(ir: ScheduleIR, width = SPARK_WIDTH): string {
  const s = summarize(ir, width);
  return `${s.spark} ${s.peak} → ${s.final}`;
}

/**
 * `momentum`'s hint at the end of its chain: the chain's sparkline (from its lowest value to
 * its highest), then its first value and
 * the one held from `total` on (`0.95 → 0.95` for one-cycle's dip and return), since a
 * hyperparameter has no peak that means anything.
 */
export function paramSparkLabel(p: ScheduleIR, width = SPARK_WIDTH): string {
  const first = p.segments[0]?.from ?? p.final;
  return `${sparklineText(sparklineColumns(p, width), "range")} ${rate(first, p.peak)} → ${rate(p.final, p.peak)}`;
}

/** Base64 of the UTF-8 bytes of `text`, in Node and in browsers alike. */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const PLOT_WIDTH = 360;
export const PLOT_HEIGHT = 120;

/**
 * The hover's plot: the compact SVG's hover variant (transparent, with the peak, the final
 * rate, the step range and the marked step written on it), optionally marking one tick.
 */
export function plotDataUri(ir: ScheduleIR, marker?: number): string {
  const svg = renderSvg(ir, { compact: true, hover: true, width: PLOT_WIDTH, height: PLOT_HEIGHT, ...(marker !== undefined ? { marker } : {}) });
  return `data:image/svg+xml;base64,${base64(svg)}`;
}
