// `anneal import`: each recognised scheduler construction written as the Anneal schedule
// that reproduces it step for step. Every spec is relative (torch schedulers scale the
// optimizer's own rate), starts each part with an explicit `from` (torch restarts each
// SequentialLR part from the base rate), keeps durations as the script writes them
// (`len(loader)` multiples become epochs, with `steps_per_epoch` as the run-time setting),
// and names its source line in comments. A construction with no exact spec gets a located
// diagnostic instead of an approximation.

import { KEYWORDS, LineIndex } from "@anneal/dsl";
import { compile } from "../compile.js";
import type { Reporter } from "../diagnostics/report.js";
import type { Analysis, SchedulerFacts } from "./analysis.js";
import { effectiveClock } from "./checks.js";
import { HF_SCHEDULER_NAMES } from "./schedulers.js";
import { loopsOf } from "./stepping.js";
import { exprKids, type PyNode, textOf } from "./syntax.js";
import type { Value } from "./values.js";

/** A count of scheduler ticks: `k`, or `k * len(loader)` (k epochs of a per-batch clock). */
interface Dur {
  k: number;
  loader?: string;
}

interface Phase {
  kw: string;
  /** Undefined for the one phase that takes what remains. */
  dur?: Dur;
  /** The clauses after the duration, with `{D}` standing for a duration written inside them. */
  tail: string;
  /** Durations written inside the clauses (`every`, `at`), in order of their `{D}` marks. */
  inner?: Dur[];
}

interface Chain {
  phases: Phase[];
  /** The length after which the rate holds `holds`; undefined for a chain without an end. */
  length?: Dur;
  /** The rate held from `length` on, when torch holds one (a cosine rises instead). */
  holds?: string;
  /**
   * A one-tick phase that reaches `holds` after `length` (ConstantLR returning to the base
   * rate, a warmup's last value): written when the chain stands alone, and covered by the
   * held remainder of a longer SequentialLR slot.
   */
  after?: Phase;
  /**
   * The absolute peak rate, for schedulers that set the optimizer's rate themselves
   * (OneCycleLR's `max_lr`, CyclicLR's): the spec writes `lr` and absolute rates.
   */
  lr?: number;
  /** The momentum chain the scheduler also runs (`cycle_momentum`), when it does. */
  momentum?: Phase[];
}

/** The `SchedulerType` name of each Hugging Face schedule function. */
const HF_FUNCTION_NAMES: Record<string, string> = {
  get_linear_schedule_with_warmup: "linear",
  get_cosine_schedule_with_warmup: "cosine",
  get_cosine_with_hard_restarts_schedule_with_warmup: "cosine_with_restarts",
  get_polynomial_decay_schedule_with_warmup: "polynomial",
  get_constant_schedule_with_warmup: "constant_with_warmup",
  get_constant_schedule: "constant",
  get_inverse_sqrt_schedule: "inverse_sqrt",
  get_cosine_with_min_lr_schedule_with_warmup: "cosine_with_min_lr",
  get_wsd_schedule: "warmup_stable_decay",
};

/**
 * The `SchedulerType` names whose `get_scheduler` call ignores `scheduler_specific_kwargs`
 * (transformers' optimization.py passes them only the warmup, or nothing).
 */
const HF_IGNORES_SPECIFIC_KWARGS = new Set(["constant", "constant_with_warmup", "inverse_sqrt"]);

const BACK_TO_PEAK: Phase = { kw: "constant", dur: { k: 1 }, tail: "at peak" };

class NoSpec {
  constructor(
    readonly code: "A520" | "A521",
    readonly node: PyNode,
    readonly message: string,
  ) {}
}

export interface ImportedSpec {
  /** The schedule block's name. */
  name: string;
  /** The construction's 1-based line in the script. */
  line: number;
  cls: string;
  /** The `schedule NAME { ... }` block, with its comments. */
  text: string;
  /** The loader expression whose length is the run-time `steps_per_epoch`, if any. */
  stepsPerEpoch?: string;
}

const PREVIEW_STEPS_PER_EPOCH = 100;

/** Whether the language accepts `steps_per_epoch ? N` (run-time settings). */
function runTimeSettings(): boolean {
  return !compile("total 2 epochs\nsteps_per_epoch ? 5\nclock steps\nconstant").hasErrors;
}

