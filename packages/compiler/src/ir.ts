// The lowered form of a schedule: a list of closed-form segments on the integer clock.
//
// Everything downstream of the checker (the evaluator, the emitters, the plots, the
// language server's hovers) reads this and nothing else. Each segment's value at a tick is
// a closed formula of the tick, the segment's bounds and a few constants: no recursion and
// no state, so any tick can be evaluated on its own and no error accumulates.

import type { Range } from "@anneal/dsl";

/**
 * A learning rate as `scale * peak + abs`. In an absolute schedule (one with `lr`) the
 * checker folds the peak in, so `scale` is 0. In a relative schedule the peak is the
 * optimizer's own rate at run time, per parameter group: `10%` is `{scale: 0.1, abs: 0}`
 * while a floor written as `1e-6` stays `{scale: 0, abs: 1e-6}`, as `eta_min` does in torch.
 */
export interface RateValue {
  scale: number;
  abs: number;
}

/**
 * Where an interpolating shape measures its progress `p` from. By default p = u / len over
 * its segment. With `span`, p = min(1, (u + shift) / span): the curve is laid over `span`
 * ticks and the segment starts `shift` ticks into it (`cosine ... over 110%` is a span longer
 * than the phase; a one-cycle phase starts a fraction of a tick into its curve, as torch's
 * OneCycleLR does), and past the curve's end the rate holds at `b`.
 */
export interface Progress {
  span?: number;
  shift?: number;
}

/** The shape of a segment; `a` and `b` below are its `from` and `to` values. */
export type Shape =
  /** a */
  | { kind: "constant" }
  /** a + (b - a) * p */
  | ({ kind: "linear" } & Progress)
  /** b + (a - b) * (1 + cos(pi * p)) / 2 (also a cosine warmup, where a < b) */
  | ({ kind: "cosine" } & Progress)
  /**
   * a * (b / a) ** p; a and b are positive. `logSpace` when b / a is not a normal double:
   * then exp(log a + (log b - log a) p), which stays finite (see shapes/exp.ts).
   */
  | { kind: "exp"; logSpace?: boolean }
  /** a * gamma ** ((t - start) / per): `gamma G per step|epoch`, `per` in ticks */
  | { kind: "gamma"; gamma: number; per: number }
  /** b + (a - b) * (1 - p) ** power */
  | ({ kind: "poly"; power: number } & Progress)
  /** b + (a - b) * (1 - sqrt(p)) */
  | ({ kind: "sqrt" } & Progress)
  /** REX: b + (a - b) * ((1 - p) / (1 - p / 2)) */
  | ({ kind: "rex" } & Progress)
  /**
   * torch's CyclicLR: cycles of `cycle` ticks, rising for `up` of them from a to b and
   * falling back; the height is times `decay ** k` in cycle k (triangular2 is 0.5), or times
   * `gamma ** u` (exp_range).
   */
  | { kind: "cyclic"; cycle: number; up: number; decay: number; gamma: number }
  /** a * sqrt(tau / (tau + t - start)) */
  | { kind: "rsqrt"; tau: number }
  /** a * factor ** floor((t - start) / every) */
  | { kind: "step"; factor: number; every: number }
  /**
   * a * factor ** (number of milestones m with m <= t - start); milestones are offsets
   * from the segment start, sorted ascending, and may repeat (each one counts, as in torch).
   */
  | { kind: "multistep"; factor: number; milestones: number[] }
  /**
   * SGDR: cycle k starts at offset period * (mult**k - 1) / (mult - 1) (k * period when
   * mult is 1), lasts period * mult**k ticks, and goes from a * decay**k to b by the cosine
   * formula with p the progress inside the cycle. With `limit`, cycles from that index on
   * hold at b.
   */
  | { kind: "restarts"; period: number; mult: number; decay: number; limit?: number };

export type ShapeKind = Shape["kind"];

export interface Segment {
  /** First tick of the segment (inclusive). */
  start: number;
  /** First tick after the segment (exclusive); `end > start`. */
  end: number;
  shape: Shape;
  from: RateValue;
  to: RateValue;
  /** The phase keyword this segment came from (`warmup`, `cosine`, `hold` for a fill, ...). */
  phase: string;
  /** Index of the phase in its chain, or -1 for the implicit hold the checker appends. */
  phaseIndex: number;
  /** Source range of the phase (of the schedule for the implicit hold). */
  range: Range;
}

export type ClockUnit = "steps" | "epochs";

/**
 * The hyperparameters a schedule may give beside the learning rate: SGD's `momentum` (or
 * `betas[0]` for optimizers with betas, as torch's OneCycleLR does), `beta2` (`betas[1]`)
 * and `weight_decay`.
 */
