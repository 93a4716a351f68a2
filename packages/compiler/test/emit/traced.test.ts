// The traced targets' structure: `lr_at` in the Keras and optax modules is the formulas'
// expression form, straight-line code a graph compiler can trace (no Python branch or loop
// on a value), with one rate per segment selected by `where`; the modules expose what
// docs/emit.md promises for each clock and kind of schedule. Their values are checked on
// the real frameworks in test/conformance/frameworks.test.ts.

import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.js";
import { emit } from "../../src/emit/index.js";
import type { ScheduleIR } from "../../src/ir.js";
import { everyShape } from "./schedules.js";

/**
 * The lines of `lr_at`, from its `def` to the first line indented less: the module's own,
 * or (with `nested`) the closed form inside `_closed_forms` that the PyTorch module's reads.
 */
function lrAtBody(text: string, nested = false): string[] {
  const lines = text.split("\n");
  const head = nested ? "    def lr_at(" : "def lr_at(";
  const start = lines.findIndex((l) => l.startsWith(head));
  expect(start).toBeGreaterThanOrEqual(0);
  const inner = nested ? "        " : " ";
  const body: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l !== "" && !l.startsWith(inner)) break;
    body.push(l);
  }
  return body;
}

function irOf(text: string): ScheduleIR {
  const r = compile(text);
  expect(r.hasErrors).toBe(false);
  return r.schedules[0]!.ir!;
}

describe("the expression form of lr_at", () => {
  test.for(everyShape().map((ir, i) => ({ ir, i })))("schedule $i: keras and optax compute every segment and select with where", ({ ir }) => {
    for (const [target, ns] of [["keras", "ops"], ["optax", "jnp"]] as const) {
      // The closed form sits in `_closed_form`, over the ticks `resolve_settings` gives.
      const body = lrAtBody(emit(target, ir).text, true);
      const all = body.filter((l) => l.trim() !== "" && !l.trim().startsWith("#") && !l.trim().startsWith('"""'));
      // The one Python branch is on a flag fixed while tracing (the count's dtype), not on
      // a value: an integer count returns the rate without the NaN guard.
      const flag = all.findIndex((l) => l.trim() === "if integer_count:");
      expect(flag, `${target}: the integer-count branch`).toBeGreaterThan(0);
      expect(all[flag + 1]!.trim()).toBe("return rate");
      const code = all.filter((_, i) => i !== flag && i !== flag + 1);
      for (const l of code) {
        expect(l, `${target}: ${l}`).not.toMatch(/^\s*(if|elif|else|while|for)\b/);
        expect(l, `${target}: ${l}`).not.toMatch(/\bif\b.*\belse\b/);
      }
      const rates = code.filter((l) => /^\s*rate_\d+ = /.test(l));
      // It may carry an empty hold that bound settings can open (emit/runtime.ts).
      const holds = ir.runtime?.rate.hold ? 1 : 0;
      expect(rates.length).toBe(ir.segments.length + holds);
      // One `where` per segment boundary, one for the held end, one for NaN.
      const selects = code.filter((l) => l.includes(`${ns}.where(t < `)).length;
      expect(selects).toBe(ir.segments.length - 1 + holds);
      expect(code.some((l) => l.includes(`${ns}.where(t >= total_ticks, `))).toBe(true);
      expect(code[code.length - 1]).toContain(`return ${ns}.where(${ns}.isnan(step), math.nan, rate)`);
    }
  });

  test("the Python and JavaScript closed forms keep their branches", () => {
    const ir = irOf("lr 1e-3\ntotal 1000\nwarmup 100 -> cosine to 0\n");
    expect(lrAtBody(emit("pytorch", ir).text, true).some((l) => l.includes("if t < 100:"))).toBe(true);
    expect(emit("tfjs", ir).text).toContain("if (t < 100) {");
  });
});

describe("what the modules expose", () => {
  const stepClock = irOf("lr 1e-3\ntotal 1000\nwarmup 100 -> cosine to 0\n");
  const epochClock = irOf("lr 0.1\ntotal 90 epochs\nstep by 0.1 every 30 epochs\n");
  const relative = irOf("total 1000\nwarmup 10% -> cosine to 1e-6\n");

  test("keras: a registered LearningRateSchedule with get_config/from_config, built by build_schedule", () => {
    const text = emit("keras", stepClock).text;
    expect(text).toMatch(/^@keras\.saving\.register_keras_serializable\(package="anneal", name="AnnealSchedule_[0-9a-f]{16}"\)$/m);
    expect(text).toContain("class AnnealSchedule(keras.optimizers.schedules.LearningRateSchedule):");
    expect(text).toContain('    def get_config(self):\n        return {"total": self.total, "steps_per_epoch": self.steps_per_epoch, "tokens_per_step": self.tokens_per_step, "lr": self.lr}');
    expect(text).toContain("    def from_config(cls, config):");
    expect(text).toContain("def build_schedule(**settings):");
    expect(text).not.toMatch(/^import (torch|jax)/m);
  });

  test("keras and optax take base_lr when relative and steps_per_epoch on an epoch clock", () => {
    expect(emit("keras", epochClock).text).toContain("def __init__(self, steps_per_epoch, total=None, tokens_per_step=None, lr=None):");
    expect(emit("keras", epochClock).text).toContain("step = ops.floor(step / self.steps_per_epoch)");
    expect(emit("keras", relative).text).toContain('return {"base_lr": self.base_lr, "total": self.total, "steps_per_epoch": self.steps_per_epoch, "tokens_per_step": self.tokens_per_step, "lr": self.lr}');
    expect(emit("optax", epochClock).text).toContain("def make_schedule(steps_per_epoch, *, total=None, tokens_per_step=None, lr=None):");
    expect(emit("optax", relative).text).toContain("def make_schedule(base_lr, *, total=None, steps_per_epoch=None, tokens_per_step=None, lr=None):");
  });

  test("optax binds `schedule` only when nothing is to be given", () => {
    expect(emit("optax", stepClock).text).toMatch(/^schedule = make_schedule\(\)$/m);
    expect(emit("optax", epochClock).text).not.toMatch(/^schedule = /m);
    expect(emit("optax", relative).text).not.toMatch(/^schedule = /m);
  });

  test("pytorch: lightning_scheduler_config's interval follows the clock", () => {
    expect(emit("pytorch", stepClock).text).toContain('return {"scheduler": build_scheduler(optimizer, **settings), "interval": "step", "frequency": 1}');
    expect(emit("pytorch", epochClock).text).toContain('return {"scheduler": build_scheduler(optimizer, **settings), "interval": "epoch", "frequency": 1}');
  });
});
