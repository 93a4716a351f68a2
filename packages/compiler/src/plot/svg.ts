// The SVG renderer: one function that draws one or more schedules, for files, for the PNG
// renderer (which rasterises this very SVG) and, in its compact form, for editor hovers.
//
// The output is a self-contained SVG document: no external fonts, stylesheets or images,
// every name escaped, so it can be written to disk, inlined in HTML or shipped as a data
// URI. The curve is the exact polyline from sample.ts at one column per pixel; the full form
// adds phase bands, axes with engineering ticks, the peak and final values, a legend when
// schedules are overlaid, and an optional marker at one step.

import type { ScheduleIR } from "../ir.js";
import { describe, peakOf, phaseSpans, type PlotWindow, windowOf, xAxisFor, xLabel, xTicks, yScaleFor, type XAxis, type YScale } from "./axes.js";
import { Curve } from "./curve.js";
import { sampleCurve, type Polyline } from "./sample.js";
import { formatCount, formatRate } from "./ticks.js";

export interface SvgOptions {
  /** Size in CSS pixels (default 720 × 360, or 320 × 120 compact). */
  width?: number;
  height?: number;
  /** A log-scale y axis. */
  log?: boolean;
  /** A small chart with no text or axes, for hovers and previews. */
  compact?: boolean;
  /**
   * With `compact`: the editor hover's variant, on a transparent background that suits light
   * and dark themes, with the peak, the final rate, the step range and the marked step labelled.
   */
  hover?: boolean;
  /** A tick to mark with a vertical line and a dot on each curve. */
  marker?: number;
  /** A heading; defaults to the schedule's name when one schedule is drawn. */
  title?: string;
  /** The base rate that relative schedules are drawn against (default 1: a multiplier). */
  baseLr?: number;
  /** Draw only these ticks (of the first schedule's clock): a zoom. */
  window?: PlotWindow;
}

