// One schedule, from its syntax to its IR: settings (with overrides), the clock, every
// phase's clauses, durations and values, the layout on the clock, and the segments.
//
// Layout rules (docs/language.md): phases run back to back from tick 0; exactly one phase
// may leave out its duration and take what remains of `total`; without `total` the phases'
// durations add up to it. Values: a phase's `from` defaults to where the previous phase
// ended; the first phase starts at the peak, except a first `warmup`, which starts at 0.
// Decays default to `to 0`; a warmup defaults to `to` the peak.

import type { Clause, ClauseKind, Expr, Phase, PhaseChain, Range, Setting, SettingKey } from "@anneal/dsl";
import type { Reporter } from "../diagnostics/report.js";
import { endCoefficients, restartCycle, segmentEnd } from "../evaluate.js";
import type { ClockUnit, RateValue, ScheduleIR, Segment, Shape } from "../ir.js";
import { asNumber, asRate, asTicks, evalExpr, formatNumber as fmt, type DurationRecord, type LetBinding, type Scope, type Val, type ValueContext } from "./values.js";

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
  shape: Shape;
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

/** The clauses each phase kind takes; anything else is A201. Completion offers the same. */
export const PHASE_CLAUSES: Record<Phase["type"], readonly ClauseKind[]> = {
  warmup: ["shape", "from", "to"],
  constant: ["at"],
  linear: ["from", "to"],
  cosine: ["from", "to", "restart"],
  exp: ["from", "to", "gamma"],
  poly: ["from", "to", "power"],
  sqrt: ["from", "to"],
  rsqrt: ["from", "timescale"],
  step: ["from", "by", "every", "at"],
  onecycle: ["up", "from", "via", "to", "shape", "threePhase"],
  cyclic: ["from", "to", "every", "up", "decay", "gamma"],
  rex: ["from", "to"],
  table: ["shape", "points"],
};

/** Phase kinds the parser reads but this checker does not lower; each is reported once (A201), never guessed at. */
const UNLOWERED_PHASES: ReadonlySet<Phase["type"]> = new Set(["onecycle", "cyclic", "rex", "table"]);

const CLAUSE_WORD: Record<ClauseKind, string> = {
  shape: "shape",
  from: "from",
  to: "to",
  at: "at",
  power: "power",
  gamma: "gamma",
  by: "by",
  every: "every",
  timescale: "timescale",
  restart: "restart every",
  up: "up",
  via: "via",
  threePhase: "three phase",
  decay: "decay",
  over: "over",
  points: "{ ... }",
};

const MAX_TICKS = 2 ** 53;
/**
 * The largest restart multiplier. Larger ones mean nothing a run can reach (the third
 * cycle of `x 1000` is already a million times the first) and would overflow `mult ** k`
 * in the emitted Python, which raises where JavaScript gives Infinity.
 */
