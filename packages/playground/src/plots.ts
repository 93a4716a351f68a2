// The plot pane: one chart per schedule, drawn by the compiler's SVG renderer (phase bands,
// axes, peak and final, the crosshair as its marker) and read out exactly by the compiler's
// evaluator. A schedule with momentum, beta2 or weight-decay chains gets the plot layer's
// panels for them below its rate, under the same crosshair. The pane only places the SVG, maps the pointer to a tick and writes the
// readout and a text summary for screen readers; colours follow the page's theme through
// CSS rules over the SVG's own attributes.

import {
  type CompiledSchedule,
  createEvaluator,
  createParamEvaluator,
  Curve,
  type Evaluator,
  formatNumber,
  formatRate,
  type HyperParam,
  noRatesReason,
  paramPanels,
  rateAt,
  renderSvg,
  type ScheduleIR,
} from "@anneal/compiler";

const SVG_NS = "http://www.w3.org/2000/svg";

/** `3e-4`, or `×0.5` of the optimizer's rate in a relative schedule. */
function rateText(v: number, ir: ScheduleIR): string {
  return ir.relative ? `×${formatRate(v)}` : formatRate(v);
}

/** The sentence a screen reader hears for a chart: length, peak, final value and each phase. */
export function summaryOf(s: CompiledSchedule, ir: ScheduleIR): string {
  const curve = new Curve(ir);
  const p = ir.peak ?? 1;
  const phases = s.phases.map(
    (ph) => `${ph.phase.keyword} from ${ir.clock} ${formatNumber(ph.start)} to ${formatNumber(ph.end)}, ${rateText(rateAt(ph.from, p), ir)} to ${rateText(rateAt(ph.endValue, p), ir)}`,
  );
  const what = ir.relative ? "multiplier of the optimizer's rate" : "learning rate";
  return (
    `Schedule ${s.name}: ${formatNumber(ir.total)} ${ir.clock}; ${what} peaks at ${rateText(curve.extent(0, ir.total).max, ir)} ` +
    `and ends at ${rateText(curve.final, ir)}. ${phases.length} phase${phases.length === 1 ? "" : "s"}: ${phases.join("; ")}.`
  );
}

/** What the crosshair reads at `tick`: the step, the epoch when there is one, and the exact rate. */
export function readingAt(ir: ScheduleIR, ev: Evaluator, tick: number): { step?: number; epoch?: number; rate: number } {
  const rate = ev.lrAt(tick);
  if (ir.clock === "epochs") return { epoch: tick, ...(ir.stepsPerEpoch ? { step: tick * ir.stepsPerEpoch } : {}), rate };
  return { step: tick, ...(ir.stepsPerEpoch ? { epoch: tick / ir.stepsPerEpoch } : {}), rate };
}

/** One drawing in a chart: the rate's plot or a hyperparameter's panel below it. */
interface Drawing {
  /** What the drawing plots, and its title (none for the rate, which titles itself). */
  irs: ScheduleIR[];
  title?: string;
  height: number;
  host: HTMLElement;
  /** Where tick 0 and `total` are on the drawing's baseline, in CSS pixels. */
  frame: { left: number; right: number };
}

class Chart {
  readonly root: HTMLElement;
  private readonly drawings: HTMLElement;
  private readonly readout: HTMLOutputElement;
  private readonly summary: HTMLParagraphElement;
  private ir!: ScheduleIR;
  private ev!: Evaluator;
  /** The evaluators of the schedule's hyperparameter chains, in the panels' order. */
  private params: { name: HyperParam; ev: Evaluator }[] = [];
  private parts: Drawing[] = [];
  private marker: number | undefined;
  private size = { width: 0, log: false };
  private pending = false;
  /** What the chart was last drawn from, so an edit elsewhere in the file does not redraw it. */
  private drawn = "";