export function writeSpecs(a: Analysis, report: Reporter, opts: { file: string; stepsPerEpoch?: number | undefined }): { text: string; specs: ImportedSpec[] } {
  const index = new LineIndex(a.py.text);
  const specs: ImportedSpec[] = [];
  const names = new Set<string>();
  const preview = opts.stepsPerEpoch ?? PREVIEW_STEPS_PER_EPOCH;
  const question = runTimeSettings();
  for (const f of a.schedulers) {
    if (f.use.parent) continue;
    const line = index.positionAt(f.use.call.from).line + 1;
    try {
      const w = new Writer(a, f);
      const chain = w.chain(f);
      let total = w.total(f, chain);
      if (chain.after && total && chain.length && total === chain.length) {
        chain.phases.push(chain.after);
        total = total.loader !== undefined ? undefined : { k: total.k + chain.after.dur!.k };
      }
      const loaders = new Set<string>();
      const allPhases = [...chain.phases, ...(chain.momentum ?? [])];
      for (const d of [total, ...allPhases.flatMap((p) => [p.dur, ...(p.inner ?? [])])]) if (d?.loader !== undefined) loaders.add(d.loader);
      if (loaders.size > 1) throw new NoSpec("A521", f.use.call, `the lengths use different loaders (${[...loaders].join(", ")}); a spec has one steps_per_epoch`);
      const loader = [...loaders][0];
      const clock = effectiveClock(a, f);
      if (clock === "epoch" && loader !== undefined) {
        throw new NoSpec("A521", f.use.call, `the scheduler is stepped once per epoch but its length counts batches (${loader}); fix that first (A502)`);
      }
      const name = uniqueName(f, names, line);
      const dur = (d: Dur) => (d.loader !== undefined ? `${num(d.k)} epochs` : num(d.k));
      const phaseText = (p: Phase) => {
        let i = 0;
        const tail = p.tail.replace(/\{D\}/g, () => dur(p.inner![i++]!));
        return [p.kw, p.dur ? dur(p.dur) : "", tail].filter((s) => s !== "").join(" ");
      };
      const src = oneLine(textOf(a.py, f.use.target ? f.use.call.parent! : f.use.call));
      const where = f.clockSource ? `${opts.file}:${index.positionAt(f.clockSource.from).line + 1}` : undefined;
      const stepped = clock === "batch" ? `stepped once per batch (${where})` : clock === "epoch" ? `stepped once per epoch (${where})` : "one tick per scheduler.step(); where it is stepped could not be told";
      const rates = chain.lr !== undefined ? `rates are absolute, since ${f.use.cls} sets the optimizer's learning rate itself` : "rates are relative to the optimizer's learning rate";
      const lines = [`# ${opts.file}:${line}: ${src}`, `# ${stepped}; ${rates}`, `schedule ${name} {`];
      if (chain.lr !== undefined) lines.push(`  lr ${num(chain.lr)}`);
      if (total) lines.push(`  total ${total.loader !== undefined || clock === "epoch" ? `${num(total.k)} epochs` : num(total.k)}`);
      if (loader !== undefined) {
        const value = question ? `? ${preview}` : String(preview);
        lines.push(`  steps_per_epoch ${value}  # ${loader} at run time${opts.stepsPerEpoch === undefined ? `; ${preview} is a preview value` : ""}`);
        if (total?.loader !== undefined) lines.push("  clock steps");
        if (opts.stepsPerEpoch === undefined) {
          report.report("A522", { start: f.use.call.from, end: f.use.call.kids[0]!.to }, `${loader} is known only at run time; the spec writes steps_per_epoch ${preview} as a preview value (give the real one with --steps-per-epoch N)`);
        }
      }
      lines.push(`  ${chain.phases.map(phaseText).join(" -> ")}`);
      if (chain.momentum) lines.push(`  momentum: ${chain.momentum.map(phaseText).join(" -> ")}`);
      lines.push("}");
      const text = lines.join("\n");
      const check = compile(text);
      const errors = check.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0) throw new NoSpec("A520", f.use.call, `the spec written for it does not compile (${errors[0]!.code} ${errors[0]!.message})`);
      specs.push({ name, line, cls: f.use.cls, text, ...(loader !== undefined ? { stepsPerEpoch: loader } : {}) });
    } catch (e) {
      if (!(e instanceof NoSpec)) throw e;
      report.report(e.code, { start: e.node.from, end: e.node.to }, `${f.use.cls} at line ${line}: ${e.message}`);
    }
  }
  const header = `# Imported from ${opts.file} by anneal import.\n`;
  return { text: specs.length > 0 ? `${header}\n${specs.map((s) => s.text).join("\n\n")}\n` : "", specs };
}

function oneLine(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, " ");
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/** Numbers as Anneal literals: the shortest form that reads back to the same double. */
function num(x: number): string {
  return String(x).replace("e+", "e");
}

/**
 * A fraction as an Anneal percent that reads back to the same double (`0.3` is `30%`, since
 * 30 / 100 is 0.3), or undefined when no short decimal does: the percent is divided by 100
 * when read, so it must be chosen to round back exactly.
 */
function percentOf(x: number): string | undefined {
  const candidates: string[] = [];
  const m = /^(\d+)(?:\.(\d+))?$/.exec(num(x));
  if (m) {
    const frac = (m[2] ?? "").padEnd(2, "0");
    const whole = `${m[1]}${frac.slice(0, 2)}`.replace(/^0+(?=\d)/, "");
    const rest = frac.slice(2);
    candidates.push(rest ? `${whole}.${rest}` : whole);
  }
  // Where the short decimal does not divide back exactly, a double a few units in the last
  // place from x * 100 may: longer to read, but exact.
  for (const k of [0, 1, -1, 2, -2]) candidates.push(num(nextDouble(x * 100, k)));
  return candidates.map((c) => `${c}%`).find((c) => Number(c.slice(0, -1)) / 100 === x);
}

const bits = new Float64Array(1);
const bitsAsInt = new BigInt64Array(bits.buffer);

/** The double `k` units in the last place above a positive `x` (below for negative k). */
function nextDouble(x: number, k: number): number {
  bits[0] = x;
  bitsAsInt[0]! += BigInt(k);
  return bits[0]!;
}

/** A rate that is `f` times the optimizer's rate. */
function factor(f: number): string {
  if (f === 1) return "peak";
  if (f === 0) return "0";
  const pct = f * 100;
  if (Number.isInteger(pct) && pct / 100 === f) return `${pct}%`;
  return `peak * ${num(f)}`;
}

/** The language's reserved words, which cannot name a schedule. */
const RESERVED = new Set(KEYWORDS);

function uniqueName(f: SchedulerFacts, names: Set<string>, line: number): string {
  const base = (f.use.target ?? "").split(".").at(-1)!.replace(/[^A-Za-z0-9_]/g, "");
  let name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(base) && !/^x\d/.test(base) && !RESERVED.has(base) ? base : `line${line}`;
  if (names.has(name)) name = `${name}_line${line}`;
  names.add(name);
  return name;
}

class Writer {
  constructor(
    readonly a: Analysis,
    readonly top: SchedulerFacts,
  ) {}

