// Hover: what a schedule name, a `let` name, a phase keyword, a duration, a value, a
// restart clause or a setting (`lr`, `total`, `steps_per_epoch`, `tokens_per_step`,
// `clock`) resolves to. Clients that render markdown get a small plot of the whole schedule as an SVG data
// URI, with the hovered step marked; plain-text clients get a Unicode sparkline. Both get
// the resolved numbers: phase bounds in steps, the rate at both ends, what a percent or an
// epoch count comes to.

import { type CompiledSchedule, type CompileResult, createEvaluator, formatNumber, HYPER_PARAMS, type HyperParam, noRatesReason, paramSchedule, type ResolvedPhase, type ScheduleIR } from "@anneal/compiler";
import type { Expr, PhaseChain, Range, Setting } from "@anneal/dsl";
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
  /** Why there is no plot, when it is not that the schedule has errors. */
  noPlot?: string;
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
  if (!c.ir) parts.push(`_No plot: ${c.noPlot ?? "this schedule has errors"}._`);
  else if (plot) parts.push(`![plot of the schedule](${plotDataUri(c.ir, c.marker)})`);
  else parts.push(`\`${summarize(c.ir, SPARK_WIDTH).spark}\``);
  parts.push(c.facts.map((f) => `- ${f}`).join("\n"));
  return parts.join("\n\n");
}

function plain(c: HoverContent): string {
  const lines = [c.title.replace(/`/g, "")];
  lines.push(c.ir ? summarize(c.ir, SPARK_WIDTH).spark : `(no plot: ${c.noPlot ?? "this schedule has errors"})`);
  lines.push(...c.facts.map((f) => f.replace(/`/g, "")));
  return lines.join("\n");
}

/** A schedule's summary as plain text: its name, sparkline, length, peak and phases. */
export function describeSchedule(a: Analysis, s: CompiledSchedule): string {
  const c = scheduleContent(s, s.nameRange);
  const shown = a.shown(s);
  if (!s.ir && s.runTimeOnly) c.noPlot = noRatesReason(s);
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
  if (s.runTimeOnly) return { ...content, noPlot: noRatesReason(s) };
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

  // The schedule's name, or its `schedule` keyword.
  if (isBlock(s) && inside(s.nameRange, offset)) return scheduleContent(s, s.nameRange);
  if (isBlock(s) && inside({ start: s.node.range.start, end: s.node.range.start + "schedule".length }, offset))
    return scheduleContent(s, { start: s.node.range.start, end: s.node.range.start + "schedule".length });

  // A hyperparameter's chain (`momentum: ...`) outside its durations: that chain's own plot.
  const chain = paramChainAt(a, s, offset);
  if (chain && !s.durations.some((d) => inside(d.range, offset))) {
    const name = chain.target!.name as HyperParam;
    const p = ir ? paramSchedule(ir, name) : undefined;
    const facts = p ? [paramFacts(p)] : ["has errors; see the diagnostics"];
    return { range: chain.target!.range.start <= offset && offset <= chain.target!.range.end ? chain.target!.range : chain.range, title: `\`${name}\` beside the rate${s.name !== "default" ? ` of ${s.name}` : ""}`, facts, ir: p };
  }

  // A `let` name, where it is defined or used: its definition, and what it came to here.
  const named = letAt(a, offset);
  if (named) {
    const [binding, range] = named;
    const decl = a.result.ast.items.flatMap((i) => (i.kind === "Schedule" ? i.body : [i])).find((i) => i.kind === "Let" && i.name?.range.start === binding.declaration.start);
    const facts = [`\`${src(decl?.range ?? binding.definition).trim()}\``];
    const uses = binding.references.length;
    facts.push(uses === 0 ? "not used" : `used ${uses === 1 ? "once" : `${count(uses)} times`}`);
    const asDuration = s.durations.find((d) => d.range.start === range.start && d.range.end === range.end);
    if (asDuration) facts.push(`here: ${ticks(asDuration.ticks, clock)}`);
    return { range, title: `\`${binding.name}\`${binding.owner ? ` in schedule \`${binding.owner.name?.name ?? ""}\`` : " (top level)"}`, facts, ir };
  }

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
    // A restart clause: how many cycles, how long each, and where the last one is cut.
    const restart = ph.phase.clauses.find((c) => c.kind === "restart" && inside(c.range, offset));
    if (restart && ir) {
      const seg = ir.segments.find((g) => g.phaseIndex === ph.index && g.shape.kind === "restarts");
      if (seg && seg.shape.kind === "restarts") return { range: restart.range, title: `\`restart\` in \`${ph.phase.keyword}\``, facts: cycleFacts(seg.end - seg.start, seg.shape.period, seg.shape.mult, seg.start, clock), ir, marker: seg.start };
    }
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
    if (setting.key === "steps_per_epoch" && ir?.stepsPerEpoch !== undefined) {
      const facts = [`${count(ir.stepsPerEpoch)} optimizer steps make one epoch`];
      if (ir.clock === "steps" && ir.totalUnit === "epochs") facts.push(`\`total\` ${count(ir.total / ir.stepsPerEpoch)} epochs = ${ticks(ir.total, ir.clock)}`);
      if (ir.clock === "epochs") facts.push("the clock counts epochs: the scheduler is stepped once per epoch");
      return { range: setting.range, title: "`steps_per_epoch`", facts, ir };
    }
    if (setting.key === "tokens_per_step" && ir?.tokensPerStep !== undefined) {
      const facts = [`${count(ir.tokensPerStep)} tokens per optimizer step (batch size × sequence length)`];
      if (ir.totalUnit === "tokens") facts.push(`\`total\` = ${totalText(ir)}`);
      return { range: setting.range, title: "`tokens_per_step`", facts, ir };
    }
    if (setting.key === "clock") {
      const per = clock === "epochs" ? "once per epoch" : "once per optimizer step";
      const facts = [`the scheduler is stepped ${per}; every duration is converted to ${clock}`];
      if (ir) facts.push(`${ticks(ir.total, ir.clock)} in all`);
      return { range: setting.range, title: "`clock`", facts, ir };
    }
    return undefined;
  }

  // Anywhere else inside a phase: the phase.
  const ph = s.phases.find((p) => inside(p.phase.range, offset));
  if (ph) return { range: ph.phase.range, title: phaseTitle(ph, s), facts: phaseFacts(ph, peak, clock), ir, marker: ph.start };
  return undefined;
}

