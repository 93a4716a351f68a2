// One schedule's plot in the preview: the rate over the whole run drawn from its per-pixel
// envelope, the phases as shaded bands, and a crosshair that reads out the exact rate at the
// hovered step. Two stacked canvases: the base (bands, grid, curve) is redrawn when the data,
// size, scale or theme change; the overlay (crosshair) on every pointer move.

import { createEvaluator, type Evaluator } from "@anneal/compiler/evaluate";
import type { ScheduleIR, Segment } from "@anneal/compiler/ir";
import type { ScheduleEntry } from "../server-protocol.js";
import { type Column, formatCount, formatNumber, formatRate, linearTicks, logTicks, tickColumns } from "@anneal/compiler/plot";

/** Colours and fonts, read from the editor theme's CSS variables. */
export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  line: string;
  tagBg: string;
  tagFg: string;
  font: string;
  mono: string;
}

export function readTheme(): Theme {
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return {
    fg: v("--vscode-foreground", "#cccccc"),
    muted: v("--vscode-descriptionForeground", "#9d9d9d"),
    grid: v("--vscode-charts-lines", "rgba(204, 204, 204, 0.5)"),
    line: v("--vscode-charts-blue", "#3794ff"),
    tagBg: v("--vscode-badge-background", "#616161"),
    tagFg: v("--vscode-badge-foreground", "#f8f8f8"),
    font: v("--vscode-font-family", "system-ui, sans-serif"),
    mono: v("--vscode-editor-font-family", "ui-monospace, Menlo, Consolas, monospace"),
  };
}

/** The plot area inside the canvas, in CSS pixels. */
interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The rate axis: linear from `lo` to `hi`, or log10 from 10**lo to 10**hi. */
interface RateAxis {
  log: boolean;
  lo: number;
  hi: number;
  ticks: number[];
}

export interface ChartOptions {
  logScale: boolean;
  theme: Theme;
  height: number;
  /** Called on a double-click: show this segment's phase in the source. */
  onReveal(segment: Segment): void;
}

const MARGIN = { top: 20, right: 14, bottom: 24 };
const LABEL_FONT_PX = 11;

export class ScheduleChart {
  readonly root: HTMLElement;
  private entry: ScheduleEntry;
  private evaluator: Evaluator | undefined;
  private readonly opts: ChartOptions;
  private readonly title: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly readout: HTMLOutputElement;
  private readonly plot: HTMLElement;
  private readonly invalid: HTMLElement;
  private readonly base: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private frame: Frame = { left: 0, top: 0, width: 0, height: 0 };
  private axis: RateAxis = { log: false, lo: 0, hi: 1, ticks: [] };
  private hover: number | null = null;

  constructor(entry: ScheduleEntry, opts: ChartOptions) {
    this.entry = entry;
    this.opts = opts;
    this.root = el("section", "chart");
    const header = el("header");
    this.title = el("h2");
    this.meta = el("span", "meta");
    this.readout = el("output", "readout") as HTMLOutputElement;
    header.append(this.title, this.meta, this.readout);
    this.invalid = el("div", "invalid");
    this.plot = el("div", "plot");
    this.base = el("canvas", "base") as HTMLCanvasElement;
    this.overlay = el("canvas", "overlay") as HTMLCanvasElement;
    this.overlay.tabIndex = 0;
    this.plot.append(this.base, this.overlay);
    this.root.append(header, this.invalid, this.plot);
    this.overlay.addEventListener("pointermove", (e) => this.pointAt(e.offsetX));
    this.overlay.addEventListener("pointerleave", () => this.setHover(null));
    this.overlay.addEventListener("keydown", (e) => this.key(e));
    this.overlay.addEventListener("dblclick", (e) => {
      this.pointAt(e.offsetX);
      const seg = this.hover === null ? undefined : this.segmentAt(this.hover);
      // A stale curve's source ranges are an older version's: nothing to reveal.
      if (seg && this.entry.staleSince === undefined) this.opts.onReveal(seg);
    });
    this.setEntry(entry);
  }

  get name(): string {
    return this.entry.name;
  }

