// The `--native` PyTorch target: the schedule composed from torch's built-in schedulers.
//
// Each segment becomes one built-in (LinearLR, CosineAnnealingLR, ...), chosen by its
// shape's module (`shapes/`, `native`), inside a SequentialLR whose milestones are the
// segment starts, and a final ConstantLR holds the rate past `total` when the last
// built-in would keep moving (a cosine rebounds, a step decay keeps decaying). The mapping
// is only made when it is exact, given how torch runs these classes (native-context.ts,
// docs/emit.md and the reference notes on SequentialLR). A segment no built-in can express
// runs as a LambdaLR over the module's own closed form, with an A401 note on the phase that
// names the construct and the reason.

import type { Diagnostic } from "@anneal/dsl";
import { pyPastEndWarning, pyStateHelpers } from "./state.js";
import { MIN_NORMAL } from "../check/values.js";
import { rateAt, segmentEnd } from "../evaluate.js";
import { rateSyms, RUNTIME_KEYS, shapeTickSyms, type RateValue, type RuntimeIR, type RuntimeKey, type ScheduleIR, type Segment, type SegmentTicks, type Sym } from "../ir.js";
import { shapeModule } from "../shapes/index.js";
import { RateView, type NativeMapping, type NativeScheduler } from "./native-context.js";
import { CODES } from "../diagnostics/registry.js";
import { intLiteral, pyComment, pyFloat } from "./escape.js";
import type { EmitOptions } from "./header.js";
import { pyConstants, pyImports, pyModuleDocstring, pyRuntimeClosedForm, pythonDialect } from "./pytorch.js";
import { segmentLabel, type SpelledBounds } from "./formula.js";
import { lrAtRunTime, pyRuntimeSection, RUNTIME_IMPORTS, runtimeOf, spelledChain, tickNames } from "./runtime.js";

const INDENT = "    ";

/** The segments of each phase, in order (a `onecycle` or a `table` lowers to several). */
function phasesOf(segments: readonly Segment[]): Segment[][] {
  const out: Segment[][] = [];
  for (const seg of segments) {
    const last = out[out.length - 1];
    if (last && last[0]!.phaseIndex === seg.phaseIndex && seg.phaseIndex >= 0) last.push(seg);
    else out.push([seg]);
  }
  return out;
}

/**
 * A `onecycle` phase as torch's OneCycleLR, read back from the segments it lowered to
 * (check/lower.ts): the rise's span is `pct_start * total_steps - 1`, the ends give
 * `div_factor` and `final_div_factor`. OneCycleLR rewrites every group's `initial_lr`, which
 * the built-ins after it would scale, so it is used only where it is the whole schedule,
 * before the hold.
 */
function oneCycleScheduler(phase: Segment[], ir: ScheduleIR, view: RateView): NativeMapping {
  if (phase[0]!.start !== 0 || phase[phase.length - 1]!.end !== ir.total) {
    return { reason: "OneCycleLR rewrites each group's initial_lr, which the built-ins around it scale, so it maps only when it is the whole schedule" };
  }
  const first = phase[0]!;
  const last = phase[phase.length - 1]!;
  const kind = first.shape.kind;
  if ((kind !== "cosine" && kind !== "linear") || !("span" in first.shape) || first.shape.span === undefined) return { reason: "this phase did not lower to OneCycleLR's pieces" };
  const initial = view.factor(first.from);
  const max = view.factor(first.to);
  const min = view.factor(last.to);
  if (initial === undefined || max === undefined || min === undefined || !(initial > 0 && min > 0)) {
    return { reason: "OneCycleLR's rates are max_lr and its divisions, and this phase has an absolute part or a rate of 0" };
  }
  const len = last.end - first.start;
  const pct = (first.shape.span + 1) / len;
  const base = ir.relative ? `[${pyFloat(max)} * group.setdefault("initial_lr", group["lr"]) for group in optimizer.param_groups]` : "PEAK";
  const maxLr = ir.relative ? base : pyFloat(max * (ir.peak ?? 1));
  return {
    ok: {
      call: `lr_scheduler.OneCycleLR(optimizer, max_lr=${maxLr}, total_steps=${intLiteral(len)}, pct_start=${pyFloat(pct)}, anneal_strategy=${kind === "cosine" ? '"cos"' : '"linear"'}, div_factor=${pyFloat(max / initial)}, final_div_factor=${pyFloat(initial / min)}, three_phase=${phase.length === 3 ? "True" : "False"}, cycle_momentum=False)`,
      label: segmentLabel(first).replace(/, ticks .*$/, `, ticks [0, ${len})`),
      holds: false,
      pastEnd: "OneCycleLR refuses to step past total_steps",
    },
  };
}

