// One schedule, from its syntax to its IR: settings (with overrides), the clock, every
// phase's clauses, durations and values, the layout on the clock, and the segments.
//
// Layout rules (docs/language.md): phases run back to back from tick 0; exactly one phase
// may leave out its duration and take what remains of `total`; without `total` the phases'
// durations add up to it. Values: a phase's `from` defaults to where the previous phase
// ended; the first phase starts at the peak, except a first `warmup`, which starts at 0.
// Decays default to `to 0`; a warmup defaults to `to` the peak.

import type { Expr, Phase, PhaseChain, Range, Setting, SettingKey } from "@anneal/dsl";
import { Reporter } from "../diagnostics/report.js";
import { runLints } from "../lints/index.js";
import { segmentEnd } from "../evaluate.js";
import { checkClauses, growsWithTicks, lengthFreeEnd, resolvePhase } from "./phases.js";
import type { Piece } from "./lower.js";
import { RUNTIME_KEYS, RUNTIME_OPTION, type ChainTicks, type ClockUnit, type HyperParam, type ParamChainIR, type RateValue, type RuntimeIR, type RuntimeKey, type RuntimeRate, type ScheduleIR, type Segment, type SegmentTicks, type Shape, type ShapeTicks, type Sym, type SymCond } from "../ir.js";
import { cond, dualBin, either, noPreviewAdvice, RuntimeRecorder, sym, type Dual, type Part } from "./runtime.js";
import { asNumber, asRate, asTicks, evalExpr, LR_SYM, MIN_NORMAL, subnormalParts, formatNumber as fmt, isSubnormal, type DurationRecord, type LetBinding, type Scope, subnormalMessage, type Val, type ValueContext } from "./values.js";

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
  /** The shape's parameters computed by the run-time program (a step decay's `every` in epochs on a step clock). */
  runtimeShape?: ShapeTicks;
  /**
   * `endValue`'s `alpha` and `beta` (of `from` and `to`) as the run-time program computes
   * them: a step decay whose steps depend on a setting, a restart cycle cut where a
   * run-time length ends.
   */
  runtimeEnd?: ResolvedEnd;
}

/** A phase's end as weights of its start and end rates, computed at run time. */
export interface ResolvedEnd {
  alpha: Sym;
  beta?: Sym;
}

/** The rate a phase ends on, as the run-time program computes it (`runtimeEnd` of its first piece's rates), if it does. */
export function phaseEndRate(r: ResolvedPhase): RuntimeRate | undefined {
  const e = r.runtimeEnd;
  const piece = r.pieces[0]!;
  return e ? { alpha: e.alpha, of: piece.from, ...(e.beta ? { beta: e.beta, to: piece.to } : {}) } : undefined;
}

/**
 * A duration expression (a phase's length, `total`, `every`, `timescale`, a restart period,
 * a milestone) and the clock ticks it resolved to; hovers and inlay hints show these (its
 * one definition is in values.ts).
 */
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
  /**
   * The settings written `?` with no preview value (`total ?`). The checker worked with
   * stand-ins for them, so the IR's numbers are not the schedule's: only the targets that
   * take these settings at run time read it, and the checks that read them wait for run time.
   */
  pending?: RuntimeKey[];
  /**
   * The rate chain's segment bounds as the run-time program computes them, in the order of
   * `ir.segments` (its hold included, or an empty one that bound values may open), for the
   * lints whose outcome depends on a setting: they check through `cx.runtime` as well.
   */
  ticks?: ChainTicks;
}

/**
 * The most ticks a schedule may have: 2^53 - 1, the largest integer below which every
 * integer is a double. At 2^53 itself `total 9007199254740993` and `2^53 + 1` phases
 * already read as 2^53, silently, so the bound stops one short of it.
 */
const MAX_TICKS = Number.MAX_SAFE_INTEGER;

/**
 * What the checker works with for a setting written `?` with no preview value. No tool
 * shows a number computed from these: every check that reads one waits for run time, and
 * the schedule has no IR for the tools that need values (compile.ts). They are large, so
 * that the durations which do not read them fit inside the total.
 */
