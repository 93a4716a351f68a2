// `anneal import` against real torch: every corpus script marked `# runs: torch` is run
// for real (one Python process per interpreter), its schedulers' rates recorded before
// each step the script makes, and each imported spec evaluated by the compiler at the
// same ticks, with the script's own loader length as steps_per_epoch. Relative error
// <= 1e-9, since torch's recursive schedulers drift. The momentum the optimizer steps with
// (SGD's `momentum`, or the first beta) is recorded too: it must follow the spec's
// `momentum:` chain where the spec has one (OneCycleLR, CyclicLR), and stay as it started
// where the spec has none. Runs on torch 1.13 (ANNEAL_PYTHON,
// else /usr/bin/python3) and on a second interpreter (ANNEAL_PYTHON_TORCH2, else the
// `python3` on PATH) when it has torch.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile } from "../../packages/compiler/src/compile.js";
import { createParamEvaluator } from "../../packages/compiler/src/evaluate.js";
import { type ImportedSpec, importPython } from "../../packages/compiler/src/python/index.js";
import { compareValues, describeMismatches, evaluatorFor, type Mismatch, range } from "../conformance/corpus.js";
import { missingBanner, pythonPath, runPython, torchRequired } from "../conformance/python.js";
import { loadLintCorpus } from "./corpus.js";

const TOLERANCE = 1e-9;
/** Below this share of the base rate, a difference is rounding around zero, not a disagreement. */
const NOISE = 1e-15;

interface Plan {
  file: string;
  path: string;
  specs: (ImportedSpec & { lastLine: number })[];
}

const plans: Plan[] = loadLintCorpus()
  .filter((c) => c.runs)
  .map((c) => {
    const r = importPython(c.text, { file: c.file });
    const lines = c.text.split("\n");
    return {
      file: c.file,
      path: c.path,
      specs: r.specs.map((s) => {
        // The construction may span lines; it ends at the first line whose brackets balance.
        let depth = 0;
        let last = s.line;
        for (let i = s.line - 1; i < lines.length; i++) {
          for (const ch of lines[i]!.replace(/#.*$/, "")) depth += ch === "(" || ch === "[" ? 1 : ch === ")" || ch === "]" ? -1 : 0;
          last = i + 1;
          if (depth <= 0) break;
        }
        return { ...s, lastLine: last };
      }),
    };
  })
  .filter((p) => p.specs.length > 0);

interface SpecRun {
  lrs: number[][];
  /** The momentum of each group at each tick; null for an optimizer without one. */
  momenta: (number | null)[][];
  base: number[];
  steps_per_epoch: number | null;
}

type Outcome = { ok: true; version: string; results: Map<string, (SpecRun | null)[]> } | { ok: false; reason: string };

const interpreters = [...new Set([pythonPath, process.env.ANNEAL_PYTHON_TORCH2 ?? "python3"])];
const outcomes = new Map<string, Outcome>();
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-lint-torch-"));
  const cases = plans.map((p) => ({ path: p.path, specs: p.specs.map((s) => ({ first: s.line, last: s.lastLine, steps_per_epoch: s.stepsPerEpoch ?? null })) }));
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  for (const py of interpreters) {
    const r = await runPython([join(import.meta.dirname, "torch_import_driver.py"), casesPath], undefined, py);
    let outcome: Outcome;
    if (r.spawnError !== undefined) outcome = { ok: false, reason: `cannot start ${py}: ${r.spawnError}` };
    else if (r.code === 3) outcome = { ok: false, reason: (JSON.parse(r.stdout) as { error: string }).error };
    else if (r.code !== 0) throw new Error(`the torch driver failed under ${py} (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
    else {
      const parsed = JSON.parse(r.stdout) as { torch: string; results: { path: string; specs: (SpecRun | null)[] }[] };
      outcome = { ok: true, version: parsed.torch, results: new Map(parsed.results.map((x) => [x.path, x.specs])) };
    }
    if (!outcome.ok) console.warn(missingBanner(`PyTorch (${py})`, outcome.reason));
    outcomes.set(py, outcome);
  }
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("anneal import on real torch", () => {
  test("at least 15 runnable scripts import, covering the torch schedulers the importer writes", () => {
    expect(plans.length).toBeGreaterThanOrEqual(15);
    const classes = new Set(plans.flatMap((p) => p.specs.map((s) => s.cls)));
    for (const c of ["CosineAnnealingLR", "SequentialLR", "StepLR", "MultiStepLR", "ExponentialLR", "LambdaLR", "CosineAnnealingWarmRestarts", "PolynomialLR", "OneCycleLR", "CyclicLR"]) expect(classes, c).toContain(c);
    // Both momentum-cycling schedulers are among them with their momentum chain.
    for (const c of ["OneCycleLR", "CyclicLR"]) expect(plans.some((p) => p.specs.some((s) => s.cls === c && /\n {2}momentum: /.test(s.text))), c).toBe(true);
  });

  for (const py of interpreters) {
    describe(py, () => {
      test.for(plans)("$file", (plan, ctx) => {
        const outcome = outcomes.get(py)!;
        if (!outcome.ok) {
          if (torchRequired && py === pythonPath) throw new Error(`PyTorch is required (ANNEAL_REQUIRE_TORCH=1) but unavailable: ${outcome.reason}`);
          ctx.skip();
          return;
        }
        const runs = outcome.results.get(plan.path)!;
        const ms: Mismatch[] = [];
        plan.specs.forEach((spec, i) => {
          const run = runs[i];
          expect(run, `${plan.file}:${spec.line}: the script never constructed this scheduler`).toBeTruthy();
          const overrides = run!.steps_per_epoch !== null ? { stepsPerEpoch: run!.steps_per_epoch } : {};
          const compiled = compile(spec.text, { overrides });
          expect(compiled.hasErrors, compiled.diagnostics.map((d) => d.message).join("\n")).toBe(false);
          const ir = compiled.schedules[0]!.ir!;
          // The ticks the spec defines, 0 to total - 1: the rates training ran at. Torch keeps
          // going past them (a cosine rises again, which A509 reports), the spec holds.
          const n = Math.min(run!.lrs.length, ir.total);
          expect(n, `${plan.file}:${spec.line}: stepped ${run!.lrs.length - 1} times`).toBeGreaterThan(1);
          run!.base.forEach((base, g) => {
            const ev = evaluatorFor(ir, base);
            const got: Mismatch[] = [];
            compareValues(`${plan.file}:${spec.line} group ${g}`, range(0, n), run!.lrs.slice(0, n).map((x) => x[g]!), (t) => ev.lrAt(t), TOLERANCE, got);
            ms.push(...got.filter((m) => Math.abs(m.got - m.expected) > NOISE * base));
            const momenta = run!.momenta.slice(0, n).map((x) => x[g]!);
            const mev = createParamEvaluator(ir, "momentum");
            if (mev) {
              expect(momenta.every((m) => m !== null), `${plan.file}:${spec.line}: the spec cycles a momentum the optimizer does not have`).toBe(true);
              compareValues(`${plan.file}:${spec.line} group ${g} momentum`, range(0, n), momenta as number[], (t) => mev.lrAt(t), TOLERANCE, ms);
            } else {
              const moved = momenta.findIndex((m) => m !== momenta[0]);
              expect(moved, `${plan.file}:${spec.line} group ${g}: torch changed the momentum at tick ${moved} (${momenta[moved]}) but the spec has no momentum chain`).toBe(-1);
            }
          });
        });
        if (ms.length > 0) expect.fail(`${plan.file} on torch ${outcome.version}: ${describeMismatches(ms)}`);
      });
    });
  }
});
