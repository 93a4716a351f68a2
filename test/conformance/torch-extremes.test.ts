// Schedules at the edges of the double range, run through the emitted PyTorch module on real
// torch 1.13 and 2.x: exponentials whose ratio of ends overflows or underflows (computed in
// log space), decays by factors that run down through the denormals to 0, rates near 1e±300
// in every shape, and totals up to 2^53 - 1. Each is stepped with a real optimizer, resumed
// from its state dicts, probed with `last_epoch` and read with `lr_at`, as the conformance
// corpus is (torch.test.ts, whose driver this reuses), and must equal the evaluator within
// the closed form's tolerance and hold only finite rates.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, emit, type ScheduleIR } from "@anneal/compiler";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { boundaries, compareValues, describeMismatches, evaluatorFor, type Mismatch, range, samplePoints } from "./corpus.js";
import { driverResult, type DriverOutcome, interpreters, missingBanner, runPython, type Interpreter } from "./python.js";

/** Each file checks clean: extreme, but valid. */
const FILES: Record<string, string> = {
  // b / a = 1e600 overflows: the log-space form.
  "exp-ratio-overflow": "lr 1\ntotal 300\nexp 200 from 1e-300 to 1e300 -> cosine to 1e-307",
  // b / a = 1e-600 underflows to 0: the log-space form again, falling.
  "exp-ratio-underflow": "lr 1e300\ntotal 240\nwarmup 40 exp from 2.2250738585072014e-308 -> exp to 1e-300",
  // 0.5 ** u reaches the denormals after 1022 steps and 0 after 1075.
  "gamma-to-denormals": "lr 1\ntotal 1200\nexp gamma 0.5",
  // Relative: a factor of 1e-300 per step decays a base rate of 0.1 to 1e-301, then 0.
  "step-tiny-factor-relative": "total 400\nwarmup 50 exp from 1e-300% -> step 300 by 1e-300 every 100 -> linear to 0",
  "poly-extreme-powers": "lr 1e300\ntotal 300\npoly 100 power 1e-300 to 1e-300 -> poly 100 power 1e300 from 1 to 1e-307 -> sqrt to 0",
  "restarts-tiny-decay": "lr 1e-300\ntotal 500\ncosine to 1e-307 restart every 40 x 2 decay 1e-5",
  "onecycle-extremes": "lr 1e300\ntotal 400\nonecycle 300 from 1e-300 via 1e300 to 1e-307 -> rex from 1e300 to 0 over 2k",
  "cyclic-and-table": "lr 1\ntotal 600\ncyclic 300 from 1e-300 to 1e300 every 60 gamma 0.5 -> table cosine { 0: 1e-300, 100: 1e300, 200: 2.2250738585072014e-308 }",
  // 2^53 - 1 ticks: the offsets and lengths near the largest exact count.
  "largest-total": "lr 1e-300\ntotal 9007199254740991\nwarmup 4503599627370495 exp from 1e-307 -> rsqrt 4503599627370000 timescale 1 -> constant",
};

const LRS = [0.1, 0.03];
const STEP_CAP = 1500;
const PROBE_COUNT = 5;
const CLOSED_TOL = 1e-12;

interface Plan {
  id: string;
  ir: ScheduleIR;
  steps: number;
  resumeAt: number;
  probes: number[];
  points: number[];
}