export const STAND_IN: Record<RuntimeKey, number> = { total: 2 ** 40, steps_per_epoch: 2 ** 20, tokens_per_step: 1, lr: 1 };
export function resolveSchedule(src: ScheduleSource, report: Reporter, overrides: OverrideExprs, used: Set<LetBinding>, defaults: OverrideExprs = {}, keepRuntime = false): ResolvedSchedule {
  // Where this schedule's diagnostics start: counting every error of the file here, once
  // per schedule, made a file of many schedules quadratic (minutes for 30k schedules).
  const firstOwn = report.diagnostics.length;
  const durations: ResolvedDuration[] = [];
  const runtime = new RuntimeRecorder();
  const cx: ValueContext = { report, peak: "unknown", total: undefined, clock: "steps", used, memo: new Map(), durations, runtime };
  const setting = (key: SettingKey) => src.settings.get(key);
  // The run-time program is built now only when the IR keeps it: a schedule that binds no
  // setting at run time (none is written `?`) has it resolved again when an emitter asks
  // (`runtimeProgram`). Without the settings' expressions no value carries one, so none of
  // the program is built here; it was a quarter of what checking a schedule allocated.
  let record = keepRuntime;
  for (const s of src.settings.values()) if (s.setting.runtime !== undefined) record = true;
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
    const message = `\`${key}\` must be above 0`;
    if (!s) {
      // `steps_per_epoch ?` with no preview: the keyword is required, and checked when given.
      const written = o ? undefined : setting(key)?.setting;
      if (!written?.runtime || written.value) return undefined;
      runtime.pending.add(key);
      runtime.program.push({ kind: "positive", key, code: "A219", message });
      runtime.settings.set(key, { key, bound: true, at: written.runtime });
      return STAND_IN[key];
    }
    const n = asNumber(evalExpr(s.expr, s.scope, cx), s.expr, cx, `\`${key}\``);
    if (n === undefined) return undefined;
    // The keyword is checked the same way when the generated code is given one.
    runtime.program.push({ kind: "positive", key, code: "A219", message });
    if (!(n > 0)) {
      report.report("A219", s.expr.range, message);
      return undefined;
    }
    const at = setting(key)?.setting.runtime;
    runtime.settings.set(key, { key, bound: at !== undefined, value: n, ...(at ? { at } : {}) });
    return n;
  };
  const spe = positive("steps_per_epoch", overrides.stepsPerEpoch);
  const tps = positive("tokens_per_step", overrides.tokensPerStep);
  if (spe !== undefined) {
    cx.stepsPerEpoch = spe;
    if (record) cx.speSym = { k: "ref", name: "steps_per_epoch" };
  }
  if (tps !== undefined) {
    cx.tokensPerStep = tps;
    if (record) cx.tpsSym = { k: "ref", name: "tokens_per_step" };
  }
  // One cause, one diagnostic: a setting given with a bad value is unknown, not missing.
  if (spe === undefined && settingExpr("steps_per_epoch", overrides.stepsPerEpoch)) (cx.unknownSettings ??= new Set()).add("steps_per_epoch");
  if (tps === undefined && settingExpr("tokens_per_step", overrides.tokensPerStep)) (cx.unknownSettings ??= new Set()).add("tokens_per_step");

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
        else report.report("A212", lrSrc.expr.range, LR_ABOVE_ZERO);
      } else {
        report.report("A212", lrSrc.expr.range, `\`lr\` must be an absolute learning rate such as \`3e-4\`, not ${v.t === "pct" ? "a percent" : v.t === "dur" ? "a duration" : "a rate relative to the peak"}`);
      }
    }
  }
  // `lr ?` with no value: the checks that read the peak need one, and reading the schedule
  // as relative would silently change what its rates mean.
  const lrWritten = overrides.lr ? undefined : setting("lr")?.setting;
  const lrNoPreview = lrWritten?.runtime !== undefined && !lrWritten.value;
  if (lrNoPreview) {
    report.report(
      "A212",
      lrWritten!.runtime!,
      "`lr ?` needs a preview value: the checks that read the peak run on it; write `lr ? 3e-4` (the generated code takes `lr=`, and uses the preview without it), or pass `--lr`, or leave `lr` out for a schedule relative to each parameter group's own rate",
    );
  }
  const lrKnownBad = (lrSrc !== undefined || lrNoPreview) && peak === undefined;
  cx.peak = peak ?? (lrKnownBad ? "unknown" : "relative");
  // `lr ? 3e-4` (or `--lr` over it): the generated code takes the peak as `lr=`, so the
  // rates stay affine in it, and `anneal eval --lr X` computes them as the module does.
  const lrAt = setting("lr")?.setting.runtime;
  if (lrAt && peak !== undefined) {
    cx.peakBound = true;
    if (record) {
      runtime.settings.set("lr", { key: "lr", bound: true, value: peak, at: lrAt });
      // As the file's value is checked: below the normal doubles (either sign) is A119, then 0 or below A212.
      const below = (a: Sym, b: Sym): Sym => ({ k: "fn", fn: "below", args: [a, b] });
      const inside = sym.bin("*", sym.bin("*", below(sym.lit(-MIN_NORMAL), LR_SYM), below(LR_SYM, sym.lit(MIN_NORMAL))), sym.bin("+", below(sym.lit(0), LR_SYM), below(LR_SYM, sym.lit(0))));
      runtime.check(report, "A119", lrAt, false, cond(">", { v: 0, s: inside }, { v: 0 }), subnormalParts({ v: peak, s: LR_SYM }, "`lr`"));
      runtime.program.push({ kind: "positive", key: "lr", code: "A212", message: LR_ABOVE_ZERO });
    }
  } else if (record) {
    const why = peak === undefined ? "this schedule is relative: each parameter group's own rate is its peak; write `lr ? 3e-4` in the file to bind the peak at run time" : "the file writes `lr`; write `lr ? 3e-4` in the file to bind it at run time";
    runtime.settings.set("lr", { key: "lr", bound: false, ...(peak !== undefined ? { value: peak } : {}), refused: why });
  }

  // The clock and the total.
  /**
   * A218: `total` in ticks must lie in 1 .. 2^53 - 1, for the file's value now and for the
   * keyword's when the scheduler is built. A check that passes and reads no setting builds nothing.
   */
  const totalOutside = (range: Range, tv: { v: number; s?: Sym }, failsNow: boolean): boolean => {
    const when = either(cond("<", tv, { v: 1 }), cond(">", tv, { v: MAX_TICKS }));
    return (failsNow || when !== undefined) && runtime.check(report, "A218", range, failsNow, when, ["`total` resolves to ", tv, ` ${cx.clock}; it must be between 1 and 2^53 - 1 (9007199254740991)`]);
  };
  const clockSetting = setting("clock")?.setting.clock;
  let totalVal: Val | undefined;
  const totalSrc = settingExpr("total", overrides.total);
  if (totalSrc) totalVal = evalExpr(totalSrc.expr, totalSrc.scope, cx);
  const totalUnit: "steps" | "epochs" | "tokens" = totalVal?.t === "dur" && totalVal.unit !== "ticks" ? totalVal.unit : "steps";
  cx.clock = clockSetting ?? (totalUnit === "epochs" ? "epochs" : "steps");
  cx.totalUnit = totalUnit;
  let total: number | undefined;
  let totalSym: Sym | undefined;
  if (totalSrc && totalVal) {
    if (totalVal.t === "pct") report.report("A104", totalSrc.expr.range, "`total` cannot be a percent of itself; write a duration such as `100k` or `90 epochs`");
    else {
      const t = asTicks(totalVal, totalSrc.expr, cx, "`total`");
      if (t !== undefined) {
        // At run time a `total` keyword counts clock ticks and replaces the file's expression.
        const T = record ? runtime.name({ k: "fn", fn: "round", args: [{ k: "given", name: "total", else: t.us ?? sym.lit(t.ticks) }] }, "total_ticks") : undefined;
        const tv = { v: t.ticks, ...(T ? { s: T } : {}) };
        const bad = totalOutside(totalSrc.expr.range, tv, t.ticks < 1 || t.ticks > MAX_TICKS);
        if (!bad) {
          total = t.ticks;
          if (T) totalSym = T;
          const at = setting("total")?.setting.runtime;
          if (record) runtime.settings.set("total", { key: "total", bound: at !== undefined, value: t.ticks, ...(at ? { at } : {}) });
        }
      }
    }
  } else if (!totalSrc && !overrides.total && setting("total")?.setting.runtime) {
    // `total ?` with no preview: the keyword is required; its checks wait for it.
    const at = setting("total")!.setting.runtime!;
    runtime.pending.add("total");
    const T = runtime.name({ k: "fn", fn: "round", args: [{ k: "ref", name: "total" }] }, "total_ticks");
    const tv = { v: STAND_IN.total, s: T };
    totalOutside(at, tv, false);
    total = STAND_IN.total;
    totalSym = T;
    runtime.settings.set("total", { key: "total", bound: true, at });
  } else if (!totalSrc && record) {
    runtime.settings.set("total", { key: "total", bound: false, refused: "this schedule has no `total`: its phases' durations add up to it; write `total ?` in the file to bind it at run time" });
  }
  if (totalSym) cx.totalSym = totalSym;
  const totalKnownBad = totalSrc !== undefined && total === undefined;
  // One cause, one diagnostic: a bad `total` is unknown, so nothing after it says "no `total`".
  cx.total = total ?? (totalKnownBad ? "unknown" : undefined);

  // Phases: durations first, so percents and the layout are known before the values.
  const phases = src.chain.phases;
  const layout = layoutChain(phases, src.scope, cx, total === undefined ? undefined : { v: total, ...(totalSym ? { s: totalSym } : {}) }, totalKnownBad, report);
  total = layout.total?.v;
  const finalTotalSym = layout.total?.s ?? sym.lit(total ?? 0);
  if (record) cx.totalSym = finalTotalSym;
  const peakValue: RateValue = peak !== undefined && !cx.peakBound ? { scale: 0, abs: peak } : { scale: 1, abs: 0 };
  const { resolved, segments, prevEnd, ticks, final: finalRt } = lowerChain(phases, layout.lens, peakValue, src.scope, cx);

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
    ...(runtime.pending.size > 0 ? { pending: [...runtime.pending] } : {}),
  };
  if (hasErrors || src.broken || total === undefined || resolved.length !== phases.length) return out;

  const last = segments[segments.length - 1]!;
  if (last.end < total) {
    // The rate holds for the rest of `total`; the lint A302 (lints/hold-at-end.ts) says so.
    segments.push({ start: last.end, end: total, shape: { kind: "constant" }, from: prevEnd, to: prevEnd, phase: "hold", phaseIndex: -1, range: src.range });
  }
  // The bounds of each segment at run time, when the schedule records them.
  const rateTicks = record ? withHold(ticks, segments.length, finalTotalSym, phases, finalRt) : undefined;
  if (rateTicks) out.ticks = rateTicks;
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
  if (params) out.ir.params = params.chains;
  if (!record) {
    DEFERRED.set(out.ir, [src, report.textLength, overrides, defaults]);
    return out;
  }
  const rt = runtime.finish(finalTotalSym, rateTicks!, params?.ticks);
  if (keepRuntime || rt.settings.some((x) => x.bound)) out.ir.runtime = rt;
  else DEFERRED.set(out.ir, [src, report.textLength, overrides, defaults]);
  return out;
}

