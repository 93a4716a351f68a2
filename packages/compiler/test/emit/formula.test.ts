// The closed forms the emitters write. The TF.js module runs here (imported from a data:
// URL, no disk) and must agree with the evaluator bit for bit, since both are JavaScript
// spelling the same operations. The Python module cannot run here, so its expressions are
// checked to be the JavaScript ones token for token once the spellings are mapped (the
// conformance tests run it on real Python and torch).

import { describe, expect, test } from "vitest";
import { emit } from "../../src/emit/index.js";
import { createEvaluator } from "../../src/evaluate.js";
import type { ScheduleIR } from "../../src/ir.js";
import { everyShape } from "./schedules.js";

type LrAt = (step: number, baseLr?: number) => number;

async function importModule(text: string): Promise<Record<string, unknown>> {
  return (await import(`data:text/javascript;base64,${Buffer.from(text).toString("base64")}`)) as Record<string, unknown>;
}

function ticksOf(ir: ScheduleIR): number[] {
  const out = [-2, -0.5];
  for (let t = 0; t <= ir.total + 3; t++) out.push(t);
  for (const s of ir.segments) out.push(s.start + 0.5, s.end - 0.25);
  return out;
}

describe("tfjs lrAt", () => {
  test.for(everyShape().map((ir, i) => ({ ir, i })))("schedule $i agrees with the evaluator bit for bit", async ({ ir }) => {
    const mod = await importModule(emit("tfjs", ir).text);
    const lrAt = mod.lrAt as LrAt;
    for (const base of ir.relative ? [1, 0.37, 3e-4] : [undefined]) {
      const ev = createEvaluator(ir, base);
      for (const t of ticksOf(ir)) {
        const got = base === undefined ? lrAt(t) : lrAt(t, base);
        expect(Object.is(got, ev.lrAt(t)), `t=${t} base=${base}: ${got} vs ${ev.lrAt(t)}`).toBe(true);
      }
      expect(Number.isNaN(base === undefined ? lrAt(NaN) : lrAt(NaN, base))).toBe(true);
    }
    expect(mod.TOTAL_STEPS).toBe(ir.total);
  });
});

/** The formula lines (`a = ...`, `return ...`) of the emitted lr function, spellings unified. */
function formulaLines(text: string, lang: "py" | "js"): string[] {
  // Both closed forms sit in a function over the resolved ticks, which returns them after it.
  const body = lang === "py" ? text.slice(text.indexOf("def lr_at(")) : text.slice(text.indexOf("  function lrAt("));
  const end = lang === "py" ? body.indexOf("\n\n\n") : body.indexOf("\n  }\n");
  return body
    .slice(0, end)
    .split("\n")
    .map((l) => l.trim())
    // The PyTorch closed form sits in `_closed_forms`, which returns its functions after it.
    .filter((l) => /^(return |const |[a-z]+ = |cycle, )/.test(l) && !l.startsWith("return NaN") && !l.startsWith("return math.nan") && !l.startsWith("return {"))
    .map((l) => {
      let s = l.replace(/;$/, "").replace(/^const /, "");
      if (lang === "py") {
        s = s
          .replace(/math\.pi/g, "Math.PI")
          .replace(/math\./g, "Math.")
          .replace(/\bbase_lr\b/g, "baseLr")
          .replace(/\bbisect_right\b/g, "countAtOrBelow")
          .replace(/\b_restart_cycle\b/g, "restartCycle")
          .replace(/^cycle, offset, length = /, "[cycle, offset, length] = ")
          .replace(/(\S+) if cycle == 0 else (.+)$/, "cycle === 0 ? $1 : $2")
          // 400.0 and 400 are the same double.
          .replace(/\b(\d+)\.0\b/g, "$1");
      }
      return s;
    });
}

describe("Python lr_at", () => {
  test.for(everyShape().map((ir, i) => ({ ir, i })))("schedule $i spells the JavaScript expressions exactly", ({ ir }) => {
    const py = formulaLines(emit("pytorch", ir).text, "py");
    const js = formulaLines(emit("tfjs", ir).text, "js");
    expect(py.length).toBeGreaterThan(ir.segments.length);
    expect(py).toEqual(js);
  });

  test("output is deterministic", () => {
    for (const ir of everyShape()) {
      for (const target of ["pytorch", "pytorch-native", "tfjs", "tfjs-dts", "json", "csv"] as const) {
        expect(emit(target, ir, { source: "a.anneal" }).text).toBe(emit(target, ir, { source: "a.anneal" }).text);
      }
    }
  });
});