  constructor(
    readonly name: string,
    id: number,
  ) {
    this.root = document.createElement("figure");
    this.root.className = "chart";
    this.root.tabIndex = 0;
    this.root.setAttribute("aria-label", `Learning-rate plot of ${name}`);
    this.drawings = document.createElement("div");
    this.drawings.className = "drawings";
    this.readout = document.createElement("output");
    this.readout.className = "readout";
    this.readout.setAttribute("aria-live", "polite");
    this.summary = document.createElement("p");
    this.summary.className = "sr-only";
    this.summary.id = `plot-summary-${id}`;
    this.root.setAttribute("aria-describedby", this.summary.id);
    this.root.append(this.drawings, this.readout, this.summary);
    this.root.addEventListener("keydown", (e) => this.key(e));
  }

  set(s: CompiledSchedule, ir: ScheduleIR, width: number, height: number, log: boolean): void {
    // Source offsets move with every edit above the schedule; the picture does not.
    const key = JSON.stringify([ir, s.phases.map((p) => [p.phase.keyword, p.start, p.end, p.from, p.endValue]), width, height, log], (k, v: unknown) =>
      k === "range" || k === "nameRange" ? undefined : v,
    );
    if (key === this.drawn) return;
    this.drawn = key;
    this.ir = ir;
    this.ev = createEvaluator(ir);
    this.size = { width, log };
    if (this.marker !== undefined) this.marker = Math.min(this.marker, ir.total);
    // Each scheduled hyperparameter is a panel of its own below the rate, on an axis that
    // fits its values, as `anneal plot` draws it.
    const panels = paramPanels([ir]);
    this.params = panels.flatMap((p) => {
      const ev = createParamEvaluator(ir, p.name);
      return ev ? [{ name: p.name, ev }] : [];
    });
    const panelHeight = Math.max(150, Math.round(height * 0.55));
    const wanted = [{ irs: [ir], height }, ...panels.map((p) => ({ irs: p.irs, title: p.name, height: panelHeight }))];
    this.parts = wanted.map((w, i) => ({ ...w, host: this.parts[i]?.host ?? this.newHost(), frame: { left: 0, right: 1 } }));
    for (const [i, d] of this.parts.entries()) d.host.classList.toggle("panel", i > 0);
    if (this.drawings.children.length !== this.parts.length) this.drawings.replaceChildren(...this.parts.map((d) => d.host));
    this.summary.textContent = summaryOf(s, ir) + this.params.map((p) => ` It also schedules ${p.name}: see the panel below.`).join("");
    this.draw();
  }

  private newHost(): HTMLElement {
    const host = document.createElement("div");
    host.className = "svg-host";
    host.addEventListener("pointermove", (e) => this.pointAt(host, e.clientX));
    host.addEventListener("pointerdown", (e) => this.pointAt(host, e.clientX));
    return host;
  }

  private draw(): void {
    const { width, log } = this.size;
    const marker = this.marker !== undefined ? { marker: this.marker } : {};
    for (const [i, d] of this.parts.entries()) {
      const svgText = renderSvg(d.irs, { width, height: d.height, log: i === 0 && log, ...(d.title ? { title: d.title } : {}), ...marker });
      // Parsed as XML into an inert document, then adopted: the renderer escapes every name,
      // and nothing in an SVG parsed this way runs.
      const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
      if (parsed.namespaceURI !== SVG_NS) continue;
      const svg = document.importNode(parsed, true);
      svg.setAttribute("aria-hidden", "true");
      d.host.replaceChildren(svg);
      // The renderer's baseline spans the plot area: tick 0 at its left end, `total` at its right.
      const base = svg.querySelector("line.baseline");
      if (base) d.frame = { left: Number(base.getAttribute("x1")), right: Number(base.getAttribute("x2")) };
    }
    this.showReading();
  }

  private pointAt(host: HTMLElement, clientX: number): void {
    const d = this.parts.find((p) => p.host === host);
    if (!d) return;
    const x = clientX - host.getBoundingClientRect().left;
    const { left, right } = d.frame;
    const tick = Math.round(((x - left) / Math.max(1, right - left)) * this.ir.total);
    this.moveTo(tick);
  }