/** What A212 says of an `lr` of 0 or less, in the file or passed as `lr=`. */
const LR_ABOVE_ZERO = "`lr` must be above 0; it sets the peak learning rate, such as `lr 3e-4`";

/** Which of the caller's defaults stands for a setting the file leaves out. */
const DEFAULT_KEY = { ...RUNTIME_OPTION, clock: undefined } as const;

/** What resolving a schedule again needs: a tuple beside the IR, not a closure, which would hold the checker's working state. */
type Deferred = readonly [ScheduleSource, number, OverrideExprs, OverrideExprs];

/**
 * The run-time programs of schedules with nothing bound at run time. Only an emitter reads
 * one (for a written setting passed as a keyword), so each is resolved again when first
 * read, rather than kept for every schedule: kept, they were a third of what a file of
 * 25,000 schedules holds. The entry holds what resolving needs, then the program; reading
 * one never changes the IR.
 */
const DEFERRED = new WeakMap<ScheduleIR, Deferred | RuntimeIR>();

/** A schedule's run-time program: kept in the IR, or resolved again the first time it is asked for. */
export function runtimeProgram(ir: ScheduleIR): RuntimeIR | undefined {
  if (ir.runtime) return ir.runtime;
  const d = DEFERRED.get(ir);
  if (d === undefined || !Array.isArray(d)) return d as RuntimeIR | undefined;
  const [src, textLength, overrides, defaults] = d as Deferred;
  const again = resolveSchedule(src, new Reporter(textLength), overrides, new Set(), defaults, true);
  // The lints add the warnings whose outcome depends on a setting to the program.
  if (again.ir) runLints(again, new Reporter(textLength), { overrides, defaults });
  const rt = again.ir?.runtime;
  if (rt) DEFERRED.set(ir, rt);
  return rt;
}

