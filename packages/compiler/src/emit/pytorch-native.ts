// The `--native` PyTorch target: the schedule composed from torch's built-in schedulers.
//
// Each segment becomes one built-in (LinearLR, CosineAnnealingLR, ...) inside a
// SequentialLR whose milestones are the segment starts, and a final ConstantLR holds the
// rate past `total` when the last built-in would keep moving (a cosine rebounds, a step
// decay keeps decaying). The mapping is only made when it is exact, given how torch runs
// these classes (see docs/emit.md and the reference notes on SequentialLR):
// - SequentialLR restarts each child at local time 0 at its milestone, in closed form, so
//   every child starts at `factor * base`, where base is the group's `initial_lr`;
// - CosineAnnealingLR, CosineAnnealingWarmRestarts, ExponentialLR, StepLR, MultiStepLR and
//   PolynomialLR start at the base itself; LinearLR and ConstantLR start at a factor in
//   (0, 1] and [0, 1]; eta_min is absolute while every factor scales the group's rate.
// When a segment cannot be expressed, the result is an A401 diagnostic on the phase that
// names the construct and the reason.

import type { Diagnostic } from "@anneal/dsl";
import { pyStateHelpers } from "./state.js";
import { MIN_NORMAL } from "../check/values.js";
import { rateAt, segmentEnd } from "../evaluate.js";
import type { RateValue, ScheduleIR, Segment } from "../ir.js";
import { CODES } from "../diagnostics/registry.js";
import { intLiteral, pyComment, pyFloat } from "./escape.js";
import { describeRate, type EmitOptions } from "./header.js";
import { pyClosedForm, pyConstants, pyImports, pyModuleDocstring } from "./pytorch.js";
import { segmentLabel } from "./formula.js";

const INDENT = "    ";

/** One built-in scheduler in the composition. */
interface NativeScheduler {
  /** Statements that build it ahead of the list, when one expression is not enough. */
  setup?: string[];
  /** Python constructor call (the optimizer argument is `optimizer`), or the name `setup` binds. */
  call: string;
  /** Why this built-in, for the comment above it. */
  label: string;
  /** True when the built-in holds its last value by itself past the segment's end. */
  holds: boolean;
}

type Mapping = { ok: NativeScheduler } | { reason: string };

/** Relative tolerance for "this value is the base rate" in an absolute schedule. */
const SAME_RATE = 1e-12;

class RateView {
  constructor(readonly ir: ScheduleIR) {}

  private get peak(): number {
    return this.ir.peak ?? 1;
  }

  /** The value as a multiple of the base rate, or undefined when part of it is absolute. */
  factor(v: RateValue): number | undefined {
    if (!this.ir.relative) return rateAt(v, this.peak) / this.peak;
    if (v.abs === 0) return v.scale;
    return undefined;
  }

  /** The value as an absolute rate (for eta_min), or undefined when it scales with the group. */
  absolute(v: RateValue): number | undefined {
    if (!this.ir.relative) return rateAt(v, this.peak);
    if (v.scale === 0) return v.abs;
    return undefined;
  }

  isBase(v: RateValue): boolean {
    if (this.ir.relative) return v.scale === 1 && v.abs === 0;
    return Math.abs(rateAt(v, this.peak) - this.peak) <= SAME_RATE * this.peak;
  }

  describe(v: RateValue): string {
    return describeRate(v, this.ir);
  }

  /** The words for "the rate torch starts each built-in from". */
  get baseWords(): string {
    return this.ir.relative ? "each group's base rate" : `the peak ${String(this.peak)}`;
  }
}

function isPositiveInteger(x: number): boolean {
  return Number.isInteger(x) && x >= 1;
}

/** Why a built-in that starts at the base rate cannot start this segment, or undefined. */
function startsAtBase(seg: Segment, view: RateView, cls: string): string | undefined {
  if (view.isBase(seg.from)) return undefined;
  return `${cls} always starts at ${view.baseWords}, and this phase starts at ${view.describe(seg.from)}`;
}

/** Why a value cannot be a ConstantLR / LinearLR factor, or the factor. */
function factorIn(
  v: RateValue,
  view: RateView,
  what: string,
  lowOpen: boolean,
): { factor: number } | { reason: string } {
  const f = view.factor(v);
  if (f === undefined) {
    return {
      reason: `${what} is a fraction of each group's rate, and ${view.describe(v)} has an absolute part that no fraction can express for every group`,
    };
  }
  if (lowOpen ? !(f > 0) : !(f >= 0)) {
    return { reason: `${what} must be ${lowOpen ? "above 0" : "at least 0"}, and this value is ${view.describe(v)}` };
  }
  if (f > 1 + SAME_RATE) {
    return { reason: `${what} must be at most 1 (the base rate), and ${view.describe(v)} is above ${view.baseWords}` };
  }
  return { factor: Math.min(f, 1) };
}