export type HyperParam = "momentum" | "beta2" | "weight_decay";

export const HYPER_PARAMS: readonly HyperParam[] = ["momentum", "beta2", "weight_decay"];

/** A hyperparameter's chain, lowered: plain values (`scale` 0) on the schedule's clock. */
export interface ParamChainIR {
  segments: Segment[];
  /** The value held from `total` on. */
  final: RateValue;
}

export interface ScheduleIR {
  /** The schedule's name; `default` for the top-level one. */
  name: string;
  /** Range of the schedule's name (of the first phase for the top-level one). */
  nameRange: Range;
  /** Range of the whole schedule. */
  range: Range;
  /** Number of clock ticks; the segments cover exactly [0, total). */
  total: number;
  /** What one tick is: one optimizer step, or one epoch. */
  clock: ClockUnit;
  /** The unit `total` was written in (`tokens` totals are converted to steps). */
  totalUnit: "steps" | "epochs" | "tokens";
  stepsPerEpoch?: number;
  tokensPerStep?: number;
  /** The `lr` of an absolute schedule; undefined for a relative one. */
  peak?: number;
  /** True when no `lr` is set: values scale with the optimizer's own rate. */
  relative: boolean;
  segments: Segment[];
  /** The value held for every tick at or past `total`: where the last segment ends. */
  final: RateValue;
  /** The hyperparameters scheduled beside the learning rate, if any. */
  params?: Partial<Record<HyperParam, ParamChainIR>>;
  /** Set when this schedules a hyperparameter rather than the rate (`paramSchedule`): its name, for axes and captions. */
  valueName?: HyperParam;
  /**
   * How the generated code resolves the ticks when the settings are bound at run time
   * (`total ?`, `steps_per_epoch ?`, or a written setting passed as a keyword). The numbers
   * above are the ones in force in the file (with its preview values); this part says how
   * each tick that depends on a setting is computed from the settings.
   */
  runtime?: RuntimeIR;
}

/**
 * An expression over the settings bound at run time and the program's tick variables,
 * evaluated with the same double operations, in the same order, as the checker's.
 * `round` is the checker's rounding of a duration to whole ticks (`roundTicks`,
 * check/values.ts); `ceil`, `floor`, `log10`, `sqrt` and `cos` are `Math`'s, `pow` is `a ** b`, `below` is 1 when its
 * first argument is below its second, else 0, and `ifBelow(a, b, x, y)` is `a < b ? x : y` (a shape's end over
 * run-time parameters); `cycle(u, period, mult)` is the index of the SGDR cycle that holds offset `u`
 * (`cycleIndex`, shapes/restarts.ts, as the emitted `_restart_cycle` computes it);
 * `given` is the keyword's value when the caller passed one, else `else`.
 */
export type Sym =
  | { k: "lit"; v: number }
  | { k: "ref"; name: string }
  | { k: "bin"; op: "+" | "-" | "*" | "/"; a: Sym; b: Sym }
  | { k: "fn"; fn: SymFn; args: Sym[] }
  | { k: "given"; name: RuntimeKey; else: Sym };

export type SymFn = "round" | "min" | "max" | "ceil" | "floor" | "log10" | "sqrt" | "cos" | "pow" | "below" | "ifBelow" | "cycle";

/** Run-time expressions, built: a number, `a op b`, and a function of the program. */
export const lit = (v: number): Sym => ({ k: "lit", v });
export const bin = (op: "+" | "-" | "*" | "/", a: Sym, b: Sym): Sym => ({ k: "bin", op, a, b });
export const call = (fn: SymFn, ...args: Sym[]): Sym => ({ k: "fn", fn, args });

/** A condition of a run-time check. */
export type SymCond = { op: "<" | "<=" | ">" | ">="; a: Sym; b: Sym } | { op: "or"; a: SymCond; b: SymCond };

/** The settings the generated code takes as keywords, as their Python keywords spell them. */
export type RuntimeKey = "total" | "steps_per_epoch" | "tokens_per_step" | "lr";

export const RUNTIME_KEYS: readonly RuntimeKey[] = ["total", "steps_per_epoch", "tokens_per_step", "lr"];

/** Each setting's name in `compile()`'s overrides and defaults, which TF.js' options object uses too. */
export const RUNTIME_OPTION = { total: "total", steps_per_epoch: "stepsPerEpoch", tokens_per_step: "tokensPerStep", lr: "lr" } as const satisfies Record<RuntimeKey, string>;