  private arg(f: SchedulerFacts, name: string): PyNode | undefined {
    const direct = f.use.args.get(name);
    if (direct !== undefined || f.use.cls !== "get_scheduler") return direct;
    // `get_scheduler` hands the entries of `scheduler_specific_kwargs` on as keywords.
    const extra = f.use.args.get("scheduler_specific_kwargs");
    const v = extra ? this.a.r.value(extra) : undefined;
    return v?.kind === "dict" ? v.entries.get(name) : undefined;
  }

  /** A string argument (or its default); NoSpec when it is given but not known. */
  private text(f: SchedulerFacts, name: string, dflt: string): string {
    const n = this.arg(f, name);
    if (!n) return dflt;
    const v = this.a.r.value(n);
    if (v.kind === "str") return v.s;
    throw new NoSpec("A521", n, `${name}=${textOf(this.a.py, n)} could not be worked out from the script`);
  }

  /** A plain number argument (or its default); NoSpec when it is given but not known. */
  number(f: SchedulerFacts, name: string, dflt?: number): number {
    const n = this.arg(f, name);
    if (!n) {
      if (dflt === undefined) throw new NoSpec("A521", f.use.call, `${name} is not given`);
      return dflt;
    }
    const v = this.a.r.value(n);
    if (v.kind === "num" && v.k !== undefined && v.loader === undefined) return v.k;
    if (v.kind === "bool") return Number(v.b);
    if (v.kind === "none" && dflt !== undefined) return dflt;
    throw new NoSpec("A521", n, `${name}=${textOf(this.a.py, n)} could not be worked out from the script`);
  }

  durOf(v: Value, n: PyNode, what: string): Dur {
    if (v.kind === "num" && v.k !== undefined && !v.inexact && Number.isInteger(v.k) && v.k >= 0) return v.loader !== undefined ? { k: v.k, loader: v.loader } : { k: v.k };
    const why = v.kind === "num" && v.loader !== undefined && v.inexact ? `is rounded from a multiple of ${v.loader}, which a spec's durations cannot write exactly` : v.kind === "num" && v.k === undefined && v.hint === "steps" ? "is known only at run time" : "could not be worked out as a whole number of steps";
    throw new NoSpec("A521", n, `${what}=${textOf(this.a.py, n)} ${why}`);
  }

  dur(f: SchedulerFacts, name: string, dflt?: number): Dur {
    const n = this.arg(f, name);
    if (!n) {
      if (dflt === undefined) throw new NoSpec("A521", f.use.call, `${name} is not given`);
      return { k: dflt };
    }
    return this.durOf(this.a.r.value(n), n, name);
  }

  private noSpec(f: SchedulerFacts, why: string): NoSpec {
    return new NoSpec("A520", f.use.call.kids[0]!, why);
  }