/**
 * A phase no built-in has, as a LambdaLR: each group's factor is the closed form's rate
 * from the phase's start on, divided by the group's base (LambdaLR multiplies it back).
 * Past `total` the closed form holds the final rate, so it also holds by itself.
 */
function lambdaScheduler(seg: Segment, ir: ScheduleIR, start: string): NativeScheduler {
  const t = start === "0" ? "t" : `${start} + t`;
  const call = ir.relative
    ? `lr_scheduler.LambdaLR(optimizer, lr_lambda=[_closed_form_factor(lr, ${start}, group) for group in optimizer.param_groups])`
    : `lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda t: lr(${t}) / PEAK)`;
  return {
    call,
    label: `${segmentLabel(seg)} (no built-in: LambdaLR over the closed form)`,
    holds: true,
    ...(ir.relative ? { helper: { name: "_closed_form_factor", source: CLOSED_FORM_FACTOR } } : {}),
  };
}

const CLOSED_FORM_FACTOR = [
  "def _closed_form_factor(lr, start, group):",
  '    """LambdaLR\'s factor for one group: the closed form `lr` from `start` on, over the group\'s base rate."""',
  '    base = group.setdefault("initial_lr", group["lr"])',
  "    return lambda t: lr(start + t, base) / base",
];

/**
 * The source of a tick count: a literal, or an integer of the tick variables resolved from
 * the settings (`resolve_settings` gives whole numbers as floats).
 */
function ticksSource(literal: number, spelled: string, fixed: boolean): string {
  return fixed ? intLiteral(literal) : `int(${spelled})`;
}

/** The built-in for one segment, from its shape's module; `b` are its bounds as source. */
function mapSegment(seg: Segment, view: RateView, b: SpelledBounds & { fixed: boolean }): NativeMapping {
  const shape = seg.shape;
  const lowest = belowNormal(seg, view);
  if (lowest !== undefined)
    return {
      reason: `this ${seg.phase} decays below the normal range of doubles (about 2.2e-308; it ends at ${String(lowest)}), where torch's step-by-step products lose their digits and part from the closed form (by up to the whole rate); use the default closed-form target, or stop the decay above 1e-307`,
    };
  const len = seg.end - seg.start;
  const lenSource = ticksSource(len, b.len, b.fixed);
  const m = shapeModule(shape).native(shape, seg, {
    view,
    len,
    lenSource,
    label: segmentLabel(seg),
    py: pyFloat,
    perTick: (ratio) => (b.fixed ? pyFloat(ratio ** (1 / len)) : `${pyFloat(ratio)} ** (1 / ${lenSource})`),
  });
  // Whether MultiStepLR's milestones all fall inside the phase depends on its length, which
  // the settings may change: a hold then always follows it (it changes nothing where the
  // milestones do fall inside).
  if (!b.fixed && "ok" in m && shape.kind === "multistep") return { ok: { ...m.ok, holds: false } };
  return m;
}

/**
 * The ConstantLR that holds the final rate from `total` on. When the final rate is a
 * fraction in [0, 1] of the base, that fraction is its factor. Otherwise (an absolute floor
 * in a relative schedule, or a rate above the base) no factor fits every group, so the
 * hold gets factor 1 and its own `base_lrs` set to the final rate of each group: at its
 * milestone SequentialLR computes it in closed form, `base_lr * factor`, which is then
 * exactly that rate, and `base_lrs` travels in its `state_dict`.
 */
function holdScheduler(ir: ScheduleIR, view: RateView, last: NativeScheduler | undefined, explicitBase = false): NativeScheduler {
  const why = last?.pastEnd === undefined ? "" : ` (${last.pastEnd})`;
  const label = `past total: hold the final rate, ${view.describe(ir.final)}${why}`;
  const f = view.factor(ir.final);
  // OneCycleLR rewrites each group's initial_lr, so after it a factor would scale the wrong base.
  if (!explicitBase && f !== undefined && f >= 0 && f <= 1) {
    return { call: `lr_scheduler.ConstantLR(optimizer, factor=${pyFloat(f)}, total_iters=_NEVER)`, label, holds: true };
  }
  const v = ir.final;
  const perGroup = ir.relative
    ? `${v.scale === 0 ? "" : `${pyFloat(v.scale)} * group["initial_lr"] + `}${pyFloat(v.abs)} for group in optimizer.param_groups`
    : `${pyFloat(rateAt(v, ir.peak ?? 1))} for group in optimizer.param_groups`;
  return {
    setup: [
      "# No single factor gives the final rate for every group, so the hold's own base rates",
      "# are set to it: SequentialLR starts it in closed form, base_lr * factor with factor 1.",
      "hold = lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=_NEVER)",
      `hold.base_lrs = [${perGroup}]`,
    ],
    call: "hold",
    label,
    holds: true,
  };
}