/** Why a schedule has no rates to show while `key` has no preview value, and what to write (A241, and the CLI's eval and plot). */
export function noPreviewMessage(key: RuntimeKey, refused = false): string {
  const code = refused ? `a construct here reads it in a way the generated code does not resolve, so no target takes it either (A404)` : `the generated PyTorch, Keras and optax code takes it as \`${key}=\``;
  return `\`${key}\` has no preview value, so this schedule has no rates to evaluate, plot or tabulate until it has one (${code}); ${noPreviewAdvice(key)}`;
}

/**
 * Says (A240) at each `?` setting which checks wait for the value the generated code is
 * given: they passed here with the preview, and run again when the scheduler is built. Run
 * after the lints, whose warnings that depend on a setting are among those checks; A241
 * adds that a setting with no preview leaves the schedule without rates to show.
 */
export function reportWaitingChecks(schedule: ResolvedSchedule, report: Reporter, overrides: OverrideExprs): void {
  const rt = schedule.ir?.runtime;
  const recorder = schedule.cx.runtime;
  if (!rt || !recorder) return;
  const overridden = new Set<RuntimeKey>(RUNTIME_KEYS.filter((k) => overrides[RUNTIME_OPTION[k]]));
  for (const s of rt.settings) {
    // A setting with no preview leaves no rates to show, even where the generated code refuses it (A404).
    if (s.bound && s.at && recorder.pending.has(s.key) && s.refused) report.report("A241", s.at, noPreviewMessage(s.key, true));
    if (!s.bound || !s.at || s.refused) continue;
    const codes = new Set<string>();
    for (const st of rt.program) if (st.kind === "check" && recorder.condDeps(st.when).has(s.key)) codes.add(st.code);
    // Each keyword is checked to be above 0 (a `total` to lie in its range, A218).
    if (s.key === "lr") codes.add("A212");
    else if (s.key !== "total") codes.add("A219");
    const list = [...codes].sort();
    const which = overridden.has(s.key) ? "the value given here" : "the preview";
    // A warning among them may have been reported with that value (the lints run first).
    const within = schedule.source.range;
    const failed = list.filter((c) => report.diagnostics.some((d) => d.code === c && d.range.start >= within.start && d.range.end <= within.end));
    const outcome =
      failed.length === 0
        ? list.length === 1
          ? "it passes"
          : "they pass"
        : `${failed.join(" and ")} ${failed.length === 1 ? "is" : "are"} reported here${failed.length < list.length ? ", and the others pass" : ""}`;
    const preview = s.value === undefined ? "" : `; with ${which}, ${fmt(s.value)}, ${outcome}`;
    report.report(
      "A240",
      s.at,
      `\`${s.key}\` is bound at run time: ${list.length === 1 ? "the check" : `${list.length} checks`} that depend${list.length === 1 ? "s" : ""} on it (${list.join(", ")}) run when the generated scheduler is built, on the value passed as \`${s.key}=\`${preview}`,
    );
    if (recorder.pending.has(s.key)) report.report("A241", s.at, noPreviewMessage(s.key));
  }
}