  chain(f: SchedulerFacts): Chain {
    const u = f.use;
    if (u.spread) throw new NoSpec("A521", u.call, "it is called with *args or **kwargs, so its arguments are not all visible");
    if (u.args.has("last_epoch")) {
      const le = this.number(f, "last_epoch", -1);
      if (le !== -1) throw this.noSpec(f, "it resumes with last_epoch set; import the construction without it");
    }
    switch (u.cls) {
      case "CosineAnnealingLR": {
        const T = this.dur(f, "T_max");
        if (T.k === 0) throw this.noSpec(f, "T_max is 0");
        return { phases: [{ kw: "cosine", dur: T, tail: `from peak to ${num(this.number(f, "eta_min", 0))}` }], length: T };
      }
      case "CosineAnnealingWarmRestarts": {
        const T0 = this.dur(f, "T_0");
        const mult = this.number(f, "T_mult", 1);
        if (T0.k <= 0 || !Number.isInteger(mult) || mult < 1) throw this.noSpec(f, "T_0 must be positive and T_mult a whole number of at least 1");
        return { phases: [{ kw: "cosine", tail: `from peak to ${num(this.number(f, "eta_min", 0))} restart every {D}${mult > 1 ? ` x ${mult}` : ""}`, inner: [T0] }] };
      }
      case "StepLR": {
        const N = this.dur(f, "step_size");
        if (N.k <= 0) throw this.noSpec(f, "step_size must be positive");
        return { phases: [{ kw: "step", tail: `from peak by ${num(this.number(f, "gamma", 0.1))} every {D}`, inner: [N] }] };
      }
      case "MultiStepLR": {
        const node = this.arg(f, "milestones");
        const v = node ? this.a.r.value(node) : undefined;
        if (!node || v?.kind !== "list") throw new NoSpec("A521", node ?? u.call, "the milestones could not be worked out from the script");
        const ms = v.items.map((it) => this.durOf(this.a.r.value(it, v.scope), it, "milestone"));
        const g = this.number(f, "gamma", 0.1);
        if (ms.length === 0) return { phases: [{ kw: "constant", dur: { k: 1 }, tail: "at peak" }], length: { k: 1 }, holds: "peak" };
        const sorted = [...ms].sort((x, y) => x.k - y.k);
        if (ms.some((m) => m.k <= 0 || m.loader !== ms[0]!.loader)) throw this.noSpec(f, "a milestone is 0 or the milestones mix units");
        const last = sorted.at(-1)!;
        const length = { k: last.k + 1, ...(last.loader !== undefined ? { loader: last.loader } : {}) };
        if (last.loader !== undefined) throw this.noSpec(f, "milestones in multiples of len(loader) cannot be written as a phase's own offsets yet");
        return { phases: [{ kw: "step", dur: length, tail: `from peak by ${num(g)} at ${sorted.map((m) => num(m.k)).join(", ")}` }], length, holds: factor(g ** ms.length) };
      }
      case "ExponentialLR":
        return { phases: [{ kw: "exp", tail: `from peak gamma ${num(this.number(f, "gamma"))}` }] };
      case "LinearLR": {
        const sf = this.number(f, "start_factor", 1 / 3);
        const ef = this.number(f, "end_factor", 1);
        const T = this.dur(f, "total_iters", 5);
        if (T.k === 0 || sf === ef) return { phases: [{ kw: "constant", dur: { k: 1 }, tail: `at ${factor(ef)}` }], length: { k: 1 }, holds: factor(ef) };
        const kw = sf < ef ? "warmup" : "linear";
        return { phases: [{ kw, dur: T, tail: `${kw === "warmup" ? "linear " : ""}from ${factor(sf)} to ${factor(ef)}` }], length: T, holds: factor(ef) };
      }
      case "ConstantLR": {
        const fac = this.number(f, "factor", 1 / 3);
        const T = this.dur(f, "total_iters", 5);
        if (T.loader !== undefined) throw this.noSpec(f, "total_iters in multiples of len(loader) is not supported here");
        if (T.k === 0) return { phases: [{ kw: "constant", dur: { k: 1 }, tail: "at peak" }], length: { k: 1 }, holds: "peak" };
        return { phases: [{ kw: "constant", dur: T, tail: `at ${factor(fac)}` }], length: T, holds: "peak", after: BACK_TO_PEAK };
      }
      case "PolynomialLR": {
        const T = this.dur(f, "total_iters", 5);
        if (T.k === 0) throw this.noSpec(f, "total_iters is 0");
        return { phases: [{ kw: "poly", dur: T, tail: `power ${num(this.number(f, "power", 1))} from peak to 0` }], length: T, holds: "0" };
      }
      case "LambdaLR":
      case "MultiplicativeLR":
        return this.lambda(f);
      case "SequentialLR":
        return this.sequential(f);
      case "get_linear_schedule_with_warmup":
      case "get_cosine_schedule_with_warmup":
      case "get_cosine_with_hard_restarts_schedule_with_warmup":
      case "get_polynomial_decay_schedule_with_warmup":
      case "get_constant_schedule_with_warmup":
      case "get_constant_schedule":
      case "get_inverse_sqrt_schedule":
      case "get_cosine_with_min_lr_schedule_with_warmup":
      case "get_wsd_schedule":
        return this.hf(f, HF_FUNCTION_NAMES[u.cls]!);
      case "get_scheduler": {
        const n = this.arg(f, "name");
        const v = n ? this.a.r.value(n) : undefined;
        const name = v?.kind === "str" ? v.s : v?.kind === "call" ? v.qualified.split(".").at(-1)!.toLowerCase() : undefined;
        if (name === undefined) throw new NoSpec("A521", n ?? u.call, "the scheduler name could not be worked out from the script");
        const extra = this.arg(f, "scheduler_specific_kwargs");
        if (extra && !HF_IGNORES_SPECIFIC_KWARGS.has(name)) {
          const v = this.a.r.value(extra);
          if (v.kind !== "dict" && v.kind !== "none") throw new NoSpec("A521", extra, "scheduler_specific_kwargs could not be worked out as a dict from the script");
        }
        return this.hf(f, name);
      }
      case "CosineLRScheduler":
        return this.timmCosine(f);
      case "OneCycleLR":
        return this.oneCycle(f);
      case "CyclicLR":
        return this.cyclic(f);
      case "ReduceLROnPlateau":
        throw this.noSpec(f, "it reacts to a metric measured during training, so no fixed schedule equals it");
      case "ChainedScheduler":
        throw this.noSpec(f, "it multiplies several schedulers' factors together, which a chain of phases does not express");
      default:
        throw this.noSpec(f, `${u.cls} is recognised by the lint but not imported yet`);
    }
  }

  /** A string argument (or its default); NoSpec when it is given but not known. */
  private string(f: SchedulerFacts, name: string, dflt: string): string {
    const n = this.arg(f, name);
    if (!n) return dflt;
    const v = this.a.r.value(n);
    if (v.kind === "str") return v.s;
    if (v.kind === "none") return dflt;
    throw new NoSpec("A521", n, `${name}=${textOf(this.a.py, n)} could not be worked out from the script`);
  }

  /** An absolute rate argument: one number, since a spec has one peak for every group. */
  private absoluteRate(f: SchedulerFacts, name: string, dflt?: number): number {
    const n = this.arg(f, name);
    if (n && this.a.r.value(n).kind === "list") throw this.noSpec(f, `${name} is given per parameter group (a list); a spec has one rate for every group, so import a construction with one ${name}`);
    return this.number(f, name, dflt);
  }

  /** Whether an argument is left out or given as `None`. */
  private absent(f: SchedulerFacts, name: string): boolean {
    const n = this.arg(f, name);
    return !n || this.a.r.value(n).kind === "none";
  }

  /** OneCycleLR and CyclicLR set the rate outright, which a SequentialLR slot (scaled from the base rate) does not. */
  private alone(f: SchedulerFacts): void {
    if (f !== this.top) throw this.noSpec(f, `${f.use.cls} sets the optimizer's rate outright, so as a part of ${this.top.use.cls} it has no exact spec; import it on its own`);
  }

