// Every bug the robustness suite found, with the smallest input that showed it. Each test
// names what went wrong before the fix; `docs/robustness.md` lists them with the fixes.
// Quadratic behaviour is measured as counted work (V8 block coverage, see properties.ts),
// which is exact, rather than as time, which is not.

import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { compile, createEvaluator, restartCycle } from "@anneal/compiler";
import { format, MAX_SYNTAX_ERRORS } from "@anneal/dsl";
import { parseRecovering } from "../../packages/dsl/src/build-ast.js";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { pythonPath } from "../conformance/python.js";
import { assertCompiles } from "./invariants.js";
import { countedWork, freshCopies } from "./properties.js";

function codes(text: string): string[] {
  return compile(text).diagnostics.map((d) => d.code);
}

/** Counted work of 8 and 64 fresh copies of `unit`; a linear compile grows 8 times. */
function growth(unit: string): number {
  const [a, b] = countedWork([freshCopies(unit, 8), freshCopies(unit, 64)]);
  return b! / a!;
}

describe("stack overflows, now located diagnostics", () => {
  test("10,000 nested parentheses: A002 at the 101st, not an internal error", () => {
    const text = `lr ${"(".repeat(10_000)}1${")".repeat(10_000)}\ntotal 10\ncosine\n`;
    const r = assertCompiles(text)!;
    expect(r.diagnostics.map((d) => [d.code, d.range.start])).toEqual([["A002", 3 + 100]]);
    expect(r.diagnostics[0]!.message).toMatch(/nested too deeply/);
  });

  test("10,000 signs: A002", () => {
    expect(codes(`lr ${"-".repeat(10_000)}1\ntotal 10\ncosine\n`)).toEqual(["A002"]);
  });

  test("an expression of 100,000 operators (a tree 100,000 deep): A002", () => {
    expect(codes(`lr 1${"+1".repeat(100_000)}\ntotal 10\ncosine\n`)).toEqual(["A002"]);
  });

  test("100 levels still parse, and the depth count restarts at each item", () => {
    const deep = `${"(".repeat(99)}1e-3${")".repeat(99)}`;
    expect(codes(`lr ${deep}\nlet a = ${deep}\ntotal 10\ncosine to a\n`)).toEqual([]);
    expect(codes(`total 10\n${Array.from({ length: 300 }, () => "constant 1 at 1 + 1 - 1").join(" -> ")}\n`)).not.toContain("A002");
  });

  test("a chain of 30,000 lets, each naming the one before: A111, not an internal error", () => {
    const lets = Array.from({ length: 30_000 }, (_, i) => `let a${i + 1} = a${i}`).join("\n");
    const r = assertCompiles(`let a0 = 1e-3\n${lets}\nlr a30000\ntotal 10\ncosine\n`)!;
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["A111"]);
  });

  test("5,000 lines of stray tokens: chevrotain's recovery re-entered itself once per line", () => {
    // Without the error limit (error-limit.test.ts) every line would be recovered.
    const r = parseRecovering("lr let = warmup ,\n".repeat(5000), undefined, Infinity);
    expect(r.diagnostics.length).toBeGreaterThan(5000);
    expect(assertCompiles("lr let = warmup ,\n".repeat(5000))!.diagnostics.at(-1)!.code).toBe("A009");
  });

  test("150,000 lexer errors: `push(...list)` overflowed the stack", () => {
    expect(parseRecovering("; ".repeat(150_000), undefined, Infinity).diagnostics).toHaveLength(150_000);
    expect(assertCompiles("; ".repeat(150_000))!.diagnostics).toHaveLength(MAX_SYNTAX_ERRORS + 1);
  });

  test("150,000 `1m` (one A004 each): the same, in the tree builder", () => {
    const text = `total 10\ncosine at ${Array.from({ length: 150_000 }, () => "1m").join(",")}\n`;
    expect(parseRecovering(text, undefined, Infinity).diagnostics.filter((d) => d.problem === "lowercase-m")).toHaveLength(150_000);
    expect(assertCompiles(text)!.diagnostics.filter((d) => d.code === "A004")).toHaveLength(MAX_SYNTAX_ERRORS);
  });
});

