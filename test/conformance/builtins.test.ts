// Anneal against torch's own built-in schedulers: each case is a spec and the torch
// constructor it stands for, stepped in real torch (1.13 and 2.x). The evaluator, and the
// emitted closed form and `--native` module run in the same torch, must give the rates
// torch's built-in sets at every step: the closed form within 1e-12 relative (torch's
// OneCycleLR and CyclicLR compute each step from its step count, as Anneal does, so only
// rounding separates them), `--native` within 1e-9.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile } from "../../packages/compiler/src/compile.js";
import { createEvaluator, createParamEvaluator } from "../../packages/compiler/src/evaluate.js";
import type { ScheduleIR } from "../../packages/compiler/src/ir.js";
import { interpreters, missingBanner, runPython, type Interpreter } from "./python.js";

interface BuiltinCase {
  id: string;
  /** The spec. */
  source: string;
  /** torch's constructor, with `optimizer` and `lr_scheduler` in scope. */
  construct: string;
  steps: number;
  /** Each group's initial `lr` (one-cycle and cyclic schedulers set their own). */
  lrs?: number[];
  /** True when the spec schedules momentum and torch cycles it: compare that too. */
  momentum?: boolean;
}

export const BUILTIN_CASES: BuiltinCase[] = [
  {
    id: "onecycle-defaults",
    source: "# OneCycleLR(max_lr=0.1, total_steps=1000)\nlr 0.1\ntotal 1000\nonecycle\n",
    construct: "lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)",
    steps: 1000,
  },
  {
    id: "onecycle-linear-up-fractional",
    source: "lr 0.01\ntotal 1001\nonecycle up 25% from 1e-3 to 1e-5 linear\n",
    construct: "lr_scheduler.OneCycleLR(optimizer, max_lr=0.01, total_steps=1001, pct_start=0.25, anneal_strategy='linear', div_factor=10.0, final_div_factor=100.0)",
    steps: 1001,
  },
  {
    id: "onecycle-three-phase",
    source: "lr 0.3\ntotal 777\nonecycle up 37% three phase\n",
    construct: "lr_scheduler.OneCycleLR(optimizer, max_lr=0.3, total_steps=777, pct_start=0.37, three_phase=True)",
    steps: 777,
  },
  {
    id: "onecycle-up-in-steps",
    source: "lr 2e-3\ntotal 500\nonecycle up 100 via 2e-3 from 1e-4\n",
    construct: "lr_scheduler.OneCycleLR(optimizer, max_lr=2e-3, total_steps=500, pct_start=0.2, div_factor=20.0)",
    steps: 500,
  },
  {
    id: "cyclic-triangular2",
    source: "# CyclicLR(base_lr=1e-4, max_lr=1e-2, step_size_up=200, mode=\"triangular2\")\nlr 1e-2\ntotal 2000\ncyclic from 1e-4 every 400 decay 0.5\n",
    construct: "lr_scheduler.CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-2, step_size_up=200, mode='triangular2', cycle_momentum=False)",
    steps: 2000,
  },
  {
    id: "cyclic-triangular-asymmetric",
    source: "lr 6e-3\ntotal 1500\ncyclic from 1e-3 every 400 up 100\n",
    construct: "lr_scheduler.CyclicLR(optimizer, base_lr=1e-3, max_lr=6e-3, step_size_up=100, step_size_down=300, cycle_momentum=False)",
    steps: 1500,
  },
  {
    id: "cyclic-exp-range",
    source: "lr 1e-2\ntotal 1200\ncyclic from 1e-4 every 300 gamma 0.999\n",
    construct: "lr_scheduler.CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-2, step_size_up=150, mode='exp_range', gamma=0.999, cycle_momentum=False)",
    steps: 1200,
  },
  {
    id: "cyclic-after-warmup-odd-cycle",
    source: "lr 1e-2\ntotal 1000\ncyclic from 1e-4 to 5e-3 every 333\n",
    construct: "lr_scheduler.CyclicLR(optimizer, base_lr=1e-4, max_lr=5e-3, step_size_up=166.5, cycle_momentum=False)",
    steps: 1000,
  },
  {
    id: "onecycle-with-momentum",
    source: "# OneCycleLR(max_lr=0.1, total_steps=1000), with its momentum cycle (0.95 -> 0.85 -> 0.95)\nlr 0.1\ntotal 1000\nonecycle\nmomentum: onecycle from 0.95 via 0.85 to 0.95\n",
    construct: "lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)",
    steps: 1000,
    momentum: true,
  },
  {
    id: "onecycle-three-phase-linear-momentum",
    source: "lr 0.05\ntotal 600\nonecycle up 25% linear three phase\nmomentum: onecycle up 25% from 0.9 via 0.8 to 0.9 linear three phase\n",
    construct: "lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, total_steps=600, pct_start=0.25, anneal_strategy='linear', three_phase=True, base_momentum=0.8, max_momentum=0.9)",
    steps: 600,
    momentum: true,
  },
  {
    id: "cyclic-with-momentum",
    source: "lr 1e-2\ntotal 1000\ncyclic from 1e-3 every 200 decay 0.5\nmomentum: cyclic from 0.9 to 0.8 every 200 decay 0.5\n",
    construct: "lr_scheduler.CyclicLR(optimizer, base_lr=1e-3, max_lr=1e-2, step_size_up=100, mode='triangular2', base_momentum=0.8, max_momentum=0.9)",
    steps: 1000,
    momentum: true,
  },
];