  setEntry(entry: ScheduleEntry): void {
    this.entry = entry;
    const ir = entry.ir;
    this.evaluator = ir ? createEvaluator(ir) : undefined;
    this.title.textContent = entry.name;
    this.meta.textContent = ir ? describe(ir) : "";
    // While the schedule has errors the server sends its last good lowering: the chart keeps
    // its place and its curve, dimmed, under a line that says so.
    const stale = ir !== null && entry.staleSince !== undefined;
    const none = entry.noRates ? `No chart: ${entry.noRates}.` : "This schedule has errors: see the Problems panel.";
    this.invalid.textContent = ir === null ? none : stale ? `This schedule has errors: the chart shows version ${entry.staleSince}, the last without them.` : "";
    this.invalid.hidden = ir !== null && !stale;
    this.plot.hidden = ir === null;
    this.root.classList.toggle("stale", stale);
    if (ir && this.hover !== null && this.hover >= ir.total) this.hover = ir.total - 1;
    this.render();
  }

  setLogScale(log: boolean): void {
    this.opts.logScale = log;
    this.render();
  }

  setTheme(theme: Theme): void {
    this.opts.theme = theme;
    this.render();
  }

  setHeight(height: number): void {
    this.opts.height = height;
    this.render();
  }

  /** Redraws everything at the current size. */
  render(): void {
    const ir = this.entry.ir;
    const cssWidth = this.plot.clientWidth;
    if (!ir || !this.evaluator || cssWidth <= 0) return;
    const cssHeight = this.opts.height;
    this.plot.style.height = `${cssHeight}px`;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.base, this.overlay]) {
      c.width = Math.round(cssWidth * dpr);
      c.height = Math.round(cssHeight * dpr);
      c.style.width = `${cssWidth}px`;
      c.style.height = `${cssHeight}px`;
    }
    const ctx = this.base.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);

    // The rate axis comes from a coarse envelope; its widest label sets the left margin, and
    // only then is the plot width, and so the number of columns, known.
    const coarse = tickColumns(ir, 512);
    this.axis = rateAxis(coarse, this.opts.logScale, cssHeight);
    ctx.font = `${LABEL_FONT_PX}px ${this.opts.theme.mono}`;
    const labelWidth = Math.max(...this.axis.ticks.map((t) => ctx.measureText(this.rateLabel(t)).width), 20);
    const left = Math.ceil(labelWidth + 12);
    this.frame = {
      left,
      top: MARGIN.top,
      width: Math.max(10, cssWidth - left - MARGIN.right),
      height: Math.max(10, cssHeight - MARGIN.top - MARGIN.bottom),
    };
    // Expose the plot area so tests (and anyone inspecting the page) can map pixels to steps.
    Object.assign(this.overlay.dataset, {
      left: String(this.frame.left),
      top: String(this.frame.top),
      width: String(this.frame.width),
      height: String(this.frame.height),
      total: String(ir.total),
    });
    const columns = tickColumns(ir, Math.max(1, Math.round(this.frame.width * dpr)));
    this.drawBands(ctx, ir);
    this.drawGrid(ctx, ir);
    this.drawCurve(ctx, columns, dpr);
    this.drawOverlay();
  }

  private x(t: number): number {
    const total = this.entry.ir?.total ?? 1;
    return this.frame.left + (t / total) * this.frame.width;
  }

  private y(v: number): number {
    const { log, lo, hi } = this.axis;
    const f = this.frame;
    let u: number;
    if (log) u = v > 0 ? (Math.log10(v) - lo) / (hi - lo) : 0;
    else u = (v - lo) / (hi - lo);
    u = Math.min(1, Math.max(0, u));
    return f.top + f.height * (1 - u);
  }

  private rateLabel(v: number): string {
    return this.entry.ir?.relative ? `×${formatRate(v, 3)}` : formatRate(v, 3);
  }

  private drawBands(ctx: CanvasRenderingContext2D, ir: ScheduleIR): void {
    const { theme } = this.opts;
    const f = this.frame;
    ctx.save();
    ctx.font = `${LABEL_FONT_PX}px ${theme.font}`;
    ctx.textBaseline = "alphabetic";
    ir.segments.forEach((seg, i) => {
      const x0 = this.x(seg.start);
      const x1 = this.x(seg.end);
      if (i % 2 === 1) {
        ctx.globalAlpha = 0.06;
        ctx.fillStyle = theme.fg;
        ctx.fillRect(x0, f.top, x1 - x0, f.height);
      }
      if (i > 0) {
        ctx.globalAlpha = 0.35;
        ctx.strokeStyle = theme.grid;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(Math.round(x0) + 0.5, f.top - 14);
        ctx.lineTo(Math.round(x0) + 0.5, f.top + f.height);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      const label = seg.phaseIndex < 0 ? "hold" : seg.phase;
      if (ctx.measureText(label).width + 8 <= x1 - x0) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = theme.muted;
        ctx.fillText(label, x0 + 4, f.top - 6);
      }
    });
    ctx.restore();
  }

  private drawGrid(ctx: CanvasRenderingContext2D, ir: ScheduleIR): void {
    const { theme } = this.opts;
    const f = this.frame;
    ctx.save();
    ctx.font = `${LABEL_FONT_PX}px ${theme.mono}`;
    ctx.lineWidth = 1;
    ctx.strokeStyle = theme.grid;
    ctx.fillStyle = theme.muted;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of this.axis.ticks) {
      const y = Math.round(this.y(t)) + 0.5;
      ctx.globalAlpha = 0.22;
      ctx.beginPath();
      ctx.moveTo(f.left, y);
      ctx.lineTo(f.left + f.width, y);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.fillText(this.rateLabel(t), f.left - 8, y);
    }
    // The time axis, in the schedule's own ticks, labelled the way Anneal writes counts.
    const xTicks = linearTicks(0, ir.total, Math.max(2, Math.floor(f.width / 90)));
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const bottom = f.top + f.height;
    ctx.globalAlpha = 0.5;
    ctx.beginPath();
    ctx.moveTo(f.left, bottom + 0.5);
    ctx.lineTo(f.left + f.width, bottom + 0.5);
    ctx.stroke();
    for (const t of xTicks) {
      const x = Math.round(this.x(t)) + 0.5;
      ctx.globalAlpha = 0.5;
      ctx.beginPath();
      ctx.moveTo(x, bottom);
      ctx.lineTo(x, bottom + 4);
      ctx.stroke();
      ctx.globalAlpha = 1;
      const label = formatCount(t);
      const w = ctx.measureText(label).width;
      const cx = Math.min(Math.max(x, f.left + w / 2), f.left + f.width - w / 2);
      ctx.fillText(label, cx, bottom + 7);
    }
    ctx.restore();
  }

  private drawCurve(ctx: CanvasRenderingContext2D, columns: Column[], dpr: number): void {
    const { theme } = this.opts;
    const f = this.frame;
    if (columns.length === 0) return;
    ctx.save();
    // The area under the curve, faded towards the axis.
    this.traceCurve(ctx, columns);
    ctx.lineTo(f.left + f.width, f.top + f.height);
    ctx.lineTo(f.left, f.top + f.height);
    ctx.closePath();
    const fill = ctx.createLinearGradient(0, f.top, 0, f.top + f.height);
    fill.addColorStop(0, withAlpha(theme.line, 0.28));
    fill.addColorStop(1, withAlpha(theme.line, 0.02));
    ctx.fillStyle = fill;
    ctx.fill();
    // The line itself, without the closing edges.
    this.traceCurve(ctx, columns);
    ctx.strokeStyle = theme.line;
    ctx.lineWidth = Math.max(1.5, 2 / dpr);
    ctx.lineJoin = "round";
    ctx.stroke();
    ctx.restore();
  }

  /**
   * One path through every column. A column whose extremes are its ends (the common case:
   * every shape is monotone within a segment) is a straight line from its left edge to its
   * right edge; a column with a jump or a restart inside also spans its full range in the
   * middle. Where a column covers a single tick it is flat, so a schedule with fewer ticks
   * than pixels draws as the staircase it is.
   */
  private traceCurve(ctx: CanvasRenderingContext2D, columns: Column[]): void {
    const f = this.frame;
    const colWidth = f.width / columns.length;
    ctx.beginPath();
    columns.forEach((c, i) => {
      const x0 = f.left + i * colWidth;
      if (i === 0) ctx.moveTo(x0, this.y(c.from));
      else ctx.lineTo(x0, this.y(c.from));
      const lo = Math.min(c.from, c.to);
      const hi = Math.max(c.from, c.to);
      if (c.min < lo || c.max > hi) {
        const xm = x0 + colWidth / 2;
        ctx.lineTo(xm, this.y(c.max));
        ctx.lineTo(xm, this.y(c.min));
      }
      ctx.lineTo(x0 + colWidth, this.y(c.to));
    });
  }

  private pointAt(offsetX: number): void {
    const ir = this.entry.ir;
    if (!ir) return;
    const f = this.frame;
    const t = ((offsetX - f.left) / f.width) * ir.total;
    this.setHover(Math.min(ir.total - 1, Math.max(0, Math.floor(t))));
  }

  private key(e: KeyboardEvent): void {
    const ir = this.entry.ir;
    if (!ir) return;
    const stride = Math.max(1, Math.round(ir.total / this.frame.width)) * (e.shiftKey ? 10 : 1);
    const at = this.hover ?? 0;
    let next: number | null;
    if (e.key === "ArrowRight") next = at + stride;
    else if (e.key === "ArrowLeft") next = at - stride;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = ir.total - 1;
    else if (e.key === "Escape") next = null;
    else if (e.key === "Enter") {
      const seg = this.hover === null ? undefined : this.segmentAt(this.hover);
      // A stale curve's source ranges are an older version's: nothing to reveal.
      if (seg && this.entry.staleSince === undefined) this.opts.onReveal(seg);
      return;
    } else return;
    e.preventDefault();
    this.setHover(next === null ? null : Math.min(ir.total - 1, Math.max(0, next)));
  }

  private segmentAt(step: number): Segment | undefined {
    return this.entry.ir?.segments.find((s) => s.start <= step && step < s.end);
  }

  private setHover(step: number | null): void {
    this.hover = step;
    this.drawOverlay();
  }

  /** The crosshair, its axis tags, and the readout in the header. */
  private drawOverlay(): void {
    const ir = this.entry.ir;
    const ctx = this.overlay.getContext("2d");
    if (!ctx || !ir || !this.evaluator) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width / dpr, this.overlay.height / dpr);
    const step = this.hover;
    if (step === null) {
      this.showReadout(null, 0, undefined);
      return;
    }
    const rate = this.evaluator.lrAt(step);
    const seg = this.segmentAt(step);
    this.showReadout(step, rate, seg);
    const { theme } = this.opts;
    const f = this.frame;
    const x = this.x(step + 0.5);
    const y = this.y(rate);
    ctx.save();
    ctx.strokeStyle = theme.fg;
    ctx.globalAlpha = 0.55;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, f.top);
    ctx.lineTo(Math.round(x) + 0.5, f.top + f.height);
    ctx.moveTo(f.left, Math.round(y) + 0.5);
    ctx.lineTo(f.left + f.width, Math.round(y) + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    ctx.fillStyle = theme.line;
    ctx.strokeStyle = theme.fg;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(x, y, 4, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    // Tags on both axes, like a chart's crosshair labels.
    ctx.font = `${LABEL_FONT_PX}px ${theme.mono}`;
    ctx.textBaseline = "middle";
    const yText = this.rateLabel(rate);
    const yw = ctx.measureText(yText).width + 8;
    tag(ctx, Math.max(0, f.left - yw - 3), y - 8, yw, 16, theme);
    ctx.fillStyle = theme.tagFg;
    ctx.textAlign = "left";
    ctx.fillText(yText, Math.max(0, f.left - yw - 3) + 4, y);
    const xText = formatNumber(step);
    const xw = ctx.measureText(xText).width + 8;
    const xl = Math.min(Math.max(x - xw / 2, f.left), f.left + f.width - xw);
    tag(ctx, xl, f.top + f.height + 3, xw, 16, theme);
    ctx.fillStyle = theme.tagFg;
    ctx.fillText(xText, xl + 4, f.top + f.height + 11);
    ctx.restore();
  }

  private showReadout(step: number | null, rate: number, seg: Segment | undefined): void {
    const ir = this.entry.ir;
    const r = this.readout;
    r.replaceChildren();
    if (step === null || !ir) {
      delete r.dataset.step;
      delete r.dataset.rate;
      delete r.dataset.phase;
      return;
    }
    const phase = seg ? (seg.phaseIndex < 0 ? "hold" : seg.phase) : "final";
    r.dataset.step = String(step);
    r.dataset.rate = String(rate);
    r.dataset.phase = phase;
    const unit = ir.clock === "epochs" ? "epoch" : "step";
    let where = `${unit} ${formatNumber(step)}`;
    if (ir.totalUnit === "tokens" && ir.tokensPerStep) where += ` (${formatCount(step * ir.tokensPerStep)} tokens)`;
    else if (ir.clock === "steps" && ir.stepsPerEpoch) where += ` (epoch ${(step / ir.stepsPerEpoch).toFixed(2)})`;
    const rateEl = el("span", "rate");
    rateEl.textContent = ir.relative ? `×${formatRate(rate, 4)}` : formatRate(rate, 4);
    const phaseEl = el("span", "phase");
    phaseEl.textContent = phase;
    r.append(`${where}  ·  `, rateEl, "  ·  ", phaseEl);
  }
}

