// The PyTorch targets, run on real torch: every corpus schedule is emitted, stepped with a
// real SGD optimizer over two parameter groups, resumed from saved state dicts, probed with
// `last_epoch`, and compared with the evaluator (closed form: relative error <= 1e-12;
// `--native`, whose built-ins are recursive, <= 1e-9). One Python process runs everything.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { createParamEvaluator } from "../../packages/compiler/src/evaluate.js";
import { HYPER_PARAMS } from "../../packages/compiler/src/ir.js";
import {
  boundaries,
  compareValues,
  type CorpusSchedule,
  describeMismatches,
  evaluatorFor,
  loadCorpus,
  type Mismatch,
  range,
  samplePoints,
} from "./corpus.js";
import { driverResult, type DriverOutcome, interpreters, runDriverEverywhere, type Interpreter } from "./python.js";

/** Two groups with different rates, so relative schedules must scale each one separately. */
const LRS = [0.1, 0.03];
/** Steps run from the start through the scheduler; longer schedules are probed instead. */
const STEP_CAP = 2500;
/** Native schedulers cannot start mid-run, so they are stepped through up to this total. */
const NATIVE_FULL_CAP = 60_000;
const PROBE_COUNT = 5;
const CLOSED_TOL = 1e-12;
const NATIVE_TOL = 1e-9;

const corpus = loadCorpus();

interface CasePlan {
  schedule: CorpusSchedule;
  steps: number;
  resumeAt: number;
  probes: number[];
  points: number[];
  native?: { text: string; steps: number; resumeAt: number };
}

interface CaseResult {
  id: string;
  stepped: number[][];
  /** Per step, per group, the hyperparameters the optimizer held (for schedules that set them). */
  stepped_hyper: Record<string, number>[][] | null;
  resumed: number[][];
  probes: { start: number; rates: number[][] }[];
  lr_at: number[][];
  native_stepped?: number[][];
  native_resumed?: number[][];
}

const plans: CasePlan[] = corpus.map((schedule, n) => {
  const ir = schedule.ir;
  const steps = Math.min(ir.total + 3, STEP_CAP);
  // Boundaries the stepped run does not reach are visited by starting just before them.
  const probes = boundaries(ir)
    .filter((b) => b + 3 > steps)
    .map((b) => Math.max(1, b - 2));
  const native = emit("pytorch-native", ir, { source: schedule.file, text: schedule.text });
  const plan: CasePlan = { schedule, steps, resumeAt: Math.floor(steps / 2), probes, points: samplePoints(ir, 1000 + n) };
  if (!native.diagnostics.some((d) => d.severity === "error")) {
    const nativeSteps = ir.total <= NATIVE_FULL_CAP ? ir.total + 3 : STEP_CAP;
    plan.native = { text: native.text, steps: nativeSteps, resumeAt: Math.floor(nativeSteps / 2) };
  }
  return plan;
});

let dir = "";
type Outcome = DriverOutcome<CaseResult>;
/** Per interpreter (torch 1.13 and 2.x), what the driver reported. */
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-torch-"));
  const cases = plans.map((p, n) => {
    const module = join(dir, `case_${n}.py`);
    writeFileSync(module, emit("pytorch", p.schedule.ir, { source: p.schedule.file, text: p.schedule.text }).text);
    let native: string | undefined;
    if (p.native) {
      native = join(dir, `native_${n}.py`);
      writeFileSync(native, p.native.text);
    }
    return {
      id: p.schedule.id,
      module,
      relative: p.schedule.ir.relative,
      lrs: LRS,
      steps: p.steps,
      resume_at: p.resumeAt,
      probes: p.probes,
      probe_count: PROBE_COUNT,
      points: p.points,
      native,
      native_steps: p.native?.steps,
      native_resume_at: p.native?.resumeAt,
      hyper: p.schedule.ir.params !== undefined,
      optimizer: p.schedule.ir.params?.beta2 ? "adamw" : "sgd",
    };
  });
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  for (const [label, outcome] of await runDriverEverywhere<CaseResult>(join(import.meta.dirname, "torch_driver.py"), casesPath, "torch driver")) outcomes.set(label, outcome);
}, 360_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The torch results for a case, or a skip (or failure, when torch is required). */
function resultFor(py: Interpreter, id: string, skip: () => void): CaseResult {
  return driverResult(outcomes, py, id, skip);
}