/**
 * A chain's run-time bounds with its hold: the checker's hold when it added one, else an
 * empty one from the last phase's end to `total`, which bound values may open up.
 */
function withHold(ticks: SegmentTicks[], segmentCount: number, total: Sym, phases: Phase[], final?: RuntimeRate): ChainTicks {
  const last = ticks[ticks.length - 1]!;
  // The hold is at the chain's end value: the run-time program's, when it computes one.
  const hold: SegmentTicks = { start: last.end, end: total, ...(final ? { from: final } : {}) };
  const withFinal = (c: ChainTicks): ChainTicks => (final ? { ...c, final } : c);
  if (segmentCount > ticks.length) return withFinal({ segments: [...ticks, hold] });
  // A phase without a duration takes what remains, so the chain always ends at `total`.
  if (phases.some((p) => !p.duration)) return withFinal({ segments: ticks });
  const same = JSON.stringify(last.end) === JSON.stringify(total);
  return withFinal(same ? { segments: ticks } : { segments: ticks, hold });
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
  givenTotal: Dual | undefined,
  totalKnownBad: boolean,
  report: Reporter,
): { lens: (Dual | undefined)[]; total: Dual | undefined } {
  const rt = cx.runtime!;
  let total = givenTotal;
  const lens: (Dual | undefined)[] = [];
  const openIdx: number[] = [];
  let durationErrors = false;
  for (let i = 0; i < phases.length; i++) {
    const ph = phases[i]!;
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
    const len: Dual = t.s ? { v: t.ticks, s: rt.name(t.s) } : { v: t.ticks };
    // A check that passes and depends on no setting reports and records nothing, so its
    // message is not built: most pass, and their messages were a tenth of a check's garbage.
    const short = cond("<", len, { v: 1 });
    if ((t.ticks < 1 || short) && rt.check(report, "A206", ph.duration.range, t.ticks < 1, short, [`\`${ph.keyword}\` lasts `, { v: t.unrounded ?? t.ticks, ...(t.us ? { s: t.us } : {}) }, ` ${cx.clock}; a phase needs at least 1`])) {
      durationErrors = true;
      lens.push(undefined);
      continue;
    }
    lens.push(len);
  }
  for (const extra of openIdx.slice(1)) {
    const ph = phases[extra]!;
    report.report("A203", ph.keywordRange, `\`${ph.keyword}\` has no duration, and neither has \`${phases[openIdx[0]!]!.keyword}\` before it; at most one phase may take what remains of \`total\``, {
      related: [{ message: "the other phase without a duration", range: phases[openIdx[0]!]!.keywordRange }],
    });
  }
  // The sum of the written durations, with the same additions in the same order.
  let known: Dual = { v: 0 };
  for (const len of lens) if (len) known = dualBin("+", known, len);
  if (openIdx.length === 1 && !durationErrors) {
    const ph = phases[openIdx[0]!]!;
    if (total === undefined) {
      if (!totalKnownBad)
        report.report("A217", ph.keywordRange, `\`${ph.keyword}\` has no duration, so it takes what remains of \`total\`, but this schedule has no \`total\`; add one, such as \`total 100k\``);
    } else if (
      !rt.check(report, "A205", ph.keywordRange, known.v >= total.v, cond(">=", known, total), ["the other phases already take ", known, " of ", total, ` ${cx.clock}, so nothing remains for \`${ph.keyword}\``])
    ) {
      const s = total.s || known.s ? rt.name(sym.bin("-", total.s ?? sym.lit(total.v), known.s ?? sym.lit(known.v))) : undefined;
      lens[openIdx[0]!] = s ? { v: total.v - known.v, s } : { v: total.v - known.v };
    }
  }
  if (total === undefined && !totalKnownBad && openIdx.length === 0 && !durationErrors && known.v > 0) {
    // The phases' sum is the total, and held to the bound a written `total` is: without
    // this, `linear 1e18` lowered to a schedule of 1e18 ticks, past exact integers.
    const ph = phases[phases.length - 1]!;
    const sum = known.s ? { v: known.v, s: rt.name(known.s, "total_ticks") } : known;
    if (!rt.check(report, "A218", ph.duration?.range ?? ph.keywordRange, sum.v > MAX_TICKS, cond(">", sum, { v: MAX_TICKS }), ["the phases add up to ", sum, ` ${cx.clock}; a schedule lasts between 1 and 2^53 - 1 (9007199254740991)`]))
      total = sum;
  }
  if (total !== undefined && openIdx.length === 0 && !durationErrors) {
    let acc: Dual = { v: 0 };
    for (let i = 0; i < lens.length; i++) {
      const len = lens[i];
      if (len) acc = dualBin("+", acc, len);
      const past = cond(">", acc, total);
      if (acc.v <= total.v && !past) continue;
      const ph = phases[i]!;
      const parts: Part[] = ["the phases run to ", acc, ` ${cx.clock}, past \`total\` (`, total, "); shorten a phase or raise `total`"];
      if (rt.check(report, "A204", ph.duration?.range ?? ph.keywordRange, acc.v > total.v, past, parts)) break;
    }
  }

  return { lens, total };
}