/** The header's one-line summary: peak, length and clock. */
export function describe(ir: ScheduleIR): string {
  const parts = [ir.relative ? "relative to the optimizer's lr" : `lr ${formatRate(ir.peak ?? 0)}`];
  const ticks = `${formatCount(ir.total)} ${ir.clock === "epochs" ? "epochs" : "steps"}`;
  if (ir.totalUnit === "tokens" && ir.tokensPerStep) parts.push(`${formatCount(ir.total * ir.tokensPerStep)} tokens = ${ticks}`);
  else if (ir.totalUnit === "epochs" && ir.clock === "steps" && ir.stepsPerEpoch)
    parts.push(`${formatCount(ir.total / ir.stepsPerEpoch)} epochs = ${ticks}`);
  else parts.push(ticks);
  const phases = new Set(ir.segments.filter((s) => s.phaseIndex >= 0).map((s) => s.phaseIndex)).size;
  parts.push(phases === 1 ? "1 phase" : `${phases} phases`);
  return parts.join("  ·  ");
}

function rateAxis(columns: Column[], log: boolean, height: number): RateAxis {
  let max = -Infinity;
  let min = Infinity;
  let minPositive = Infinity;
  for (const c of columns) {
    max = Math.max(max, c.max);
    min = Math.min(min, c.min);
    for (const v of [c.min, c.from, c.to, c.max]) if (v > 0) minPositive = Math.min(minPositive, v);
  }
  const count = Math.max(3, Math.floor(height / 45));
  if (log && max > 0) {
    // Six decades below the peak at most: a warmup from 0 would otherwise stretch the axis
    // down to its first tiny step.
    const lo = Math.log10(Math.max(minPositive, max * 1e-6));
    const hi = Math.log10(max);
    const pad = Math.max(0.08 * (hi - lo), 0.15);
    // Labels need about 22 pixels each.
    return { log: true, lo: lo - pad, hi: hi + pad, ticks: logTicks(10 ** (lo - pad), 10 ** (hi + pad), Math.floor(height / 22)) };
  }
  const lo = Math.min(0, min);
  const hi = max > lo ? max + 0.08 * (max - lo) : lo + 1;
  return { log: false, lo, hi, ticks: linearTicks(lo, hi, count) };
}

function tag(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, theme: Theme): void {
  ctx.fillStyle = theme.tagBg;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 3);
  ctx.fill();
}

/** A CSS colour at the given opacity, for gradients (which take no global alpha). */
function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(color.trim());
  if (hex) {
    let h = hex[1]!;
    if (h.length <= 4) h = [...h].map((ch) => ch + ch).join("");
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/i.exec(color.trim());
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}

function el(tag: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}