const MAX_RESTART_MULT = 1000;

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

  // The peak.
  let peak: number | undefined;
  const lrSrc = settingExpr("lr", overrides.lr);
  if (lrSrc) {
    const v = evalExpr(lrSrc.expr, lrSrc.scope, cx);
    if (v) {
      if (v.t === "num" || (v.t === "rate" && v.scale === 0)) {
        const x = v.t === "num" ? v.v : v.abs;
        if (x > 0) peak = x;
        else report.report("A212", lrSrc.expr.range, "`lr` must be above 0; it sets the peak learning rate, such as `lr 3e-4`");
      } else {
        report.report("A212", lrSrc.expr.range, `\`lr\` must be an absolute learning rate such as \`3e-4\`, not ${v.t === "pct" ? "a percent" : v.t === "dur" ? "a duration" : "a rate relative to the peak"}`);
      }
    }
  }
  const lrKnownBad = lrSrc !== undefined && peak === undefined;
  cx.peak = peak ?? (lrKnownBad ? "unknown" : "relative");
  if (peak !== undefined && peak > 1)
    report.report("A304", lrSrc!.expr.range, `a peak learning rate of ${fmt(peak)} is unusually high; did you mean ${fmt(peak)}e-4 or similar?`);

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
          report.report("A218", totalSrc.expr.range, `\`total\` resolves to ${fmt(t.ticks)} ${cx.clock}; it must be between 1 and 2^53`);
        else total = t.ticks;
      }
    }
  }
  cx.total = total;
  const totalKnownBad = totalSrc !== undefined && total === undefined;

  // Phases: durations first, so percents and the layout are known before the values.
  const phases = src.chain.phases;
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
    const t = asTicks(evalExpr(ph.duration, src.scope, cx), ph.duration, cx, `\`${ph.keyword}\``);
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
    lintBareDuration(ph.duration, cx, report);
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
      report.report("A218", ph.duration?.range ?? ph.keywordRange, `the phases add up to ${fmt(known)} ${cx.clock}; a schedule lasts between 1 and 2^53`);
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

  // Values and segments.
  const resolved: ResolvedPhase[] = [];
  const segments: Segment[] = [];
  const peakValue: RateValue = peak !== undefined ? { scale: 0, abs: peak } : { scale: 1, abs: 0 };
  let prevEnd: RateValue = peakValue;
  let start = 0;
  for (const [i, ph] of phases.entries()) {
    const len = lens[i];
    const r = resolvePhase(ph, i, start, len, prevEnd, peakValue, src.scope, cx);
    if (r && len !== undefined) {
      resolved.push(r);
      segments.push({
        start: r.start,
        end: r.end,
        shape: r.shape,
        from: r.from,
        to: r.to,
        phase: ph.keyword,
        phaseIndex: i,
        range: ph.range,
      });
      prevEnd = r.endValue;
    }
    start += len ?? 0;
  }

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
  if (hasErrors || src.broken || total === undefined || segments.length !== phases.length) return out;

  const last = segments[segments.length - 1]!;
  if (last.end < total) {
    const lastPhase = phases[phases.length - 1]!;
    report.report(
      "A302",
      lastPhase.range,
      `the phases end at ${fmt(last.end)} of ${fmt(total)} ${cx.clock}; the rate holds at ${describeRate(prevEnd, peak)} for the remaining ${fmt(total - last.end)}`,
      { fixes: [{ title: "Hold explicitly with `-> constant`", edits: [{ range: { start: lastPhase.range.end, end: lastPhase.range.end }, newText: " -> constant" }] }] },
    );
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
    segments,
    final: segmentEnd(segments[segments.length - 1]!),
    ...(spe !== undefined ? { stepsPerEpoch: spe } : {}),
    ...(tps !== undefined ? { tokensPerStep: tps } : {}),
    ...(peak !== undefined ? { peak } : {}),
  };
  return out;
}

/** A312: a bare tick count where the total was written in epochs but the clock counts steps. */
function lintBareDuration(e: Expr, cx: ValueContext, report: Reporter): void {
  if (e.kind === "Number" && cx.clock === "steps" && cx.totalUnit === "epochs" && cx.stepsPerEpoch !== undefined && e.value < cx.stepsPerEpoch)
    report.report("A312", e.range, `\`${e.raw}\` counts steps here, since this schedule steps once per batch; write \`${e.raw} epochs\` if you meant epochs, or \`${e.raw} steps\` to say so`, {
      fixes: [
        { title: `Write ${e.raw} epochs`, edits: [{ range: { start: e.range.end, end: e.range.end }, newText: " epochs" }] },
        { title: `Write ${e.raw} steps`, edits: [{ range: { start: e.range.end, end: e.range.end }, newText: " steps" }] },
      ],
    });
}

export function describeRate(v: RateValue, peak: number | undefined): string {
  if (peak !== undefined || v.scale === 0) return fmt(v.scale * (peak ?? 0) + v.abs);
  if (v.abs === 0) return `${fmt(v.scale * 100)}% of the peak`;
  return `${fmt(v.scale * 100)}% of the peak + ${fmt(v.abs)}`;
}

