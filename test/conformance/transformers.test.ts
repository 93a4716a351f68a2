// The PyTorch target inside a real Hugging Face `Trainer`, as docs/emit.md tells users to
// use it: handed over as `optimizers=(optimizer, build_scheduler(optimizer))`, or built by
// a `create_scheduler` override with the optimizer the Trainer makes. A tiny model trains on
// the CPU with gradient accumulation, and the rate every optimizer update applied is
// recorded. Two schedules take their total from the Trainer when the scheduler is built
// (`total=args.max_steps`, `total=num_training_steps`): one written `total ?`, one whose
// written total the keyword overrides. Two independent references: the evaluator at each update's step, and
// transformers' own `get_linear_schedule_with_warmup` / `get_cosine_schedule_with_warmup`
// run through the same Trainer, whose published formulas are the specs below.
//
// transformers installs from the machine's Python index for the `python3` on PATH; without it
// these tests skip with a banner, unless ANNEAL_REQUIRE_TRANSFORMERS=1 (CI) makes that fatal.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile, createEvaluator, type ScheduleIR } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { frameworksPython, missingBanner, runPython } from "./python.js";

/** The base rate the Trainer is given (`learning_rate`); the specs are relative to it. */
const LEARNING_RATE = 0.05;
const MAX_STEPS = 40;
const WARMUP = 6;

interface Case {
  id: string;
  spec: string;
  /** Keywords for `build_scheduler`; `total` is the Trainer's own count (`max_steps`). */
  settings?: { total: number };
  handover: "optimizers" | "create_scheduler";
  accumulation: number;
  /** transformers' own schedule with the same published formula, run the same way. */
  reference?: "hf_linear" | "hf_cosine";
}

// HF's linear schedule: step / warmup, then (T - step) / (T - warmup); its cosine schedule
// (num_cycles 0.5): 0.5 * (1 + cos(pi * progress)) after the warmup. Both from 0.
const CASES: Case[] = [
  { id: "linear", spec: `total ${MAX_STEPS} steps\nwarmup ${WARMUP} linear -> linear to 0\n`, handover: "optimizers", accumulation: 2, reference: "hf_linear" },
  { id: "cosine", spec: `total ${MAX_STEPS} steps\nwarmup ${WARMUP} linear -> cosine to 0\n`, handover: "create_scheduler", accumulation: 1, reference: "hf_cosine" },
  { id: "steps", spec: `total ${MAX_STEPS} steps\nwarmup 5 linear from 10% -> step by 0.5 every 10\n`, handover: "create_scheduler", accumulation: 3 },
  // The total bound when the scheduler is built, from the Trainer: 15% of 40 is 6 steps of
  // warmup, so transformers' own cosine with 6 warmup steps is the same curve.
  { id: "total at run time", spec: "total ? 1000\nwarmup 15% linear -> cosine to 0\n", settings: { total: MAX_STEPS }, handover: "optimizers", accumulation: 2, reference: "hf_cosine" },
  { id: "total at run time, overriding the file", spec: "total 500 steps\nwarmup 15% linear -> linear to 0\n", settings: { total: MAX_STEPS }, handover: "create_scheduler", accumulation: 1, reference: "hf_linear" },
];

/** The schedule as `anneal eval` sees it with the same settings given as flags. */
function irOf(spec: string, settings?: { total: number }): ScheduleIR {
  const r = compile(spec, settings ? { overrides: { total: settings.total } } : {});
  if (r.hasErrors) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return r.schedules[0]!.ir!;
}

type Rates = [number, number][];
let dir = "";
let outcome: { missing: string } | { version: string; results: Record<string, Rates> } = { missing: "not run" };
const required = process.env.ANNEAL_REQUIRE_TRANSFORMERS === "1";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-transformers-"));
  const cases = CASES.flatMap((c) => {
    const module = join(dir, `${c.id}.py`);
    writeFileSync(module, emit("pytorch", irOf(c.spec), { source: `${c.id}.anneal`, text: c.spec }).text);
    const common = { max_steps: MAX_STEPS, accumulation: c.accumulation, learning_rate: LEARNING_RATE };
    const own = { id: c.id, module, handover: c.handover, settings: c.settings ?? {}, ...common };
    const warmup = c.settings ? Math.round(0.15 * c.settings.total) : WARMUP;
    return c.reference ? [own, { id: `${c.id}:${c.reference}`, reference: c.reference, warmup, ...common }] : [own];
  });
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  const r = await runPython([join(import.meta.dirname, "transformers_driver.py"), casesPath], undefined, frameworksPython);
  if (r.spawnError !== undefined) {
    outcome = { missing: `cannot start ${frameworksPython}: ${r.spawnError}` };
  } else if (r.code !== 0) {
    throw new Error(`the transformers driver failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  } else {
    outcome = JSON.parse(r.stdout) as typeof outcome;
  }
  if ("missing" in outcome) {
    console.warn(
      missingBanner("transformers", outcome.missing, { label: "transformers", path: frameworksPython, required }, {
        require: "ANNEAL_REQUIRE_TRANSFORMERS",
        how: `Install it for ${frameworksPython} (python3 -m pip install --retries 0 transformers); ANNEAL_REQUIRE_TRANSFORMERS=1 makes this fatal.`,
      }),
    );
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function ratesOf(id: string, skip: () => void): Rates {
  if ("missing" in outcome) {
    if (required) throw new Error(`transformers is required but unavailable: ${outcome.missing}`);
    skip();
    throw new Error("unreachable: skipped");
  }
  const rates = outcome.results[id];
  if (!rates) throw new Error(`no result for ${id}`);
  return rates;
}

describe("Hugging Face Trainer", () => {
  for (const c of CASES) {
    test(`${c.id}: every update's rate is the schedule's (${c.handover}, accumulation ${c.accumulation})`, (ctx) => {
      const rates = ratesOf(c.id, () => ctx.skip());
      const ev = createEvaluator(irOf(c.spec, c.settings), LEARNING_RATE);
      // One record per optimizer update, counted by the Trainer's own global step.
      expect(rates.map(([step]) => step)).toEqual([...Array(MAX_STEPS).keys()]);
      for (const [step, lr] of rates) expect(Math.abs(lr - ev.lrAt(step))).toBeLessThanOrEqual(1e-12 * LEARNING_RATE);
    });
    if (c.reference) {
      test(`${c.id}: equals transformers' own ${c.reference === "hf_linear" ? "get_linear_schedule_with_warmup" : "get_cosine_schedule_with_warmup"}`, (ctx) => {
        const ours = ratesOf(c.id, () => ctx.skip());
        const theirs = ratesOf(`${c.id}:${c.reference}`, () => ctx.skip());
        expect(ours.length).toBe(theirs.length);
        for (const [i, [step, lr]] of ours.entries()) {
          expect(step).toBe(theirs[i]![0]);
          expect(Math.abs(lr - theirs[i]![1])).toBeLessThanOrEqual(1e-12 * LEARNING_RATE);
        }
      });
    }
  }
});