/** Line colours, in overlay order: a warm orange first, then clearly distinct hues. */
export const PALETTE = ["#e8590c", "#1c7ed6", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#c2255c", "#5c7cfa"];

const FONT = "DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif";
const INK = "#212529";
const MUTED = "#6c757d";
const GRID = "#e9ecef";
const AXIS = "#adb5bd";
const BAND = "#f3f4f6";

/** Escapes text for XML content and attributes, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A coordinate with at most two decimals, and no `-0`. */
function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** Rough width of a label in DejaVu Sans, whose glyphs average about 0.6 em. */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface Series {
  ir: ScheduleIR;
  curve: Curve;
  line: Polyline;
  color: string;
  scale: number;
}

/** Draws one schedule or several overlaid. */
export function renderSvg(input: ScheduleIR | readonly ScheduleIR[], options: SvgOptions = {}): string {
  const irs: readonly ScheduleIR[] = Array.isArray(input) ? input : [input as ScheduleIR];
  const compact = options.compact ?? false;
  const width = Math.max(compact ? 40 : 160, Math.round(options.width ?? (compact ? 320 : 720)));
  const height = Math.max(compact ? 20 : 100, Math.round(options.height ?? (compact ? 120 : 360)));
  const axis = xAxisFor(irs, options.window);
  const curves = irs.map((ir) => new Curve(ir, options.baseLr));
  const relative = irs.length > 0 && irs.every((ir) => ir.relative);
  const single = irs.length === 1;

  const title = options.title ?? (single && irs[0]!.name !== "default" ? irs[0]!.name : "");
  const subtitle = single ? describe(irs[0]!) : "";
  const legend = single ? [] : legendLayout(irs, curves, width, title || subtitle ? 44 : 22);
  const legendBottom = legend.length > 0 ? legend[legend.length - 1]!.y : 22;
  const labelled = compact && (options.hover ?? false);
  const top = compact ? (labelled ? 16 : 4) : legendBottom + 30;
  const bottom = height - (compact ? (labelled ? 16 : 4) : 42);
  // A single schedule's final value is labelled right of the curve's end, in the margin.
  const finalLabel = single && !compact ? `final ${formatRate(curves[0]!.final)}` : "";
  const right = width - (compact ? 4 : finalLabel ? Math.max(22, textWidth(finalLabel, 11) + 16) : 22);

  // The left margin depends on the y labels, which depend on the sampled values, which
  // depend on the plot width: sample once with a guess and again if the guess was off.
  let left = compact ? 4 : 58;
  let series = sampleAll(irs, curves, axis, right - left);
  let y = yScaleFor(
    series.map((s) => s.line),
    { log: options.log ?? false, relative, ...(irs[0]?.valueName ? { valueName: irs[0].valueName } : {}), target: Math.max(2, Math.round((bottom - top) / 60)), headroom: compact ? 0.06 : 0.14 },
  );
  if (!compact) {
    const needed = Math.ceil(Math.max(...y.ticks.map((t) => textWidth(t.label, 11)), 20) + 16);
    if (needed !== left) {
      left = needed;
      series = sampleAll(irs, curves, axis, right - left);
    }
  }
  const plot: Rect = { left, top, right, bottom };
  const xOf = (x: number) => plot.left + ((x - axis.min) / (axis.max - axis.min)) * (plot.right - plot.left);
  const yOf = (v: number) => plot.bottom - y.frac(v) * (plot.bottom - plot.top);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="${FONT}" role="img">`,
  );
  const names = irs.map((ir) => ir.name).join(", ");
  out.push(`<title>${escapeXml(title || names || "learning-rate schedule")}</title>`);
  if (!labelled) out.push(`<rect width="${width}" height="${height}" fill="#ffffff"${compact ? ' rx="4"' : ""}/>`);

  const peak = single && !compact && series[0] ? peakLabel(series[0], plot, xOf, yOf) : undefined;
  // On a transparent hover the light phase bands are faint, so a dark theme is not striped.
  if (labelled) out.push('<g opacity="0.12">');
  if (single) drawPhases(out, irs[0]!, axis.scales[0]!, plot, xOf, compact, peak ? [peak.box] : []);
  if (labelled) out.push("</g>");
  if (!compact) drawGrid(out, plot, y, axis, xOf, yOf);
  else {
    out.push(
      `<line class="baseline" x1="${num(plot.left)}" y1="${num(plot.bottom)}" x2="${num(plot.right)}" y2="${num(plot.bottom)}" stroke="${AXIS}" stroke-width="1"/>`,
    );
  }

  for (const s of series) {
    const d = pathData(s, xOf, yOf);
    if (single) {
      const x0 = num(xOf(s.line.t[0]! * s.scale));
      const x1 = num(xOf(s.line.t[s.line.t.length - 1]! * s.scale));
      out.push(`<path d="${d}L${x1},${num(plot.bottom)}L${x0},${num(plot.bottom)}Z" fill="${s.color}" fill-opacity="0.07" stroke="none"/>`);
    }
    out.push(
      `<path class="curve" data-schedule="${escapeXml(s.ir.name)}" d="${d}" fill="none" stroke="${s.color}" ` +
        `stroke-width="${compact ? 1.5 : 2}" stroke-linejoin="round" stroke-linecap="round"/>`,
    );
  }

  if (!compact) {
    drawTitle(out, title, subtitle, plot);
    // A zoom that ends before `total` has no final value to label.
    if (peak) drawPeakAndFinal(out, series[0]!, peak, series[0]!.curve.total * series[0]!.scale <= axis.max ? finalLabel : "", xOf, yOf);
    if (!single) drawLegend(out, legend, plot);
  }
  if (options.marker !== undefined && Number.isFinite(options.marker)) {
    drawMarker(out, options.marker, series, plot, axis, xOf, yOf, compact);
  }
  if (labelled && single && series[0]) drawHoverLabels(out, series[0], plot, axis, options.marker, xOf);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function sampleAll(irs: readonly ScheduleIR[], curves: Curve[], axis: XAxis, plotWidth: number): Series[] {
  return irs.map((ir, i) => {
    const scale = axis.scales[i]!;
    // One column per pixel of the part of the axis this schedule spans.
    const w = windowOf(axis, i, ir.total);
    const columns = Math.max(1, Math.round((plotWidth * (w.to - w.from) * scale) / (axis.max - axis.min)));
    return {
      ir,
      curve: curves[i]!,
      line: sampleCurve(curves[i]!, { ...w, columns }),
      color: PALETTE[i % PALETTE.length]!,
      scale,
    };
  });
}

/** `M x,y L x,y ...` in pixels, skipping points that land on the previous pixel position. */
function pathData(s: Series, xOf: (x: number) => number, yOf: (v: number) => number): string {
  const parts: string[] = [];
  let prev = "";
  for (let i = 0; i < s.line.t.length; i++) {
    const p = `${num(xOf(s.line.t[i]! * s.scale))},${num(yOf(s.line.v[i]!))}`;
    if (p === prev) continue;
    parts.push((parts.length === 0 ? "M" : "L") + p);
    prev = p;
  }
  return parts.join("");
}

/**
 * Light bands behind alternate phases (the first, third, ...: a short warmup is the usual
 * first phase, so the long middle phase stays white), with each phase's keyword on top
 * where it fits inside its band and clear of the `avoid` boxes.
 */
function drawPhases(
  out: string[],
  ir: ScheduleIR,
  scale: number,
  plot: Rect,
  xOf: (x: number) => number,
  compact: boolean,
  avoid: Box[],
): void {
  const phases = phaseSpans(ir);
  if (phases.length < 2) return;
  out.push('<g class="phases">');
  phases.forEach((ph, i) => {
    // Clamped to the plot: a zoom shows only part of the phases.
    const x0 = Math.max(plot.left, xOf(ph.start * scale));
    const x1 = Math.min(plot.right, xOf(ph.end * scale));
    if (x1 <= x0 && i > 0) return;
    if (i % 2 === 0) {
      out.push(
        `<rect x="${num(x0)}" y="${num(plot.top)}" width="${num(Math.max(0, x1 - x0))}" height="${num(plot.bottom - plot.top)}" fill="${BAND}"/>`,
      );
    }
    if (i > 0) {
      out.push(
        `<line x1="${num(x0)}" y1="${num(plot.top)}" x2="${num(x0)}" y2="${num(plot.bottom)}" stroke="#dee2e6" stroke-width="1" stroke-dasharray="3 3"/>`,
      );
    }
    const w = textWidth(ph.name, 10.5);
    const label: Box = { x0: (x0 + x1) / 2 - w / 2, x1: (x0 + x1) / 2 + w / 2, y0: plot.top + 4, y1: plot.top + 17 };
    if (!compact && w + 8 <= x1 - x0 && !avoid.some((b) => overlaps(b, label))) {
      out.push(
        `<text class="phase" x="${num((x0 + x1) / 2)}" y="${num(plot.top + 14)}" font-size="10.5" fill="${MUTED}" text-anchor="middle">${escapeXml(ph.name)}</text>`,
      );
    }
  });
  out.push("</g>");
}

function drawGrid(out: string[], plot: Rect, y: YScale, axis: XAxis, xOf: (x: number) => number, yOf: (v: number) => number): void {
  out.push('<g class="axes">');
  for (const t of y.ticks) {
    const py = yOf(t.value);
    if (py < plot.top - 0.5 || py > plot.bottom + 0.5) continue;
    if (Math.abs(py - plot.bottom) > 0.5) {
      out.push(`<line x1="${num(plot.left)}" y1="${num(py)}" x2="${num(plot.right)}" y2="${num(py)}" stroke="${GRID}" stroke-width="1"/>`);
    }
    out.push(
      `<text class="ytick" x="${num(plot.left - 8)}" y="${num(py + 4)}" font-size="11" fill="${MUTED}" text-anchor="end">${escapeXml(t.label)}</text>`,
    );
  }
  out.push(
    `<line class="baseline" x1="${num(plot.left)}" y1="${num(plot.bottom)}" x2="${num(plot.right)}" y2="${num(plot.bottom)}" stroke="${AXIS}" stroke-width="1"/>`,
  );
  const ticks = xTicks(axis, Math.max(2, Math.round((plot.right - plot.left) / 90)));
  for (const t of ticks) {
    const px = xOf(t.value);
    out.push(`<line x1="${num(px)}" y1="${num(plot.bottom)}" x2="${num(px)}" y2="${num(plot.bottom + 4)}" stroke="${AXIS}" stroke-width="1"/>`);
    out.push(
      `<text class="xtick" x="${num(px)}" y="${num(plot.bottom + 17)}" font-size="11" fill="${MUTED}" text-anchor="middle">${escapeXml(t.label)}</text>`,
    );
  }
  out.push(
    `<text class="xlabel" x="${num(plot.right)}" y="${num(plot.bottom + 34)}" font-size="11" fill="${MUTED}" text-anchor="end">${escapeXml(xLabel(axis))}</text>`,
  );
  const ylabel = y.note ? `${y.label} · ${y.note}` : y.label;
  out.push(
    `<text class="ylabel" x="${num(plot.left - 8)}" y="${num(plot.top - 8)}" font-size="11" fill="${MUTED}">${escapeXml(ylabel)}</text>`,
  );
  out.push("</g>");
}

function drawTitle(out: string[], title: string, subtitle: string, plot: Rect): void {
  const x = num(Math.max(12, plot.left - 8));
  if (!title && !subtitle) return;
  const parts: string[] = [];
  if (title) parts.push(`<tspan font-weight="bold" fill="${INK}">${escapeXml(title)}</tspan>`);
  if (subtitle) parts.push(`<tspan fill="${MUTED}" font-size="12"${title ? ' dx="10"' : ""}>${escapeXml(subtitle)}</tspan>`);
  out.push(`<text class="title" x="${x}" y="22" font-size="15">${parts.join("")}</text>`);
}

interface PeakLabel {
  x: number;
  y: number;
  text: string;
  anchor: "start" | "middle" | "end";
  /** Where the text goes, so other labels can keep clear of it. */
  box: Box;
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The peak's dot and label: above the first point the curve reaches its largest value. */
function peakLabel(s: Series, plot: Rect, xOf: (x: number) => number, yOf: (v: number) => number): PeakLabel {
  const peak = peakOf(s.line);
  const x = xOf(peak.t * s.scale);
  const y = yOf(peak.v);
  const at = peak.t > 0 ? ` at ${formatCount(peak.t * s.scale)}` : "";
  const text = `peak ${formatRate(peak.v)}${at}`;
  const w = textWidth(text, 11);
  const anchor = x - w / 2 < plot.left ? "start" : x + w / 2 > plot.right ? "end" : "middle";
  const x0 = anchor === "start" ? x + 2 : anchor === "end" ? x - 2 - w : x - w / 2;
  return { x, y, text, anchor, box: { x0, x1: x0 + w, y0: y - 20, y1: y - 6 } };
}

function drawPeakAndFinal(
  out: string[],
  s: Series,
  peak: PeakLabel,
  finalLabel: string,
  xOf: (x: number) => number,
  yOf: (v: number) => number,
): void {
  const lx = peak.anchor === "start" ? peak.x + 2 : peak.anchor === "end" ? peak.x - 2 : peak.x;
  out.push('<g class="annotations">');
  out.push(dot(peak.x, peak.y, s.color));
  out.push(
    `<text class="peak" x="${num(lx)}" y="${num(peak.y - 9)}" font-size="11" fill="${INK}" text-anchor="${peak.anchor}">${escapeXml(peak.text)}</text>`,
  );
  if (finalLabel) {
    const fx = xOf(s.curve.total * s.scale);
    const fy = yOf(s.curve.final);
    if (Math.abs(fx - peak.x) > 1 || Math.abs(fy - peak.y) > 1) out.push(dot(fx, fy, s.color));
    out.push(
      `<text class="final" x="${num(fx + 7)}" y="${num(fy + 4)}" font-size="11" fill="${INK}">${escapeXml(finalLabel)}</text>`,
    );
  }
  out.push("</g>");
}

function dot(x: number, y: number, color: string): string {
  return `<circle cx="${num(x)}" cy="${num(y)}" r="3.5" fill="${color}" stroke="#ffffff" stroke-width="1.5"/>`;
}

interface LegendItem {
  text: string;
  color: string;
  /** Offset from the left of the legend, and the text baseline. */
  x: number;
  y: number;
}

/** Legend entries laid out left to right from baseline `y`, wrapping to more rows if needed. */
function legendLayout(irs: readonly ScheduleIR[], curves: Curve[], width: number, y: number): LegendItem[] {
  const items: LegendItem[] = [];
  let x = 0;
  const maxWidth = width - 40;
  irs.forEach((ir, i) => {
    const c = curves[i]!;
    const peak = c.extent(0, c.total).max;
    const text = `${ir.name}  ${formatRate(peak)} → ${formatRate(c.final)}`;
    const w = 22 + textWidth(text, 11) + 18;
    if (x > 0 && x + w > maxWidth) {
      y += 18;
      x = 0;
    }
    items.push({ text, color: PALETTE[i % PALETTE.length]!, x, y });
    x += w;
  });
  return items;
}

function drawLegend(out: string[], items: LegendItem[], plot: Rect): void {
  out.push('<g class="legend">');
  const x0 = Math.max(12, plot.left - 8);
  for (const it of items) {
    const x = x0 + it.x;
    out.push(`<line x1="${num(x)}" y1="${num(it.y - 4)}" x2="${num(x + 16)}" y2="${num(it.y - 4)}" stroke="${it.color}" stroke-width="2.5" stroke-linecap="round"/>`);
    out.push(`<text class="legend-item" x="${num(x + 22)}" y="${num(it.y)}" font-size="11" fill="${INK}">${escapeXml(it.text)}</text>`);
  }
  out.push("</g>");
}

/** A grey that reads on light and dark editor themes alike. */
const HOVER_INK = "#868e96";

/**
 * The hover variant's words, in the margins the compact chart leaves: the peak and the
 * final rate above the plot, the step range under the axis, and the marked step with its
 * rate between them.
 */
function drawHoverLabels(
  out: string[],
  s: Series,
  plot: Rect,
  axis: XAxis,
  marker: number | undefined,
  xOf: (x: number) => number,
): void {
  const text = (x: number, y: number, anchor: string, label: string, cls: string) =>
    out.push(`<text class="${cls}" x="${num(x)}" y="${num(y)}" font-size="10" fill="${HOVER_INK}" text-anchor="${anchor}">${escapeXml(label)}</text>`);
  // The top line: the peak at the left, the final rate at the right; the values are
  // found on the curve by the marker's dot and the curve's ends.
  text(plot.left, plot.top - 5, "start", `peak ${formatRate(peakOf(s.line).v)}`, "peak-label");
  text(plot.right, plot.top - 5, "end", `final ${formatRate(s.curve.final)}`, "final-label");
  const unit = xLabel(axis);
  text(plot.left, plot.bottom + 12, "start", "0", "range-label");
  text(plot.right, plot.bottom + 12, "end", `${formatCount(s.curve.total * s.scale)} ${unit}`, "range-label");
  if (marker !== undefined && Number.isFinite(marker)) {
    const tick = Math.min(Math.max(marker, 0), s.curve.total);
    const mx = xOf(tick * s.scale);
    text(Math.min(Math.max(mx, plot.left + 40), plot.right - 70), plot.bottom + 12, "middle", `${formatCount(tick * s.scale)}: ${formatRate(s.curve.valueAt(tick))}`, "marker-label");
  }
}

function drawMarker(
  out: string[],
  marker: number,
  series: Series[],
  plot: Rect,
  axis: XAxis,
  xOf: (x: number) => number,
  yOf: (v: number) => number,
  compact: boolean,
): void {
  const first = series[0];
  if (!first) return;
  const tick = Math.min(Math.max(marker, 0), first.curve.total);
  const mx = xOf(tick * first.scale);
  out.push('<g class="marker">');
  out.push(
    `<line class="marker-line" x1="${num(mx)}" y1="${num(plot.top)}" x2="${num(mx)}" y2="${num(plot.bottom)}" stroke="#495057" stroke-width="1" stroke-dasharray="2 3"/>`,
  );
  for (const s of series) {
    const t = Math.min(Math.max(marker, 0), s.curve.total);
    out.push(dot(xOf(t * s.scale), yOf(s.curve.valueAt(t)), s.color));
  }
  if (!compact) {
    const text = `${formatCount(tick * first.scale)} ${xLabel(axis)}: ${formatRate(first.curve.valueAt(tick))}`;
    const anchor = mx + textWidth(text, 11) + 6 > plot.right ? "end" : "start";
    out.push(
      `<text class="marker-label" x="${num(anchor === "end" ? mx - 5 : mx + 5)}" y="${num(plot.top + 28)}" font-size="11" fill="#495057" text-anchor="${anchor}">${escapeXml(text)}</text>`,
    );
  }
  out.push("</g>");
}
