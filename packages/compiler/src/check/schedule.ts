// One schedule, from its syntax to its IR: settings (with overrides), the clock, every
// phase's clauses, durations and values, the layout on the clock, and the segments.
//
// Layout rules (docs/language.md): phases run back to back from tick 0; exactly one phase
// may leave out its duration and take what remains of `total`; without `total` the phases'
// durations add up to it. Values: a phase's `from` defaults to where the previous phase
// ended; the first phase starts at the peak, except a first `warmup`, which starts at 0.
// Decays default to `to 0`; a warmup defaults to `to` the peak.

import type { Expr, Phase, PhaseChain, Range, Setting, SettingKey } from "@anneal/dsl";
import type { Reporter } from "../diagnostics/report.js";
import { segmentEnd } from "../evaluate.js";
import { checkClauses, resolvePhase } from "./phases.js";
import type { Piece } from "./lower.js";
import type { ClockUnit, HyperParam, ParamChainIR, RateValue, ScheduleIR, Segment, Shape } from "../ir.js";
import { asNumber, asRate, asTicks, evalExpr, formatNumber as fmt, isSubnormal, type DurationRecord, type LetBinding, type Scope, subnormalMessage, type Val, type ValueContext } from "./values.js";

/** A setting's expression together with the scope it is evaluated in. */
export interface SettingSource {
  setting: Setting;
  scope: Scope;
}

export interface OverrideExprs {
  total?: Expr;
  lr?: Expr;
  stepsPerEpoch?: Expr;
  tokensPerStep?: Expr;
}

export interface ScheduleSource {
  name: string;
  nameRange: Range;
  range: Range;
  chain: PhaseChain;
  /** The hyperparameter chains beside the learning-rate chain (`momentum: ...`). */
  params?: Map<HyperParam, PhaseChain>;
  /** Settings in force: the schedule's own over the top-level ones. */
  settings: Map<SettingKey, SettingSource>;
  scope: Scope;
  /**
   * True when a syntax or structure error already sits in this schedule: it is still
   * checked for more errors, but gets no IR and no lints, which would only add noise.
   */
  broken?: boolean;
}

/** What the checker learned about one phase, for lints, hovers and inlay hints. */
export interface ResolvedPhase {
  phase: Phase;
  index: number;
  start: number;
  end: number;
  from: RateValue;
  to: RateValue;
  /** The value the phase ends on (for continuity and the hover). */
  endValue: RateValue;
  /** The shape of the phase's first piece. */
  shape: Shape;
  /**
   * What the phase lowers to, at ticks on the schedule's clock: one segment of `shape` for
   * most phases, several for `onecycle` and `table` (check/lower.ts).
   */
  pieces: Piece[];
  /** True when the phase's start value was written (`from`, or a constant's `at`). */
  explicitFrom: boolean;
  /** The value the previous phase ended on, for the jump lint. */
  previousEnd?: RateValue;
}

/**
 * A duration expression (a phase's length, `total`, `every`, `timescale`, a restart period,
 * a milestone) and the clock ticks it resolved to; hovers and inlay hints show these.
 */
/** A duration expression and how it became clock ticks (its one definition is in values.ts). */
export type ResolvedDuration = DurationRecord;

export interface ResolvedSchedule {
  source: ScheduleSource;
  /** Undefined when the schedule has errors. */
  ir?: ScheduleIR;
  phases: ResolvedPhase[];
  durations: ResolvedDuration[];
  total?: number;
  clock: ClockUnit;
  peak?: number;
  cx: ValueContext;
}

/**
 * The most ticks a schedule may have: 2^53 - 1, the largest integer below which every
 * integer is a double. At 2^53 itself `total 9007199254740993` and `2^53 + 1` phases
 * already read as 2^53, silently, so the bound stops one short of it.
 */
