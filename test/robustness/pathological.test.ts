// Pathological inputs, one test each, with explicit bounds: each gets its diagnostic (or
// works), without a stack overflow, within the test's time limit; the large files run in a
// child process whose heap is capped, so "bounded memory" is a limit the run must keep
// rather than a number it reports.
//
// The 10 MB file of schedule blocks takes some 30 seconds and 2.8 GB (chevrotain's concrete
// tree is some 300 bytes per byte of source), so it runs only with ANNEAL_SLOW=1, as
// `npm run fuzz` sets; `npm test` runs the same file at 1 MB under a 1 GB heap. The CLI
// refuses files over 2 MiB (cli.test.ts in this folder).

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { compile } from "@anneal/compiler";
import { format } from "@anneal/dsl";
import { assertCompiles } from "./invariants.js";

const root = join(import.meta.dirname, "..", "..");
const bundle = join(root, "packages", "compiler", "dist", "index.mjs");
const slow = process.env.ANNEAL_SLOW === "1";

beforeAll(() => {
  if (!existsSync(bundle)) spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
});

/**
 * Compiles a generated file in a child process with `heapMb` of heap at most, and returns
 * what it reports. The file is built inside the child, so the parent never holds it.
 */
function compileInChild(make: string, heapMb: number, timeoutMs: number): { ms: number; diagnostics: number; internal: number; schedules: number; heapMb: number } {
  const script = `
    import { compile } from ${JSON.stringify(`file://${bundle}`)};
    const text = (${make})();
    const t0 = performance.now();
    const r = compile(text);
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ ms, bytes: text.length, diagnostics: r.diagnostics.length, internal: r.diagnostics.filter((d) => d.code === "A000").length, schedules: r.schedules.length, heapMb: process.memoryUsage().heapUsed / 2 ** 20 }));`;
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, "--input-type=module", "-e", script], { encoding: "utf8", timeout: timeoutMs });
  if (r.error || r.status !== 0) throw new Error(`child failed (${r.error?.message ?? `status ${r.status}`}): ${r.stderr.slice(0, 400)}`);
  return JSON.parse(r.stdout);
}

const BLOCKS = (mb: number) => `() => {
  const lines = [];
  for (let i = 0, n = 0; n < ${mb} * 1e6; i++) {
    const line = \`schedule s\${i} { lr 3e-4 total 100k warmup 4% -> cosine to 1e-6 }\\n\`;
    lines.push(line);
    n += line.length;
  }
  return lines.join("");
}`;

describe("large files", () => {
  test("1 MB of schedule blocks: every schedule lowered, within a 1 GB heap", () => {
    const r = compileInChild(BLOCKS(1), 1024, 120_000);
    expect(r.internal).toBe(0);
    expect(r.diagnostics).toBe(0);
    expect(r.schedules).toBeGreaterThan(15_000);
  }, 130_000);

  test.skipIf(!slow)("10 MB of schedule blocks, within a 4 GB heap (ANNEAL_SLOW=1)", () => {
    const r = compileInChild(BLOCKS(10), 4096, 600_000);
    expect(r.internal).toBe(0);
    expect(r.schedules).toBeGreaterThan(140_000);
    console.log(`10 MB: ${(r.ms / 1000).toFixed(1)} s, ${r.heapMb.toFixed(0)} MB of heap after`);
  }, 620_000);

  test("a chain of 10,000 phases is formatted one arrow to a line (longer than 100 columns)", () => {
    const text = `lr 1\ntotal 100k\n${Array.from({ length: 10_000 }, () => "constant 1").join(" -> ")}\n`;
    expect(format(text)!.split("\n")).toHaveLength(10_000 + 3);
  });

  test("10 MB in a few tokens: one comment, one name, one number", () => {
    const big = 10 * 2 ** 20;
    const comment = `# ${"x".repeat(big)}\nlr 1\ntotal 10\ncosine\n`;
    expect(assertCompiles(comment)!.schedules[0]!.ir).toBeDefined();
    expect(assertCompiles(`lr ${"a".repeat(big)}\ntotal 10\ncosine\n`)!.diagnostics.map((d) => d.code)).toEqual(["A101"]);
    expect(assertCompiles(`lr ${"1".repeat(big)}\ntotal 10\ncosine\n`)!.diagnostics.map((d) => d.code)).toEqual(["A109"]);
    expect(format(comment)).toBe(comment);
  });

  test("100,000 phases in one chain: lowered and evaluated at its end", () => {
    const text = `lr 1\ntotal 100k\n${Array.from({ length: 100_000 }, (_, i) => `constant 1 at ${i % 2}`).join(" -> ")}\n`;
    const r = assertCompiles(text)!;
    const ir = r.schedules[0]!.ir!;
    expect(ir.segments).toHaveLength(100_000);
    expect(r.schedules[0]!.evaluator!.lrAt(99_999)).toBe(1);
    expect(r.schedules[0]!.evaluator!.lrAt(99_998)).toBe(0);
  });
});

describe("numbers at the edges", () => {
  // [source, the codes it must give]; an empty list means it compiles without a diagnostic.
  const cases: [string, string[]][] = [
    ["lr 1e400\ntotal 10\ncosine\n", ["A109"]],
    ["lr -0\ntotal 10\ncosine\n", ["A212"]],
    ["lr 1\ntotal 10\ncosine to -0\n", []],
    ["lr NaN\ntotal 10\ncosine\n", ["A101"]],
    ["lr 1\ntotal 10\nwarmup 0 -> cosine\n", ["A206"]],
    ["lr 1\ntotal 1e18\ncosine\n", ["A218"]],
    ["lr 1\ntotal 100\ncosine 1e18\n", ["A204"]],
    ["lr 1\ntotal 1\ncosine\n", []],
    ["lr 1\ntotal 1\nwarmup 1 -> cosine\n", ["A205"]],
    ["lr 1\ntotal 1M\ncosine restart every 1\n", []],
    ["lr 1\ntotal 10\nwarmup 1e-9% -> cosine\n", ["A206"]],
    ["lr 1\ntotal 2^53\ncosine\n", ["A001", "A002"]],
    ["lr 1\ntotal 9007199254740991\ncosine\n", []],
    // 2^53 and 2^53 + 1 are one double, so neither is taken at its word.
    ["lr 1\ntotal 9007199254740992\ncosine\n", ["A218"]],
    ["lr 1\ntotal 9007199254740993\ncosine\n", ["A218"]],
    // Rates below the normal range of doubles (plot labels read `Infinitye-323`).
    ["lr 5e-324\ntotal 10\ncosine\n", ["A119"]],
    ["lr 1\ntotal 10\nexp to 5e-324\n", ["A119"]],
    ["lr 1\ntotal 10\nexp to 2.2250738585072014e-308\n", []],
    ["lr 1\ntotal 10\ncosine to 1 / 0\n", ["A109"]],
    ["lr 1\ntotal 10\ncosine restart every 1 x 1e308 decay 1e-308\n", ["A219"]],
    ["lr 1\ntotal 10\ncosine restart every 1 x 1000 decay 1e-308\n", ["A309"]],
  ];
  for (const [text, expected] of cases)
    test(JSON.stringify(text), () => {
      const r = assertCompiles(text)!;
      expect(r.diagnostics.map((d) => d.code)).toEqual(expected);
    });

  test("a restart period of 1 over 1M steps: every tick starts a cycle at the peak", () => {
    const ev = compile("lr 1\ntotal 1M\ncosine restart every 1\n").schedules[0]!.evaluator!;
    const out = ev.fillExact(new Float64Array(1_000_000), 0);
    expect(out.every((v) => v === 1)).toBe(true);
  });

  test("fill and lrAt on 2^53 - 1 ticks, at and past the end", () => {
    const ev = compile("lr 1\ntotal 9007199254740991\nwarmup 50% -> cosine\n").schedules[0]!.evaluator!;
    const out = ev.fill(new Float64Array(4), 2 ** 53 - 3);
    expect([...out].every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(ev.lrAt(2 ** 53)).toBe(ev.final);
    expect(ev.lrAt(Number.MAX_VALUE)).toBe(ev.final);
    expect(ev.lrAt(-Number.MAX_VALUE)).toBe(0);
    expect(ev.lrAt(Number.NaN)).toBeNaN();
  });
});
