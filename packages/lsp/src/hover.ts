// Hover: what a schedule name, a phase keyword, a duration, a value or a setting resolves
// to. Clients that render markdown get a small plot of the whole schedule as an SVG data
// URI, with the hovered step marked; plain-text clients get a Unicode sparkline. Both get
// the resolved numbers: phase bounds in steps, the rate at both ends, what a percent or an
// epoch count comes to.

import type { CompiledSchedule, ResolvedPhase, ScheduleIR } from "@anneal/compiler";
import type { Expr, Range, Setting } from "@anneal/dsl";
import type { Hover } from "vscode-languageserver";
import { toLspRange } from "./convert.js";
import type { Analysis } from "./documents.js";
import { count, plotDataUri, rate, SPARK_WIDTH, summarize, ticks, totalText } from "./summary.js";
import { inside, scheduleAt } from "./syntax.js";

export interface HoverOptions {
  /** The client renders markdown; otherwise plain text. */
  markdown: boolean;
  /** Markdown hovers embed the plot as an image (default); otherwise they show a sparkline. */
  plot?: boolean;
}

/** What a hover shows: a heading, facts, and the step to mark on the plot. */
interface HoverContent {
  range: Range;
  title: string;
  facts: string[];
  ir: ScheduleIR | undefined;
  marker?: number;
}

export function hover(a: Analysis, offset: number, options: HoverOptions): Hover | null {
  const content = find(a, offset);
  if (!content) return null;
  return {
    contents: { kind: options.markdown ? "markdown" : "plaintext", value: options.markdown ? markdown(content, options.plot ?? true) : plain(content) },
    range: toLspRange(a.lines, content.range),
  };
}

function markdown(c: HoverContent, plot: boolean): string {
  const parts = [c.title.replace(/`([^`]*)`/g, (_, s: string) => `**${s}**`)];
  if (!c.ir) parts.push("_No plot: this schedule has errors._");
  else if (plot) parts.push(`![plot of the schedule](${plotDataUri(c.ir, c.marker)})`);
  else parts.push(`\`${summarize(c.ir, SPARK_WIDTH).spark}\``);
  parts.push(c.facts.map((f) => `- ${f}`).join("\n"));
  return parts.join("\n\n");
}

function plain(c: HoverContent): string {
  const lines = [c.title.replace(/`/g, "")];
  lines.push(c.ir ? summarize(c.ir, SPARK_WIDTH).spark : "(no plot: this schedule has errors)");
  lines.push(...c.facts.map((f) => f.replace(/`/g, "")));
  return lines.join("\n");
}

/** A schedule's summary as plain text: its name, sparkline, length, peak and phases. */
export function describeSchedule(a: Analysis, s: CompiledSchedule): string {
  const c = scheduleContent(s, s.nameRange);
  const shown = a.shown(s);
  if (!s.ir && shown) c.facts.push(`sparkline of version ${shown.staleSince}, the last without errors`);
  return plain({ ...c, ir: shown?.ir });
}

/** The compiled schedule an offset belongs to: its own block, or the top-level schedule. */
function scheduleFor(a: Analysis, offset: number): CompiledSchedule | undefined {
  const all = a.result.schedules;
  const block = scheduleAt(a.result.ast, offset);
  if (block) return a.scheduleOf(block);
  return all.find((s) => !isBlock(s)) ?? (all.length === 1 ? all[0] : undefined);
}

/** True for a `schedule NAME { ... }` block, false for the top-level chain. */
function isBlock(s: CompiledSchedule): boolean {
  return s.node.kind === "Schedule";
}

function find(a: Analysis, offset: number): HoverContent | undefined {
  const s = scheduleFor(a, offset);
  if (!s) return undefined;
  const content = findIn(a, s, offset);
  if (!content || s.ir) return content;
  // While the schedule has errors, the plot is the last good one, marked stale.
  const shown = a.shown(s);
  if (!shown) return content;
  return { ...content, ir: shown.ir, facts: [...content.facts, `plot of version ${shown.staleSince}, the last without errors: this schedule has errors now`] };
}