function etaMin(v: RateValue, view: RateView, cls: string): { eta: number } | { reason: string } {
  const eta = view.absolute(v);
  if (eta === undefined) {
    return {
      reason: `${cls}'s eta_min is an absolute rate, and ${view.describe(v)} scales with each group's rate`,
    };
  }
  return { eta };
}

function mapSegment(seg: Segment, view: RateView): Mapping {
  const shape = seg.shape;
  const len = seg.end - seg.start;
  const label = segmentLabel(seg);
  const fail = (reason: string): Mapping => ({ reason });
  const lowest = belowNormal(seg, view);
  if (lowest !== undefined)
    return fail(
      `this ${seg.phase} decays below the normal range of doubles (about 2.2e-308; it ends at ${String(lowest)}), where torch's step-by-step products lose their digits and part from the closed form (by up to the whole rate); use the default closed-form target, or stop the decay above 1e-307`,
    );
  switch (shape.kind) {
    case "constant": {
      const f = factorIn(seg.from, view, "ConstantLR's factor", false);
      if ("reason" in f) return fail(f.reason);
      return {
        ok: {
          call: `lr_scheduler.ConstantLR(optimizer, factor=${pyFloat(f.factor)}, total_iters=_NEVER)`,
          label,
          holds: true,
        },
      };
    }
    case "linear": {
      const s = factorIn(seg.from, view, "LinearLR's start_factor", true);
      if ("reason" in s) {
        if (view.factor(seg.from) === 0) {
          return fail(
            `LinearLR needs start_factor > 0 and this ${seg.phase} starts at 0 (torch rejects 0 or divides by it); start above 0, e.g. \`from 0.1%\`, or use the default closed-form target`,
          );
        }
        return fail(s.reason);
      }
      const e = factorIn(seg.to, view, "LinearLR's end_factor", false);
      if ("reason" in e) return fail(e.reason);
      return {
        ok: {
          call: `lr_scheduler.LinearLR(optimizer, start_factor=${pyFloat(s.factor)}, end_factor=${pyFloat(e.factor)}, total_iters=${intLiteral(len)})`,
          label,
          // LinearLR holds its recursive end value, which lands a rounding error away from
          // an end_factor of 0 (around -1e-18): a hold at exactly 0 then takes over.
          holds: e.factor > 0,
        },
      };
    }
    case "cosine": {
      const why = startsAtBase(seg, view, "CosineAnnealingLR");
      if (why !== undefined) return fail(why);
      const eta = etaMin(seg.to, view, "CosineAnnealingLR");
      if ("reason" in eta) return fail(eta.reason);
      return {
        ok: {
          call: `lr_scheduler.CosineAnnealingLR(optimizer, T_max=${intLiteral(len)}, eta_min=${pyFloat(eta.eta)})`,
          label,
          holds: false,
        },
      };
    }
    case "exp": {
      const why = startsAtBase(seg, view, "ExponentialLR");
      if (why !== undefined) return fail(why);
      const a = view.factor(seg.from);
      const b = view.factor(seg.to);
      if (a === undefined || b === undefined) {
        return fail(`ExponentialLR multiplies each group's rate, and ${view.describe(seg.to)} has an absolute part`);
      }
      return {
        ok: {
          call: `lr_scheduler.ExponentialLR(optimizer, gamma=${pyFloat((b / a) ** (1 / len))})`,
          label,
          holds: false,
        },
      };
    }
    case "gamma": {
      const why = startsAtBase(seg, view, "ExponentialLR");
      if (why !== undefined) return fail(why);
      const gamma = shape.per === 1 ? shape.gamma : shape.gamma ** (1 / shape.per);
      return {
        ok: { call: `lr_scheduler.ExponentialLR(optimizer, gamma=${pyFloat(gamma)})`, label, holds: false },
      };
    }
    case "poly": {
      const why = startsAtBase(seg, view, "PolynomialLR");
      if (why !== undefined) return fail(why);
      if (!(seg.to.scale === 0 && seg.to.abs === 0) && view.factor(seg.to) !== 0) {
        return fail(`PolynomialLR always decays to 0, and this phase ends at ${view.describe(seg.to)}`);
      }
      return {
        ok: {
          call: `lr_scheduler.PolynomialLR(optimizer, total_iters=${intLiteral(len)}, power=${pyFloat(shape.power)})`,
          label,
          holds: true,
        },
      };
    }
    case "sqrt":
      return fail("no torch built-in has the sqrt cooldown shape b + (a - b)(1 - sqrt(p))");
    case "rsqrt":
      return fail("no torch built-in has the inverse square root shape a sqrt(tau / (tau + t - s))");
    case "step": {
      const why = startsAtBase(seg, view, "StepLR");
      if (why !== undefined) return fail(why);
      if (!isPositiveInteger(shape.every)) {
        return fail(`StepLR's step_size is a whole number of steps, and this phase steps every ${shape.every}`);
      }
      return {
        ok: {
          call: `lr_scheduler.StepLR(optimizer, step_size=${intLiteral(shape.every)}, gamma=${pyFloat(shape.factor)})`,
          label,
          holds: false,
        },
      };
    }
    case "multistep": {
      const why = startsAtBase(seg, view, "MultiStepLR");
      if (why !== undefined) return fail(why);
      if (!shape.milestones.every((m) => Number.isInteger(m) && m >= 0)) {
        return fail("MultiStepLR's milestones are whole step counts, and this phase has a fractional one");
      }
      const ms = shape.milestones.map(intLiteral).join(", ");
      return {
        ok: {
          call: `lr_scheduler.MultiStepLR(optimizer, milestones=[${ms}], gamma=${pyFloat(shape.factor)})`,
          label,
          // Past the segment's end a milestone at or beyond it would still fire.
          holds: shape.milestones.every((m) => m < len),
        },
      };
    }
    case "restarts": {
      const why = startsAtBase(seg, view, "CosineAnnealingWarmRestarts");
      if (why !== undefined) return fail(why);
      if (shape.decay !== 1) {
        return fail(
          `CosineAnnealingWarmRestarts restarts every cycle at ${view.baseWords}; a cycle decay (decay ${shape.decay}) has no built-in`,
        );
      }
      if (!isPositiveInteger(shape.mult)) {
        return fail(`CosineAnnealingWarmRestarts needs a whole-number T_mult, and this restart multiplier is ${shape.mult}`);
      }
      if (!isPositiveInteger(shape.period)) {
        return fail(`CosineAnnealingWarmRestarts needs a whole-number T_0, and this restart period is ${shape.period}`);
      }
      const eta = etaMin(seg.to, view, "CosineAnnealingWarmRestarts");
      if ("reason" in eta) return fail(eta.reason);
      return {
        ok: {
          call: `lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=${intLiteral(shape.period)}, T_mult=${intLiteral(shape.mult)}, eta_min=${pyFloat(eta.eta)})`,
          label,
          holds: false,
        },
      };
    }
  }
}