describe("quadratic stages, now linear (counted work of 64 copies over 8)", () => {
  test("recovery rescanned to the end of the file at every error", () => {
    expect(growth("} ) -> ( { lr let = warmup ,\n")).toBeLessThan(10);
  });

  test("every schedule counted every error of the file", () => {
    expect(growth("schedule a { lr 1 total 10 cosine 5 }\n")).toBeLessThan(10);
  });

  test("every schedule was compared with every syntax error", () => {
    expect(growth("schedule a { lr 1 total 10 cosine ; }\n")).toBeLessThan(10);
  });

  test("every unknown name was compared with every name in scope: now within a fixed budget", () => {
    // Suggestions stay quadratic up to the budget (a few hundred names and misspellings);
    // past it, twice the file is twice the work.
    const unit = "let a = 1\nschedule s { lr 1 total 10 cosine to b }\n";
    const [a, b] = countedWork([freshCopies(unit, 600), freshCopies(unit, 1200)]);
    expect(b! / a!).toBeLessThan(2.6);
    expect(compile("let floor = 1e-6\nlr 1\ntotal 10\ncosine to flor\n").diagnostics.find((d) => d.code === "A101")?.message).toMatch(/did you mean `floor`/);
  });

  test("the formatter scanned every token once per schedule and once per arrow", () => {
    const [a, b] = countedWork([freshCopies("schedule a { lr 1 total 10 warmup 1 -> cosine }\n", 100), freshCopies("schedule a { lr 1 total 10 warmup 1 -> cosine }\n", 800)], format);
    // Sorting the tokens is n log n, so a little over 8 is linear here; the scans gave 45.
    expect(b! / a!).toBeLessThan(14);
    const chain = (n: number) => `total 100k\n${Array.from({ length: n }, () => "constant 1").join(" -> ")}\n`;
    const [c, d] = countedWork([chain(1000), chain(8000)], format);
    expect(d! / c!).toBeLessThan(14);
  });

  test("two 20,000-letter names: the edit distance took a minute and gigabytes", () => {
    const text = `let ${"a".repeat(20_000)} = 1\nlr ${"a".repeat(19_999)}b\ntotal 10\ncosine\n`;
    const [work] = countedWork([text]);
    expect(work).toBeLessThan(1_000_000);
    expect(codes(text)).toContain("A101");
  });
});

describe("evaluation that did not terminate or reached Infinity", () => {
  test("a restart multiplier of 1e300: the cycle index came out infinite and compile hung", () => {
    // The checker now refuses multipliers above 1000 (A219); the evaluator's own cycle
    // search still terminates for any multiplier, for IR built by other means.
    const r = compile("lr 1\ntotal 1e9\ncosine restart every 3 x 1e300\n");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["A219"]);
    expect(restartCycle(5e8, 3, 1e300)).toEqual({ k: 1, start: 3, len: 3e300 });
    const big = compile("lr 1\ntotal 1e9\ncosine restart every 3 x 1000\n");
    expect(big.schedules[0]!.evaluator!.lrAt(999_999_999)).toBeGreaterThanOrEqual(0);
  });

  test("restartCycle of an infinite offset returns at once", () => {
    expect(restartCycle(Infinity, 1, 1.5).k).toBe(Infinity);
  });

  test("a multiplier just above 1 and offsets near 2^53: the correction loops stay short", () => {
    for (const [u, period, mult] of [
      [1e15, 1, 1.0000001],
      [9e15, 1, 1 + 2 ** -52],
      [2 ** 53 - 1, 7, 1.0000001],
    ] as const) {
      const c = restartCycle(u, period, mult);
      expect(c.start).toBeLessThanOrEqual(u);
      expect(u).toBeLessThan(c.start + c.len);
    }
  });

  test("a rate that grows past any double is an error at the factor, not Infinity at run time", () => {
    for (const [text, at] of [
      ["lr 0.1\ntotal 100k\nexp gamma 1.1\n", "1.1"],
      ["lr 0.1\ntotal 100k\nstep by 10 every 10\n", "10 every"],
      ["lr 0.1\ntotal 100k\ncosine restart every 10 decay 10\n", "10\n"],
      ["total 100k\nexp gamma 1.1\n", "1.1"],
    ] as const) {
      const r = compile(text);
      const d = r.diagnostics.find((x) => x.code === "A109");
      expect(d, text).toBeDefined();
      expect(text.slice(d!.range.start), text).toMatch(new RegExp(`^${at.split(" ")[0]!.replace(".", "\\.")}`));
      expect(r.schedules[0]!.ir).toBeUndefined();
    }
  });

  test("a peak near the largest double: the cosine's intermediate overflowed to Infinity", () => {
    expect(codes("lr 1.5e308\ntotal 100k\ncosine\n")).toContain("A109");
    const ok = compile("lr 1e300\ntotal 100k\ncosine\n").schedules[0]!.evaluator!;
    expect(ok.lrAt(0)).toBe(1e300);
  });

  test("phases that add up past 2^53 without a `total`: A218, not a schedule of 1e18 ticks", () => {
    expect(codes("linear 1e18\n")).toEqual(["A218"]);
  });

  test("lrAt and fill of a 1e15-tick schedule, at its last ticks and past it", () => {
    const ev = compile("lr 1\ntotal 1e15\ncosine to 0 restart every 1 x 1.0000001 decay 0.9\n").schedules[0]!.evaluator!;
    const out = ev.fill(new Float64Array(100_000), 1e15 - 50_000);
    expect(out.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(ev.lrAt(1e15 - 1)).toBe(out[49_999]);
    expect(ev.lrAt(2 ** 53)).toBe(ev.final);
  });
});