function findIn(a: Analysis, s: CompiledSchedule, offset: number): HoverContent | undefined {
  const ir = s.ir;
  const peak = ir?.peak;
  const clock = s.clock;
  const src = (r: Range) => a.text.slice(r.start, r.end).replace(/\s+/g, " ");

  // The schedule's name.
  if (isBlock(s) && inside(s.nameRange, offset)) return scheduleContent(s, s.nameRange);

  // A duration: what it resolves to, with the step where it ends marked.
  const durations = s.durations.filter((d) => inside(d.range, offset)).sort((x, y) => x.range.end - x.range.start - (y.range.end - y.range.start));
  const d = durations[0];
  if (d) {
    const ph = s.phases.find((p) => p.phase.duration && p.phase.duration.range.start === d.range.start && p.phase.duration.range.end === d.range.end);
    const expr = ph?.phase.duration;
    const facts = [resolution(expr, src(d.range), d.ticks, ir, clock)];
    if (ph) facts.push(...phaseFacts(ph, peak, clock));
    // A duration inside a phase's clauses (`every`, `restart every`, a milestone, `timescale`)
    // counts from the phase's start: mark the step it first takes effect.
    const holder = ph ? undefined : s.phases.find((p) => inside(p.phase.range, d.range.start));
    if (holder) facts.push(...phaseFacts(holder, peak, clock));
    const keyword = (ph ?? holder)?.phase.keyword;
    const inTimescale = holder?.phase.clauses.some((c) => c.kind === "timescale" && inside(c.range, d.range.start));
    const marker = ph ? ph.end : holder && !inTimescale ? holder.start + d.ticks : undefined;
    return { range: d.range, title: `\`${src(d.range)}\`${keyword ? ` in \`${keyword}\`` : ""}`, facts, ir, ...(marker !== undefined ? { marker } : {}) };
  }

  for (const ph of s.phases) {
    // A phase keyword: the phase's bounds and rates, with its first step marked.
    if (inside(ph.phase.keywordRange, offset))
      return { range: ph.phase.keywordRange, title: phaseTitle(ph, s), facts: phaseFacts(ph, peak, clock), ir, marker: ph.start };
    // A value: `from`, `to` or a constant's `at`.
    for (const c of ph.phase.clauses) {
      // A step decay's `at` lists milestones, not a rate; only a constant's `at` is a value.
      if (c.kind !== "from" && c.kind !== "to" && !(c.kind === "at" && ph.phase.type === "constant")) continue;
      const value = c.kind === "at" ? c.values[0] : c.value;
      if (!value || !inside(c.range, offset)) continue;
      const v = c.kind === "to" ? ph.to : ph.from;
      const facts = [`\`${c.kind} ${src(value.range)}\` = ${rate(v, peak)}${valueNote(value, peak)}`, ...phaseFacts(ph, peak, clock)];
      return { range: c.range, title: `\`${c.kind}\` in \`${ph.phase.keyword}\``, facts, ir, marker: c.kind === "to" ? ph.end : ph.start };
    }
  }

  // A setting: `lr` is the peak, `total` the length.
  const setting = settingAt(a, offset);
  if (setting) {
    if (setting.key === "total" && ir) return { range: setting.range, title: "`total`", facts: [`${src(setting.range)} = ${totalText(ir)}`], ir };
    if (setting.key === "lr" && ir)
      return { range: setting.range, title: "`lr`", facts: [peak !== undefined ? `peak learning rate ${rate({ scale: 0, abs: peak }, peak)}` : "relative schedule: the peak is the optimizer's own rate"], ir };
    return undefined;
  }

  // Anywhere else inside a phase: the phase.
  const ph = s.phases.find((p) => inside(p.phase.range, offset));
  if (ph) return { range: ph.phase.range, title: phaseTitle(ph, s), facts: phaseFacts(ph, peak, clock), ir, marker: ph.start };
  return undefined;
}