function checkClauses(ph: Phase, report: Reporter): void {
  if (UNLOWERED_PHASES.has(ph.type)) {
    report.report("A201", ph.keywordRange, `a \`${ph.keyword}\` phase is read but cannot be checked or compiled by this version of Anneal; write it with the phases it supports (\`warmup\`, \`linear\`, \`cosine\`, ...)`);
    return;
  }
  const allowed = PHASE_CLAUSES[ph.type];
  const seen = new Map<ClauseKind, Clause>();
  for (const c of ph.clauses) {
    if (c.kind === "shape" && c.shape === "step" && ph.type === "warmup") {
      report.report("A201", c.range, "`step` is not a warmup shape (it takes `linear`, `cosine` or `exp`); to start a step decay write `-> step`", {
        fixes: [{ title: "Insert -> before step", edits: [{ range: { start: c.range.start, end: c.range.start }, newText: "-> " }] }],
      });
      continue;
    }
    if (!allowed.includes(c.kind)) {
      if (c.kind === "shape")
        report.report("A201", c.range, `\`${c.shape}\` after a \`${ph.keyword}\` phase reads as a shape, which only \`warmup\` takes; to start a new phase write \`-> ${c.shape}\``, {
          fixes: [{ title: `Insert -> before ${c.shape}`, edits: [{ range: { start: c.range.start, end: c.range.start }, newText: "-> " }] }],
        });
      else if (ph.type === "constant" && c.kind === "from")
        report.report("A201", c.range, "a `constant` phase takes its value with `at`, such as `constant 10k at 1e-5`", {
          fixes: [{ title: "Change `from` to `at`", edits: [{ range: { start: c.range.start, end: c.range.start + 4 }, newText: "at" }] }],
        });
      else
        report.report("A201", c.range, `\`${CLAUSE_WORD[c.kind]}\` does not apply to a \`${ph.keyword}\` phase; it takes ${allowed.map((k) => `\`${CLAUSE_WORD[k]}\``).join(", ")}`);
      continue;
    }
    const first = seen.get(c.kind);
    if (first && first.kind === "shape" && c.kind === "shape")
      // `warmup 4% linear cosine`: the second shape word is the next phase, missing its arrow.
      report.report("A202", c.range, `a phase takes one shape, and \`${first.shape}\` is this one's; \`${c.shape}\` starts the next phase, so write \`-> ${c.shape}\``, {
        fixes: [{ title: `Insert -> before ${c.shape}`, edits: [{ range: { start: c.range.start, end: c.range.start }, newText: "-> " }] }],
      });
    else if (first) report.report("A202", c.range, `\`${CLAUSE_WORD[c.kind]}\` is given twice in this phase; keep one`);
    else seen.set(c.kind, c);
  }
  const has = (k: ClauseKind) => seen.has(k);
  if (ph.type === "poly" && !has("power")) report.report("A207", ph.keywordRange, "a `poly` phase needs its exponent: `poly power 2`");
  if (ph.type === "step") {
    if (!has("by")) report.report("A207", ph.keywordRange, "a `step` phase needs its factor: `step by 0.1 every 30 epochs`");
    if (!has("every") && !has("at")) report.report("A207", ph.keywordRange, "a `step` phase needs `every D` or `at D, D, ...`: `step by 0.1 every 30 epochs`");
    if (has("every") && has("at")) report.report("A209", seen.get("at")!.range, "a `step` phase takes `every` or `at`, not both");
  }
  if (ph.type === "exp") {
    if (!has("to") && !has("gamma")) report.report("A207", ph.keywordRange, "an `exp` phase needs `to V` (such as `to 1e-6`) or `gamma G per step`");
    if (has("to") && has("gamma")) report.report("A209", seen.get("gamma")!.range, "an `exp` phase takes `to` or `gamma`, not both");
  }
  if (ph.type === "constant") {
    const at = seen.get("at");
    if (at && at.kind === "at" && at.values.length > 1) report.report("A201", at.range, "a `constant` phase holds one value: `constant at 1e-5`");
  }
}

function clause<K extends ClauseKind>(ph: Phase, kind: K): Extract<Clause, { kind: K }> | undefined {
  return ph.clauses.find((c) => c.kind === kind && PHASE_CLAUSES[ph.type].includes(kind)) as Extract<Clause, { kind: K }> | undefined;
}