const MAX_TICKS = Number.MAX_SAFE_INTEGER;
export function resolveSchedule(src: ScheduleSource, report: Reporter, overrides: OverrideExprs, used: Set<LetBinding>, defaults: OverrideExprs = {}): ResolvedSchedule {
  // Where this schedule's diagnostics start: counting every error of the file here, once
  // per schedule, made a file of many schedules quadratic (minutes for 30k schedules).
  const firstOwn = report.diagnostics.length;
  const durations: ResolvedDuration[] = [];
  const cx: ValueContext = { report, peak: "unknown", total: undefined, clock: "steps", used, memo: new Map(), durations };
  const setting = (key: SettingKey) => src.settings.get(key);
  const DEFAULT_KEY = { lr: "lr", total: "total", steps_per_epoch: "stepsPerEpoch", tokens_per_step: "tokensPerStep", clock: undefined } as const;
  const settingExpr = (key: SettingKey, override: Expr | undefined): { expr: Expr; scope: Scope } | undefined => {
    if (override) return { expr: override, scope: src.scope };
    const s = setting(key);
    if (s) return s.setting.value ? { expr: s.setting.value, scope: s.scope } : undefined;
    const dk = DEFAULT_KEY[key];
    const d = dk ? defaults[dk] : undefined;
    return d ? { expr: d, scope: src.scope } : undefined;
  };

  // steps_per_epoch and tokens_per_step: plain positive numbers, no peak or total.
  cx.peak = "forbidden";
  cx.total = "forbidden";
  const positive = (key: "steps_per_epoch" | "tokens_per_step", o: Expr | undefined): number | undefined => {
    const s = settingExpr(key, o);
    if (!s) return undefined;
    const n = asNumber(evalExpr(s.expr, s.scope, cx), s.expr, cx, `\`${key}\``);
    if (n === undefined) return undefined;
    if (!(n > 0)) {
      report.report("A219", s.expr.range, `\`${key}\` must be above 0`);
      return undefined;
    }
    return n;
  };
  const spe = positive("steps_per_epoch", overrides.stepsPerEpoch);
  const tps = positive("tokens_per_step", overrides.tokensPerStep);
  if (spe !== undefined) cx.stepsPerEpoch = spe;
  if (tps !== undefined) cx.tokensPerStep = tps;
  // One cause, one diagnostic: a setting given with a bad value is unknown, not missing.
  cx.unknownSettings = new Set();
  if (spe === undefined && settingExpr("steps_per_epoch", overrides.stepsPerEpoch)) cx.unknownSettings.add("steps_per_epoch");
  if (tps === undefined && settingExpr("tokens_per_step", overrides.tokensPerStep)) cx.unknownSettings.add("tokens_per_step");

  // The peak.
  let peak: number | undefined;
  const lrSrc = settingExpr("lr", overrides.lr);
  if (lrSrc) {
    const v = evalExpr(lrSrc.expr, lrSrc.scope, cx);
    if (v) {
      if (v.t === "num" || (v.t === "rate" && v.scale === 0)) {
        const x = v.t === "num" ? v.v : v.abs;
        if (isSubnormal(x)) report.report("A119", lrSrc.expr.range, subnormalMessage(x, "`lr`"));
        else if (x > 0) peak = x;
        else report.report("A212", lrSrc.expr.range, "`lr` must be above 0; it sets the peak learning rate, such as `lr 3e-4`");
      } else {
        report.report("A212", lrSrc.expr.range, `\`lr\` must be an absolute learning rate such as \`3e-4\`, not ${v.t === "pct" ? "a percent" : v.t === "dur" ? "a duration" : "a rate relative to the peak"}`);
      }
    }
  }
  const lrKnownBad = lrSrc !== undefined && peak === undefined;
  cx.peak = peak ?? (lrKnownBad ? "unknown" : "relative");

  // The clock and the total.
  const clockSetting = setting("clock")?.setting.clock;
  let totalVal: Val | undefined;
  const totalSrc = settingExpr("total", overrides.total);
  if (totalSrc) totalVal = evalExpr(totalSrc.expr, totalSrc.scope, cx);
  const totalUnit: "steps" | "epochs" | "tokens" = totalVal?.t === "dur" && totalVal.unit !== "ticks" ? totalVal.unit : "steps";
  cx.clock = clockSetting ?? (totalUnit === "epochs" ? "epochs" : "steps");
  cx.totalUnit = totalUnit;
  let total: number | undefined;
  if (totalSrc && totalVal) {
    if (totalVal.t === "pct") report.report("A104", totalSrc.expr.range, "`total` cannot be a percent of itself; write a duration such as `100k` or `90 epochs`");
    else {
      const t = asTicks(totalVal, totalSrc.expr, cx, "`total`");
      if (t !== undefined) {
        if (t.ticks < 1 || t.ticks > MAX_TICKS)
          report.report("A218", totalSrc.expr.range, `\`total\` resolves to ${fmt(t.ticks)} ${cx.clock}; it must be between 1 and 2^53 - 1 (9007199254740991)`);
        else total = t.ticks;
      }
    }
  }
  const totalKnownBad = totalSrc !== undefined && total === undefined;
  // One cause, one diagnostic: a bad `total` is unknown, so nothing after it says "no `total`".
  cx.total = total ?? (totalKnownBad ? "unknown" : undefined);

  // Phases: durations first, so percents and the layout are known before the values.
  const phases = src.chain.phases;
  const layout = layoutChain(phases, src.scope, cx, total, totalKnownBad, report);
  total = layout.total;
  const peakValue: RateValue = peak !== undefined ? { scale: 0, abs: peak } : { scale: 1, abs: 0 };
  const { resolved, segments, prevEnd } = lowerChain(phases, layout.lens, peakValue, src.scope, cx);

  let hasErrors = false;
  for (let i = firstOwn; i < report.diagnostics.length; i++) if (report.diagnostics[i]!.severity === "error") hasErrors = true;
  const out: ResolvedSchedule = {
    source: src,
    phases: resolved,
    durations,
    clock: cx.clock,
    cx,
    ...(total !== undefined ? { total } : {}),
    ...(peak !== undefined ? { peak } : {}),
  };
  if (hasErrors || src.broken || total === undefined || resolved.length !== phases.length) return out;

  const last = segments[segments.length - 1]!;
  if (last.end < total) {
    // The rate holds for the rest of `total`; the lint A302 (lints/hold-at-end.ts) says so.
    segments.push({ start: last.end, end: total, shape: { kind: "constant" }, from: prevEnd, to: prevEnd, phase: "hold", phaseIndex: -1, range: src.range });
  }
  out.ir = {
    name: src.name,
    nameRange: src.nameRange,
    range: src.range,
    total,
    clock: cx.clock,
    totalUnit,
    relative: peak === undefined,
    // Copied to its length, as compile() copies the phases: the pushed array keeps spare room.
    segments: segments.slice(),
    final: segmentEnd(segments[segments.length - 1]!),
    ...(spe !== undefined ? { stepsPerEpoch: spe } : {}),
    ...(tps !== undefined ? { tokensPerStep: tps } : {}),
    ...(peak !== undefined ? { peak } : {}),
  };
  const params = resolveParams(src, cx, total, report);
  if (params) out.ir.params = params;
  return out;
}

