// `anneal import` of Hugging Face schedules, against the real library: each training script
// below is imported, its spec compiled and evaluated, and the same constructor call is
// stepped by transformers (a LambdaLR stepped once per optimizer step) in Python. The rates
// must agree at every step, and past the end where transformers holds a value. Its cosines
// (with or without a floor) do not hold: `0.5 * (1 + cos(pi * progress))` is not clamped, so past
// `num_training_steps` the rate climbs again, which is a stepping mistake that no spec
// reproduces (the imported spec holds the end value); that case stops at the end.
//
// timm's schedules are held to their published formulas in test/lint/formulas.test.ts: timm
// needs torchvision, whose wheels on this machine's index do not load with the CPU torch.
//
// transformers installs from the machine's Python index for the `python3` on PATH; without it
// these tests skip with a banner, unless ANNEAL_REQUIRE_TRANSFORMERS=1 (CI) makes that fatal.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile, createEvaluator } from "@anneal/compiler";
import { importPython } from "../../packages/compiler/src/python/index.js";
import { frameworksPython, missingBanner, runPython } from "./python.js";

const LR = 1e-3;

interface Case {
  id: string;
  library: "transformers";
  call: string;
  /** Steps recorded from 0. */
  ticks: number;
}

const CASES: Case[] = [
  { id: "linear", library: "transformers", call: "get_linear_schedule_with_warmup(optimizer, 100, 1000)", ticks: 1010 },
  { id: "cosine", library: "transformers", call: "get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=50, num_training_steps=500)", ticks: 500 },
  { id: "linear by name", library: "transformers", call: 'get_scheduler("linear", optimizer, num_warmup_steps=10, num_training_steps=100)', ticks: 110 },
  { id: "polynomial", library: "transformers", call: "get_polynomial_decay_schedule_with_warmup(optimizer, 10, 200, lr_end=1e-5, power=2.0)", ticks: 210 },
  { id: "constant with warmup", library: "transformers", call: "get_constant_schedule_with_warmup(optimizer, num_warmup_steps=20)", ticks: 300 },
  { id: "inverse sqrt", library: "transformers", call: "get_inverse_sqrt_schedule(optimizer, num_warmup_steps=100)", ticks: 300 },
  { id: "inverse sqrt, own timescale", library: "transformers", call: "get_inverse_sqrt_schedule(optimizer, num_warmup_steps=100, timescale=50)", ticks: 300 },
  { id: "inverse sqrt by name ignores specific kwargs", library: "transformers", call: 'get_scheduler("inverse_sqrt", optimizer, num_warmup_steps=40, scheduler_specific_kwargs={"timescale": 7})', ticks: 200 },
  { id: "cosine with min_lr_rate", library: "transformers", call: "get_cosine_with_min_lr_schedule_with_warmup(optimizer, 30, 300, min_lr_rate=0.1)", ticks: 300 },
  { id: "cosine with min_lr", library: "transformers", call: "get_cosine_with_min_lr_schedule_with_warmup(optimizer, 30, 300, min_lr=2.5e-5)", ticks: 300 },
  { id: "cosine with min_lr by name", library: "transformers", call: 'get_scheduler("cosine_with_min_lr", optimizer, num_warmup_steps=12, num_training_steps=120, scheduler_specific_kwargs={"min_lr_rate": 0.05})', ticks: 120 },
  { id: "hard restarts, 3 cycles", library: "transformers", call: "get_cosine_with_hard_restarts_schedule_with_warmup(optimizer, 10, 310, num_cycles=3)", ticks: 320 },
  { id: "hard restarts by name, 7 cycles", library: "transformers", call: 'get_scheduler("cosine_with_restarts", optimizer, num_warmup_steps=0, num_training_steps=700, scheduler_specific_kwargs={"num_cycles": 7})', ticks: 710 },
  { id: "wsd", library: "transformers", call: "get_wsd_schedule(optimizer, num_warmup_steps=20, num_decay_steps=50, num_training_steps=300)", ticks: 320 },
  { id: "wsd, stable steps and a floor", library: "transformers", call: 'get_wsd_schedule(optimizer, 10, 40, num_stable_steps=100, warmup_type="cosine", decay_type="1-sqrt", min_lr_ratio=0.1)', ticks: 170 },
  { id: "wsd, linear, no warmup", library: "transformers", call: 'get_wsd_schedule(optimizer, 0, 30, 90, decay_type="linear", min_lr_ratio=0.25)', ticks: 100 },
  { id: "wsd by name", library: "transformers", call: 'get_scheduler("warmup_stable_decay", optimizer, num_warmup_steps=10, num_training_steps=100, scheduler_specific_kwargs={"num_decay_steps": 30, "min_lr_ratio": 0.01})', ticks: 110 },
];