function resolvePhase(
  ph: Phase,
  index: number,
  start: number,
  len: number | undefined,
  prevEnd: RateValue,
  peakValue: RateValue,
  scope: Scope,
  cx: ValueContext,
): ResolvedPhase | undefined {
  const rate = (c: { value?: Expr } | undefined, what: string): RateValue | undefined | null => {
    if (!c) return null;
    if (!c.value) return undefined;
    return asRate(evalExpr(c.value, scope, cx), c.value, cx, what);
  };
  const num = (c: { value?: Expr } | undefined, what: string, allowPct = false): number | undefined | null => {
    if (!c) return null;
    if (!c.value) return undefined;
    return asNumber(evalExpr(c.value, scope, cx), c.value, cx, what, allowPct);
  };
  const first = index === 0;
  const fromC = ph.type === "constant" ? undefined : clause(ph, "from");
  const atC = ph.type === "constant" ? clause(ph, "at") : undefined;
  const explicitFrom = ph.type === "constant" ? atC !== undefined : fromC !== undefined;
  let fromV: RateValue | undefined | null = ph.type === "constant" ? (atC && atC.values[0] ? asRate(evalExpr(atC.values[0], scope, cx), atC.values[0], cx, "`at`") : atC ? undefined : null) : rate(fromC, "`from`");
  const toV = rate(clause(ph, "to"), "`to`");
  if (fromV === undefined || toV === undefined) return undefined;
  const zero: RateValue = { scale: 0, abs: 0 };
  const a: RateValue = fromV ?? (first ? (ph.type === "warmup" ? zero : peakValue) : prevEnd);
  let b: RateValue;
  let shape: Shape;
  const end = start + (len ?? 0);
  const bad = (range: Range, msg: string) => {
    cx.report.report("A219", range, msg);
    return undefined;
  };
  switch (ph.type) {
    case "onecycle":
    case "cyclic":
    case "rex":
    case "table":
      // Reported by `checkClauses` (A201).
      return undefined;
    case "warmup": {
      b = toV ?? peakValue;
      const s = clause(ph, "shape")?.shape ?? "linear";
      if (s === "step") return undefined;
      shape = { kind: s };
      if (s === "exp") {
        if (!positiveRate(a) || !positiveRate(b)) {
          cx.report.report("A208", clause(ph, "shape")!.range, "an `exp` warmup grows geometrically and cannot start at 0; give it a positive start, such as `from 1e-6`");
          return undefined;
        }
      }
      break;
    }
    case "constant":
      b = a;
      shape = { kind: "constant" };
      break;
    case "linear":
    case "cosine":
    case "sqrt": {
      b = toV ?? zero;
      shape = { kind: ph.type };
      const rc = clause(ph, "restart");
      if (ph.type === "cosine" && rc) {
        const r = restartShape(rc, scope, cx, len);
        if (!r) return undefined;
        shape = r;
      }
      break;
    }
    case "exp": {
      const g = clause(ph, "gamma");
      if (g) {
        const gamma = num(g, "`gamma`");
        if (gamma === undefined || gamma === null) return undefined;
        if (!(gamma > 0)) return bad(g.value!.range, "`gamma` must be above 0: the rate is multiplied by it once per step or epoch");
        let per = 1;
        if (g.per === "epoch" && cx.clock === "steps") {
          if (cx.stepsPerEpoch === undefined) {
            cx.report.report("A106", g.perRange ?? g.range, "`per epoch` on a schedule that steps per batch needs `steps_per_epoch`");
            return undefined;
          }
          per = cx.stepsPerEpoch;
        } else if (g.per === "step" && cx.clock === "epochs") {
          if (cx.stepsPerEpoch === undefined) {
            cx.report.report("A106", g.perRange ?? g.range, "`per step` on a schedule that steps per epoch needs `steps_per_epoch`");
            return undefined;
          }
          per = 1 / cx.stepsPerEpoch;
        }
        shape = { kind: "gamma", gamma, per };
        b = a;
      } else {
        if (!toV) return undefined;
        b = toV;
        shape = { kind: "exp" };
        if (!positiveRate(a) || !positiveRate(b)) {
          cx.report.report("A208", clause(ph, "to")?.value?.range ?? ph.keywordRange, `an \`exp\` phase interpolates geometrically and never reaches 0; decay to a small floor instead, such as \`to 1e-6\`, or use \`linear\` or \`cosine\` to reach 0`);
          return undefined;
        }
      }
      break;
    }
    case "poly": {
      b = toV ?? zero;
      const pc = clause(ph, "power");
      const p = num(pc, "`power`");
      if (p === undefined || p === null) return undefined;
      if (!(p > 0)) return bad(pc!.value!.range, "`power` must be above 0; `power 1` is linear, `power 2` quadratic");
      shape = { kind: "poly", power: p };
      break;
    }
    case "rsqrt": {
      const tc = clause(ph, "timescale");
      let tau = start;
      if (tc) {
        if (!tc.value) return undefined;
        const t = asTicks(evalExpr(tc.value, scope, cx), tc.value, cx, "`timescale`");
        if (!t) return undefined;
        if (t.ticks < 1) return bad(tc.value.range, "`timescale` must be at least 1 step");
        tau = t.ticks;
      } else if (start === 0) {
        cx.report.report("A210", ph.keywordRange, "`rsqrt` takes its timescale from its start step, which is 0 here; give one, such as `rsqrt timescale 4000`", {
          fixes: [{ title: "Add a timescale", edits: [{ range: { start: ph.keywordRange.end, end: ph.keywordRange.end }, newText: " timescale 4000" }] }],
        });
        return undefined;
      }
      shape = { kind: "rsqrt", tau };
      b = a;
      break;
    }
    case "step": {
      const f = num(clause(ph, "by"), "`by`");
      if (f === undefined || f === null) return undefined;
      if (!(f > 0)) return bad(clause(ph, "by")!.value!.range, "the factor of `step by F` must be above 0, such as `by 0.1`");
      if (f >= 1) cx.report.report("A303", clause(ph, "by")!.value!.range, f === 1 ? "`by 1` never changes the rate" : `\`by ${fmt(f)}\` makes the rate grow at every step; step decays use factors below 1, such as \`by 0.1\``);
      const every = clause(ph, "every");
      const at = clause(ph, "at");
      if (every) {
        if (!every.value) return undefined;
        const t = asTicks(evalExpr(every.value, scope, cx), every.value, cx, "`every`");
        if (!t) return undefined;
        if (t.ticks < 1) return bad(every.value.range, "`every` must be at least 1 step");
        shape = { kind: "step", factor: f, every: t.ticks };
      } else if (at) {
        const ms: number[] = [];
        let prev = 0;
        for (const m of at.values) {
          const t = asTicks(evalExpr(m, scope, cx), m, cx, "a milestone");
          if (!t) return undefined;
          if (t.ticks < 1 || t.ticks < prev) {
            cx.report.report("A220", m.range, t.ticks < 1 ? "a milestone must be at least 1 step into its phase" : "milestones must be in increasing order");
            return undefined;
          }
          if (len !== undefined && t.ticks >= len)
            cx.report.report("A311", m.range, `this milestone is ${fmt(t.ticks)} ${cx.clock} into a phase of ${fmt(len)}, so it never takes effect; milestones count from the phase's start`);
          prev = t.ticks;
          ms.push(t.ticks);
        }
        shape = { kind: "multistep", factor: f, milestones: ms };
      } else return undefined;
      b = a;
      break;
    }
  }
  if (len === undefined) return undefined;
  const seg = { shape, from: a, to: b, start, end };
  const top = phaseTop(shape, a, b, len);
  if (!(top <= MAX_RATE)) {
    const grows = clause(ph, "gamma")?.value ?? clause(ph, "by")?.value ?? clause(ph, "restart")?.decay;
    cx.report.report(
      "A109",
      grows?.range ?? ph.keywordRange,
      `this phase's rate reaches ${Number.isFinite(top) ? fmt(top) : "infinity"}${typeof cx.peak === "number" ? "" : " × the peak"}, more than the ${fmt(MAX_RATE)} a learning rate may be${grows ? "; a factor above 1 compounds at every step, epoch or cycle" : ""}`,
    );
    return undefined;
  }
  return {
    phase: ph,
    index,
    start,
    end,
    from: a,
    to: b,
    endValue: segmentEnd(seg),
    shape,
    explicitFrom,
    ...(first ? {} : { previousEnd: prevEnd }),
  };
}