describe("emitter limits that keep generated code total", () => {
  // `emit()` promises never to throw on a valid IR; the data targets tabulate every tick,
  // so past 10M ticks they answer A402 instead of running out of memory (or throwing a
  // RangeError at 2^53 ticks).
  test("emit json of a schedule of 2^53 - 1 ticks is A402, not a crash", () => {
    const ir = compile("lr 1\ntotal 9007199254740991\ncosine\n").schedules[0]!.ir!;
    for (const target of ["json", "csv"] as const) {
      const r = emit(target, ir, {});
      expect(r.text).toBe("");
      expect(r.diagnostics.map((d) => d.code)).toEqual(["A402"]);
    }
    expect(emit("csv", compile("lr 1\ntotal 10\ncosine\n").schedules[0]!.ir!, {}).text.split("\n")).toHaveLength(13);
  });

  test("A402 counts rows, not ticks: a total of 10,000,000 is 10,000,001 rows, one too many", () => {
    const at = (total: number) => emit("csv", compile(`lr 1\ntotal ${total}\nconstant\n`).schedules[0]!.ir!, {});
    const over = at(10_000_000);
    expect(over.diagnostics.map((d) => d.code)).toEqual(["A402"]);
    // It read "has 10,000,000 ticks, and csv tabulates at most 10,000,000", as if allowed.
    expect(over.diagnostics[0]!.message).toMatch(/10,000,000 ticks, so its csv table would have 10,000,001 rows .*at most 10,000,000 rows/);
  });

  // A multiplier as large as `x 1e300` overflowed `mult ** k` (Infinity in JS, where the
  // emitted cycle search then never ended; OverflowError in Python). No run can reach its
  // third cycle, so the checker refuses multipliers above 1000 (A219).
  test("`restart every 3 x 1e300` is refused", () => {
    const r = compile("lr 1\ntotal 1e9\ncosine restart every 3 x 1e300\n");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["A219"]);
  });

  test("the largest multiplier allowed evaluates at late ticks in the emitted TF.js and PyTorch", () => {
    const ir = compile("lr 1\ntotal 1e12\ncosine restart every 3 x 1000\n").schedules[0]!.ir!;
    const steps = [5, 3003, 5e8, 1e12 - 1];
    const want = steps.map((t) => String(createEvaluator(ir).lrAt(t)));
    const code = emit("tfjs", ir, {}).text;
    const run = `import(${JSON.stringify(`data:text/javascript,${encodeURIComponent(code)}`)}).then((m) => console.log(${JSON.stringify(steps)}.map((t) => String(m.lrAt(t))).join(" ")))`;
    const js = spawnSync(process.execPath, ["-e", run], { encoding: "utf8", timeout: 5000 });
    expect(js.stdout.trim().split(" ")).toEqual(want);
    const py = emit("pytorch", ir, {}).text;
    const helper = py.slice(py.indexOf("def _restart_cycle"), py.indexOf("\n\n\n", py.indexOf("def _restart_cycle")));
    const r = spawnSync(pythonPath, ["-c", `import math\n${helper}\nprint(*[_restart_cycle(u, 3, 1000)[0] for u in (5, 3003, 5e8, 1e12 - 1)])`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    // Cycles start at offsets 0, 3, 3003, 3003003, ...: indices 1, 2, 3 and 4.
    expect(r.stdout.trim()).toBe("1 2 3 4");
  });
});

