// Hugging Face schedules imported by `anneal import`, against the formulas transformers
// publishes for them (transformers/optimization.py: the lr_lambda of each
// get_*_schedule_with_warmup, times the optimizer's rate). transformers itself is not a
// test dependency, so the formulas are written out here from that source.

import { describe, expect, test } from "vitest";
import { compile } from "../../packages/compiler/src/compile.js";
import { createEvaluator } from "../../packages/compiler/src/evaluate.js";
import { importPython } from "../../packages/compiler/src/python/index.js";

const LR = 1e-3;

const warm = (t: number, w: number) => t / Math.max(1, w);

interface Case {
  name: string;
  call: string;
  /** The multiplier at step t, as transformers defines it. */
  lambda: (t: number) => number;
  steps: number;
}

const CASES: Case[] = [
  {
    name: "linear",
    call: "get_linear_schedule_with_warmup(optimizer, 100, 1000)",
    lambda: (t) => (t < 100 ? warm(t, 100) : Math.max(0, (1000 - t) / Math.max(1, 1000 - 100))),
    steps: 1000,
  },
  {
    name: "cosine",
    call: "get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=50, num_training_steps=500)",
    lambda: (t) => (t < 50 ? warm(t, 50) : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * ((t - 50) / Math.max(1, 450)))))),
    steps: 500,
  },
  {
    name: "cosine_with_restarts by name",
    call: 'get_scheduler("cosine_with_restarts", optimizer, num_warmup_steps=10, num_training_steps=210)',
    lambda: (t) => {
      if (t < 10) return warm(t, 10);
      const p = (t - 10) / Math.max(1, 200);
      return p >= 1 ? 0 : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * ((1 * p) % 1))));
    },
    steps: 210,
  },
  {
    name: "polynomial",
    call: "get_polynomial_decay_schedule_with_warmup(optimizer, 10, 200, lr_end=1e-5, power=2.0)",
    lambda: (t) => {
      if (t < 10) return warm(t, 10);
      if (t > 200) return 1e-5 / LR;
      return ((LR - 1e-5) * (1 - (t - 10) / 190) ** 2 + 1e-5) / LR;
    },
    steps: 200,
  },
  {
    name: "constant with warmup",
    call: "get_constant_schedule_with_warmup(optimizer, num_warmup_steps=20)",
    lambda: (t) => (t < 20 ? warm(t, 20) : 1),
    steps: 300,
  },
  {
    name: "inverse sqrt",
    call: "get_inverse_sqrt_schedule(optimizer, num_warmup_steps=100)",
    lambda: (t) => (t < 100 ? warm(t, 100) : 1 / Math.sqrt((t + 100 - 100) / 100)),
    steps: 300,
  },
];

function script(call: string): string {
  return `import torch
from transformers import get_scheduler, get_linear_schedule_with_warmup, get_cosine_schedule_with_warmup
from transformers import get_polynomial_decay_schedule_with_warmup, get_constant_schedule_with_warmup, get_inverse_sqrt_schedule

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.AdamW(model.parameters(), lr=${LR})
scheduler = ${call}
step = 0
while step < 300:
    model(torch.randn(2, 4)).sum().backward()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    step += 1
`;
}

describe("Hugging Face schedules against transformers' formulas", () => {
  test.for(CASES)("$name", (c) => {
    const r = importPython(script(c.call), { file: "train.py" });
    expect(r.diagnostics).toEqual([]);
    expect(r.specs).toHaveLength(1);
    const compiled = compile(r.specs[0]!.text);
    expect(compiled.hasErrors).toBe(false);
    const ev = createEvaluator(compiled.schedules[0]!.ir!, LR);
    for (let t = 0; t < c.steps; t++) {
      const want = LR * c.lambda(t);
      const got = ev.lrAt(t);
      expect(Math.abs(got - want), `step ${t}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(want), LR * 1e-6));
    }
  });
});