/** The module-level helpers the built-ins need, each once, followed by two blank lines. */
function nativeHelpers(schedulers: NativeScheduler[]): string[] {
  const seen = new Map<string, string[]>();
  for (const s of schedulers) if (s.helper && !seen.has(s.helper.name)) seen.set(s.helper.name, s.helper.source);
  return [...seen.values()].flatMap((src) => [...src, "", ""]);
}

/**
 * Where a multiplicative decay (StepLR, MultiStepLR, ExponentialLR) goes below the normal
 * range of doubles, the rate it ends at (0 once it underflows); undefined otherwise. A
 * chained built-in multiplies its way there one step at a time, and in that range each
 * product keeps fewer digits, so `--native` drifted from the closed form by a relative 1.0
 * (StepLR from 1e-300 by 0.5 at step 77). Relative schedules scale a rate known only at
 * run time, so only absolute ones are judged.
 */
function belowNormal(seg: Segment, view: RateView): number | undefined {
  if (view.ir.relative || !["step", "multistep", "exp", "gamma"].includes(seg.shape.kind)) return undefined;
  const start = view.absolute(seg.from);
  const end = view.absolute(segmentEnd(seg));
  if (start === undefined || end === undefined || !(start > 0)) return undefined;
  return end < MIN_NORMAL ? end : undefined;
}

/**
 * `_checked(scheduler)`: the composed scheduler, with Anneal's stamp in its `state_dict`, a
 * check of what made loaded state, and the past-end guard on `step`. The class is swapped
 * for a subclass, not patched on the instance, because torch's `state_dict` copies the
 * instance's `__dict__`; the guard's count lives in the subclass's closure for that reason.
 */
function pyCheckedScheduler(): string[] {
  const I = INDENT;
  return [
    "def _checked(scheduler, settings, total, warn_past_end):",
    `${I}"""\`scheduler\`, whose state carries what made it (the spec and the settings), whose loading checks`,
    `${I}that, and whose stepping warns once at twice the total (unless \`warn_past_end\` is False)."""`,
    `${I}base = type(scheduler)`,
    `${I}sequential = isinstance(scheduler, lr_scheduler.SequentialLR)`,
    `${I}# Twice the total: past it, the loop most likely steps on another clock than the schedule's.`,
    `${I}guard = {"at": 2 * total if warn_past_end else math.inf}`,
    "",
    `${I}class Checked(base):`,
    `${I}${I}def step(self, *args, **kwargs):`,
    `${I}${I}${I}base.step(self, *args, **kwargs)`,
    `${I}${I}${I}if self.last_epoch >= guard["at"]:`,
    `${I}${I}${I}${I}guard["at"] = math.inf`,
    `${I}${I}${I}${I}_warn_past_end(self.last_epoch, total, 2)`,
    "",
    `${I}${I}def state_dict(self):`,
    `${I}${I}${I}state = base.state_dict(self)`,
    `${I}${I}${I}state[_STATE_KEY] = dict(_stamp("native"), settings=dict(settings))`,
    `${I}${I}${I}return state`,
    "",
    `${I}${I}def load_state_dict(self, state_dict):`,
    `${I}${I}${I}if _checked_state(state_dict, "native", sequential):`,
    `${I}${I}${I}${I}_checked_settings(state_dict, settings)`,
    `${I}${I}${I}${I}base.load_state_dict(self, {k: v for k, v in state_dict.items() if k != _STATE_KEY})`,
    `${I}${I}${I}${I}return`,
    `${I}${I}${I}# Another spec: its milestones and factors mean nothing here, so this spec's own`,
    `${I}${I}${I}# schedulers are stepped to the saved step (the built-ins are chainable: a replay).`,
    `${I}${I}${I}import warnings`,
    "",
    `${I}${I}${I}target = int(state_dict.get("last_epoch", 0))`,
    `${I}${I}${I}with warnings.catch_warnings():`,
    `${I}${I}${I}${I}warnings.simplefilter("ignore")`,
    `${I}${I}${I}${I}while self.last_epoch < target:`,
    `${I}${I}${I}${I}${I}self.step()`,
    "",
    `${I}Checked.__name__ = base.__name__`,
    `${I}Checked.settings = dict(settings)`,
    `${I}Checked.__qualname__ = base.__qualname__`,
    `${I}scheduler.__class__ = Checked`,
    `${I}return scheduler`,
  ];
}