function scheduleContent(s: CompiledSchedule, range: Range): HoverContent {
  const ir = s.ir;
  if (!ir) return { range, title: `schedule \`${s.name}\``, facts: ["has errors; see the diagnostics"], ir: undefined };
  const sum = summarize(ir);
  const facts = [`${sum.total}, peak ${sum.peak}, final ${sum.final}`];
  for (const ph of s.phases) facts.push(`\`${ph.phase.keyword}\`: ${stepRange(ph, ir.clock)}, ${rate(ph.from, ir.peak)} → ${rate(ph.endValue, ir.peak)}`);
  return { range, title: `schedule \`${s.name}\``, facts, ir };
}

function phaseTitle(ph: ResolvedPhase, s: CompiledSchedule): string {
  const n = s.phases.length;
  return `\`${ph.phase.keyword}\` (phase ${ph.index + 1}${n > 1 ? ` of ${n}` : ""}${s.name !== "default" ? ` of ${s.name}` : ""})`;
}

function stepRange(ph: ResolvedPhase, clock: ScheduleIR["clock"] | undefined): string {
  return `${clock ?? "steps"} ${count(ph.start)} → ${count(ph.end)} (${ticks(ph.end - ph.start, clock)})`;
}

function phaseFacts(ph: ResolvedPhase, peak: number | undefined, clock: ScheduleIR["clock"] | undefined): string[] {
  const facts = [stepRange(ph, clock), `rate ${rate(ph.from, peak)} → ${rate(ph.endValue, peak)}`];
  if (ph.previousEnd && ph.explicitFrom && rate(ph.previousEnd, peak) !== rate(ph.from, peak))
    facts.push(`jumps from ${rate(ph.previousEnd, peak)}, where the previous phase ended`);
  return facts;
}

/** What a duration expression comes to, spelled out for percents, epochs and tokens. */
function resolution(e: Expr | undefined, text: string, n: number, ir: ScheduleIR | undefined, clock: ScheduleIR["clock"] | undefined): string {
  const result = ticks(n, clock);
  if (e?.kind === "Percent" && ir) return `\`${text}\` of total (${ticks(ir.total, ir.clock)}) = ${result}`;
  if (e?.kind === "Quantity" && ir) {
    if (e.unit === "epochs" && ir.clock === "steps" && ir.stepsPerEpoch !== undefined)
      return `\`${text}\` × ${count(ir.stepsPerEpoch)} steps per epoch = ${result}`;
    if (e.unit === "tokens" && ir.tokensPerStep !== undefined) {
      const perTick = ir.clock === "epochs" && ir.stepsPerEpoch !== undefined ? ir.tokensPerStep * ir.stepsPerEpoch : ir.tokensPerStep;
      return `\`${text}\` ÷ ${count(perTick)} tokens per ${ir.clock === "epochs" ? "epoch" : "step"} = ${result}`;
    }
    if (e.unit === "steps" && ir.clock === "epochs" && ir.stepsPerEpoch !== undefined)
      return `\`${text}\` ÷ ${count(ir.stepsPerEpoch)} steps per epoch = ${result}`;
  }
  return `\`${text}\` = ${result}`;
}

/** How a relative value was read: `10%` is a fraction of the peak. */
function valueNote(e: Expr, peak: number | undefined): string {
  if (e.kind !== "Percent") return "";
  return peak !== undefined ? ` (a fraction of the peak, ${rate({ scale: 0, abs: peak }, peak)})` : " of the optimizer's rate";
}

function settingAt(a: Analysis, offset: number): Setting | undefined {
  for (const item of a.result.ast.items) {
    if (item.kind === "Setting" && inside(item.range, offset)) return item;
    if (item.kind === "Schedule" && inside(item.range, offset)) for (const b of item.body) if (b.kind === "Setting" && inside(b.range, offset)) return b;
  }
  return undefined;
}