  /**
   * torch's OneCycleLR as a `onecycle` phase over `total_steps` (or `epochs *
   * steps_per_epoch`), its rates absolute: `initial_lr = max_lr / div_factor` and `min_lr =
   * initial_lr / final_div_factor`, computed in that order as torch does. With
   * `cycle_momentum` (the default) the momentum runs the same cycle the other way, from
   * `max_momentum` down to `base_momentum` and back.
   */
  private oneCycle(f: SchedulerFacts): Chain {
    this.alone(f);
    const maxLr = this.absoluteRate(f, "max_lr");
    let L: Dur;
    if (!this.absent(f, "total_steps")) L = this.dur(f, "total_steps");
    else {
      if (this.absent(f, "epochs") || this.absent(f, "steps_per_epoch")) throw new NoSpec("A521", f.use.call, "neither total_steps nor both epochs and steps_per_epoch are given, so its length is not known");
      const E = this.dur(f, "epochs");
      const S = this.dur(f, "steps_per_epoch");
      if (E.loader !== undefined) throw new NoSpec("A521", this.arg(f, "epochs")!, "epochs counts batches here; it should be a number of epochs");
      L = { k: E.k * S.k, ...(S.loader !== undefined ? { loader: S.loader } : {}) };
    }
    if (L.k <= 0) throw this.noSpec(f, "its total number of steps is 0");
    const pct = this.number(f, "pct_start", 0.3);
    // torch ends the rise at `pct_start * total_steps - 1`: a percent that reads back to
    // pct_start exactly, or else the whole number of steps that product is.
    const up = percentOf(pct) ?? (L.loader === undefined && Number.isInteger(pct * L.k) ? num(pct * L.k) : undefined);
    if (up === undefined) {
      const why = L.loader === undefined ? `nor is pct_start * total_steps (${num(pct * L.k)}) a whole number of steps` : "and the length is known only at run time";
      throw new NoSpec("A520", this.arg(f, "pct_start")!, `pct_start=${num(pct)} has no percent that reads back to it exactly (a spec's \`up P%\` is P / 100), ${why}; round pct_start to two or three digits`);
    }
    const strategy = this.string(f, "anneal_strategy", "cos");
    if (strategy !== "cos" && strategy !== "linear") throw this.noSpec(f, `anneal_strategy="${strategy}" is neither "cos" nor "linear" (torch refuses it)`);
    const div = this.number(f, "div_factor", 25);
    const finalDiv = this.number(f, "final_div_factor", 1e4);
    const initial = maxLr / div;
    const min = initial / finalDiv;
    const rest = `up ${up}${strategy === "linear" ? " linear" : ""}${this.number(f, "three_phase", 0) ? " three phase" : ""}`;
    const chain: Chain = { phases: [{ kw: "onecycle", tail: `from ${num(initial)} via ${num(maxLr)} to ${num(min)} ${rest}` }], length: L, holds: num(min), lr: maxLr };
    if (this.number(f, "cycle_momentum", 1)) {
      const base = this.absoluteRate(f, "base_momentum", 0.85);
      const max = this.absoluteRate(f, "max_momentum", 0.95);
      chain.momentum = [{ kw: "onecycle", tail: `from ${num(max)} via ${num(base)} to ${num(max)} ${rest}` }];
    }
    return chain;
  }

  /**
   * torch's CyclicLR as a `cyclic` phase: a cycle of `step_size_up + step_size_down` ticks
   * rising for `step_size_up`, from `base_lr` to `max_lr` (absolute), scaled per `mode`
   * (`triangular2` halves each cycle: `decay 0.5`; `exp_range` is `gamma G` per tick). It
   * never ends, so the spec's total is the training loop's length. With `cycle_momentum`
   * (the default) the momentum runs the same triangle from `max_momentum` down to
   * `base_momentum`.
   */
  private cyclic(f: SchedulerFacts): Chain {
    this.alone(f);
    if (!this.absent(f, "scale_fn")) throw this.noSpec(f, "it is given a scale_fn of its own; only the modes triangular, triangular2 and exp_range have an exact spec");
    const base = this.absoluteRate(f, "base_lr");
    const max = this.absoluteRate(f, "max_lr");
    const up = this.dur(f, "step_size_up", 2000);
    const down = this.absent(f, "step_size_down") ? up : this.dur(f, "step_size_down");
    if (up.loader !== down.loader) throw this.noSpec(f, "step_size_up and step_size_down are in different units (one counts len(loader))");
    if (up.k <= 0) throw this.noSpec(f, "step_size_up is 0, where torch divides by it");
    const cycle: Dur = { k: up.k + down.k, ...(up.loader !== undefined ? { loader: up.loader } : {}) };
    const mode = this.string(f, "mode", "triangular");
    let scale: string;
    if (mode === "triangular") scale = "";
    else if (mode === "triangular2") scale = " decay 0.5";
    else if (mode === "exp_range") scale = ` gamma ${num(this.number(f, "gamma", 1))}`;
    else throw this.noSpec(f, `mode="${mode}" is not one of "triangular", "triangular2" and "exp_range" (torch refuses it)`);
    const chain: Chain = { phases: [{ kw: "cyclic", tail: `from ${num(base)} to ${num(max)} every {D} up {D}${scale}`, inner: [cycle, up] }], lr: max };
    if (this.number(f, "cycle_momentum", 1)) {
      const baseM = this.absoluteRate(f, "base_momentum", 0.8);
      const maxM = this.absoluteRate(f, "max_momentum", 0.9);
      chain.momentum = [{ kw: "cyclic", tail: `from ${num(maxM)} to ${num(baseM)} every {D} up {D}${scale}`, inner: [cycle, up] }];
    }
    return chain;
  }