/**
 * Whether a phase's single segment can start at a rate the run-time program computes: a
 * constant, or an interpolation that reaches its `to` at its end (no `over` span), which
 * is a shape whose end does not depend on its length, but for `exp` (whose log-space
 * choice reads its start).
 */
function takesRuntimeStart(shape: Shape): boolean {
  return shape.kind !== "exp" && lengthFreeEnd(shape);
}

/** A chain's values, phase by phase, and the segments they lower to, with their run-time bounds. */
function lowerChain(
  phases: Phase[],
  lens: (Dual | undefined)[],
  peakValue: RateValue,
  scope: Scope,
  cx: ValueContext,
): { resolved: ResolvedPhase[]; segments: Segment[]; prevEnd: RateValue; ticks: SegmentTicks[]; final?: RuntimeRate } {
  const rt = cx.runtime!;
  // Values and segments.
  const resolved: ResolvedPhase[] = [];
  const segments: Segment[] = [];
  const ticks: SegmentTicks[] = [];
  let prevEnd: RateValue = peakValue;
  /** `prevEnd` as the run-time program computes it, when it depends on a setting (a step decay's end). */
  let prevEndRt: RuntimeRate | undefined;
  /** Whether `prevEndRt` is where a factor above 1 ends (`growsWithTicks`). */
  let prevGrew = false;
  let start: Dual = { v: 0 };
  // Only a schedule whose run-time program is built now has the settings' expressions
  // (resolveSchedule); without them the program's ticks would be thrown away unread.
  const recording = cx.totalSym !== undefined;
  const noTicks = {};
  for (let i = 0; i < phases.length; i++) {
    const ph = phases[i]!;
    const len = lens[i];
    const r = resolvePhase(ph, i, start.v, len?.v, prevEnd, peakValue, scope, cx, recording ? { start: start.s, len: len?.s } : noTicks);
    // A phase that starts where a decay ends, at a rate the program computes (a step decay's
    // end after a number of steps that depends on a setting): its start rate is that one. Only
    // a phase that goes straight to its own end, or holds its start, takes it: its end is
    // then its `to` or that same rate, and it never leaves its two ends, so the largest rate
    // checked for the file's values bounds it. Other phases keep the setting refused.
    // Under a bound peak, a phase's largest rate is checked from its start at the file's
    // values, which after a factor above 1 does not bound the run-time start: it stays refused.
    let fromRt: RuntimeRate | undefined;
    if (r && prevEndRt && !r.explicitFrom) {
      if (r.pieces.length === 1 && !r.runtimeEnd && takesRuntimeStart(r.shape) && !(prevGrew && cx.peakBound)) fromRt = prevEndRt;
      else rt.unresolved(ph.keywordRange, "the start of this phase (where the decay before it ends)", prevEndRt.alpha);
    }
    const end = len ? dualBin("+", start, len) : start;
    const endSym = !recording ? undefined : end.s ? rt.name(end.s) : sym.lit(end.v);
    if (r && len !== undefined) {
      resolved.push(r);
      const startSym = recording ? (start.s ?? sym.lit(start.v)) : undefined;
      const offsets = new Map<Sym, Sym>();
      for (const piece of r.pieces) {
        // Field by field, not `{ ...piece }`: past a few schedules V8's spread gives every copy
        // a hidden class of its own, 25,000 of them in a file of 25,000 schedules.
        segments.push({ start: piece.start, end: piece.end, shape: piece.shape, from: piece.from, to: piece.to, phase: ph.keyword, phaseIndex: i, range: ph.range });
        if (!recording) continue;
        // Each piece is an offset from the phase's start: a fixed one, or, for the pieces of a
        // `onecycle` or a `table` whose bounds follow a setting, its run-time expression
        // (`piece.ticks`, check/lower.ts), the phase's length standing for its end.
        const at = (tick: number): Sym => (tick === end.v ? endSym! : tick === start.v ? startSym! : start.s ? sym.bin("+", start.s, sym.lit(tick - start.v)) : sym.lit(tick));
        const atOffset = (off: Sym, tick: number): Sym => {
          if (off.k === "lit") return at(tick);
          if (off === len.s) return endSym!;
          if (start.v === 0 && !start.s) return off;
          // One piece's end is the next one's start: one variable for both.
          let named = offsets.get(off);
          if (!named) offsets.set(off, (named = rt.name(sym.bin("+", startSym!, off))));
          return named;
        };
        const shape = piece.ticks?.shape ?? r.runtimeShape;
        const pt = piece.ticks;
        ticks.push({ start: pt ? atOffset(pt.start, piece.start) : at(piece.start), end: pt ? atOffset(pt.end, piece.end) : at(piece.end), ...(shape ? { shape } : {}), ...(fromRt ? { from: fromRt } : {}) });
      }
      prevEnd = r.endValue;
      // A constant after a decay holds the decay's end; an interpolation ends on its own `to`.
      const ownEnd = phaseEndRate(r);
      prevEndRt = ownEnd ?? (fromRt && r.shape.kind === "constant" ? fromRt : undefined);
      prevGrew = ownEnd ? growsWithTicks(r.shape) : prevGrew && prevEndRt !== undefined;
    }
    start = end.s && endSym ? { v: end.v, s: endSym } : end;
  }

  return { resolved, segments, prevEnd, ticks, ...(prevEndRt ? { final: prevEndRt } : {}) };
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
function resolveParams(src: ScheduleSource, lrCx: ValueContext, total: number, report: Reporter): { chains: ScheduleIR["params"]; ticks: Partial<Record<HyperParam, ChainTicks>> } | undefined {
  if (!src.params || src.params.size === 0) return undefined;
  const out: Partial<Record<HyperParam, ParamChainIR>> = {};
  const outTicks: Partial<Record<HyperParam, ChainTicks>> = {};
  const totalSym = lrCx.totalSym ?? { k: "lit", v: total };
  let ok = true;
  for (const [name, chain] of src.params) {
    const firstOwn = report.diagnostics.length;
    // Values are plain numbers: with a peak of 1 a percent is its fraction.
    const cx: ValueContext = { ...lrCx, peak: 1, peakBound: false, memo: new Map() };
    const phases = chain.phases;
    const first = phases[0];
    if (!first) continue;
    const states = first.clauses.some((c) => c.kind === "from" || (first.type === "constant" && c.kind === "at"));
    if (!states) {
      report.report("A232", first.keywordRange, `a \`${name}:\` chain has no peak to start from; say where it starts, such as \`${name}: ${first.keyword} from ${name === "weight_decay" ? "0.05" : "0.9"}\``);
      ok = false;
      continue;
    }
    const layout = layoutChain(phases, src.scope, cx, { v: total, ...(totalSym.k !== "lit" ? { s: totalSym } : {}) }, false, report);
    const { resolved, segments, prevEnd, ticks, final: finalRt } = lowerChain(phases, layout.lens, { scale: 0, abs: 1 }, src.scope, cx);
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
      // A hyperparameter that more ticks raise leaves its range at some length, and the range
      // is checked for the file's values only: a setting its length depends on stays refused.
      if (p.runtimeEnd && growsWithTicks(p.shape)) lrCx.runtime?.unresolved(p.phase.keywordRange, `the range of this rising \`${name}:\` phase (checked for the file's values, A233)`, p.runtimeEnd.alpha);
    }
    out[name] = { segments, final: segmentEnd(segments[segments.length - 1]!) };
    // The run-time bounds, when the run-time program is built now (lowerChain).
    if (lrCx.totalSym) outTicks[name] = withHold(ticks, segments.length, totalSym, phases, finalRt);
  }
  return ok ? { chains: out, ticks: outTicks } : undefined;
}
