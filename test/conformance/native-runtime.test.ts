// Settings bound at run time in the `--native` PyTorch target, on real torch (1.13 and 2.x):
// every corpus schedule the target composes (whose written settings can be overridden), the
// schedules written with `?` settings and 50 generated ones are emitted once, and `build_scheduler(optimizer,
// **settings)` is given drawn values. The reference is the compiler itself, `compile(text,
// { overrides })`, which is what `anneal eval` with the flags reads: where it reports
// errors, building must raise an AnnealError (a ValueError) with one of their codes and
// exactly its message; where it compiles, the composed built-ins must give the evaluator's
// rate at every step within the native target's 1e-9 (its built-ins are recursive), and so
// must a resume across `torch.save`d state dicts, which must not warn. State loaded into a
// scheduler built with other settings warns, naming both.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { nativeRuntime } from "../../packages/compiler/src/emit/pytorch-native.js";
import type { RuntimeKey } from "../../packages/compiler/src/ir.js";
import { runtimeProgram } from "../../packages/compiler/src/check/schedule.js";
import { boundPrograms, compareValues, describeMismatches, evaluatorFor, generatedPrograms, type Mismatch, range, seededRandom, type SettingsPlan, settingsPlans } from "./corpus.js";
import { driverResult, type DriverOutcome, interpreters, runDriverEverywhere } from "./python.js";

const LRS = [0.1, 0.03];
/** The native target's tolerance in torch.test.ts: its built-ins compute each rate from the last. */
const NATIVE_TOL = 1e-9;
const STEP_CAP = 150;
const DRAWS = 3;
/** Past-end guards are stepped for totals up to this many ticks. */
const PAST_END_CAP = 200;

/** The programs `--native` composes: a schedule that sets hyperparameters is refused (A403). */
const GENERATED = 50;
// Each program with the run-time program as `--native` takes it: a setting that moves a step
// decay's own parameters is not a keyword there (nativeRuntime), so it is not drawn.
const programs = [...boundPrograms(), ...generatedPrograms(seededRandom(1314), GENERATED)]
  .filter((p) => !emit("pytorch-native", p.ir, { text: p.text }).diagnostics.some((d) => d.severity === "error"))
  .map((p) => ({ ...p, ir: { ...p.ir, runtime: nativeRuntime(p.ir) } }));
const plans: (SettingsPlan & { steps: number; resumeAt: number; other?: Partial<Record<RuntimeKey, number>> })[] = settingsPlans(programs, seededRandom(1313), DRAWS).map((p) => {
  const steps = p.ir ? Math.min(p.ir.total + 3, STEP_CAP) : 0;
  const totalTakes = runtimeProgram(p.program.ir)?.settings.some((s) => s.key === "total" && !s.refused) ?? false;
  // The resume is taken before twice the total, where loading a count past it would warn (the past-end guard).
  return { ...p, steps, resumeAt: p.ir ? Math.min(Math.floor(steps / 2), 2 * p.ir.total - 1) : Math.floor(steps / 2), ...(p.ir && totalTakes ? { other: { ...p.kwargs, total: p.ir.total + 7 } } : {}) };
});

interface CaseResult {
  id: string;
  error: { type: string; code: string | null; text: string; is_value_error: boolean } | null;
  stepped?: number[][];
  resumed?: number[][];
  resume_warnings?: string[];
  other_warnings?: [string, string][];
  past_end_warnings?: [string, string][];
  past_end_silenced?: [string, string][];
}

const outcomes = new Map<string, DriverOutcome<CaseResult>>();
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-native-runtime-"));
  const paths = new Map<string, string>();
  for (const [n, p] of programs.entries()) {
    const r = emit("pytorch-native", p.ir, { text: p.text });
    expect(r.diagnostics.filter((d) => d.code === "A405"), `${p.id}: --native takes every setting`).toEqual([]);
    const path = join(dir, `native_${n}.py`);
    writeFileSync(path, r.text);
    paths.set(p.id, path);
  }
  const cases = plans.map((p) => ({
    id: p.id,
    module: paths.get(p.program.id),
    kwargs: p.kwargs,
    lrs: LRS,
    steps: p.steps,
    resume_at: p.resumeAt,
    other_kwargs: p.other ?? null,
    past_end: p.ir !== undefined && p.ir.total <= PAST_END_CAP,
  }));
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  for (const [label, outcome] of await runDriverEverywhere<CaseResult>(join(import.meta.dirname, "native_runtime_driver.py"), casesPath, "native run-time settings driver")) outcomes.set(label, outcome);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const py of interpreters) {
  describe(`pytorch --native with settings bound at run time, ${py.label}`, () => {
    test.for(plans)("$id", (plan, ctx) => {
      const r = driverResult(outcomes, py, plan.id, () => ctx.skip());
      if (plan.errors.length > 0) {
        expect(r.error, "building raises where the compiler reports an error").not.toBeNull();
        expect(r.error!.type).toBe("AnnealError");
        expect(r.error!.is_value_error).toBe(true);
        expect(plan.errors.map((e) => `${e.code}: ${e.message}`)).toContain(r.error!.text);
        return;
      }
      expect(r.error, r.error?.text).toBeNull();
      const ir = plan.ir!;
      const ms: Mismatch[] = [];
      LRS.forEach((lr, g) => {
        const ev = evaluatorFor(ir, lr);
        compareValues(`stepped group ${g}`, range(0, plan.steps), r.stepped![g]!, (t) => ev.lrAt(t), NATIVE_TOL, ms);
        compareValues(`resumed group ${g}`, range(0, plan.steps), r.resumed![g]!, (t) => ev.lrAt(t), NATIVE_TOL, ms);
      });
      expect(ms, describeMismatches(ms)).toEqual([]);
      expect(r.resume_warnings).toEqual([]);
      if (ir.total <= PAST_END_CAP) {
        // Once, as the closed form warns: the count, the total and the clock's likely mistake.
        const w = r.past_end_warnings ?? [];
        expect(w.map(([cls]) => cls)).toEqual(["AnnealWarning"]);
        expect(w[0]![1]).toContain(`scheduler.step() has been called ${2 * ir.total} times, twice this schedule's total of ${ir.total} ${ir.clock}`);
        expect(w[0]![1]).toContain(ir.clock === "epochs" ? "once per epoch, not once per batch" : "if the loop steps once per batch");
        expect(r.past_end_silenced).toEqual([]);
      }
      if (plan.other) {
        expect(r.other_warnings!.length, "other settings warn once").toBe(1);
        expect(r.other_warnings![0]![0]).toBe("AnnealWarning");
        expect(r.other_warnings![0]![1]).toContain("was saved with the settings");
      }
    });
  });
}
