// What a shape module needs to map a segment onto one of torch's built-in schedulers.
//
// torch's built-ins scale each parameter group's `initial_lr`: SequentialLR restarts each
// child at local time 0 at its milestone, in closed form, so every child starts at
// `factor * base`; CosineAnnealingLR, CosineAnnealingWarmRestarts, ExponentialLR, StepLR,
// MultiStepLR and PolynomialLR start at the base itself; LinearLR and ConstantLR start at a
// factor in (0, 1] and [0, 1]; eta_min is absolute while every factor scales the group's
// rate. `RateView` reads a segment's rates in those terms; the helpers below say why a
// value does not fit, in words that end up in the A401 diagnostic.

import { rateAt } from "../evaluate.js";
import type { RateValue, ScheduleIR, Segment } from "../ir.js";
import { describeRate } from "./header.js";

/** One built-in scheduler in the composition. */
export interface NativeScheduler {
  /** Statements that build it ahead of the list, when one expression is not enough. */
  setup?: string[];
  /** Python constructor call (the optimizer argument is `optimizer`), or the name `setup` binds. */
  call: string;
  /** Why this built-in, for the comment above it. */
  label: string;
  /** True when the built-in holds its last value by itself past the segment's end. */
  holds: boolean;
  /** What the built-in does past the segment's end when it does not hold (for the hold's comment). */
  pastEnd?: string;
  /** Module-level Python the call needs, keyed so that each is written once. */
  helper?: { name: string; source: string[] };
}

export type NativeMapping = { ok: NativeScheduler } | { reason: string };

/** Relative tolerance for "this value is the base rate" in an absolute schedule. */
export const SAME_RATE = 1e-12;

export class RateView {
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

export function isPositiveInteger(x: number): boolean {
  return Number.isInteger(x) && x >= 1;
}

/** Why a built-in that starts at the base rate cannot start this segment, or undefined. */
export function startsAtBase(seg: Segment, view: RateView, cls: string): string | undefined {
  if (view.isBase(seg.from)) return undefined;
  return `${cls} always starts at ${view.baseWords}, and this phase starts at ${view.describe(seg.from)}`;
}

/** Why a value cannot be a ConstantLR / LinearLR factor, or the factor. */
export function factorIn(
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

export function etaMin(v: RateValue, view: RateView, cls: string): { eta: number } | { reason: string } {
  const eta = view.absolute(v);
  if (eta === undefined) {
    return {
      reason: `${cls}'s eta_min is an absolute rate, and ${view.describe(v)} scales with each group's rate`,
    };
  }
  return { eta };
}


/** What a shape module's `native` receives: the schedule's rates, and the segment's words. */
export interface NativeContext {
  view: RateView;
  /** The segment's length in ticks, with the file's settings. */
  len: number;
  /**
   * The length as Python source: a literal, or the expression over the tick variables
   * that `build_scheduler` resolves from the settings bound at run time.
   */
  lenSource: string;
  /** `ratio ** (1 / len)` as Python source: ExponentialLR's gamma for a decay by `ratio` over the length. */
  perTick(ratio: number): string;
  /** The comment above the built-in. */
  label: string;
  /** A Python float literal. */
  py(x: number): string;
}