/** Why the last built-in would move past its end, for the comment on the hold. */
function movesPastEnd(seg: Segment): string {
  switch (seg.shape.kind) {
    case "cosine":
      return "CosineAnnealingLR rises again after T_max";
    case "restarts":
      return "CosineAnnealingWarmRestarts starts a new cycle";
    case "step":
      return "StepLR keeps decaying";
    case "multistep":
      return "MultiStepLR still applies its milestones at or past the end";
    case "linear":
      return "LinearLR's recursion ends a rounding error away from 0";
    default:
      return "ExponentialLR keeps decaying";
  }
}

/**
 * The ConstantLR that holds the final rate from `total` on. When the final rate is a
 * fraction in [0, 1] of the base, that fraction is its factor. Otherwise (an absolute floor
 * in a relative schedule, or a rate above the base) no factor fits every group, so the
 * hold gets factor 1 and its own `base_lrs` set to the final rate of each group: at its
 * milestone SequentialLR computes it in closed form, `base_lr * factor`, which is then
 * exactly that rate, and `base_lrs` travels in its `state_dict`.
 */
function holdScheduler(ir: ScheduleIR, view: RateView, last: Segment | undefined): NativeScheduler {
  const why = last === undefined ? "" : ` (${movesPastEnd(last)})`;
  const label = `past total: hold the final rate, ${view.describe(ir.final)}${why}`;
  const f = view.factor(ir.final);
  if (f !== undefined && f >= 0 && f <= 1) {
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
 * `_checked(scheduler)`: the composed scheduler, with Anneal's stamp in its `state_dict` and
 * a check of what made loaded state. The class is swapped for a subclass, not patched on
 * the instance, because torch's `state_dict` copies the instance's `__dict__`.
 */
function pyCheckedScheduler(): string[] {
  const I = INDENT;
  return [
    "def _checked(scheduler):",
    `${I}"""\`scheduler\`, whose state carries what made it and whose loading checks that."""`,
    `${I}base = type(scheduler)`,
    `${I}sequential = isinstance(scheduler, lr_scheduler.SequentialLR)`,
    "",
    `${I}class Checked(base):`,
    `${I}${I}def state_dict(self):`,
    `${I}${I}${I}state = base.state_dict(self)`,
    `${I}${I}${I}state[_STATE_KEY] = _stamp("native")`,
    `${I}${I}${I}return state`,
    "",
    `${I}${I}def load_state_dict(self, state_dict):`,
    `${I}${I}${I}if _checked_state(state_dict, "native", sequential):`,
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
    `${I}Checked.__qualname__ = base.__qualname__`,
    `${I}scheduler.__class__ = Checked`,
    `${I}return scheduler`,
  ];
}

export interface NativeResult {
  text: string;
  diagnostics: Diagnostic[];
}

/** The `--native` module, or A401 diagnostics (and no text) when some phase has no exact mapping. */
export function emitPytorchNative(ir: ScheduleIR, opts: EmitOptions): NativeResult {
  const view = new RateView(ir);
  const diagnostics: Diagnostic[] = [];
  const schedulers: NativeScheduler[] = [];
  const milestones: number[] = [];
  for (const seg of ir.segments) {
    const m = mapSegment(seg, view);
    if ("reason" in m) {
      diagnostics.push({
        code: "A401",
        severity: CODES.A401.severity,
        message: `no native torch mapping for this ${seg.phase} phase: ${m.reason}.`,
        range: seg.range,
      });
      continue;
    }
    if (seg.start > 0) milestones.push(seg.start);
    schedulers.push(m.ok);
  }
  if (diagnostics.length > 0) return { text: "", diagnostics };
  const last = ir.segments[ir.segments.length - 1];
  if (last === undefined) {
    // No segments (a zero-length schedule): the hold alone, from the first step.
    schedulers.push(holdScheduler(ir, view, undefined));
  } else if (!schedulers[schedulers.length - 1]!.holds) {
    milestones.push(ir.total);
    schedulers.push(holdScheduler(ir, view, last));
  }

  const notes = [
    "",
    "This module composes torch's built-in schedulers (see `build_scheduler`); `lr_at` is the",
    "same schedule in closed form, for plotting and checks.",
    "",
    "Usage:",
    "",
    "    optimizer = torch.optim.SGD(model.parameters(), lr=...)",
    "    scheduler = build_scheduler(optimizer)",
    "",
    "Resume: build a new optimizer and scheduler first, then load both state dicts (the",
    "built-ins are chainable: each rate is computed from the optimizer's current one).",
  ];
  if (!ir.relative) {
    notes.push("`build_scheduler` sets every group's `lr` and `initial_lr` to PEAK.");
  }
  const body: string[] = [];
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
    body.push(`${INDENT}# ${pyComment(only.label)}`, `${INDENT}scheduler = ${only.call}`, `${INDENT}return _checked(scheduler)`);
  } else {
    // Schedulers that need statements of their own are built first, then listed by name.
    for (const s of schedulers) for (const line of s.setup ?? []) body.push(`${INDENT}${line}`);
    body.push(`${INDENT}schedulers = [`);
    for (const s of schedulers) body.push(`${INDENT}${INDENT}# ${pyComment(s.label)}`, `${INDENT}${INDENT}${s.call},`);
    body.push(`${INDENT}]`);
    body.push(
      `${INDENT}scheduler = lr_scheduler.SequentialLR(optimizer, schedulers=schedulers, milestones=[${milestones.map(intLiteral).join(", ")}])`,
      `${INDENT}return _checked(scheduler)`,
    );
  }
  const lines = [
    pyModuleDocstring(ir, opts, "pytorch --native", notes),
    "",
    ...pyImports(ir),
    "",
    "import torch",
    "from torch.optim import lr_scheduler",
    "",
    ...pyConstants(ir, opts),
    "# A step count no run reaches: a ConstantLR with total_iters=_NEVER holds its factor for good.",
    "_NEVER = 2 ** 62",
    "",
    "",
    ...pyClosedForm(ir),
    "",
    "",
    ...pyStateHelpers(ir, INDENT),
    "",
    "",
    ...pyCheckedScheduler(),
    "",
    "",
    "def build_scheduler(optimizer):",
    `${INDENT}"""torch's built-in schedulers, composed to follow this schedule step for step."""`,
    ...body,
    "",
  ];
  return { text: lines.join("\n"), diagnostics: [] };
}
