// Settings bound at run time in the TF.js target, on real TensorFlow.js (CPU backend, in
// Node). Every corpus schedule (whose written settings can be overridden), a set of
// schedules written with `?` settings and 50 generated ones are emitted once and imported; `buildSchedule(options)`
// is then given drawn values. The reference is the compiler itself, `compile(text,
// { overrides })`, which is what `anneal eval --total X --steps-per-epoch Y` reads: where it
// reports errors, `buildSchedule` must throw an AnnealError with one of their codes and
// exactly its message; where it compiles, `lrAt` and each hyperparameter's form must equal
// the evaluator bit for bit (the same formulas in the same language), and a real `model.fit`
// with the built schedule's callback must set the evaluator's rate at every batch.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ScheduleIR } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { createParamEvaluator } from "../../packages/compiler/src/evaluate.js";
import { HYPER_PARAMS } from "../../packages/compiler/src/ir.js";
import { BOUND_SPECS, boundPrograms, compareValues, describeMismatches, evaluatorFor, generatedPrograms, type Mismatch, range, samplePoints, seededRandom, settingsPlans } from "./corpus.js";

type Tf = typeof import("@tensorflow/tfjs");

interface Schedule {
  totalSteps: number;
  settings: Record<string, number | null>;
  lrAt(step: number, baseLr?: number): number;
  lrCallback(target: object, options?: { initialStep?: number; baseLr?: number }): { step: number };
  [form: string]: unknown;
}
interface Emitted {
  TOTAL_STEPS: number;
  SETTINGS: Record<string, number | null>;
  BOUND_AT_RUN_TIME: readonly string[];
  AnnealError: new (...args: never[]) => Error;
  buildSchedule(options?: object): Schedule;
  lrAt(step: number, baseLr?: number): number;
}

const BASE = 0.1;
const DRAWS = 3;
/** Ticks checked from 0 for every draw; sampled points reach the rest. */
const TICK_CAP = 300;
/** Batches of the real fit. */
const FIT_BATCHES = 24;



/** Generated schedules with `?` settings, as the closed-form run-time test draws them. */
const GENERATED = 50;
const programs = [...boundPrograms(), ...generatedPrograms(seededRandom(1214), GENERATED)];
const plans = settingsPlans(programs, seededRandom(1212), DRAWS);

let tf: Tf;
let dir = "";
const modules = new Map<string, Emitted>();

beforeAll(async () => {
  tf = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  dir = mkdtempSync(join(tmpdir(), "anneal-tfjs-runtime-"));
  for (const [n, p] of programs.entries()) {
    const r = emit("tfjs", p.ir, { text: p.text });
    expect(r.diagnostics.filter((d) => d.code === "A405"), `${p.id}: tfjs takes every setting`).toEqual([]);
    const path = join(dir, `schedule_${n}.mjs`);
    writeFileSync(path, r.text);
    modules.set(p.id, (await import(pathToFileURL(path).href)) as Emitted);
  }
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Ticks checked for a compiled draw: every one up to a cap, and sampled ones past it. */
function ticksOf(ir: ScheduleIR, seed: number): number[] {
  return [...new Set([-1, ...range(0, Math.min(ir.total + 3, TICK_CAP)), ...samplePoints(ir, seed, 20)])].sort((a, b) => a - b);
}

describe("tfjs buildSchedule with settings bound at run time", () => {
  test("the module exposes the file's settings and the ones written `?`", () => {
    const m = modules.get("total-percent")!;
    expect(m.SETTINGS).toEqual({ total: 1000, stepsPerEpoch: null, tokensPerStep: null, lr: 0.0003 });
    expect(m.BOUND_AT_RUN_TIME).toEqual(["total"]);
    expect(m.buildSchedule().totalSteps).toBe(1000);
    expect(() => m.buildSchedule({ totl: 3 })).toThrow(/unknown setting totl/);
    expect(() => m.buildSchedule({ total: "100" })).toThrow(TypeError);
    const e = (() => {
      try {
        m.buildSchedule({ total: Infinity });
      } catch (x) {
        return x as { code?: string };
      }
    })();
    expect(e?.code).toBe("A109");
  });

  test.for(plans)("$id", (plan) => {
    const m = modules.get(plan.program.id)!;
    if (plan.errors.length > 0) {
      let thrown: unknown;
      try {
        m.buildSchedule(plan.options);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, "buildSchedule throws where the compiler reports an error").toBeInstanceOf(m.AnnealError);
      const { code, detail } = thrown as { code: string; detail: string };
      expect(plan.errors).toContainEqual({ code, message: detail });
      return;
    }
    const ir = plan.ir!;
    const s = m.buildSchedule(plan.options);
    expect(s.totalSteps).toBe(ir.total);
    const ev = evaluatorFor(ir, BASE);
    const ticks = ticksOf(ir, plans.indexOf(plan));
    const ms: Mismatch[] = [];
    compareValues("lrAt", ticks, ticks.map((t) => (ir.relative ? s.lrAt(t, BASE) : s.lrAt(t))), (t) => ev.lrAt(t), 0, ms);
    for (const name of HYPER_PARAMS) {
      if (!ir.params?.[name]) continue;
      const fn = `${name === "weight_decay" ? "weightDecay" : name}At`;
      const pe = createParamEvaluator(ir, name)!;
      compareValues(fn, ticks, ticks.map((t) => (s[fn] as (t: number) => number)(t)), (t) => pe.lrAt(t), 0, ms);
    }
    expect(ms, describeMismatches(ms)).toEqual([]);
  });
});

describe("tfjs buildSchedule in model.fit", () => {
  // The first compiled draw of each schedule written with `?` settings, on a step clock.
  const fits = BOUND_SPECS.map(([id]) => plans.find((p) => p.program.id === id && p.ir !== undefined && p.ir.clock === "steps")).filter((p) => p !== undefined);

  test.for(fits)("$id: the optimizer's rate at every batch is the evaluator's", async (plan) => {
    const ir = plan.ir!;
    const m = modules.get(plan.program.id)!;
    const optimizer = tf.train.sgd(BASE);
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: "zeros" }));
    model.compile({ optimizer, loss: "meanAbsoluteError" });
    const schedule = m.buildSchedule(plan.options);
    const cb = schedule.lrCallback(model, { baseLr: BASE });
    const ticks: number[] = [];
    const rates: number[] = [];
    const record = {
      onBatchBegin: async () => {
        ticks.push(cb.step);
        rates.push((optimizer as unknown as { learningRate: number }).learningRate);
      },
    };
    const x = tf.ones([FIT_BATCHES, 1]);
    const y = tf.ones([FIT_BATCHES, 1]);
    await model.fit(x, y, { batchSize: 1, epochs: 1, shuffle: false, verbose: 0, callbacks: [cb, record] as never });
    tf.dispose([x, y]);
    model.dispose();
    expect(ticks).toEqual(range(0, FIT_BATCHES));
    const ev = evaluatorFor(ir, BASE);
    const ms: Mismatch[] = [];
    compareValues("optimizer.learningRate", ticks, rates, (t) => ev.lrAt(t), 0, ms);
    expect(ms, describeMismatches(ms)).toEqual([]);
  });
});
