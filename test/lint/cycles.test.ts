// OneCycleLR and CyclicLR imported by `anneal import`, against the formulas torch's
// lr_scheduler.py defines for them (OneCycleLR.get_lr with _annealing_cos and
// _annealing_linear over its phase list; CyclicLR.get_lr with its triangle and scale
// functions), written out here from that source, for argument combinations the real-torch
// test (torch.test.ts) does not run: many pct_start values, every mode, and the
// combinations that have no exact spec, each with its located A520 or A521.

import { describe, expect, test } from "vitest";
import { compile } from "../../packages/compiler/src/compile.js";
import { createEvaluator, createParamEvaluator } from "../../packages/compiler/src/evaluate.js";
import { importPython } from "../../packages/compiler/src/python/index.js";

function script(construction: string, steps = 400): string {
  return `import torch
from torch.optim.lr_scheduler import CyclicLR, LinearLR, OneCycleLR, SequentialLR

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = ${construction}
for step in range(${steps}):
    model(torch.randn(2, 4)).sum().backward()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
`;
}

interface OneCycleArgs {
  L: number;
  pct: number;
  maxLr: number;
  div: number;
  finalDiv: number;
  linear: boolean;
  three: boolean;
}

/** torch's OneCycleLR at step s, for the rate (`lr`) or the momentum cycled against it. */
function oneCycle(s: number, o: OneCycleArgs, what: "lr" | "momentum", momenta = [0.85, 0.95]): number {
  const initial = o.maxLr / o.div;
  const min = initial / o.finalDiv;
  const [base, max] = momenta as [number, number];
  const up = o.pct * o.L - 1;
  const phases: [number, number, number][] =
    what === "lr"
      ? o.three
        ? [[up, initial, o.maxLr], [2 * o.pct * o.L - 2, o.maxLr, initial], [o.L - 1, initial, min]]
        : [[up, initial, o.maxLr], [o.L - 1, o.maxLr, min]]
      : o.three
        ? [[up, max, base], [2 * o.pct * o.L - 2, base, max], [o.L - 1, max, max]]
        : [[up, max, base], [o.L - 1, base, max]];
  let start = 0;
  for (const [i, [end, a, b]] of phases.entries()) {
    if (s <= end || i === phases.length - 1) {
      const p = (s - start) / (end - start);
      return o.linear ? (b - a) * p + a : b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1);
    }
    start = end;
  }
  throw new Error("unreachable");
}

/** torch's CyclicLR at step s: the rate from base to max, or the momentum from max down to base. */
function cyclicAt(s: number, o: { base: number; max: number; up: number; down: number; mode: string; gamma: number }): number {
  const total = o.up + o.down;
  const ratio = o.up / total;
  const cycle = Math.floor(1 + s / total);
  const x = 1 + s / total - cycle;
  const factor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  const scale = o.mode === "triangular" ? 1 : o.mode === "triangular2" ? 1 / 2 ** (cycle - 1) : o.gamma ** s;
  return o.base + (o.max - o.base) * factor * scale;
}