/** The `let` defined or used under `offset`, from the binder, with the range under the cursor. */
function letAt(a: Analysis, offset: number): [CompileResult["names"][number], Range] | undefined {
  for (const b of a.result.names) {
    if (b.kind !== "let") continue;
    if (inside(b.declaration, offset)) return [b, b.declaration];
    for (const r of b.references) if (inside(r, offset)) return [b, r];
  }
  return undefined;
}

/** The cycles of a restart over `len` ticks: how many, how long, and where the last is cut. */
function cycleFacts(len: number, period: number, mult: number, start: number, clock: ScheduleIR["clock"] | undefined): string[] {
  const lengths: number[] = [];
  let at = 0;
  let cycle = period;
  // Bounded: past a thousand cycles the count is what matters, not each length.
  while (at < len && lengths.length < 1000) {
    lengths.push(cycle);
    at += cycle;
    cycle *= mult;
  }
  const n = lengths.length;
  const facts: string[] = [];
  const whole = at <= len + 1e-9;
  facts.push(at < len ? `more than ${count(n)} cycles` : `${count(n)} cycle${n === 1 ? "" : "s"}${whole ? "" : `, the last one cut short`}`);
  const shown = lengths.slice(0, 6).map((l) => ticks(Number(l.toPrecision(6)), clock));
  facts.push(mult === 1 ? `each ${shown[0]}` : `lengths ${shown.join(", ")}${n > 6 ? ", ..." : ""} (× ${mult} each)`);
  if (!whole) {
    const lastStart = at - lengths[n - 1]!;
    facts.push(`the last cycle starts at ${clock === "epochs" ? "epoch" : "step"} ${count(Math.round(start + lastStart))} and is cut after ${ticks(Number((len - lastStart).toPrecision(6)), clock)} of its ${ticks(Number(lengths[n - 1]!.toPrecision(6)), clock)}`);
  }
  return facts;
}

/** The hyperparameter chain (`momentum: ...`) of a schedule that holds `offset`, if any. */
function paramChainAt(a: Analysis, s: CompiledSchedule, offset: number): PhaseChain | undefined {
  const chains = s.node.kind === "Schedule" ? s.node.chains : a.result.ast.items.filter((i): i is PhaseChain => i.kind === "Chain");
  return chains.find((c) => c.target !== undefined && c.target.name !== "lr" && inside(c.range, offset));
}

/** A hyperparameter chain in one line: where it starts, its range, where it ends. */
function paramFacts(p: ScheduleIR): string {
  const ev = createEvaluator(p);
  const values = ev.fillExact(new Float64Array(Math.min(p.total, 4096)));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const range = p.total > values.length ? "" : `, between ${formatNumber(lo)} and ${formatNumber(hi)}`;
  return `starts at ${formatNumber(ev.lrAt(0))}${range}, holds ${formatNumber(ev.final)} from step ${count(p.total)} on`;
}

function scheduleContent(s: CompiledSchedule, range: Range): HoverContent {
  const ir = s.ir;
  if (!ir) return { range, title: `schedule \`${s.name}\``, facts: [s.runTimeOnly ? noRatesReason(s) : "has errors; see the diagnostics"], ir: undefined };
  const sum = summarize(ir);
  const facts = [`${sum.total}, peak ${sum.peak}, final ${sum.final}`];
  for (const ph of s.phases) facts.push(`\`${ph.phase.keyword}\`: ${stepRange(ph, ir.clock)}, ${rate(ph.from, ir.peak)} → ${rate(ph.endValue, ir.peak)}`);
  for (const name of HYPER_PARAMS) {
    const p = paramSchedule(ir, name);
    if (p) facts.push(`\`${name}\`: ${paramFacts(p)}`);
  }
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