  /** Hugging Face's schedules by their `SchedulerType` name. */
  private hf(f: SchedulerFacts, name: string): Chain {
    const W = name === "constant" ? { k: 0 } : this.arg(f, "num_warmup_steps") ? this.dur(f, "num_warmup_steps") : { k: 0 };
    const warm: Phase[] = W.k > 0 ? [{ kw: "warmup", dur: W, tail: "linear from 0 to peak" }] : [];
    const needN = (): Dur => this.dur(f, "num_training_steps");
    switch (name) {
      case "linear":
      case "cosine":
      case "polynomial":
      case "cosine_with_restarts": {
        const N = needN();
        if (W.loader === N.loader && W.k >= N.k) throw this.noSpec(f, "the warmup is as long as the schedule (A514)");
        let decay: Phase;
        if (name === "linear") decay = { kw: "linear", tail: "from peak to 0" };
        else if (name === "polynomial") {
          const end = this.number(f, "lr_end", 1e-7);
          decay = { kw: "poly", tail: `power ${num(this.number(f, "power", 1))} from peak to ${num(end)}` };
          return { phases: [...warm, decay], length: N, holds: num(end) };
        } else {
          const cycles = this.number(f, "num_cycles", name === "cosine" ? 0.5 : 1);
          if (name === "cosine_with_restarts" && cycles !== 1) return { phases: [...warm, this.hardRestarts(f, W, N, cycles)], length: N, holds: "0" };
          if (name === "cosine" && cycles !== 0.5) throw this.noSpec(f, `num_cycles=${num(cycles)} has no exact spec yet (only the default imports)`);
          decay = { kw: "cosine", tail: "from peak to 0" };
          return { phases: [...warm, decay], length: N };
        }
        return { phases: [...warm, decay], length: N, holds: "0" };
      }
      case "constant":
        return { phases: [{ kw: "constant", dur: { k: 1 }, tail: "at peak" }], length: { k: 1 }, holds: "peak" };
      case "constant_with_warmup":
        if (W.loader !== undefined) return { phases: [...warm, { kw: "constant", tail: "at peak" }] };
        if (W.k === 0) return { phases: [BACK_TO_PEAK], length: { k: 1 }, holds: "peak" };
        return { phases: warm, length: W, holds: "peak", after: BACK_TO_PEAK };
      case "cosine_with_min_lr": {
        const N = needN();
        if (W.loader === N.loader && W.k >= N.k) throw this.noSpec(f, "the warmup is as long as the schedule (A514)");
        const cycles = this.number(f, "num_cycles", 0.5);
        if (cycles !== 0.5) throw this.noSpec(f, `num_cycles=${num(cycles)} has no exact spec yet (only the default imports)`);
        const given = ["min_lr", "min_lr_rate"].filter((k) => this.arg(f, k) && this.a.r.value(this.arg(f, k)!).kind !== "none");
        if (given.length !== 1) throw this.noSpec(f, given.length === 0 ? "it needs min_lr or min_lr_rate (transformers raises a ValueError without one)" : "it is given both min_lr and min_lr_rate (transformers raises a ValueError)");
        // `min_lr` is a fraction of the optimizer's default rate in transformers, so it is
        // absolute for that rate's groups, as the polynomial schedule's `lr_end` is.
        const floor = given[0] === "min_lr" ? num(this.number(f, "min_lr")) : factor(this.number(f, "min_lr_rate"));
        // Like the plain cosine, transformers' curve is not clamped at the end: nothing is held.
        return { phases: [...warm, { kw: "cosine", tail: `from peak to ${floor}` }], length: N };
      }
      case "warmup_stable_decay":
        return this.wsd(f);
      case "inverse_sqrt": {
        const ts = this.arg(f, "timescale") ? this.number(f, "timescale") : undefined;
        const T = ts ?? (W.k > 0 && W.loader === undefined ? W.k : W.k > 0 ? undefined : 10_000);
        if (T === undefined) throw this.noSpec(f, "the timescale defaults to the warmup, which counts batches here");
        return { phases: [...warm, { kw: "rsqrt", tail: `from peak timescale ${num(T)}` }] };
      }
      default:
        throw this.noSpec(f, HF_SCHEDULER_NAMES.includes(name) ? `the "${name}" schedule is not imported yet` : `"${name}" is not a Hugging Face scheduler name (A513)`);
    }
  }

  /**
   * transformers' hard restarts: `num_cycles` cosines from the rate to 0 over what the warmup
   * leaves, then 0. A spec's restart period is whole steps, so the cycles must divide it.
   */
  private hardRestarts(f: SchedulerFacts, W: Dur, N: Dur, cycles: number): Phase {
    if (!Number.isInteger(cycles) || cycles < 1) throw this.noSpec(f, `num_cycles=${num(cycles)} is not a whole number of cycles`);
    if (W.k > 0 && W.loader !== N.loader) throw this.noSpec(f, "the warmup and the training steps are in different units");
    const span = N.k - W.k;
    if (span % cycles !== 0) throw this.noSpec(f, `${num(cycles)} cycles over ${num(span)} steps are not whole steps long, and a restart period is`);
    const period: Dur = N.loader !== undefined ? { k: span / cycles, loader: N.loader } : { k: span / cycles };
    return { kw: "cosine", tail: "from peak to 0 restart every {D}", inner: [period] };
  }

  /**
   * transformers' `get_wsd_schedule`: a warmup from `min_lr_ratio` of the rate to the rate,
   * a stable phase at the rate, a decay back to `min_lr_ratio` of it, held after. The stable
   * phase is `num_stable_steps`, else what `num_training_steps` leaves of the other two.
   */
  private wsd(f: SchedulerFacts): Chain {
    const W = this.arg(f, "num_warmup_steps") ? this.dur(f, "num_warmup_steps") : { k: 0 };
    const D = this.dur(f, "num_decay_steps");
    let S: Dur;
    if (this.arg(f, "num_stable_steps") && this.a.r.value(this.arg(f, "num_stable_steps")!).kind !== "none") S = this.dur(f, "num_stable_steps");
    else {
      const N = this.dur(f, "num_training_steps");
      if (N.loader !== W.loader || N.loader !== D.loader) throw this.noSpec(f, "the warmup, decay and training steps are in different units");
      S = N.loader !== undefined ? { k: N.k - W.k - D.k, loader: N.loader } : { k: N.k - W.k - D.k };
      if (S.k < 0) throw this.noSpec(f, "num_warmup_steps + num_decay_steps is more than num_training_steps");
    }
    if (D.k === 0) throw this.noSpec(f, "num_decay_steps is 0, so the rate drops to min_lr_ratio at once, which a chain of phases writes only as a jump");
    const floor = factor(this.number(f, "min_lr_ratio", 0));
    const warmupType = this.text(f, "warmup_type", "linear");
    const decayType = this.text(f, "decay_type", "cosine");
    // transformers' 1-sqrt warmup is 1 - sqrt(1 - p), which no warmup shape spells.
    const warmupShape: Record<string, string> = { linear: "linear", cosine: "cosine" };
    const decayShape: Record<string, string> = { linear: "linear", cosine: "cosine", "1-sqrt": "sqrt" };
    if (W.k > 0 && warmupShape[warmupType] === undefined) throw this.noSpec(f, `warmup_type="${warmupType}" has no exact spec yet (linear and cosine import)`);
    if (decayShape[decayType] === undefined) throw this.noSpec(f, `decay_type="${decayType}" is not one of transformers' decay types`);
    if (decayType === "cosine") {
      const cycles = this.number(f, "num_cycles", 0.5);
      if (cycles !== 0.5) throw this.noSpec(f, `num_cycles=${num(cycles)} has no exact spec yet (only the default imports)`);
    }
    const phases: Phase[] = [];
    if (W.k > 0) phases.push({ kw: "warmup", dur: W, tail: `${warmupShape[warmupType]} from ${floor} to peak` });
    if (S.k > 0) phases.push({ kw: "constant", dur: S, tail: "at peak" });
    phases.push({ kw: decayShape[decayType]!, dur: D, tail: `from peak to ${floor}` });
    const k = W.k + S.k + D.k;
    return { phases, length: D.loader !== undefined ? { k, loader: D.loader } : { k }, holds: floor };
  }