function expectClose(got: number, want: number, where: string): void {
  expect(Math.abs(got - want), `${where}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.abs(want));
}

function imported(construction: string, steps?: number) {
  const r = importPython(script(construction, steps), { file: "train.py" });
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  expect(r.specs).toHaveLength(1);
  const compiled = compile(r.specs[0]!.text);
  expect(compiled.hasErrors, compiled.diagnostics.map((d) => d.message).join("\n")).toBe(false);
  return { text: r.specs[0]!.text, ir: compiled.schedules[0]!.ir! };
}

describe("OneCycleLR against torch's formula", () => {
  const base: OneCycleArgs = { L: 400, pct: 0.3, maxLr: 0.1, div: 25, finalDiv: 1e4, linear: false, three: false };
  test.for([
    { name: "the defaults", args: "max_lr=0.1, total_steps=400", o: base },
    { name: "linear, three phases", args: 'max_lr=0.05, total_steps=400, pct_start=0.2, anneal_strategy="linear", three_phase=True', o: { ...base, maxLr: 0.05, pct: 0.2, linear: true, three: true } },
    { name: "epochs * steps_per_epoch, its own factors", args: "max_lr=0.2, epochs=8, steps_per_epoch=50, div_factor=5.0, final_div_factor=50.0, pct_start=0.45", o: { ...base, maxLr: 0.2, div: 5, finalDiv: 50, pct: 0.45 } },
  ])("$name: rate and momentum at every step", (c) => {
    const { ir } = imported(`OneCycleLR(optimizer, ${c.args})`);
    const ev = createEvaluator(ir);
    const mom = createParamEvaluator(ir, "momentum")!;
    expect(mom).toBeDefined();
    for (let s = 0; s < c.o.L; s++) {
      expectClose(ev.lrAt(s), oneCycle(s, c.o, "lr"), `lr step ${s}`);
      expectClose(mom.lrAt(s), oneCycle(s, c.o, "momentum"), `momentum step ${s}`);
    }
  });

  test("every pct_start of three decimals imports exactly, or is refused at pct_start", () => {
    let refused = 0;
    // From 0.005 on, the rise ends after step 0 (at pct_start * 333 - 1), as a onecycle must.
    for (let i = 5; i < 300; i += 7) {
      const pct = i / 1000;
      const r = importPython(script(`OneCycleLR(optimizer, max_lr=0.1, total_steps=333, pct_start=${pct}, cycle_momentum=False)`), { file: "train.py" });
      if (r.specs.length === 0) {
        refused++;
        expect(r.diagnostics.map((d) => d.code)).toEqual(["A520"]);
        expect(r.diagnostics[0]!.message).toContain(`pct_start=${pct} has no percent that reads back to it exactly`);
        continue;
      }
      const ir = compile(r.specs[0]!.text).schedules[0]!.ir!;
      const ev = createEvaluator(ir);
      for (let s = 0; s < 333; s++) expectClose(ev.lrAt(s), oneCycle(s, { ...base, L: 333, pct }, "lr"), `pct_start=${pct} step ${s}`);
    }
    // Most short decimals have a percent that divides back to them exactly.
    expect(refused).toBeLessThan(10);
  });

  test("a pct_start whose rise ends on a whole step is written in steps when no percent reads back to it", () => {
    // No double P has P / 100 == 0.007, but 0.007 * 1000 is exactly 7 steps.
    const { text, ir } = imported("OneCycleLR(optimizer, max_lr=0.1, total_steps=1000, pct_start=0.007)", 1000);
    expect(text).toMatch(/onecycle from .* up 7\n/);
    const ev = createEvaluator(ir);
    for (let s = 0; s < 1000; s += 3) expectClose(ev.lrAt(s), oneCycle(s, { ...base, L: 1000, pct: 0.007 }, "lr"), `step ${s}`);
  });

  test("cycle_momentum=False writes no momentum chain", () => {
    const { text, ir } = imported("OneCycleLR(optimizer, 0.1, 400, cycle_momentum=False)");
    expect(text).not.toContain("momentum:");
    expect(createParamEvaluator(ir, "momentum")).toBeUndefined();
  });
});

describe("CyclicLR against torch's formula", () => {
  test.for([
    { name: "triangular, symmetric", args: "base_lr=0.001, max_lr=0.1, step_size_up=25", o: { base: 0.001, max: 0.1, up: 25, down: 25, mode: "triangular", gamma: 1 } },
    { name: "triangular2, lopsided", args: 'base_lr=1e-4, max_lr=0.05, step_size_up=30, step_size_down=10, mode="triangular2"', o: { base: 1e-4, max: 0.05, up: 30, down: 10, mode: "triangular2", gamma: 1 } },
    { name: "exp_range", args: 'base_lr=0.002, max_lr=0.02, step_size_up=15, step_size_down=35, mode="exp_range", gamma=0.995', o: { base: 0.002, max: 0.02, up: 15, down: 35, mode: "exp_range", gamma: 0.995 } },
  ])("$name: rate and momentum at every step", (c) => {
    const { ir } = imported(`CyclicLR(optimizer, ${c.args})`);
    const ev = createEvaluator(ir);
    const mom = createParamEvaluator(ir, "momentum")!;
    expect(ir.total).toBe(400);
    for (let s = 0; s < 400; s++) {
      expectClose(ev.lrAt(s), cyclicAt(s, c.o), `lr step ${s}`);
      expectClose(mom.lrAt(s), cyclicAt(s, { ...c.o, base: 0.9, max: 0.8 }), `momentum step ${s}`);
    }
  });
});

describe("combinations with no exact spec keep a precise, located diagnostic", () => {
  test.for([
    { name: "CyclicLR with a scale_fn", c: "CyclicLR(optimizer, 0.001, 0.1, scale_fn=lambda x: 0.5)", code: "A520", at: "CyclicLR", says: "scale_fn of its own" },
    { name: "CyclicLR with an unknown mode", c: 'CyclicLR(optimizer, 0.001, 0.1, mode="cosine")', code: "A520", at: "CyclicLR", says: 'mode="cosine" is not one of' },
    { name: "a max_lr per group", c: "OneCycleLR(optimizer, max_lr=[0.1, 0.01], total_steps=400)", code: "A520", at: "OneCycleLR", says: "max_lr is given per parameter group" },
    { name: "an anneal_strategy torch refuses", c: 'OneCycleLR(optimizer, 0.1, 400, anneal_strategy="cosine")', code: "A520", at: "OneCycleLR", says: 'anneal_strategy="cosine" is neither' },
    { name: "no length", c: "OneCycleLR(optimizer, max_lr=0.1, epochs=4)", code: "A521", at: "OneCycleLR(optimizer, max_lr=0.1, epochs=4)", says: "neither total_steps nor both epochs and steps_per_epoch" },
    { name: "a max_lr known only at run time", c: "OneCycleLR(optimizer, max_lr=float(input()), total_steps=400)", code: "A521", at: "float(input())", says: "max_lr=float(input()) could not be worked out" },
    { name: "a pct_start with no exact percent and a run-time length", c: "OneCycleLR(optimizer, 0.1, epochs=4, steps_per_epoch=len(loader), pct_start=0.007)", code: "A520", at: "0.007", says: "the length is known only at run time" },
    { name: "a part of SequentialLR", c: "SequentialLR(optimizer, [LinearLR(optimizer, 0.1, total_iters=10), OneCycleLR(optimizer, 0.1, 390)], milestones=[10])", code: "A520", at: "OneCycleLR", says: "sets the optimizer's rate outright, so as a part of SequentialLR" },
  ])("$name", (c) => {
    const text = script(c.c);
    const r = importPython(text, { file: "train.py" });
    expect(r.specs).toEqual([]);
    const d = r.diagnostics.find((x) => x.code === "A520" || x.code === "A521")!;
    expect(d.code).toBe(c.code);
    expect(d.message).toContain(c.says);
    expect(text.slice(d.range.start, d.range.end)).toBe(c.at);
  });
});
