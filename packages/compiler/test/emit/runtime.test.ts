// The run-time program as the emitters read it: which keywords a PyTorch module takes, what
// it refuses (A404) and what the targets without run-time settings say (A405). Its values
// are checked on real torch in test/conformance/runtime.test.ts.

import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.js";
import { emit } from "../../src/emit/index.js";
import type { ScheduleIR } from "../../src/ir.js";
import { runtimeProgram } from "../../src/check/schedule.js";

function irOf(text: string): ScheduleIR {
  const r = compile(text);
  expect(r.hasErrors, r.diagnostics.map((d) => d.message).join("\n")).toBe(false);
  return r.schedules[0]!.ir!;
}

const RESNET = "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 5005\nclock steps\nwarmup 5 epochs from 1% -> cosine to 0\n";

describe("the run-time program", () => {
  test("resolves the warmup and the open phase from steps_per_epoch, checked as the checker checks them", () => {
    const rt = runtimeProgram(irOf(RESNET))!;
    expect(rt.settings.map((s) => [s.key, s.bound, s.value, s.refused === undefined])).toEqual([
      ["total", false, 450450, true],
      ["steps_per_epoch", true, 5005, true],
      ["tokens_per_step", false, undefined, true],
    ]);
    const checks = rt.program.filter((s) => s.kind === "check").map((s) => (s.kind === "check" ? s.code : ""));
    expect(checks).toEqual(["A218", "A206", "A205"]);
    const text = emit("pytorch", irOf(RESNET)).text;
    expect(text).toContain("def build_scheduler(optimizer, last_epoch=-1, *, total=None, steps_per_epoch=None, tokens_per_step=None, warn_past_end=True):");
    expect(text).toContain("k1 = _round_ticks((5.0 * steps_per_epoch))");
    expect(text).toContain('raise AnnealError("A206", "`warmup` lasts " + _fmt((5.0 * steps_per_epoch)) + " steps; a phase needs at least 1")');
  });

  test("a schedule without a total does not take one", () => {
    const rt = runtimeProgram(irOf("lr 0.1\nwarmup 100 -> cosine 900\n"))!;
    expect(rt.settings[0]!.refused).toContain("has no `total`");
    expect(emit("pytorch", irOf("lr 0.1\nwarmup 100 -> cosine 900\n")).text).toContain("raise TypeError(\"total cannot be passed to this module");
  });

  test("a `?` setting that a construct reads in a way the program does not resolve is refused at the construct (A404)", () => {
    const text = "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 500\nclock steps\nstep by 0.1 every 30 epochs\n";
    const r = emit("pytorch", irOf(text));
    expect(r.text).toBe("");
    expect(r.diagnostics.map((d) => [d.code, d.severity, text.slice(d.range.start, d.range.end)])).toEqual([["A404", "error", "30 epochs"]]);
    expect(r.diagnostics[0]!.message).toContain("`every` depends on `steps_per_epoch`");
    // Written in the file, the same setting is only not accepted as a keyword.
    const written = emit("pytorch", irOf(text.replace("? 500", "500")));
    expect(written.diagnostics).toEqual([]);
    expect(written.text).toContain("raise TypeError(\"steps_per_epoch cannot be passed to this module: `every` depends on `steps_per_epoch`");
  });

  test("every code target takes run-time settings (no A405)", () => {
    const ir = irOf(RESNET);
    expect(emit("pytorch-native", ir).diagnostics).toEqual([]);
    expect(emit("pytorch", ir).diagnostics).toEqual([]);
    expect(emit("optax", ir).diagnostics).toEqual([]);
    expect(emit("keras", ir).diagnostics).toEqual([]);
    expect(emit("tfjs", ir).diagnostics).toEqual([]);
  });

  test("`lr ?` is not taken at run time: the PyTorch module says it uses the preview as its peak (A405)", () => {
    const text = "lr ? 0.2\ntotal 1000\nwarmup 10% -> cosine\n";
    const r = emit("pytorch", irOf(text));
    expect(r.text).toContain("PEAK = 0.2");
    expect(r.diagnostics.map((d) => [d.code, d.severity, text.slice(d.range.start, d.range.end)])).toEqual([["A405", "warning", "?"]]);
    expect(r.diagnostics[0]!.message).toContain("its peak is the preview, 0.2");
  });

  test("names built from names stay one variable each, so the program grows with the file, not exponentially", () => {
    let text = "total ? 100000\nlr 0.1\nlet a0 = total / 100\n";
    for (let i = 1; i <= 40; i++) text += `let a${i} = a${i - 1} + a${i - 1} - a${i - 1}\n`;
    text += "warmup a40 -> cosine\n";
    const ir = irOf(text);
    // One variable per name, and a handful for the total, the phases and the open one.
    expect(runtimeProgram(ir)!.program.filter((s) => s.kind === "let").length).toBeLessThan(50);
    const py = emit("pytorch", ir).text;
    expect(py).toContain("k2 = ((k1 + k1) - k1)");
    expect(py.length).toBeLessThan(40_000);
  });
});
