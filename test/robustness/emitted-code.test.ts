// The code Anneal emits, for generated programs: every target is produced without an
// exception; the JavaScript and the typings parse (esbuild's parser, in-process); the Python
// compiles (one `python3` process for the whole batch, `ast.parse` + `compile`, which is
// what `py_compile` does); the JSON parses. The TF.js modules are then run, all in one
// child process with a time limit (a hang is a failure, not a stuck test), and must give
// `lrAt` bit for bit at a sample of ticks. The PyTorch modules import torch, so running them
// is the conformance suite's job where torch is installed.

import fc from "fast-check";
import { transformSync } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { compile, type CompiledSchedule } from "@anneal/compiler";
import { emit, EMIT_TARGETS } from "../../packages/compiler/src/emit/index.js";
import { runPython } from "../conformance/python.js";
import { validProgram } from "./programs.js";

const seed = Number(process.env.ANNEAL_FUZZ_SEED ?? 20_240_917);
const PROGRAMS = Number(process.env.ANNEAL_EMIT_PROGRAMS ?? 60);
/** Time for one test: a minute, and more when the fuzz asks for thousands of programs. */
const LIMIT = 60_000 + PROGRAMS * 100;

/** Schedules with extreme but valid values that generated programs rarely reach. */
const EXTREMES = [
  "lr 1\ntotal 1\nconstant\n",
  "lr 1e-300\ntotal 9007199254740991\ncosine\n",
  "lr 1e300\ntotal 100\nwarmup 10 -> cosine\n",
  "lr 1\ntotal 1M\ncosine restart every 1\n",
  "lr 1\ntotal 1M\ncosine restart every 7 x 1.0000001 decay 0.999\n",
  "lr 1\ntotal 100\nstep by 5e-324 every 1\n",
  "lr 1\ntotal 100k\nexp gamma 0.5\n",
  "lr 1\ntotal 1000\npoly 500 power 1e-300 -> poly power 1e300\n",
  "total 1000\nwarmup 999 exp from 1e-300 -> rsqrt timescale 9007199254740992\n",
];

interface Case {
  text: string;
  schedule: CompiledSchedule;
}

function cases(): Case[] {
  const texts = [...EXTREMES, ...fc.sample(validProgram, { seed, numRuns: PROGRAMS })];
  return texts.flatMap((text) => {
    const r = compile(text);
    expect(r.diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
    return r.schedules.map((schedule) => ({ text, schedule }));
  });
}

const dir = mkdtempSync(join(tmpdir(), "anneal-emit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Ticks to compare at: both ends, every segment bound, past the end, and a spread between. */
function ticksOf(s: CompiledSchedule): number[] {
  const ir = s.ir!;
  const out = new Set([0, ir.total - 1, ir.total, ir.total + 7]);
  for (const seg of ir.segments) for (const t of [seg.start, seg.end - 1]) out.add(t);
  for (let i = 1; i < 16; i++) out.add(Math.floor((ir.total * i) / 16));
  return [...out].filter((t) => t >= 0);
}

describe("emitted code", () => {
  const all = cases();

  test(`every target emits for ${all.length} schedules, and the JavaScript, typings and JSON parse`, () => {
    for (const c of all) {
      for (const target of EMIT_TARGETS) {
        // JSON and CSV list every tick; their size, not their syntax, is what a long
        // schedule tests (regressions.test.ts has the schedule too long to tabulate).
        if ((target === "csv" || target === "json") && c.schedule.ir!.total > 100_000) continue;
        let out: ReturnType<typeof emit>;
        try {
          out = emit(target, c.schedule.ir!, { source: "gen.anneal", text: c.text });
        } catch (e) {
          throw new Error(`emit ${target} threw: ${(e as Error).stack}\ninput: ${JSON.stringify(c.text)}`);
        }
        if (out.diagnostics.some((d) => d.severity === "error")) continue;
        if (target === "tfjs") expect(() => transformSync(out.text, { loader: "js", format: "esm" }), c.text).not.toThrow();
        if (target === "tfjs-dts") expect(() => transformSync(out.text, { loader: "ts" }), c.text).not.toThrow();
        if (target === "json") expect(() => JSON.parse(out.text), c.text).not.toThrow();
      }
    }
  }, LIMIT);

  test("the Python compiles, the whole batch in one interpreter", async () => {
    const sources: { name: string; text: string }[] = [];
    for (const [i, c] of all.entries())
      for (const target of ["pytorch", "pytorch-native"] as const) {
        const out = emit(target, c.schedule.ir!, { source: "gen.anneal", text: c.text });
        if (out.text !== "") sources.push({ name: `${i}-${target}: ${JSON.stringify(c.text)}`, text: out.text });
      }
    const check = String.raw`
import ast, json, sys
bad = []
for item in json.load(sys.stdin):
    try:
        compile(ast.parse(item["text"]), item["name"], "exec")
    except SyntaxError as exc:
        bad.append("%s: %s (line %s)" % (item["name"], exc.msg, exc.lineno))
print(json.dumps(bad))
`;
    const r = await runPython(["-c", check], JSON.stringify(sources));
    if (r.spawnError) throw new Error(`cannot start Python: ${r.spawnError}`);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(sources.length).toBeGreaterThan(all.length);
  }, LIMIT);

  test("the TF.js modules run and equal lrAt bit for bit, in a child process with a time limit", () => {
    const jobs = all.map((c, i) => {
      const file = join(dir, `m${i}.mjs`);
      writeFileSync(file, emit("tfjs", c.schedule.ir!, { source: "gen.anneal", text: c.text }).text);
      const ticks = ticksOf(c.schedule);
      return { url: pathToFileURL(file).href, ticks, expected: ticks.map((t) => c.schedule.evaluator!.lrAt(t)), text: c.text };
    });
    const jobsFile = join(dir, "jobs.json");
    writeFileSync(jobsFile, JSON.stringify(jobs));
    const runner = `
      import { readFileSync } from "node:fs";
      const bad = [];
      for (const job of JSON.parse(readFileSync(process.argv[1], "utf8"))) {
        const m = await import(job.url);
        job.ticks.forEach((t, i) => {
          const got = m.RELATIVE ? m.lrAt(t, 1) : m.lrAt(t);
          if (!Object.is(got, job.expected[i])) bad.push({ text: job.text, tick: t, got, expected: job.expected[i] });
        });
      }
      console.log(JSON.stringify(bad.slice(0, 10)));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", runner, jobsFile], { encoding: "utf8", timeout: LIMIT - 5000, maxBuffer: 64 * 2 ** 20 });
    expect(r.error?.message ?? "", "the emitted modules must finish").toBe("");
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([]);
  }, LIMIT);
});
