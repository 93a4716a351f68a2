// The TF.js target, run on real TensorFlow.js (CPU backend, in Node): every corpus schedule
// is emitted, imported from a temporary directory, and driven by `model.fit` on a one-weight
// model. A recording callback reads the optimizer's rate at every batch, and the weight
// change shows the rate SGD really applied. Both are compared with the evaluator. `lrAt` is
// the evaluator's formulas in the same language, so it must agree bit for bit.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { compile, type ScheduleIR } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { createParamEvaluator } from "../../packages/compiler/src/evaluate.js";
import {
  boundaries,
  compareValues,
  type CorpusSchedule,
  describeMismatches,
  evaluatorFor,
  loadCorpus,
  type Mismatch,
  range,
} from "./corpus.js";

type Tf = typeof import("@tensorflow/tfjs");

interface Emitted {
  TOTAL_STEPS: number;
  CLOCK: string;
  RELATIVE: boolean;
  lrAt(step: number, baseLr?: number): number;
  lrCallback(target: object, options?: { initialStep?: number; baseLr?: number; state?: object; warnPastEnd?: boolean }): object;
}

/** The optimizer's rate before training: the base of relative schedules. */
const BASE = 0.1;
/** Batches (or epochs) trained from the start; later boundaries get short windows. */
const HEAD = 40;
const WINDOW = 5;

const corpus = loadCorpus();
let tf: Tf;
let dir = "";
const modules = new Map<string, Emitted>();

beforeAll(async () => {
  tf = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  dir = mkdtempSync(join(tmpdir(), "anneal-tfjs-"));
  for (const [n, s] of corpus.entries()) {
    const path = join(dir, `schedule_${n}.mjs`);
    writeFileSync(path, emit("tfjs", s.ir, { source: s.file, text: s.text }).text);
    modules.set(s.id, (await import(pathToFileURL(path).href)) as Emitted);
  }
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Recorded {
  /** Ticks the rates belong to (a tick repeats once per batch on an epoch clock). */
  ticks: number[];
  /** `optimizer.learningRate` as the batch starts. */
  rates: number[];
  /** The weight change SGD made in the batch (the weight is reset to 0 after each). */
  applied: number[];
}

/**
 * A one-weight linear model with mean absolute error against a target of 1: from a weight
 * of 0 the gradient is exactly -1, so one SGD step moves the weight by exactly the rate
 * (in float32). Resetting the weight after every batch keeps that true at every step.
 */
function makeModel(optimizer: ReturnType<Tf["train"]["sgd"]> | ReturnType<Tf["train"]["adam"]>) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: "zeros" }));
  model.compile({ optimizer, loss: "meanAbsoluteError" });
  return model;
}

/** An optimizer's current rate (the field is protected in the typings, public at run time). */
function rateOf(optimizer: object): number {
  return (optimizer as { learningRate: number }).learningRate;
}

function recorder(model: ReturnType<typeof makeModel>, optimizer: object, into: Recorded, tickOf: () => number) {
  const layer = model.layers[0]!;
  return {
    onBatchBegin: async () => {
      into.ticks.push(tickOf());
      into.rates.push(rateOf(optimizer));
    },
    onBatchEnd: async () => {
      const w = layer.getWeights()[0]!;
      into.applied.push((await w.data())[0]!);
      layer.setWeights([tf.zeros([1, 1])]);
    },
  };
}

/** Trains `batches` single-sample batches in one epoch. */
async function fitBatches(model: ReturnType<typeof makeModel>, batches: number, callbacks: object[]) {
  const x = tf.ones([batches, 1]);
  const y = tf.ones([batches, 1]);
  await model.fit(x, y, { batchSize: 1, epochs: 1, shuffle: false, verbose: 0, callbacks: callbacks as never });
  tf.dispose([x, y]);
}

/** Trains epochs `from` to `to - 1`, two single-sample batches each. */
async function fitEpochs(model: ReturnType<typeof makeModel>, from: number, to: number, callbacks: object[]) {
  const x = tf.ones([2, 1]);
  const y = tf.ones([2, 1]);
  await model.fit(x, y, { batchSize: 1, initialEpoch: from, epochs: to, shuffle: false, verbose: 0, callbacks: callbacks as never });
  tf.dispose([x, y]);
}