  /**
   * timm's CosineLRScheduler with one cycle: a linear warmup from `warmup_lr_init`
   * (absolute), then the cosine over `t_initial` to `lr_min`, held after. Only with the
   * warmup as a prefix (or none) is the cosine a phase of its own; without `warmup_prefix`
   * timm's cosine starts under the warmup, which no chain of phases writes yet.
   */
  private timmCosine(f: SchedulerFacts): Chain {
    for (const p of ["cycle_mul", "cycle_decay", "cycle_limit", "noise_range_t", "k_decay"]) {
      if (!f.use.args.has(p)) continue;
      const dflt = p === "noise_range_t" ? undefined : 1;
      const v = this.a.r.value(f.use.args.get(p)!);
      if (!(v.kind === "none" || (v.kind === "num" && v.k === dflt && v.loader === undefined))) throw this.noSpec(f, `${p} other than its default has no exact spec yet`);
    }
    const T = this.dur(f, "t_initial");
    const W = this.arg(f, "warmup_t") ? this.dur(f, "warmup_t") : { k: 0 };
    const prefix = this.number(f, "warmup_prefix", 0);
    if (T.k <= 0) throw this.noSpec(f, "t_initial must be positive");
    if (W.k > 0 && !prefix) throw this.noSpec(f, "without warmup_prefix=True timm's cosine starts under the warmup, which a chain of phases cannot write yet");
    const lrMin = num(this.number(f, "lr_min", 0));
    const cosine: Phase = { kw: "cosine", dur: T, tail: `from peak to ${lrMin}` };
    if (W.k === 0) return { phases: [cosine], length: T, holds: lrMin };
    if (W.loader !== T.loader) throw this.noSpec(f, "the warmup and t_initial are in different units");
    const warmup: Phase = { kw: "warmup", dur: W, tail: `linear from ${num(this.number(f, "warmup_lr_init", 0))} to peak` };
    return { phases: [warmup, cosine], length: { k: W.k + T.k, ...(T.loader !== undefined ? { loader: T.loader } : {}) }, holds: lrMin };
  }

  /** LambdaLR and MultiplicativeLR with a lambda of one of the simple forms. */
  private lambda(f: SchedulerFacts): Chain {
    const n = this.arg(f, "lr_lambda");
    const v = n ? this.a.r.value(n) : undefined;
    if (!n || v?.kind !== "lambda") throw this.noSpec(f, "lr_lambda is not a lambda written in the script (a list of lambdas or a def is not imported)");
    const py = this.a.py;
    const params = v.node.kids.find((k) => k.type === "ParamList");
    const pnames = params ? exprKids(params).filter((k) => k.type === "VariableName") : [];
    if (pnames.length !== 1) throw this.noSpec(f, "the lambda must take exactly one argument");
    const p = textOf(py, pnames[0]!);
    const body = v.node.kids.at(-1)!;
    const isP = (x: PyNode | undefined) => x?.type === "VariableName" && textOf(py, x) === p;
    const strip = (x: PyNode | undefined): PyNode | undefined => (x?.type === "ParenthesizedExpression" ? strip(exprKids(x)[0]) : x);
    const numOf = (x: PyNode | undefined) => (x ? this.a.r.number(x) : undefined);
    const b = strip(body);
    if (f.use.cls === "MultiplicativeLR") {
      const c = numOf(b);
      if (c === undefined) throw this.noSpec(f, "only a constant factor (lambda epoch: 0.95) imports for MultiplicativeLR");
      return { phases: [{ kw: "exp", tail: `from peak gamma ${num(c)}` }] };
    }
    if (b?.type === "BinaryExpression" && textOf(py, b.kids[1]!) === "**") {
      const g = numOf(b.kids[0]);
      const e = strip(b.kids[2]);
      if (g !== undefined && isP(e)) return { phases: [{ kw: "exp", tail: `from peak gamma ${num(g)}` }] };
      if (g !== undefined && e?.type === "BinaryExpression" && textOf(py, e.kids[1]!) === "//" && isP(e.kids[0])) {
        const N = numOf(e.kids[2]);
        if (N !== undefined && Number.isInteger(N) && N > 0) return { phases: [{ kw: "step", tail: `from peak by ${num(g)} every {D}`, inner: [{ k: N }] }] };
      }
    }
    if (b?.type === "CallExpression" && textOf(py, b.kids[0]!) === "min") {
      const args = exprKids(b.kids[1]!);
      const one = args.findIndex((x) => numOf(x) === 1);
      const other = strip(args[1 - one]);
      if (args.length === 2 && one >= 0 && other?.type === "BinaryExpression" && textOf(py, other.kids[1]!) === "/") {
        const W = numOf(other.kids[2]);
        const top = strip(other.kids[0]);
        if (W !== undefined && Number.isInteger(W) && W >= 1) {
          if (isP(top)) return { phases: [{ kw: "warmup", dur: { k: W }, tail: "linear from 0 to peak" }], length: { k: W }, holds: "peak", after: BACK_TO_PEAK };
          if (top?.type === "BinaryExpression" && textOf(py, top.kids[1]!) === "+" && isP(top.kids[0]) && numOf(top.kids[2]) === 1) {
            if (W === 1) return { phases: [{ kw: "constant", dur: { k: 1 }, tail: "at peak" }], length: { k: 1 }, holds: "peak" };
            return { phases: [{ kw: "warmup", dur: { k: W - 1 }, tail: `linear from peak / ${num(W)} to peak` }], length: { k: W - 1 }, holds: "peak", after: BACK_TO_PEAK };
          }
        }
      }
    }
    throw this.noSpec(f, `the lambda (${oneLine(textOf(py, v.node))}) is not one of the forms that import: G ** e, G ** (e // N), min(1, e / W), min(1, (e + 1) / W)`);
  }