const CLOSED_TOL = 1e-12;

function irOf(c: BuiltinCase): ScheduleIR {
  const r = compile(c.source);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${c.id}: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const ir = r.schedules[0]?.ir;
  if (!ir) throw new Error(`${c.id}: no schedule`);
  return ir;
}

interface Result {
  id: string;
  lr: number[][];
  momentum: number[][];
}

const outcomes = new Map<string, { ok: true; version: string; results: Map<string, Result> } | { ok: false; reason: string }>();
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-builtins-"));
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases: BUILTIN_CASES.map((c) => ({ ...c, lrs: c.lrs ?? [0.05] })) }));
  for (const py of interpreters) {
    const r = await runPython([join(import.meta.dirname, "builtins_driver.py"), casesPath], undefined, py.path);
    if (r.spawnError !== undefined) outcomes.set(py.label, { ok: false, reason: `cannot start Python: ${r.spawnError}` });
    else if (r.code === 3) outcomes.set(py.label, { ok: false, reason: (JSON.parse(r.stdout) as { error: string }).error });
    else if (r.code !== 0) throw new Error(`the builtins driver failed under ${py.label} (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
    else {
      const parsed = JSON.parse(r.stdout) as { torch: string; results: Result[] };
      outcomes.set(py.label, { ok: true, version: parsed.torch, results: new Map(parsed.results.map((x) => [x.id, x])) });
    }
    const o = outcomes.get(py.label)!;
    if (!o.ok) console.warn(missingBanner(`PyTorch (${py.label})`, o.reason, py));
  }
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function resultFor(py: Interpreter, id: string, skip: () => void): Result {
  const o = outcomes.get(py.label);
  if (!o || !o.ok) {
    if (py.required) throw new Error(`${py.label} is required but unavailable: ${o && !o.ok ? o.reason : "not run"}`);
    skip();
    throw new Error("unreachable: skipped");
  }
  const r = o.results.get(id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

for (const py of interpreters) {
  describe(`torch built-ins, ${py.label}`, () => {
    test.for(BUILTIN_CASES)("$id: the evaluator sets torch's rate at every step", (c, ctx) => {
      const r = resultFor(py, c.id, () => ctx.skip());
      const ev = createEvaluator(irOf(c));
      let worst = 0;
      let where = -1;
      r.lr.forEach((row, t) => {
        const want = row[0]!;
        const err = Math.abs(ev.lrAt(t) - want) / Math.max(Math.abs(want), 1e-300);
        if (err > worst) [worst, where] = [err, t];
      });
      expect(r.lr.length).toBe(c.steps);
      expect(worst, `step ${where}: ${ev.lrAt(where)} vs torch ${r.lr[where]?.[0]}`).toBeLessThanOrEqual(CLOSED_TOL);
    });

    test.for(BUILTIN_CASES.filter((c) => c.momentum))("$id: the momentum chain sets torch's momentum at every step", (c, ctx) => {
      const r = resultFor(py, c.id, () => ctx.skip());
      const ev = createParamEvaluator(irOf(c), "momentum")!;
      expect(ev).toBeDefined();
      let worst = 0;
      let where = -1;
      r.momentum.forEach((row, t) => {
        const err = Math.abs(ev.lrAt(t) - row[0]!) / Math.abs(row[0]!);
        if (err > worst) [worst, where] = [err, t];
      });
      expect(r.momentum.length).toBe(c.steps);
      expect(worst, `step ${where}: ${ev.lrAt(where)} vs torch ${r.momentum[where]?.[0]}`).toBeLessThanOrEqual(CLOSED_TOL);
    });
  });
}
