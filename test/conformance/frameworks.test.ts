// The Keras, optax and Lightning targets, run on the real frameworks: every corpus schedule
// is emitted and computed by Keras on the JAX backend (jitted and eager, after a `.keras`
// save and load, after serialize/deserialize), by optax (jitted in float32 and float64, and
// in real updates), and by a real Lightning fit, and compared with the evaluator. Two Python
// processes run everything, side by side: one for JAX (Keras, then optax), one for Lightning.
//
// Tolerances: float32 (Keras, optax by default) within 1e-6 of the schedule's peak, as
// float32 has 24 bits and the formulas are a few operations deep; float64 (optax under
// jax_enable_x64, Lightning's torch) within 1e-12 relative, as the closed-form PyTorch target
// (or 1e-15 of the peak where a rate nears 0 by cancellation; see withinDouble).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { createParamEvaluator } from "../../packages/compiler/src/evaluate.js";
import { HYPER_PARAMS } from "../../packages/compiler/src/ir.js";
import { type CorpusSchedule, describeMismatches, evaluatorFor, loadCorpus, type Mismatch, range, samplePoints, withinDouble } from "./corpus.js";
import { frameworksPython, missingBanner, runPython, type Interpreter } from "./python.js";

/** The base rate of relative schedules, and the updates per epoch of epoch-clock ones. */
const BASE_LR = 0.1;
const STEPS_PER_EPOCH = 3;
/** Update counts checked from 0 for every schedule; the sampled points reach the rest. */
const COUNT_CAP = 2500;
const UPDATES = 8;
const F32_TOL = 1e-6;
const F64_TOL = 1e-12;
/** Lightning: batches per epoch and epochs on a step clock (36 steps), and on an epoch clock. */
const LIGHTNING_STEP_CLOCK = { batches: 12, epochs: 3 };
const LIGHTNING_EPOCH_CLOCK = { batches: 3, maxEpochs: 8 };

const corpus = loadCorpus();

/** A framework: its name for the banner, and the variable that makes its absence fatal. */
interface Framework {
  key: "keras" | "optax" | "lightning";
  label: string;
  require: string;
}
const FRAMEWORKS: Framework[] = [
  { key: "keras", label: "Keras (JAX backend)", require: "ANNEAL_REQUIRE_KERAS" },
  { key: "optax", label: "optax", require: "ANNEAL_REQUIRE_JAX" },
  { key: "lightning", label: "Lightning", require: "ANNEAL_REQUIRE_LIGHTNING" },
];
const interpreterOf = (f: Framework): Interpreter => ({ label: f.label, path: frameworksPython, required: process.env[f.require] === "1" });

/** The update count's tick: an epoch-clock schedule reads the epoch as count / steps per epoch. */
function tickOf(s: CorpusSchedule, count: number): number {
  return s.ir.clock === "epochs" ? Math.floor(count / STEPS_PER_EPOCH) : count;
}

/** The update counts checked for a schedule: every one from 0 up to a cap, and sampled ticks. */
function countsFor(s: CorpusSchedule, n: number): number[] {
  const perTick = s.ir.clock === "epochs" ? STEPS_PER_EPOCH : 1;
  const all = new Set(range(0, Math.min((s.ir.total + 3) * perTick, COUNT_CAP)));
  // Frameworks count whole updates, so the sampled fractional ticks are left out.
  for (const t of samplePoints(s.ir, 2000 + n)) if (Number.isInteger(t)) all.add(t * perTick);
  return [...all].sort((a, b) => a - b);
}

const plans = corpus.map((s, n) => ({ s, counts: countsFor(s, n) }));