  private moveTo(tick: number): void {
    const t = Math.min(Math.max(0, tick), this.ir.total);
    if (t === this.marker) return;
    this.marker = t;
    // One redraw per frame however fast the pointer moves.
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private key(e: KeyboardEvent): void {
    const big = Math.max(1, Math.round(this.ir.total / 100));
    const at = this.marker ?? 0;
    const next: Record<string, number> = { ArrowRight: at + (e.shiftKey ? 1 : big), ArrowLeft: at - (e.shiftKey ? 1 : big), Home: 0, End: this.ir.total };
    if (!(e.key in next)) return;
    e.preventDefault();
    this.moveTo(next[e.key]!);
  }

  private showReading(): void {
    for (const k of Object.keys(this.readout.dataset)) delete this.readout.dataset[k];
    if (this.marker === undefined) {
      this.readout.textContent = "Point at the plot (or focus it and use the arrow keys) to read the exact rate.";
      return;
    }
    const r = readingAt(this.ir, this.ev, this.marker);
    const parts: string[] = [];
    if (r.step !== undefined) parts.push(`step ${formatNumber(r.step)}`);
    if (r.epoch !== undefined) parts.push(`epoch ${formatNumber(r.epoch)}`);
    // The rate in shortest round-trip form, as `anneal eval` prints it.
    parts.push(`${this.ir.relative ? "× base lr" : "lr"} ${String(r.rate)}`);
    const values: Record<string, string> = {};
    for (const p of this.params) {
      const v = p.ev.lrAt(this.marker);
      parts.push(`${p.name} ${String(v)}`);
      values[p.name] = String(v);
    }
    if (this.marker >= this.ir.total) parts.push("(held after the end)");
    this.readout.textContent = parts.join(" · ");
    Object.assign(this.readout.dataset, { tick: String(this.marker), rate: String(r.rate), step: String(r.step ?? ""), epoch: String(r.epoch ?? ""), ...values });
  }
}

export class PlotPane {
  private charts = new Map<string, Chart>();
  private nextId = 0;
  private last: CompiledSchedule[] = [];
  private log = false;

  constructor(private readonly root: HTMLElement) {
    // Redraw at the new width when the pane is resized.
    let width = 0;
    new ResizeObserver(() => {
      if (root.clientWidth === width) return;
      width = root.clientWidth;
      this.show(this.last);
    }).observe(root);
  }

  setLog(log: boolean): void {
    this.log = log;
    this.show(this.last);
  }

  show(schedules: CompiledSchedule[]): void {
    this.last = schedules;
    if (schedules.length === 0) {
      this.charts.clear();
      const p = document.createElement("p");
      p.className = "notice";
      p.textContent = "This file defines no schedule yet: write `total`, `lr` and a chain of phases, or pick an example.";
      this.root.replaceChildren(p);
      return;
    }
    const width = Math.max(240, Math.floor(this.root.clientWidth));
    const height = Math.round(Math.min(340, Math.max(230, width * 0.5)) / (schedules.length > 1 ? 1.2 : 1));
    const next = new Map<string, Chart>();
    const nodes: HTMLElement[] = [];
    for (const s of schedules) {
      if (!s.ir) {
        const p = document.createElement("p");
        p.className = s.runTimeOnly ? "notice" : "notice error";
        p.textContent = s.runTimeOnly ? `Schedule ${s.name} has no plot: ${noRatesReason(s)}.` : `Schedule ${s.name} has errors, so it has no plot: see Problems.`;
        nodes.push(p);
        continue;
      }
      const chart = this.charts.get(s.name) ?? new Chart(s.name, this.nextId++);
      chart.set(s, s.ir, width, height, this.log);
      next.set(s.name, chart);
      nodes.push(chart.root);
    }
    this.charts = next;
    // Moving nodes that are already in place would still make the browser lay them out again.
    const same = nodes.length === this.root.children.length && nodes.every((n, i) => this.root.children[i] === n);
    if (!same) this.root.replaceChildren(...nodes);
  }
}
