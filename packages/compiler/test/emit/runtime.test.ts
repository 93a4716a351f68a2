// The run-time program as the emitters read it: which keywords a PyTorch module takes, what
// it refuses (A404) and what the targets without run-time settings say (A405). Its values
// are checked on real torch in test/conformance/runtime.test.ts.

import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.js";
import { emit } from "../../src/emit/index.js";
import type { ScheduleIR } from "../../src/ir.js";
import { runtimeProgram, STAND_IN } from "../../src/check/schedule.js";

function irOf(text: string): ScheduleIR {
  const r = compile(text);
  expect(r.hasErrors, r.diagnostics.map((d) => d.message).join("\n")).toBe(false);
  return r.schedules[0]!.ir!;
}

const RESNET = "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 5005\nclock steps\nwarmup 5 epochs from 1% -> cosine to 0\n";

describe("the run-time program", () => {
  test("a `?` with no preview value is a required keyword, and the schedule has no numbers of its own", () => {
    const text = "lr 0.1\ntotal ?\nwarmup 5% -> cosine\n";
    const r = compile(text);
    expect(r.hasErrors).toBe(false);
    const s = r.schedules[0]!;
    // No tool can read values made from a stand-in: no IR, no evaluator, nothing to annotate.
    expect(s.ir).toBeUndefined();
    expect(s.evaluator).toBeUndefined();
    expect(s.phases).toEqual([]);
    expect(s.durations).toEqual([]);
    expect(s.runTimeOnly!.settings).toEqual(["total"]);
    const ir = s.runTimeOnly!.ir;
    expect(runtimeProgram(ir)!.settings[0]).toMatchObject({ key: "total", bound: true });
    expect(runtimeProgram(ir)!.settings[0]!.value).toBeUndefined();
    const py = emit("pytorch", ir);
    expect(py.diagnostics).toEqual([]);
    expect(py.text).toContain("TOTAL_STEPS = None");
    expect(py.text).toContain("if total is None:\n        raise TypeError(\"the keyword `total=` is required");
    expect(py.text).toContain("total_ticks = _round_ticks(total)");
    expect(py.text).toContain("The schedule lasts as many optimizer steps as `total=` gives when it is built");
    for (const target of ["keras", "optax"] as const) expect(emit(target, ir).text, target).toContain("the keyword `total=` is required");
    // The targets made of the schedule's numbers write nothing, and say what to write (A406).
    for (const target of ["csv", "json", "tfjs", "tfjs-dts", "pytorch-native"] as const) {
      const e = emit(target, ir);
      expect(e.text, target).toBe("");
      expect(e.diagnostics.map((d) => [d.code, d.severity, text.slice(d.range.start, d.range.end)]), target).toEqual([["A406", "error", "?"]]);
      expect(e.diagnostics[0]!.message).toContain("write a preview value after the `?` (`total ? 100k`), or give the value with `--total 100k`");
    }
    // With the flag, everything works as with a written value.
    const given = compile(text, { overrides: { total: "200" } }).schedules[0]!;
    expect(given.ir!.total).toBe(200);
    expect(given.runTimeOnly).toBeUndefined();
    expect(emit("csv", given.ir!).diagnostics).toEqual([]);
  });

  test("nothing a tool or a module shows is made from the stand-in of a setting without a preview", () => {
    const texts = [
      "total ?\nwarmup 1k linear from 1% -> cosine to 1e-6\n",
      "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ?\nclock steps\nwarmup 5 epochs -> cosine to 0\n",
      "lr 3e-4\ntotal ?\ntokens_per_step ?\nwarmup 2M tokens -> cosine 40% -> linear\n",
      "lr 0.1\ntotal ?\nwarmup 5% -> cosine restart every 10%\n",
    ];
    // The stand-ins large enough to tell in a text (`tokens_per_step`'s 1 is in every module).
    const standIns = Object.values(STAND_IN).filter((v) => v > 1000).flatMap((v) => [String(v), v.toLocaleString("en-US")]);
    for (const text of texts) {
      const r = compile(text);
      const shown = [...r.diagnostics.map((d) => d.message), ...r.schedules.flatMap((s) => s.durations.map((d) => String(d.ticks)))];
      for (const s of r.schedules) {
        expect(s.ir, text).toBeUndefined();
        for (const target of ["pytorch", "keras", "optax", "csv", "tfjs", "pytorch-native"] as const) {
          const e = emit(target, s.runTimeOnly!.ir, { text });
          shown.push(e.text, ...e.diagnostics.map((d) => d.message));
        }
      }
      for (const x of shown) for (const v of standIns) expect(x.includes(v), `${text}: ${v}`).toBe(false);
    }
  });

  test("a warning that depends on a setting is a check of the program, a warning at run time (A302)", () => {
    const rt = runtimeProgram(irOf("lr 0.1\ntotal ? 1000\nwarmup 100 -> cosine 400\n"))!;
    const hold = rt.program.find((s) => s.kind === "check" && s.code === "A302");
    expect(hold).toMatchObject({ severity: "warning" });
    const text = emit("pytorch", irOf("lr 0.1\ntotal ? 1000\nwarmup 100 -> cosine 400\n")).text;
    expect(text).toContain('warnings.warn("%s: %s" % ("A302", "the phases end at " + _fmt(500.0) + " of " + _fmt(total_ticks) + " steps; the rate holds at 0 for the remaining " + _fmt((total_ticks - 500.0))), AnnealWarning, stacklevel=3)');
    // A written total may be passed as a keyword too, so its hold is checked again as well.
    expect(runtimeProgram(irOf("lr 0.1\ntotal 1000\nwarmup 100 -> cosine 400\n"))!.program.some((s) => s.kind === "check" && s.code === "A302")).toBe(true);
    // An open phase takes what remains: no value can leave a hold, so nothing is recorded.
    expect(runtimeProgram(irOf("lr 0.1\ntotal ? 1000\nwarmup 100 -> cosine\n"))!.program.some((s) => s.kind === "check" && s.code === "A302")).toBe(false);
  });

  test("resolves the warmup and the open phase from steps_per_epoch, checked as the checker checks them", () => {
    const rt = runtimeProgram(irOf(RESNET))!;
    expect(rt.settings.map((s) => [s.key, s.bound, s.value, s.refused === undefined])).toEqual([
      ["total", false, 450450, true],
      ["steps_per_epoch", true, 5005, true],
      ["tokens_per_step", false, undefined, true],
      // The file writes `lr`: the peak is not taken at run time (`lr ?` would bind it).
      ["lr", false, 0.1, false],
    ]);
    const checks = rt.program.filter((s) => s.kind === "check").map((s) => (s.kind === "check" ? s.code : ""));
    // The warmup's share of the total is a lint's warning (A305), checked again at run time too.
    expect(checks).toEqual(["A218", "A206", "A205", "A305"]);
    const text = emit("pytorch", irOf(RESNET)).text;
    expect(text).toContain("def build_scheduler(optimizer, last_epoch=-1, *, total=None, steps_per_epoch=None, tokens_per_step=None, lr=None, warn_past_end=True):");
    expect(text).toContain("k1 = _round_ticks((5.0 * steps_per_epoch))");
    expect(text).toContain('raise AnnealError("A206", "`warmup` lasts " + _fmt((5.0 * steps_per_epoch)) + " steps; a phase needs at least 1")');
  });

  test("a schedule without a total does not take one", () => {
    const rt = runtimeProgram(irOf("lr 0.1\nwarmup 100 -> cosine 900\n"))!;
    expect(rt.settings[0]!.refused).toContain("has no `total`");
    expect(emit("pytorch", irOf("lr 0.1\nwarmup 100 -> cosine 900\n")).text).toContain("raise TypeError(\"total cannot be passed to this module");
  });

  test("a `?` setting that a construct reads in a way the program does not resolve is refused at the construct (A404)", () => {
    // An `exp` chooses its log-space form from its start, which here is where a decay of moving length ends.
    const text = "lr 0.001\ntotal 90 epochs\nsteps_per_epoch ? 500\nclock steps\nstep 60 epochs by 0.1 every 30 epochs -> exp to 1e-5\n";
    const r = emit("pytorch", irOf(text));
    expect(r.text).toBe("");
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, text.slice(d.range.start, d.range.end)])).toEqual([["A404", "exp"]]);
    expect(r.diagnostics.find((d) => d.code === "A404")!.message).toContain("the start of this phase (where the decay before it ends) depends on `steps_per_epoch`, and the generated code does not compute this at run time; write `steps_per_epoch` in the file");
    // Written in the file, the same setting is only not accepted as a keyword.
    const written = emit("pytorch", irOf(text.replace("? 500", "500")));
    expect(written.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(written.text).toContain("raise TypeError(\"steps_per_epoch cannot be passed to this module: the start of this phase (where the decay before it ends) depends on `steps_per_epoch`");
  });

  test("every code target takes run-time settings (no A405)", () => {
    const ir = irOf(RESNET);
    expect(emit("pytorch-native", ir).diagnostics).toEqual([]);
    expect(emit("pytorch", ir).diagnostics).toEqual([]);
    expect(emit("optax", ir).diagnostics).toEqual([]);
    expect(emit("keras", ir).diagnostics).toEqual([]);
    expect(emit("tfjs", ir).diagnostics).toEqual([]);
  });

  test("`lr ?` is taken at run time as `lr=`; `--native` uses the preview as its peak (A405)", () => {
    const text = "lr ? 0.2\ntotal 1000\nwarmup 10% -> cosine\n";
    const r = emit("pytorch", irOf(text));
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toContain('SETTINGS = {"total": 1000.0, "steps_per_epoch": None, "tokens_per_step": None, "lr": 0.2}');
    // The rates scale the bound peak, as a relative schedule's scale each group's rate.
    expect(r.text).toContain("def _closed_forms(total_ticks, lr, ");
    const n = emit("pytorch-native", irOf(text));
    const notes = n.diagnostics.filter((d) => d.code === "A405");
    expect(notes.map((d) => [d.code, d.severity, text.slice(d.range.start, d.range.end)])).toEqual([["A405", "warning", "?"]]);
    expect(notes[0]!.message).toContain("uses the preview, 0.2");
    expect(n.text).toContain("lr cannot be passed to this module");
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

describe("TF.js warns as the Python modules do", () => {
  // Phases that take 30% of the total leave a hold (A302) for any total: with the file's own
  // value `anneal check` has said it; a total passed to buildSchedule warns with its message.
  const text = "lr 0.1\ntotal ? 1000\nwarmup 10% -> cosine 20% to 1e-4\n";
  test("silent for the file's values, the compiler's A302 for a passed total", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { pathToFileURL } = await import("node:url");
    const dir = mkdtempSync(join(tmpdir(), "anneal-tfjs-warn-"));
    const warned: string[] = [];
    const warn = console.warn;
    console.warn = (m: unknown) => void warned.push(String(m));
    try {
      const file = join(dir, "m.mjs");
      writeFileSync(file, emit("tfjs", compile(text).schedules[0]!.ir!, { text }).text);
      const m = (await import(pathToFileURL(file).href)) as { buildSchedule: (o: object) => unknown };
      expect(warned).toEqual([]);
      m.buildSchedule({ total: 2000 });
      const expected = compile(text, { overrides: { total: "2000" } }).diagnostics.filter((d) => d.code === "A302");
      expect(expected).toHaveLength(1);
      expect(warned).toEqual([`A302: ${expected[0]!.message}`]);
    } finally {
      console.warn = warn;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("the TF.js usage example passes each bound option a value named for it (the peak is not `tokens`)", () => {
  const text = "lr ? 3e-4\ntotal ? 1000\ntokens_per_step ? 2048\nwarmup 10% -> cosine to 1e-6\n";
  const js = emit("tfjs", compile(text).schedules[0]!.ir!, { text }).text;
  expect(js).toContain("const schedule = buildSchedule({ total: totalSteps, tokensPerStep: tokens, lr: peakLr });");
});