/**
 * The largest rate a phase may reach. The formulas compute with values up to twice a rate
 * (`(a - b) * (1 + cos(...))`), so rates near the largest double (1.8e308) evaluated to
 * Infinity; and a growing phase (`exp gamma 1.1` over 100k steps, `step by 10`, restarts
 * with `decay 10`) reached Infinity from an ordinary start, silently.
 */
const MAX_RATE = 1e300;

/**
 * The largest rate over a phase, as the larger of its scale (a multiple of a relative
 * schedule's peak) and its absolute part. Every shape lies between its start and end values
 * except the growing ones, whose largest value is the start times their largest factor.
 */
function phaseTop(shape: Shape, a: RateValue, b: RateValue, len: number): number {
  let grow = 1;
  if (shape.kind === "gamma" || shape.kind === "step" || shape.kind === "multistep") grow = endCoefficients(shape, len).alpha;
  if (shape.kind === "restarts") grow = shape.decay ** restartCycle(Math.max(0, len - 1), shape.period, shape.mult).k;
  grow = Math.max(1, grow);
  const end = segmentEnd({ shape, from: a, to: b, start: 0, end: len });
  // A zero part stays zero, although 0 times an infinite factor is NaN.
  const times = (x: number) => (x === 0 ? 0 : x * grow);
  return Math.max(times(a.scale), times(a.abs), b.scale, b.abs, end.scale, end.abs);
}