/** Drives one schedule: the first ticks from the start, then a window at each later boundary. */
async function drive(s: CorpusSchedule, mod: Emitted): Promise<Recorded> {
  const ir = s.ir;
  const optimizer = tf.train.sgd(BASE);
  const model = makeModel(optimizer);
  const rec: Recorded = { ticks: [], rates: [], applied: [] };
  const head = Math.min(ir.total + 2, HEAD);
  const windows = boundaries(ir).filter((b) => b + 3 > head).map((b) => Math.max(head, b - 2));
  if (ir.clock === "epochs") {
    let epoch = 0;
    const cb = mod.lrCallback(model);
    const rec1 = recorder(model, optimizer, rec, () => epoch);
    const epochTracker = { onEpochBegin: async (e: number) => void (epoch = e) };
    await fitEpochs(model, 0, head, [cb, epochTracker, rec1]);
    // Resuming an epoch clock is model.fit's own initialEpoch.
    for (const w of windows) await fitEpochs(model, w, w + WINDOW, [mod.lrCallback(model, { baseLr: BASE }), epochTracker, rec1]);
  } else {
    // Two fit calls with one callback: its step count carries over between them.
    const cb = mod.lrCallback(model) as { step: number };
    const rec1 = recorder(model, optimizer, rec, () => cb.step);
    const first = Math.floor(head / 2);
    await fitBatches(model, first, [cb, rec1]);
    await fitBatches(model, head - first, [cb, rec1]);
    // Resuming mid-run: a new callback told how many steps were taken, and the base rate
    // (the optimizer now holds a scheduled rate, not the base).
    for (const w of windows) {
      const resumed = mod.lrCallback(model, { initialStep: w, baseLr: BASE }) as { step: number };
      await fitBatches(model, WINDOW, [resumed, recorder(model, optimizer, rec, () => resumed.step)]);
    }
  }
  model.dispose();
  return rec;
}

describe("tfjs lrAt", () => {
  test.for(corpus)("$id: lrAt equals the evaluator bit for bit at every tick", (s) => {
    const mod = modules.get(s.id)!;
    const ir = s.ir;
    const n = ir.total + 3;
    const expected = evaluatorFor(ir, BASE).fillExact(new Float64Array(n), 0);
    const bad: string[] = [];
    for (let t = 0; t < n && bad.length < 10; t++) {
      const got = ir.relative ? mod.lrAt(t, BASE) : mod.lrAt(t);
      if (!Object.is(got, expected[t])) bad.push(`t=${t}: got ${got}, expected ${expected[t]}`);
    }
    expect(bad).toEqual([]);
    expect(mod.TOTAL_STEPS).toBe(ir.total);
    expect(mod.CLOCK).toBe(ir.clock);
  });
});

describe("tfjs lrCallback in model.fit", () => {
  test.for(corpus)("$id", { timeout: 30_000 }, async (s) => {
    const rec = await drive(s, modules.get(s.id)!);
    const ev = evaluatorFor(s.ir, BASE);
    const ms: Mismatch[] = [];
    // The rate read back from the optimizer is the double lrAt computed.
    compareValues("optimizer.learningRate", rec.ticks, rec.rates, (t) => ev.lrAt(t), 0, ms);
    // The rate SGD applied: a float32 weight, so within float32 rounding of the rate.
    compareValues("applied by SGD", rec.ticks, rec.applied, (t) => Math.fround(ev.lrAt(t)), 0, ms);
    if (ms.length > 0) expect.fail(`${s.id}: ${describeMismatches(ms)}`);
    expect(rec.ticks.length).toBeGreaterThan(0);
  });

  test("Adam takes the rate through its learningRate field; the callback also runs after a tf.Callback", async () => {
    const s = corpus.find((c) => c.id === "pytorch-docs-seed-relative.anneal")!;
    const mod = modules.get(s.id)!;
    const optimizer = tf.train.adam(0.02);
    const model = makeModel(optimizer);
    const seen: number[] = [];
    // A tf.Callback first: model.fit then takes the array as it is, and calls our callback's
    // methods directly instead of wrapping it. The rate is read as each batch ends.
    class Recording extends tf.Callback {
      override async onBatchEnd() {
        seen.push(rateOf(optimizer));
      }
    }
    const cb = mod.lrCallback(model) as { step: number };
    await fitBatches(model, 30, [new Recording(), cb]);
    const ev = evaluatorFor(s.ir, 0.02);
    const ms: Mismatch[] = [];
    compareValues("adam learningRate", range(0, 30), seen, (t) => ev.lrAt(t), 0, ms);
    if (ms.length > 0) expect.fail(describeMismatches(ms));
    expect(cb.step).toBe(30);
    model.dispose();
  });
});