  /** SequentialLR: each part laid in its milestone slot, from the base rate. */
  private sequential(f: SchedulerFacts): Chain {
    const ms = this.arg(f, "milestones");
    const mv = ms ? this.a.r.value(ms) : undefined;
    if (!ms || mv?.kind !== "list") throw new NoSpec("A521", ms ?? f.use.call, "the milestones could not be worked out from the script");
    const marks = mv.items.map((it) => this.durOf(this.a.r.value(it, mv.scope), it, "milestone"));
    if (f.children.length !== marks.length + 1) throw new NoSpec("A521", f.use.call, "the schedulers list could not be matched with the milestones");
    const phases: Phase[] = [];
    let at: Dur = { k: 0 };
    let last: Chain | undefined;
    f.children.forEach((child, i) => {
      const c = this.chain(child);
      const end = marks[i];
      if (!end) {
        phases.push(...c.phases);
        last = c;
        return;
      }
      if (end.loader !== at.loader && at.k !== 0) throw this.noSpec(f, "the milestones mix units");
      const slot: Dur = { k: end.k - at.k, ...(end.loader !== undefined ? { loader: end.loader } : {}) };
      if (slot.k <= 0) throw this.noSpec(f, "the milestones do not increase");
      phases.push(...fit(c, slot, () => this.noSpec(f, `part ${i + 1} (${child.use.cls}) does not fit its milestone slot exactly: it is cut short, or runs past its end where torch does not hold its rate`)));
      at = end;
    });
    const lc = last!;
    const length = lc.length && (lc.length.loader === at.loader || at.k === 0) ? { k: at.k + lc.length.k, ...(lc.length.loader !== undefined ? { loader: lc.length.loader } : at.loader !== undefined ? { loader: at.loader } : {}) } : undefined;
    return { phases, ...(length ? { length } : {}), ...(lc.holds !== undefined ? { holds: lc.holds } : {}) };
  }

  /**
   * The spec's total: the chain's own length (past which torch holds or, for a cosine,
   * rises again, which A509 reports), else the training loop's length.
   */
  total(f: SchedulerFacts, chain: Chain): Dur | undefined {
    if (chain.length) return chain.length;
    // Every phase has its length (in mixed units): the spec's total is their sum.
    if (chain.phases.every((p) => p.dur)) return undefined;
    const loop = this.loopLength(f);
    if (loop) return loop;
    throw new NoSpec("A521", f.use.call, "the scheduler has no end of its own and the length of training could not be worked out from the loops; write the spec by hand with the total you train for");
  }

  private loopLength(f: SchedulerFacts): Dur | undefined {
    const site = f.sites[0];
    if (!site) return undefined;
    const clock = effectiveClock(this.a, f);
    const { batch, epoch } = loopsOf(site);
    const c = (v: Value | undefined): Dur | undefined => (v?.kind === "num" && v.k !== undefined && !v.inexact && Number.isInteger(v.k) && v.k > 0 ? { k: v.k, ...(v.loader !== undefined ? { loader: v.loader } : {}) } : undefined);
    if (clock === "epoch") {
      const d = c(epoch?.count);
      return d && d.loader === undefined ? d : undefined;
    }
    if (clock === "batch" && !site.ctx.gate) {
      if (batch?.count) return c(batch.count);
      const e = c(epoch?.count);
      if (e && e.loader === undefined && batch?.loader) return { k: e.k, loader: `len(${batch.loader})` };
    }
    return undefined;
  }
}

/** A part laid into a slot of a SequentialLR: as written, held to the slot's end, or refused. */
function fit(c: Chain, slot: Dur, refuse: () => NoSpec): Phase[] {
  const phases = c.phases.map((p) => ({ ...p }));
  const open = phases.findIndex((p) => p.dur === undefined);
  if (open >= 0) {
    const fixed = phases.filter((p) => p.dur);
    if (fixed.some((p) => p.dur!.loader !== slot.loader)) throw refuse();
    const rest = slot.k - fixed.reduce((s, p) => s + p.dur!.k, 0);
    if (rest <= 0) throw refuse();
    phases[open]!.dur = { k: rest, ...(slot.loader !== undefined ? { loader: slot.loader } : {}) };
    return phases;
  }
  const L = c.length!;
  if (L.loader !== slot.loader) throw refuse();
  if (L.k === slot.k) return phases;
  if (L.k > slot.k || c.holds === undefined) throw refuse();
  return [...phases, { kw: "constant", dur: { k: slot.k - L.k, ...(slot.loader !== undefined ? { loader: slot.loader } : {}) }, tail: `at ${c.holds}` }];
}