export function describeRate(v: RateValue, peak: number | undefined): string {
  if (peak !== undefined || v.scale === 0) return fmt(v.scale * (peak ?? 0) + v.abs);
  if (v.abs === 0) return `${fmt(v.scale * 100)}% of the peak`;
  return `${fmt(v.scale * 100)}% of the peak + ${fmt(v.abs)}`;
}

/**
 * The durations of a chain's phases on the clock: each written one, and the open phase's
 * share of `total` (or `total` as their sum when the schedule has none), with the layout's
 * errors reported.
 */
function layoutChain(
  phases: Phase[],
  scope: Scope,
  cx: ValueContext,
  givenTotal: number | undefined,
  totalKnownBad: boolean,
  report: Reporter,
): { lens: (number | undefined)[]; total: number | undefined } {
  let total = givenTotal;
  const lens: (number | undefined)[] = [];
  const openIdx: number[] = [];
  let durationErrors = false;
  for (const [i, ph] of phases.entries()) {
    checkClauses(ph, report);
    if (!ph.duration) {
      openIdx.push(i);
      lens.push(undefined);
      continue;
    }
    const t = asTicks(evalExpr(ph.duration, scope, cx), ph.duration, cx, `\`${ph.keyword}\``);
    if (!t) {
      durationErrors = true;
      lens.push(undefined);
      continue;
    }
    if (t.ticks < 1) {
      report.report("A206", ph.duration.range, `\`${ph.keyword}\` lasts ${fmt(t.unrounded ?? t.ticks)} ${cx.clock}; a phase needs at least 1`);
      durationErrors = true;
      lens.push(undefined);
      continue;
    }
    lens.push(t.ticks);
  }
  for (const extra of openIdx.slice(1)) {
    const ph = phases[extra]!;
    report.report("A203", ph.keywordRange, `\`${ph.keyword}\` has no duration, and neither has \`${phases[openIdx[0]!]!.keyword}\` before it; at most one phase may take what remains of \`total\``, {
      related: [{ message: "the other phase without a duration", range: phases[openIdx[0]!]!.keywordRange }],
    });
  }
  const known = lens.reduce<number>((a, b) => a + (b ?? 0), 0);
  if (openIdx.length === 1 && !durationErrors) {
    const ph = phases[openIdx[0]!]!;
    if (total === undefined) {
      if (!totalKnownBad)
        report.report("A217", ph.keywordRange, `\`${ph.keyword}\` has no duration, so it takes what remains of \`total\`, but this schedule has no \`total\`; add one, such as \`total 100k\``);
    } else if (known >= total) {
      report.report("A205", ph.keywordRange, `the other phases already take ${fmt(known)} of ${fmt(total)} ${cx.clock}, so nothing remains for \`${ph.keyword}\``);
    } else {
      lens[openIdx[0]!] = total - known;
    }
  }
  if (total === undefined && !totalKnownBad && openIdx.length === 0 && !durationErrors && known > 0) {
    // The phases' sum is the total, and held to the bound a written `total` is: without
    // this, `linear 1e18` lowered to a schedule of 1e18 ticks, past exact integers.
    if (known > MAX_TICKS) {
      const ph = phases[phases.length - 1]!;
      report.report("A218", ph.duration?.range ?? ph.keywordRange, `the phases add up to ${fmt(known)} ${cx.clock}; a schedule lasts between 1 and 2^53 - 1 (9007199254740991)`);
    } else total = known;
  }
  if (total !== undefined && openIdx.length === 0 && !durationErrors) {
    let acc = 0;
    for (const [i, len] of lens.entries()) {
      acc += len ?? 0;
      if (acc > total) {
        const ph = phases[i]!;
        report.report("A204", ph.duration?.range ?? ph.keywordRange, `the phases run to ${fmt(acc)} ${cx.clock}, past \`total\` (${fmt(total)}); shorten a phase or raise \`total\``);
        break;
      }
    }
  }

  return { lens, total };
}