describe("tfjs hyperparameters", () => {
  const withParams = corpus.filter((c) => c.ir.params !== undefined);

  test("the corpus has schedules with momentum, beta2 and weight decay", () => {
    const names = new Set(withParams.flatMap((c) => Object.keys(c.ir.params!)));
    expect([...names].sort()).toEqual(["beta2", "momentum", "weight_decay"]);
  });

  test.for(withParams)("$id: momentumAt, beta2At and weightDecayAt equal the evaluator bit for bit", (s) => {
    const mod = modules.get(s.id)! as unknown as Record<string, (t: number) => number>;
    const names = { momentum: "momentumAt", beta2: "beta2At", weight_decay: "weightDecayAt" } as const;
    for (const [name, fn] of Object.entries(names) as [keyof typeof names, string][]) {
      const pe = createParamEvaluator(s.ir, name);
      expect(typeof mod[fn], fn).toBe(pe ? "function" : "undefined");
      if (!pe) continue;
      for (let t = -1; t <= s.ir.total + 2; t++) expect(Object.is(mod[fn]!(t), pe.lrAt(t)), `${fn}(${t})`).toBe(true);
    }
  });

  test("Adam's beta1 and beta2 follow the schedule in model.fit; what tf.train cannot take is said once", async () => {
    const s = corpus.find((c) => c.id === "adamw-betas.anneal")!;
    const mod = modules.get(s.id)!;
    const optimizer = tf.train.adam(0.02);
    const model = makeModel(optimizer);
    const seen: { beta1: number; beta2: number }[] = [];
    class Recording extends tf.Callback {
      override async onBatchEnd() {
        const o = optimizer as unknown as { beta1: number; beta2: number };
        seen.push({ beta1: o.beta1, beta2: o.beta2 });
      }
    }
    await fitBatches(model, 40, [mod.lrCallback(model) as never, new Recording()]);
    const m = createParamEvaluator(s.ir, "momentum")!;
    const b2 = createParamEvaluator(s.ir, "beta2")!;
    seen.forEach((v, t) => {
      expect(v.beta1).toBe(m.lrAt(t));
      expect(v.beta2).toBe(b2.lrAt(t));
    });
    expect(seen.length).toBe(40);
    model.dispose();
    // SGD has no beta1: the momentum chain is reported once, not silently dropped.
    const warned: string[] = [];
    const warn = console.warn;
    console.warn = (msg: string) => void warned.push(msg);
    try {
      const sgd = makeModel(tf.train.sgd(0.1));
      await fitBatches(sgd, 5, [modules.get("onecycle-momentum.anneal")!.lrCallback(sgd) as never]);
      sgd.dispose();
    } finally {
      console.warn = warn;
    }
    expect(warned).toEqual([expect.stringMatching(/^lrCallback: the schedule sets momentum, but this optimizer keeps its momentum fixed/)]);
  });
});

describe("tfjs typings", () => {
  /** Type-checks a usage file against the emitted `.d.ts` and the real tfjs typings. */
  function typeErrors(ir: ScheduleIR, usage: string): string[] {
    const base = mkdtempSync(join(dir, "dts-"));
    writeFileSync(join(base, "schedule.d.ts"), emit("tfjs-dts", ir, {}).text);
    writeFileSync(join(base, "usage.ts"), usage);
    const tfjsTypes = createRequire(import.meta.url).resolve("@tensorflow/tfjs");
    const program = ts.createProgram([join(base, "usage.ts")], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: [],
      baseUrl: base,
      paths: { "@tensorflow/tfjs": [join(dirname(tfjsTypes), "index.d.ts")] },
    });
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }

  test("the .d.ts types the module for model.fit, alone or next to a tf.Callback", () => {
    const absolute = corpus.find((c) => c.id === "pytorch-docs-seed.anneal")!.ir;
    const usage = `
      import * as tf from "@tensorflow/tfjs";
      import { AnnealError, buildSchedule, lrAt, lrCallback, TOTAL_STEPS, CLOCK, PEAK } from "./schedule.js";
      const model = tf.sequential();
      const cb = lrCallback(model, { initialStep: 10 });
      const n: number = lrAt(3) + TOTAL_STEPS + PEAK + cb.step;
      const c: "steps" = CLOCK;
      void model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { callbacks: cb });
      void model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { callbacks: [cb] });
      lrCallback(tf.train.sgd(0.1));
      // Settings bound at run time: the built schedule has the module's forms and callback.
      const built = buildSchedule({ total: 200 });
      const m: number = built.lrAt(3) + built.totalSteps + built.settings.total;
      void model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { callbacks: [built.lrCallback(model)] });
      try { buildSchedule(); } catch (e) { if (e instanceof AnnealError) void e.code.length; }
      // A saved state, through JSON as a checkpoint keeps it, resumes a callback.
      const saved: string = JSON.stringify(cb.state);
      lrCallback(model, { state: JSON.parse(saved), warnPastEnd: false });
      void n; void c; void m;
    `;
    expect(typeErrors(absolute, usage)).toEqual([]);
    const relative = corpus.find((c) => c.id === "pytorch-docs-seed-relative.anneal")!.ir;
    const wrong = `
      import { lrAt, lrCallback, buildSchedule } from "./schedule.js";
      lrAt(3);
      lrCallback({}, { baseLr: "high" });
      buildSchedule({ totl: 3 });
    `;
    // A relative schedule needs the base rate; a wrong option type and an unknown setting are caught.
    expect(typeErrors(relative, wrong).length).toBe(3);
  }, 60_000);
});