type Group = Record<string, { missing?: string; version?: string; results?: Record<string, Record<string, unknown>> }>;
const outcome: Record<string, { missing: string } | { version: string; results: Record<string, Record<string, unknown>> }> = {};
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-frameworks-"));
  const cases = plans.map(({ s, counts }, n) => {
    const write = (target: "keras" | "optax" | "pytorch") => {
      const path = join(dir, `${target}_${n}.py`);
      writeFileSync(path, emit(target, s.ir, { source: s.file, text: s.text }).text);
      return path;
    };
    const epochs = s.ir.clock === "epochs";
    return {
      id: s.id,
      keras: write("keras"),
      optax: write("optax"),
      pytorch: write("pytorch"),
      relative: s.ir.relative,
      base_lr: BASE_LR,
      clock: s.ir.clock,
      steps_per_epoch: STEPS_PER_EPOCH,
      points: counts,
      updates: UPDATES,
      optimizer: s.ir.params !== undefined ? "adamw" : "sgd",
      params: HYPER_PARAMS.filter((p) => s.ir.params?.[p] !== undefined),
      lightning_batches_per_epoch: epochs ? LIGHTNING_EPOCH_CLOCK.batches : LIGHTNING_STEP_CLOCK.batches,
      lightning_epochs: epochs ? Math.min(s.ir.total + 2, LIGHTNING_EPOCH_CLOCK.maxEpochs) : LIGHTNING_STEP_CLOCK.epochs,
    };
  });
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  const driver = join(import.meta.dirname, "frameworks_driver.py");
  // The two groups run at once: each spends most of its time importing its framework.
  const runs = await Promise.all(["jax", "lightning"].map((g) => runPython([driver, g, casesPath], undefined, frameworksPython)));
  for (const [i, r] of runs.entries()) {
    const group = i === 0 ? "jax" : "lightning";
    if (r.spawnError !== undefined) {
      for (const f of FRAMEWORKS) outcome[f.key] ??= { missing: `cannot start ${frameworksPython}: ${r.spawnError}` };
      continue;
    }
    // The framework is there but the driver or an emitted module failed: a real failure.
    if (r.code !== 0) throw new Error(`the ${group} driver failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
    const parsed = JSON.parse(r.stdout) as Group;
    for (const [key, value] of Object.entries(parsed)) {
      outcome[key] = value.missing !== undefined ? { missing: value.missing } : { version: value.version!, results: value.results! };
    }
  }
  for (const f of FRAMEWORKS) {
    const o = outcome[f.key];
    if (o && "missing" in o) {
      console.warn(
        missingBanner(f.label, o.missing, interpreterOf(f), {
          require: f.require,
          how: `Install it for ${frameworksPython} (python3 -m pip install jax optax keras lightning) or set ANNEAL_PYTHON_FRAMEWORKS; ${f.require}=1 makes this fatal.`,
        }),
      );
    }
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A framework's results for a case, or a skip (a failure when the framework is required). */
function resultOf(key: string, f: Framework, id: string, skip: () => void): Record<string, unknown> {
  const o = outcome[key];
  if (!o || "missing" in o) {
    if (interpreterOf(f).required) throw new Error(`${f.label} is required (${f.require}=1) but unavailable: ${o && "missing" in o ? o.missing : "not run"}`);
    skip();
    throw new Error("unreachable: skipped");
  }
  const r = o.results[id];
  if (!r) throw new Error(`no ${f.label} result for ${id}`);
  return r;
}

/** The schedule's expected rates at update counts, and its peak (for float32's tolerance). */
function expected(s: CorpusSchedule) {
  const ev = evaluatorFor(s.ir, BASE_LR);
  const at = (count: number) => ev.lrAt(tickOf(s, count));
  let peak = 0;
  for (let t = 0; t <= Math.min(s.ir.total, 200_000); t++) peak = Math.max(peak, Math.abs(ev.lrAt(t)));
  return { at, peak };
}

/** Mismatches of `got` against the evaluator within `tol` of the peak (absolute). */
function withinPeak(label: string, counts: readonly number[], got: readonly number[], at: (c: number) => number, peak: number, tol: number): Mismatch[] {
  const out: Mismatch[] = [];
  if (got.length !== counts.length) return [{ where: `${label}: ${got.length} values for ${counts.length} counts`, got: NaN, expected: NaN, error: Infinity }];
  counts.forEach((c, i) => {
    const e = at(c);
    const err = Math.abs(got[i]! - e) / peak;
    if (!(err <= tol)) out.push({ where: `${label} count=${c}`, got: got[i]!, expected: e, error: err });
  });
  return out;
}

/**
 * The rates at the float counts NaN, -2, 0 and 1 (the driver's FLOAT_COUNTS): a float count
 * keeps the NaN guard that an integer count leaves out, and a negative one reads as 0.
 */
function floatCounts(label: string, got: { nan: boolean; rest: number[] }, at: (c: number) => number, peak: number, tol: number): Mismatch[] {
  const out: Mismatch[] = [];
  if (!got.nan) out.push({ where: `${label}: count NaN`, got: 0, expected: NaN, error: Infinity });
  out.push(...withinPeak(label, [0, 0, 1], got.rest, at, peak, tol));
  return out;
}

/**
 * Mismatches of each hyperparameter chain (`momentum_at`, `make_momentum_schedule`, ...)
 * against the evaluator's, within `tol` of the chain's peak, or in double precision.
 */
function paramMismatches(s: CorpusSchedule, label: string, counts: readonly number[], got: Record<string, number[]>, tol: number | "double"): Mismatch[] {
  const names = HYPER_PARAMS.filter((p) => s.ir.params?.[p] !== undefined);
  const out: Mismatch[] = [];
  if (Object.keys(got).sort().join() !== [...names].sort().join()) return [{ where: `${label}: chains ${Object.keys(got)} for ${names}`, got: NaN, expected: NaN, error: Infinity }];
  for (const name of names) {
    const ev = createParamEvaluator(s.ir, name)!;
    const at = (c: number) => ev.lrAt(tickOf(s, c));
    let peak = 0;
    for (let t = 0; t <= Math.min(s.ir.total, 200_000); t++) peak = Math.max(peak, Math.abs(ev.lrAt(t)));
    out.push(...(tol === "double" ? withinDouble(`${label} ${name}`, counts, got[name]!, at, peak) : withinPeak(`${label} ${name}`, counts, got[name]!, at, peak, tol)));
  }
  return out;
}

const [keras, optax, lightning] = FRAMEWORKS as [Framework, Framework, Framework];

describe("keras on the JAX backend", () => {
  for (const { s, counts } of plans) {
    test(`${s.id}: jitted and eager equal the evaluator within float32; .keras and serialize round-trip`, (ctx) => {
      const r = resultOf("keras", keras, s.id, () => ctx.skip());
      const { at, peak } = expected(s);
      const ms = [...withinPeak("jit", counts, r.jit as number[], at, peak, F32_TOL), ...withinPeak("eager", counts.slice(0, 8), r.eager as number[], at, peak, F32_TOL), ...withinPeak("eager integer", counts.slice(0, 8), r.eager_int as number[], at, peak, F32_TOL), ...floatCounts("float counts", r.float_counts as { nan: boolean; rest: number[] }, at, peak, F32_TOL)];
      expect(ms, describeMismatches(ms)).toEqual([]);
      expect(r.deserialized_class).toBe(r.class);
      expect(r.loaded_class).toBe(r.class);
      expect(r.deserialized_config).toEqual(r.config);
      expect(r.loaded_config).toEqual(r.config);
      expect(r.deserialized).toEqual(r.jit);
      expect(r.loaded).toEqual(r.jit);
      const pm = paramMismatches(s, "keras", counts, r.params as Record<string, number[]>, F32_TOL);
      expect(pm, describeMismatches(pm)).toEqual([]);
    });
  }
});

describe("optax", () => {
  for (const { s, counts } of plans) {
    test(`${s.id}: jitted in float32 and float64, and applied by real updates`, (ctx) => {
      const r = resultOf("optax", optax, s.id, () => ctx.skip());
      const r64 = resultOf("optax_x64", optax, s.id, () => ctx.skip());
      const { at, peak } = expected(s);
      expect(r.dtype).toBe("float32");
      expect(r64.dtype).toBe("float64");
      const ms = withinPeak("float32 jit", counts, r.jit as number[], at, peak, F32_TOL);
      ms.push(...withinDouble("float64 jit", counts, r64.jit as number[], at, peak));
      ms.push(...floatCounts("float32 float counts", r.float_counts as { nan: boolean; rest: number[] }, at, peak, F32_TOL), ...floatCounts("float64 float counts", r64.float_counts as { nan: boolean; rest: number[] }, at, peak, F64_TOL));
      const updates = range(0, UPDATES);
      ms.push(...withinPeak("sgd update", updates, r.applied as number[], at, peak, F32_TOL));
      ms.push(...withinPeak("inject_hyperparams", updates, r.injected as number[], at, peak, F32_TOL));
      ms.push(...paramMismatches(s, "float32 jit", counts, r.params as Record<string, number[]>, F32_TOL));
      ms.push(...paramMismatches(s, "inject_hyperparams", updates, r.injected_params as Record<string, number[]>, F32_TOL));
      ms.push(...paramMismatches(s, "float64 jit", counts, r64.params as Record<string, number[]>, "double"));
      expect(ms, describeMismatches(ms)).toEqual([]);
    });
  }
});

describe("lightning", () => {
  for (const { s } of plans) {
    test(`${s.id}: a real Trainer fit sets the evaluator's rate at every batch`, (ctx) => {
      const r = resultOf("lightning", lightning, s.id, () => ctx.skip());
      const epochs = s.ir.clock === "epochs";
      expect(r.interval).toBe(epochs ? "epoch" : "step");
      expect(r.frequency).toBe(1);
      const rates = r.rates as number[];
      const batches = epochs ? LIGHTNING_EPOCH_CLOCK.batches : LIGHTNING_STEP_CLOCK.batches;
      const runEpochs = epochs ? Math.min(s.ir.total + 2, LIGHTNING_EPOCH_CLOCK.maxEpochs) : LIGHTNING_STEP_CLOCK.epochs;
      expect(rates.length).toBe(batches * runEpochs);
      // On a step clock batch i has had i scheduler steps; on an epoch clock, its epoch's.
      const ticks = range(0, rates.length).map((i) => (epochs ? Math.floor(i / batches) : i));
      const ev = evaluatorFor(s.ir, BASE_LR);
      const ms = withinDouble("lightning", ticks, rates, (t) => ev.lrAt(t), expected(s).peak);
      expect(ms, describeMismatches(ms)).toEqual([]);
    });
  }
});