for (const py of interpreters) {
  describe(`pytorch (closed form) on real torch, ${py.label}`, () => {
    test("the corpus has at least 25 schedules", () => {
      expect(corpus.length).toBeGreaterThanOrEqual(25);
    });

    test.for(plans)("$schedule.id", (plan, ctx) => {
      const r = resultFor(py, plan.schedule.id, () => ctx.skip());
      const ir = plan.schedule.ir;
      const ms: Mismatch[] = [];
      LRS.forEach((lr, g) => {
        const ev = evaluatorFor(ir, lr);
        const expected = (t: number) => ev.lrAt(t);
        compareValues(`stepped group ${g}`, range(0, plan.steps), r.stepped[g]!, expected, CLOSED_TOL, ms);
        // A resumed run must not merely be close: it must repeat the uninterrupted run bit for bit.
        compareValues(`resumed group ${g}`, range(plan.resumeAt, plan.steps), r.resumed[g]!, (t) => r.stepped[g]![t]!, 0, ms);
        for (const p of r.probes) {
          compareValues(`last_epoch probe group ${g}`, range(p.start, p.start + PROBE_COUNT), p.rates[g]!, expected, CLOSED_TOL, ms);
        }
        const lrAtRow = ir.relative ? r.lr_at[g]! : r.lr_at[0]!;
        compareValues(`lr_at group ${g}`, plan.points, lrAtRow, expected, CLOSED_TOL, ms);
      });
      for (const name of HYPER_PARAMS) {
      const pe = createParamEvaluator(ir, name);
      if (!pe) continue;
      LRS.forEach((_, g) => {
        const got = r.stepped_hyper!.map((row) => row[g]![name]!);
        compareValues(`stepped ${name} group ${g}`, range(0, plan.steps), got, (t) => pe.lrAt(t), CLOSED_TOL, ms);
      });
    }
    expect(r.probes.map((p) => p.start)).toEqual(plan.probes);
      if (ms.length > 0) expect.fail(`${plan.schedule.id}: ${describeMismatches(ms)}`);
    });
  });

  describe(`pytorch --native on real torch, ${py.label}`, () => {
    const mapped = plans.filter((p) => p.native !== undefined);

    test("the corpus covers every built-in the native target composes", () => {
      const all = mapped.map((p) => p.native!.text).join("\n");
      for (const cls of [
        "SequentialLR",
        "LinearLR",
        "CosineAnnealingLR",
        "CosineAnnealingWarmRestarts",
        "StepLR",
        "MultiStepLR",
        "ExponentialLR",
        "PolynomialLR",
        "ConstantLR",
      ]) {
        expect(all, cls).toContain(`lr_scheduler.${cls}(`);
      }
    });

    test("the PyTorch docs seed is LinearLR(start_factor=0.01) then CosineAnnealingLR in a SequentialLR", () => {
      for (const id of ["pytorch-docs-seed.anneal", "pytorch-docs-seed-relative.anneal"]) {
        const text = mapped.find((p) => p.schedule.id === id)?.native?.text ?? "";
        expect(text).toContain("lr_scheduler.LinearLR(optimizer, start_factor=0.01, end_factor=1.0, total_iters=400)");
        // The cosine runs to the total, which `build_scheduler(optimizer, total=...)` may set.
        expect(text).toMatch(/lr_scheduler\.CosineAnnealingLR\(optimizer, T_max=int\(\((k\d+) - 400\.0\)\), eta_min=0\.000001\)/);
        expect(text).toMatch(/lr_scheduler\.SequentialLR\(optimizer, schedulers=schedulers, milestones=\[400, int\(k\d+\)\]\)/);
      }
    });

    test.for(mapped)("$schedule.id", (plan, ctx) => {
      const r = resultFor(py, plan.schedule.id, () => ctx.skip());
      const native = plan.native!;
      const ms: Mismatch[] = [];
      LRS.forEach((lr, g) => {
        const ev = evaluatorFor(plan.schedule.ir, lr);
        compareValues(`native group ${g}`, range(0, native.steps), r.native_stepped![g]!, (t) => ev.lrAt(t), NATIVE_TOL, ms);
        const tail = (t: number) => r.native_stepped![g]![t]!;
        compareValues(`native resumed group ${g}`, range(native.resumeAt, native.steps), r.native_resumed![g]!, tail, 0, ms);
      });
      if (ms.length > 0) expect.fail(`${plan.schedule.id} (--native): ${describeMismatches(ms)}`);
    });
  });
}