export interface NativeResult {
  text: string;
  diagnostics: Diagnostic[];
}

/** The tick variables the built-ins' arguments read, in order of first use. */
function tickLocals(names: string[], milestones: string[], schedulers: NativeScheduler[]): string[] {
  const text = [...milestones, ...schedulers.flatMap((x) => [...(x.setup ?? []), x.call])].join("\n");
  return names.filter((n) => new RegExp(`\\b${n}\\b`).test(text));
}

/** The `--native` module, with an A401 note on each phase that runs as a LambdaLR. */
export function emitPytorchNative(ir: ScheduleIR, opts: EmitOptions): NativeResult {
  if (ir.params && Object.keys(ir.params).length > 0) {
    const names = Object.keys(ir.params).join(", ");
    return {
      text: "",
      diagnostics: [
        {
          code: "A403",
          severity: CODES.A403.severity,
          message: `torch's built-in schedulers set the learning rate only, and this schedule also sets ${names}; use the default target, \`anneal emit pytorch\`, whose scheduler sets them all`,
          range: ir.nameRange,
        },
      ],
    };
  }
  // Each segment's bounds as source: literals, or the tick variables `resolve_settings`
  // gives for the settings bound at run time (emit/runtime.ts).
  const refusal = nativeRefusal(ir);
  if (refusal) return { text: "", diagnostics: [refusal] };
  const diagnostics: Diagnostic[] = nativePeakNote(ir);
  const rt = nativeRuntime(ir);
  ir = { ...ir, runtime: rt };
  const view = new RateView(ir);
  const schedulers: NativeScheduler[] = [];
  const milestones: string[] = [];
  const spelled = spelledChain(ir.segments, ir.final, rt.rate, pythonDialect).bounds;
  const boundsOf = (seg: Segment) => {
    const b = spelled[ir.segments.indexOf(seg)]!;
    return { ...b, fixed: b.start === String(seg.start) && b.end === String(seg.end) };
  };
  const startOf = (seg: Segment) => {
    const b = boundsOf(seg).start;
    return ticksSource(seg.start, b, b === String(seg.start));
  };
  for (const phase of phasesOf(ir.segments)) {
    const whole = phase[0]!.phase === "onecycle" ? oneCycleScheduler(phase, ir, view) : undefined;
    if (whole && "ok" in whole) {
      if (phase[0]!.start > 0) milestones.push(startOf(phase[0]!));
      schedulers.push(whole.ok);
      continue;
    }
    for (const seg of phase) {
      const m = mapSegment(seg, view, boundsOf(seg));
      if (seg.start > 0) milestones.push(startOf(seg));
      if ("ok" in m) {
        schedulers.push(m.ok);
        continue;
      }
      // No built-in has this shape: the phase runs as a LambdaLR over the closed form, and
      // the note says why, so the rest of the file still composes the built-ins.
      const reason = whole && "reason" in whole ? whole.reason : m.reason;
      diagnostics.push({
        code: "A401",
        severity: CODES.A401.severity,
        message: `no torch built-in for this ${seg.phase} phase: ${reason}; it runs as a LambdaLR over the closed form`,
        range: seg.range,
      });
      schedulers.push(lambdaScheduler(seg, ir, startOf(seg)));
    }
  }
  const usesOneCycle = schedulers.some((s) => s.call.includes("OneCycleLR("));
  const last = ir.segments[ir.segments.length - 1];
  if (last === undefined) {
    // No segments (a zero-length schedule): the hold alone, from the first step.
    schedulers.push(holdScheduler(ir, view, undefined));
  } else if (!schedulers[schedulers.length - 1]!.holds) {
    // The hold starts where the last phase ends: the total, unless the settings leave room.
    const b = boundsOf(last).end;
    milestones.push(ticksSource(last.end, b, b === String(last.end)));
    schedulers.push(holdScheduler(ir, view, schedulers[schedulers.length - 1], usesOneCycle));
  }

  const notes = [
    "",
    "This module composes torch's built-in schedulers (see `build_scheduler`); `lr_at` is the",
    "same schedule in closed form, for plotting and checks.",
    "",
    "Usage:",
    "",
    "    optimizer = torch.optim.SGD(model.parameters(), lr=...)",
    `    scheduler = build_scheduler(optimizer${rt.settings.some((x) => x.bound && !x.refused) ? `, ${rt.settings.filter((x) => x.bound && !x.refused).map((x) => `${x.key}=...`).join(", ")}` : ""})`,
    "",
    "The settings bound at run time are `build_scheduler`'s keywords (see `resolve_settings`),",
    "resolved once when it is called, with the same checks as `anneal check`.",
    "",
    "Resume: build a new optimizer and scheduler first, then load both state dicts (the",
    "built-ins are chainable: each rate is computed from the optimizer's current one).",
  ];
  if (!ir.relative) {
    notes.push("`build_scheduler` sets every group's `lr` and `initial_lr` to PEAK.");
  }
  const keys = rt.settings.map((x) => x.key);
  const body: string[] = [
    `${INDENT}ticks, settings = resolve_settings(${keys.map((k) => `${k}=${k}`).join(", ")})`,
    ...tickLocals(tickNames(rt), milestones, schedulers).map((n) => `${INDENT}${n} = ticks[${JSON.stringify(n)}]`),
  ];
  if (schedulers.some((x) => x.call.includes("LambdaLR("))) body.push(`${INDENT}lr = _closed_forms(**ticks)["lr_at"]`);
  if (!ir.relative) {
    body.push(
      `${INDENT}# The built-ins scale each group's initial_lr; this schedule is absolute, so that is PEAK.`,
      `${INDENT}for group in optimizer.param_groups:`,
      `${INDENT}${INDENT}group["lr"] = PEAK`,
      `${INDENT}${INDENT}group["initial_lr"] = PEAK`,
    );
  }
  if (schedulers.length === 1) {
    const only = schedulers[0]!;
    for (const line of only.setup ?? []) body.push(`${INDENT}${line}`);
    body.push(`${INDENT}# ${pyComment(only.label)}`, `${INDENT}scheduler = ${only.call}`, `${INDENT}return _checked(scheduler, settings, ticks["total_ticks"], warn_past_end)`);
  } else {
    // Schedulers that need statements of their own are built first, then listed by name.
    for (const s of schedulers) for (const line of s.setup ?? []) body.push(`${INDENT}${line}`);
    body.push(`${INDENT}schedulers = [`);
    for (const s of schedulers) body.push(`${INDENT}${INDENT}# ${pyComment(s.label)}`, `${INDENT}${INDENT}${s.call},`);
    body.push(`${INDENT}]`);
    body.push(
      `${INDENT}scheduler = lr_scheduler.SequentialLR(optimizer, schedulers=schedulers, milestones=[${milestones.join(", ")}])`,
      `${INDENT}return _checked(scheduler, settings, ticks["total_ticks"], warn_past_end)`,
    );
  }
  const lines = [
    pyModuleDocstring(ir, opts, "pytorch --native", notes),
    "",
    ...pyImports(ir),
    ...RUNTIME_IMPORTS,
    "",
    "import torch",
    "from torch.optim import lr_scheduler",
    "",
    ...pyConstants(ir, opts),
    "# A step count no run reaches: a ConstantLR with total_iters=_NEVER holds its factor for good.",
    "_NEVER = 2 ** 62",
    "",
    "",
    ...pyRuntimeSection(ir, pythonDialect, INDENT),
    "",
    "",
    ...nativeHelpers(schedulers),
    ...pyRuntimeClosedForm(ir),
    "",
    "",
    ...pyStateHelpers(ir, INDENT),
    "",
    "",
    ...pyPastEndWarning(ir, INDENT),
    "",
    "",
    ...pyCheckedScheduler(),
    "",
    "",
    `def build_scheduler(optimizer, *, ${keys.map((k) => `${k}=None`).join(", ")}, warn_past_end=True):`,
    `${INDENT}"""torch's built-in schedulers, composed to follow this schedule step for step.`,
    "",
    `${INDENT}The settings are \`resolve_settings\`'s keywords, resolved here, once; a failed check`,
    `${INDENT}raises AnnealError with the compiler's code and message. Stepping past twice the total`,
    `${INDENT}warns once (AnnealWarning); \`warn_past_end=False\` silences it.`,
    `${INDENT}"""`,
    ...body,
    "",
  ];
  return { text: lines.join("\n"), diagnostics };
}