const plans: Plan[] = Object.entries(FILES).map(([id, text], n) => {
  const r = compile(text);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !r.schedules[0]?.ir) throw new Error(`${id} does not check clean: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const ir = r.schedules[0].ir;
  const steps = Math.min(ir.total + 3, STEP_CAP);
  const probes = boundaries(ir)
    .filter((b) => b + 3 > steps)
    .map((b) => Math.max(1, b - 2));
  return { id, ir, steps, resumeAt: Math.floor(steps / 2), probes, points: samplePoints(ir, 7000 + n) };
});

interface CaseResult {
  id: string;
  stepped: number[][];
  resumed: number[][];
  probes: { start: number; rates: number[][] }[];
  lr_at: number[][];
}

type Outcome = DriverOutcome<CaseResult>;
const outcomes = new Map<string, Outcome>();
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-torch-extremes-"));
  const cases = plans.map((p, n) => {
    const module = join(dir, `case_${n}.py`);
    writeFileSync(module, emit("pytorch", p.ir, { source: `${p.id}.anneal`, text: FILES[p.id] }).text);
    return { id: p.id, module, relative: p.ir.relative, lrs: LRS, steps: p.steps, resume_at: p.resumeAt, probes: p.probes, probe_count: PROBE_COUNT, points: p.points };
  });
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  // Both interpreters at once: importing torch is most of the time.
  const runs = await Promise.all(interpreters.map((py) => runPython([join(import.meta.dirname, "torch_driver.py"), casesPath], undefined, py.path)));
  for (const [i, py] of interpreters.entries()) {
    const r = runs[i]!;
    let outcome: Outcome;
    if (r.spawnError !== undefined) outcome = { ok: false, reason: `cannot start Python: ${r.spawnError}` };
    else if (r.code === 3) outcome = { ok: false, reason: (JSON.parse(r.stdout) as { error: string }).error };
    else if (r.code !== 0) throw new Error(`the torch driver failed under ${py.label} (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
    else {
      // A non-finite rate comes back as `NaN` or `Infinity`, which JSON.parse refuses: that
      // too is a failure, and the message shows where.
      let parsed: { results: CaseResult[] };
      try {
        parsed = JSON.parse(r.stdout) as { results: CaseResult[] };
      } catch (e) {
        throw new Error(`torch under ${py.label} reported a non-finite rate: ${(e as Error).message}\n${/.{0,200}(NaN|Infinity).{0,50}/.exec(r.stdout)?.[0] ?? ""}`);
      }
      outcome = { ok: true, results: new Map(parsed.results.map((x) => [x.id, x])) };
    }
    outcomes.set(py.label, outcome);
    if (!outcome.ok) console.warn(missingBanner(`PyTorch (${py.label})`, outcome.reason, py));
  }
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The torch results for a case, or a skip (or failure, when torch is required). */
function resultFor(py: Interpreter, id: string, skip: () => void): CaseResult {
  return driverResult(outcomes, py, id, skip);
}

test("the files reach the log-space exponential, the denormals and the largest total", () => {
  const shapes = plans.flatMap((p) => p.ir.segments.map((s) => s.shape));
  expect(shapes.filter((s) => s.kind === "exp" && s.logSpace).length).toBeGreaterThanOrEqual(2);
  expect(plans.some((p) => p.ir.total === 2 ** 53 - 1)).toBe(true);
  const gamma = plans.find((p) => p.id === "gamma-to-denormals")!;
  const ev = evaluatorFor(gamma.ir, 1);
  // 0.5 ** 1074 is the smallest denormal, 2^-1074; 0.5 ** 1075 rounds to 0.
  expect(ev.lrAt(1074)).toBe(5e-324);
  expect(ev.lrAt(1075)).toBe(0);
});

for (const py of interpreters) {
  describe(`extreme values on real torch, ${py.label}`, () => {
    test.for(plans)("$id", (plan, ctx) => {
      const r = resultFor(py, plan.id, () => ctx.skip());
      const ms: Mismatch[] = [];
      LRS.forEach((lr, g) => {
        const ev = evaluatorFor(plan.ir, lr);
        const expected = (t: number) => ev.lrAt(t);
        compareValues(`stepped group ${g}`, range(0, plan.steps), r.stepped[g]!, expected, CLOSED_TOL, ms);
        compareValues(`resumed group ${g}`, range(plan.resumeAt, plan.steps), r.resumed[g]!, (t) => r.stepped[g]![t]!, 0, ms);
        for (const p of r.probes) compareValues(`last_epoch probe group ${g}`, range(p.start, p.start + PROBE_COUNT), p.rates[g]!, expected, CLOSED_TOL, ms);
        compareValues(`lr_at group ${g}`, plan.points, plan.ir.relative ? r.lr_at[g]! : r.lr_at[0]!, expected, CLOSED_TOL, ms);
      });
      expect(r.probes.map((p) => p.start)).toEqual(plan.probes);
      if (ms.length > 0) expect.fail(`${plan.id}: ${describeMismatches(ms)}`);
    });
  });
}