function positiveRate(v: RateValue): boolean {
  return v.scale >= 0 && v.abs >= 0 && v.scale + v.abs > 0;
}

function restartShape(rc: Extract<Clause, { kind: "restart" }>, scope: Scope, cx: ValueContext, len: number | undefined): Shape | undefined {
  if (rc.limitRange) {
    cx.report.report("A201", rc.limitRange, "`limit` on a restart is read but cannot be compiled by this version of Anneal; remove it, or end the phase after the cycles you want");
    return undefined;
  }
  if (!rc.every) return undefined;
  const t = asTicks(evalExpr(rc.every, scope, cx), rc.every, cx, "`restart every`");
  if (!t) return undefined;
  lintBareDuration(rc.every, cx, cx.report);
  if (t.ticks < 1) {
    cx.report.report("A206", rc.every.range, "a restart period must be at least 1 step");
    return undefined;
  }
  let mult = 1;
  if (rc.mult) {
    const m = asNumber(evalExpr(rc.mult, scope, cx), rc.mult, cx, "the restart multiplier");
    if (m === undefined) return undefined;
    if (!(m >= 1 && m <= MAX_RESTART_MULT)) {
      cx.report.report(
        "A219",
        rc.multRange ?? rc.mult.range,
        m < 1 ? "the restart multiplier must be at least 1: cycles that shrink would never end" : `the restart multiplier must be at most ${MAX_RESTART_MULT}: the third cycle would already be ${fmt(m * m)} times the first`,
      );
      return undefined;
    }
    mult = m;
  }
  let decay = 1;
  if (rc.decay) {
    const d = asNumber(evalExpr(rc.decay, scope, cx), rc.decay, cx, "`decay`", true);
    if (d === undefined) return undefined;
    if (!(d > 0)) {
      cx.report.report("A219", rc.decay.range, "`decay` must be above 0: each cycle starts at the previous cycle's start times this factor");
      return undefined;
    }
    if (d > 1) cx.report.report("A314", rc.decay.range, `\`decay ${fmt(d)}\` makes every cycle start higher than the last; SGDR variants use values below 1, such as \`decay 0.5\``);
    decay = d;
  }
  if (len !== undefined && t.ticks > len)
    cx.report.report("A310", rc.every.range, `the restart period (${fmt(t.ticks)} ${cx.clock}) is longer than its phase (${fmt(len)}), so no restart happens and the cosine stops partway`);
  return { kind: "restarts", period: t.ticks, mult, decay };
}