/** A chain's values, phase by phase, and the segments they lower to. */
function lowerChain(phases: Phase[], lens: (number | undefined)[], peakValue: RateValue, scope: Scope, cx: ValueContext): { resolved: ResolvedPhase[]; segments: Segment[]; prevEnd: RateValue } {
  // Values and segments.
  const resolved: ResolvedPhase[] = [];
  const segments: Segment[] = [];
  let prevEnd: RateValue = peakValue;
  let start = 0;
  for (const [i, ph] of phases.entries()) {
    const len = lens[i];
    const r = resolvePhase(ph, i, start, len, prevEnd, peakValue, scope, cx);
    if (r && len !== undefined) {
      resolved.push(r);
      // Field by field, not `{ ...piece }`: past a few schedules V8's spread gives every copy
      // a hidden class of its own, 25,000 of them in a file of 25,000 schedules.
      for (const p of r.pieces) segments.push({ start: p.start, end: p.end, shape: p.shape, from: p.from, to: p.to, phase: ph.keyword, phaseIndex: i, range: ph.range });
      prevEnd = r.endValue;
    }
    start += len ?? 0;
  }

  return { resolved, segments, prevEnd };
}

/** Where each hyperparameter must stay, and how to say so. */
const PARAM_RANGE: Record<HyperParam, { ok: (v: number) => boolean; words: string }> = {
  momentum: { ok: (v) => v >= 0 && v < 1, words: "momentum must stay in [0, 1)" },
  beta2: { ok: (v) => v >= 0 && v < 1, words: "`beta2` must stay in [0, 1)" },
  weight_decay: { ok: (v) => v >= 0 && Number.isFinite(v), words: "weight decay must be 0 or more" },
};

/**
 * The hyperparameter chains of a schedule, on its clock and `total`: plain values (a
 * percent is a fraction), each chain stating its own start. Undefined when there are none
 * or one has errors (reported).
 */
function resolveParams(src: ScheduleSource, lrCx: ValueContext, total: number, report: Reporter): ScheduleIR["params"] {
  if (!src.params || src.params.size === 0) return undefined;
  const out: Partial<Record<HyperParam, ParamChainIR>> = {};
  let ok = true;
  for (const [name, chain] of src.params) {
    const firstOwn = report.diagnostics.length;
    // Values are plain numbers: with a peak of 1 a percent is its fraction.
    const cx: ValueContext = { ...lrCx, peak: 1, memo: new Map() };
    const phases = chain.phases;
    const first = phases[0];
    if (!first) continue;
    const states = first.clauses.some((c) => c.kind === "from" || (first.type === "constant" && c.kind === "at"));
    if (!states) {
      report.report("A232", first.keywordRange, `a \`${name}:\` chain has no peak to start from; say where it starts, such as \`${name}: ${first.keyword} from ${name === "weight_decay" ? "0.05" : "0.9"}\``);
      ok = false;
      continue;
    }
    const layout = layoutChain(phases, src.scope, cx, total, false, report);
    const { resolved, segments, prevEnd } = lowerChain(phases, layout.lens, { scale: 0, abs: 1 }, src.scope, cx);
    if (report.diagnostics.slice(firstOwn).some((d) => d.severity === "error") || resolved.length !== phases.length) {
      ok = false;
      continue;
    }
    const last = segments[segments.length - 1]!;
    if (last.end < total) segments.push({ start: last.end, end: total, shape: { kind: "constant" }, from: prevEnd, to: prevEnd, phase: "hold", phaseIndex: -1, range: chain.range });
    const range = PARAM_RANGE[name];
    for (const p of resolved) {
      for (const v of [p.from.abs, p.to.abs, p.endValue.abs]) {
        if (range.ok(v)) continue;
        report.report("A233", p.phase.range, `${range.words}, and this phase reaches ${fmt(v)}`);
        ok = false;
        break;
      }
    }
    out[name] = { segments, final: segmentEnd(segments[segments.length - 1]!) };
  }
  return ok ? out : undefined;
}