export interface RuntimeSetting {
  key: RuntimeKey;
  /** True when the file writes it `?`: bound at run time, with `value` as its preview. */
  bound: boolean;
  /** Where the file writes the `?`. */
  at?: Range;
  /** The value in force when no keyword is passed (the file's, or the preview); undefined when the file has none. */
  value?: number;
  /**
   * Set when the generated code cannot take this keyword: why not (the schedule has no
   * `total`, or a construct the run-time program does not resolve depends on it).
   */
  refused?: string;
  /** The construct that makes it refused. */
  refusedAt?: Range;
}

/** A part of a check's message: text, or a value formatted as the checker formats numbers. */
/** Text, or a value the message writes with the checker's number formatting (`repr`: as its shortest digits, JavaScript's String). */
export type MessagePart = string | { value: Sym; repr?: true };

export type RuntimeStatement =
  /** `name = expr`: a tick variable. */
  | { kind: "let"; name: string; expr: Sym }
  /** A check the checker made with the file's values, made again with the bound ones. */
  | {
      kind: "check";
      code: string;
      severity: "error" | "warning";
      when: SymCond;
      message: MessagePart[];
      /**
       * For a warning, the settings its outcome reads: it warns only when one of them is
       * passed as a keyword, since with the file's values `anneal check` has said it.
       */
      keys?: RuntimeKey[];
    }
  /** The keyword's value, checked to be a finite number above 0 (`steps_per_epoch`, `tokens_per_step`). */
  | { kind: "positive"; key: RuntimeKey; code: string; message: string };

/**
 * A shape's parameters that the run-time program computes (a step decay's `every`, its
 * milestones, the steps of `gamma G per epoch`), for a shape whose durations depend on a
 * setting; the shape's module spells them as names (`EmitNames.params`, shapes/shape.ts).
 */
export interface ShapeTicks {
  every?: Sym;
  milestones?: Sym[];
  per?: Sym;
  /** A warm restart's first period (`restart every 2 epochs`). */
  period?: Sym;
  /** `rsqrt`'s timescale, when it is the phase's start. */
  tau?: Sym;
  /** A `cyclic` phase's cycle length, and the share of it that rises (`up / cycle`). */
  cycle?: Sym;
  ratio?: Sym;
  /** An interpolation's `Progress`: the span its curve is laid over, and how far into it the segment starts (a `onecycle` piece's). */
  span?: Sym;
  shift?: Sym;
}

/** Every expression of a shape's run-time parameters, for the passes that walk them all. */
export function shapeTickSyms(p: ShapeTicks): Sym[] {
  return [...(p.every ? [p.every] : []), ...(p.milestones ?? []), ...(p.per ? [p.per] : []), ...(p.period ? [p.period] : []), ...(p.tau ? [p.tau] : []), ...(p.cycle ? [p.cycle] : []), ...(p.ratio ? [p.ratio] : []), ...(p.span ? [p.span] : []), ...(p.shift ? [p.shift] : [])];
}

/**
 * A rate the run-time program computes: `alpha` times the rate `of`, plus `beta` times the
 * rate `to` when there is one, as `segmentEnd` (evaluate.ts) combines them: a shape's end
 * over a run-time length (a step decay's `factor ** steps` times its start, a cut restart
 * cycle's cosine between its top and its floor).
 */
export interface RuntimeRate {
  alpha: Sym;
  of: RateValue;
  beta?: Sym;
  to?: RateValue;
}

/** Every expression of a run-time rate. */
export function rateSyms(r: RuntimeRate): Sym[] {
  return r.beta ? [r.alpha, r.beta] : [r.alpha];
}

/** A segment's bounds as the run-time program computes them. */
export interface SegmentTicks {
  start: Sym;
  end: Sym;
  /** The shape's parameters computed at run time, when some depend on a setting. */
  shape?: ShapeTicks;
  /** The segment's start rate when the run-time program computes it (a hold after a step decay). */
  from?: RuntimeRate;
}

export interface ChainTicks {
  segments: SegmentTicks[];
  /**
   * The hold the checker adds when the phases end before `total`: present whenever the
   * bound values may leave room for it, even when the file's values leave none (then it is
   * empty and never selected).
   */
  hold?: SegmentTicks;
  /** The rate held from `total` on, when the run-time program computes it. */
  final?: RuntimeRate;
}

export interface RuntimeIR {
  settings: RuntimeSetting[];
  /** Straight-line statements, in the checker's order: tick variables and the checks on them. */
  program: RuntimeStatement[];
  /** `total` in ticks. */
  total: Sym;
  rate: ChainTicks;
  params?: Partial<Record<HyperParam, ChainTicks>>;
}