// The guards of the callback, on real TF.js: stepping far past the total warns once, and a
// saved `state` carries the spec's fingerprint and the settings, which a resume checks.
describe("tfjs lrCallback guards", () => {
  const TEXT = "lr 0.01\ntotal ? 5\nwarmup 1 -> linear to 1e-4\n";
  const load = async (text: string, name: string): Promise<Emitted & { buildSchedule(s: object): { lrCallback: Emitted["lrCallback"] }; FINGERPRINT: string }> => {
    const path = join(dir, `${name}.mjs`);
    writeFileSync(path, emit("tfjs", compile(text).schedules[0]!.ir!, { source: `${name}.anneal`, text }).text);
    return (await import(pathToFileURL(path).href)) as never;
  };
  /** console.warn's messages while `run` runs. */
  const warnings = async (run: () => Promise<void>): Promise<string[]> => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await run();
      return spy.mock.calls.map((c) => String(c[0]));
    } finally {
      spy.mockRestore();
    }
  };

  test("twelve batches of a five-step schedule warn once, at the tenth; warnPastEnd: false silences it", async () => {
    const mod = await load(TEXT, "guard_past_end");
    const model = makeModel(tf.train.sgd(0.1));
    const said = await warnings(() => fitBatches(model, 12, [mod.lrCallback(model)]));
    expect(said).toEqual([expect.stringContaining("lrCallback: 10 batches are twice this schedule's total of 5 steps; this schedule counts optimizer steps")]);
    expect(said[0]).toContain("pass `total` or `stepsPerEpoch` to buildSchedule");
    // Nine batches stay below twice the total.
    expect(await warnings(() => fitBatches(model, 9, [mod.lrCallback(model)]))).toEqual([]);
    expect(await warnings(() => fitBatches(model, 12, [mod.lrCallback(model, { warnPastEnd: false })]))).toEqual([]);
    model.dispose();
  });

  test("a saved state resumes at its step; another spec or other settings warn, naming both", async () => {
    const mod = await load(TEXT, "guard_state");
    const edited = await load(TEXT.replace("1e-4", "1e-5"), "guard_state_edited");
    const optimizer = tf.train.sgd(0.1);
    const model = makeModel(optimizer);
    const cb = mod.lrCallback(model) as { state: { step: number; fingerprint: string; settings: { total: number } } };
    await fitBatches(model, 3, [cb]);
    const saved = JSON.parse(JSON.stringify(cb.state)) as typeof cb.state;
    expect(saved).toMatchObject({ step: 3, fingerprint: mod.FINGERPRINT, schedule: "default", source: "guard_state.anneal", settings: { total: 5 } });
    // Resumed: the first batch runs at step 3's rate, and nothing is said.
    const rates: number[] = [];
    const read = { onBatchBegin: async () => void rates.push(rateOf(optimizer)) };
    expect(await warnings(() => fitBatches(model, 1, [mod.lrCallback(model, { state: saved }), read]))).toEqual([]);
    expect(rates).toEqual([mod.lrAt(3)]);
    // The edited spec's module: its fingerprint differs, and the warning names both.
    expect(edited.FINGERPRINT).not.toBe(mod.FINGERPRINT);
    const other = await warnings(() => fitBatches(model, 1, [edited.lrCallback(model, { state: saved })]));
    expect(other).toEqual([expect.stringContaining(`this state was saved by schedule "default" of guard_state.anneal (fingerprint ${mod.FINGERPRINT}), and this callback follows schedule "default" of guard_state_edited.anneal (fingerprint ${edited.FINGERPRINT})`)]);
    // The same spec built for another total.
    const longer = await warnings(() => fitBatches(model, 1, [mod.buildSchedule({ total: 7 }).lrCallback(model, { state: saved })]));
    expect(longer).toEqual([expect.stringContaining('saved with the settings {"total":5,')]);
    expect(longer[0]).toContain('this callback was built with {"total":7,');
    expect(() => mod.lrCallback(model, { state: saved, initialStep: 3 } as never)).toThrow(TypeError);
    expect(() => mod.lrCallback(model, { state: { step: -1 } } as never)).toThrow(/whole `step` of 0 or more/);
    model.dispose();
  });
});