/** The training script a user would import, stepping per batch. */
function script(c: Case): string {
  return `import torch
from transformers import get_scheduler, get_linear_schedule_with_warmup, get_cosine_schedule_with_warmup
from transformers import get_polynomial_decay_schedule_with_warmup, get_constant_schedule_with_warmup, get_inverse_sqrt_schedule
from transformers import get_cosine_with_min_lr_schedule_with_warmup, get_wsd_schedule, get_cosine_with_hard_restarts_schedule_with_warmup

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=${LR})
scheduler = ${c.call}
for step in range(${c.ticks}):
    model(torch.randn(2, 4)).sum().backward()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
`;
}

const required = process.env.ANNEAL_REQUIRE_TRANSFORMERS === "1";
let dir = "";
let outcome: { versions: Record<string, string>; missing: Record<string, string>; results: Record<string, number[]> } | { failed: string } = { failed: "not run" };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-imports-"));
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases: CASES.map((c) => ({ ...c, lr: LR })) }));
  const r = await runPython([join(import.meta.dirname, "imports_driver.py"), casesPath], undefined, frameworksPython);
  if (r.spawnError !== undefined) outcome = { failed: `cannot start ${frameworksPython}: ${r.spawnError}` };
  else if (r.code !== 0) throw new Error(`the imports driver failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  else outcome = JSON.parse(r.stdout) as typeof outcome;
  const missing = "failed" in outcome ? { python: outcome.failed } : outcome.missing;
  for (const [library, reason] of Object.entries(missing)) {
    console.warn(
      missingBanner(library, reason, { label: library, path: frameworksPython, required }, {
        require: "ANNEAL_REQUIRE_TRANSFORMERS",
        how: `Install it for ${frameworksPython} (python3 -m pip install --retries 0 transformers accelerate); ANNEAL_REQUIRE_TRANSFORMERS=1 makes this fatal.`,
      }),
    );
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function ratesOf(c: Case, skip: () => void): number[] {
  const rates = "failed" in outcome ? undefined : outcome.results[c.id];
  if (rates) return rates;
  const why = "failed" in outcome ? outcome.failed : outcome.missing[c.library] ?? `no result for ${c.id}`;
  if (required) throw new Error(`${c.library} is required but unavailable: ${why}`);
  skip();
  throw new Error("unreachable: skipped");
}

describe("imported specs against the libraries they were imported from", () => {
  test.for(CASES)("$library: $id", (c, ctx) => {
    const theirs = ratesOf(c, () => ctx.skip());
    const imported = importPython(script(c), { file: "train.py" });
    expect(imported.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(imported.specs).toHaveLength(1);
    const compiled = compile(imported.specs[0]!.text);
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const ev = createEvaluator(compiled.schedules[0]!.ir!, LR);
    expect(theirs).toHaveLength(c.ticks);
    for (const [t, want] of theirs.entries()) {
      const got = ev.lrAt(t);
      expect(Math.abs(got - want), `tick ${t}: anneal ${got}, ${c.library} ${want}`).toBeLessThanOrEqual(1e-12 * LR);
    }
  });
});