/**
 * The run-time program as `--native` takes it. A shape whose own parameters, or whose end,
 * depend on a setting (a step decay in epochs with a run-time `steps_per_epoch`) is
 * composed into torch's built-ins from the file's numbers, so a written setting it reads is
 * not taken as a keyword (the module raises a TypeError saying why).
 */
export function nativeRuntime(ir: ScheduleIR): RuntimeIR {
  const rt = withFilePeak(runtimeOf(ir));
  const moving = movingKeys(rt);
  if (moving.keys.size === 0) return rt;
  const seg = ir.segments[Math.max(0, moving.at)] ?? ir.segments[ir.segments.length - 1];
  const why = movingWhy(seg);
  return { ...rt, settings: rt.settings.map((x) => (moving.keys.has(x.key) && !x.refused ? { ...x, refused: why, refusedAt: seg?.range ?? ir.nameRange } : x)) };
}

/** Why `--native` does not take `lr ?` as `lr=`: torch's built-ins are composed from the rates as numbers. */
const NATIVE_PEAK = "`--native` composes torch's built-ins from the file's rates as numbers, so its peak is the preview; emit the default closed-form target (`anneal emit pytorch`), which takes `lr=`";

/** The run-time program with `lr` not taken: the module's rates are the preview's. */
function withFilePeak(rt: RuntimeIR): RuntimeIR {
  if (!lrAtRunTime(rt)) return rt;
  return { ...rt, settings: rt.settings.map((x) => (x.key === "lr" ? { ...x, refused: NATIVE_PEAK } : x)) };
}

