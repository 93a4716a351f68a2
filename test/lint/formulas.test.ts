// Hugging Face and timm schedules imported by `anneal import`, against the formulas the
// libraries publish for them (transformers/optimization.py: the lr_lambda of each
// get_*_schedule_with_warmup, times the optimizer's rate; timm/scheduler/cosine_lr.py:
// CosineLRScheduler._get_lr). Neither library is a test dependency, so the formulas are
// written out here from that source.

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

describe("timm's CosineLRScheduler against its formula", () => {
  const timm = (args: string, loop: string) => `import torch
from timm.scheduler import CosineLRScheduler

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=${LR})
lr_scheduler = CosineLRScheduler(optimizer, ${args})
${loop}
`;
  const perEpoch = "for epoch in range(60):\n    train_one_epoch()\n    lr_scheduler.step(epoch + 1)";

  test.for([
    { name: "warmup as a prefix", args: "t_initial=40, lr_min=1e-5, warmup_t=5, warmup_lr_init=1e-6, warmup_prefix=True", W: 5, init: 1e-6, T: 40, min: 1e-5 },
    { name: "no warmup", args: "t_initial=50, lr_min=2e-5", W: 0, init: 0, T: 50, min: 2e-5 },
  ])("$name", (c) => {
    const r = importPython(timm(c.args, perEpoch), { file: "train.py" });
    expect(r.diagnostics).toEqual([]);
    const compiled = compile(r.specs[0]!.text);
    const s = compiled.schedules[0]!;
    expect(s.ir!.clock).toBe("epochs");
    const ev = createEvaluator(s.ir!, LR);
    for (let t = 0; t < 60; t++) {
      let want: number;
      if (t < c.W) want = c.init + t * ((LR - c.init) / c.W);
      else {
        const u = t - c.W;
        const i = Math.floor(u / c.T);
        want = i < 1 ? c.min + 0.5 * (LR - c.min) * (1 + Math.cos((Math.PI * (u - c.T * i)) / c.T)) : c.min;
      }
      expect(Math.abs(ev.lrAt(t) - want), `epoch ${t}`).toBeLessThanOrEqual(1e-9 * want);
    }
  });

  test("a warmup that is not a prefix has no exact spec", () => {
    const r = importPython(timm("t_initial=40, warmup_t=5", perEpoch), { file: "train.py" });
    expect(r.specs).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["A520"]);
  });
});

describe("the names of imported schedules", () => {
  test("a variable named like a reserved word of the language is named after its line instead", () => {
    const text = `import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR

optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
cosine = CosineAnnealingLR(optimizer, T_max=100)
decay_sched = StepLR(optimizer, step_size=30)
for step in range(100):
    optimizer.step()
    cosine.step()
    decay_sched.step()
`;
    const r = importPython(text, { file: "train.py" });
    expect(r.specs.map((s) => s.name)).toEqual(["line5", "decay_sched"]);
    for (const s of r.specs) expect(compile(s.text).hasErrors).toBe(false);
  });
});