/** A405 for `lr ?`: the module uses its preview as the peak. */
function nativePeakNote(ir: ScheduleIR): Diagnostic[] {
  const s = runtimeOf(ir).settings.find((x) => x.key === "lr" && x.bound && !x.refused);
  if (!s?.at) return [];
  return [{ code: "A405", severity: CODES.A405.severity, range: s.at, message: `this target's code does not take \`lr\` at run time, so it uses the preview, ${pyFloat(s.value ?? 1)}; the \`pytorch\`, \`keras\` and \`optax\` targets take it as \`lr=\`` }];
}

/** A404 for a `?` setting such a shape reads: nothing is written. */
function nativeRefusal(ir: ScheduleIR): Diagnostic | undefined {
  const rt = runtimeOf(ir);
  const moving = movingKeys(rt);
  const bound = rt.settings.find((x) => x.bound && !x.refused && moving.keys.has(x.key));
  if (!bound) return undefined;
  const seg = ir.segments[Math.max(0, moving.at)] ?? ir.segments[ir.segments.length - 1];
  return { code: "A404", severity: CODES.A404.severity, message: `\`${bound.key}\` is bound at run time, but ${movingWhy(seg)}`, range: seg?.range ?? ir.nameRange };
}

function movingWhy(seg: Segment | undefined): string {
  return `this ${seg?.phase ?? "schedule"} phase's own parameters depend on it, and \`--native\` composes torch's built-ins from the file's numbers; emit the default closed-form target (\`anneal emit pytorch\`), which resolves them when the scheduler is built`;
}

/** The settings that shapes' own parameters or rates read at run time, and the first such segment. */
function movingKeys(rt: RuntimeIR): { keys: Set<RuntimeKey>; at: number } {
  const lets = new Map<string, Sym>();
  for (const st of rt.program) if (st.kind === "let") lets.set(st.name, st.expr);
  const keys = new Set<RuntimeKey>();
  const seen = new Set<Sym>();
  const visit = (x: Sym): void => {
    if (seen.has(x)) return;
    seen.add(x);
    if (x.k === "ref") {
      if ((RUNTIME_KEYS as readonly string[]).includes(x.name)) keys.add(x.name as RuntimeKey);
      const e = lets.get(x.name);
      if (e) visit(e);
    } else if (x.k === "bin") {
      visit(x.a);
      visit(x.b);
    } else if (x.k === "fn") x.args.forEach(visit);
    else if (x.k === "given") {
      keys.add(x.name);
      visit(x.else);
    }
  };
  const rates = (t: SegmentTicks | undefined) => {
    if (!t) return;
    if (t.shape) shapeTickSyms(t.shape).forEach(visit);
    if (t.from) rateSyms(t.from).forEach(visit);
  };
  const at = rt.rate.segments.findIndex((t) => t.shape !== undefined || t.from !== undefined);
  rt.rate.segments.forEach(rates);
  rates(rt.rate.hold);
  if (rt.rate.final) rateSyms(rt.rate.final).forEach(visit);
  return { keys, at };
}
