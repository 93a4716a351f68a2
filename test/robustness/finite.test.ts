// Every rate finite, at the edges of the double range (`extremes.ts`): a file either is
// refused with located errors, or it checks clean and then every output holds finite rates
// that agree with the evaluator: `lrAt` and `fillExact` over bounded windows and at every
// boundary, `emit json` and `csv`, the SVG, terminal and sparkline plots (which must also
// agree that they can be drawn), and the emitted TF.js `lrAt`, run in-process from a data:
// URL and equal to the evaluator bit for bit. The work of compiling and drawing such a file
// is counted (V8 block coverage, as `properties.ts` does) and bounded by a constant, so a
// loop that grows with `total` or with the size of a ratio fails here rather than hangs.
// A fixed seed (ANNEAL_FUZZ_SEED replays another) and a fixed number of cases.

import fc from "fast-check";
import { compile, createEvaluator, emit, renderSvg, renderTerminal, sparkline, undrawable, type ScheduleIR } from "@anneal/compiler";
import { describe, expect, test } from "vitest";
import { extremeProgram } from "./extremes.js";
import { assertCompiles } from "./invariants.js";
import { countedWork } from "./properties.js";

const seed = Number(process.env.ANNEAL_FUZZ_SEED ?? 20_261_201);
const RUNS = Number(process.env.ANNEAL_FINITE_RUNS ?? 500);
/** Files up to this total are tabulated by `emit json` and `csv` in full. */
const TABLE_CAP = 5000;
/**
 * The counted work of compiling one file and drawing it three ways. The files here take a
 * few hundred thousand counts at most (the plots sample a bounded number of columns, the
 * evaluator's tables are bounded by the segment count); a loop over ticks of a schedule of
 * 2^53 ticks, or over the cycles of a ratio near 1e300, would take orders of magnitude more.
 */
const WORK_CAP = 5_000_000;

type LrAt = (step: number, baseLr?: number) => number;

async function importModule(text: string): Promise<Record<string, unknown>> {
  return (await import(`data:text/javascript;base64,${Buffer.from(text).toString("base64")}`)) as Record<string, unknown>;
}

/** The ticks read: the first and last few hundred, and around every segment's bounds. */
function windows(ir: ScheduleIR): [number, number][] {
  const out: [number, number][] = [[0, Math.min(ir.total + 3, 300)]];
  out.push([Math.max(0, ir.total - 100), 104]);
  for (const s of ir.segments) for (const t of [s.start, s.end]) out.push([Math.max(0, t - 3), 7]);
  return out;
}

function fail(why: string, text: string): never {
  throw new Error(`${why}\ninput: ${JSON.stringify(text)}`);
}

/** The rates of a `[step, lr]` table in the JSON, each a number. */
function jsonRates(text: string, src: string): number[] {
  if (/NaN|Infinity/.test(text)) fail("emit json writes NaN or Infinity", src);
  const doc = JSON.parse(text) as { rates: [number, unknown][] };
  return doc.rates.map(([t, v]) => (typeof v === "number" ? v : fail(`emit json writes ${JSON.stringify(v)} at tick ${t}`, src)));
}

/** Checks one file; returns the texts that checked clean, for the work bound. */
async function checkFile(text: string): Promise<boolean> {
  const r = assertCompiles(text)!;
  if (r.hasErrors) {
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    if (errors.length === 0 || errors.some((d) => d.range.end < d.range.start)) fail("refused without a located error", text);
    return false;
  }
  for (const s of r.schedules) {
    const ir = s.ir;
    if (!ir) fail(`schedule ${s.name} checks clean but was not lowered`, text);
    const bases = ir.relative ? [1, 3e-4] : [undefined];
    const mod = await importModule(emit("tfjs", ir).text);
    const tfLrAt = mod.lrAt as LrAt;
    for (const base of bases) {
      const ev = createEvaluator(ir, base);
      if (!Number.isFinite(ev.final)) fail(`final rate ${ev.final}`, text);
      for (const [start, n] of windows(ir)) {
        const exact = ev.fillExact(new Float64Array(n), start);
        for (let i = 0; i < n; i++) {
          const t = start + i;
          const v = ev.lrAt(t);
          if (!(Number.isFinite(v) && v >= 0)) fail(`schedule ${s.name}, base ${base}: lrAt(${t}) = ${v}`, text);
          if (!Object.is(exact[i], v)) fail(`schedule ${s.name}, base ${base}: fillExact at ${t} = ${exact[i]} but lrAt = ${v}`, text);
          const got = base === undefined ? tfLrAt(t) : tfLrAt(t, base);
          if (!Object.is(got, v)) fail(`schedule ${s.name}, base ${base}: TF.js lrAt(${t}) = ${got} but the evaluator gives ${v}`, text);
        }
      }
    }
    if (ir.total <= TABLE_CAP) {
      const ev = createEvaluator(ir, 1);
      const rates = jsonRates(emit("json", ir).text, text);
      rates.forEach((v, t) => {
        if (!Object.is(v, ev.lrAt(t))) fail(`emit json at tick ${t}: ${v} but lrAt = ${ev.lrAt(t)}`, text);
      });
      const csv = emit("csv", ir).text;
      if (/NaN|Infinity|null|undefined/.test(csv)) fail("emit csv writes a non-finite rate", text);
      const rows = csv.trim().split("\n").slice(1);
      if (rows.length !== ir.total + 1) fail(`emit csv has ${rows.length} rows for ${ir.total + 1} ticks`, text);
      for (const row of rows) if (!Number.isFinite(Number(row.split(",")[1]))) fail(`emit csv row ${row}`, text);
    }
    const why = undrawable([ir]);
    if (why !== undefined) fail(`a schedule that checks clean cannot be drawn: ${why}`, text);
    for (const svg of [renderSvg(ir), renderSvg(ir, { log: true }), renderSvg(ir, { compact: true })]) {
      if (/NaN|[Ii]nfinity|undefined/.test(svg)) fail(`the SVG holds ${/NaN|[Ii]nfinity|undefined/.exec(svg)![0]}`, text);
    }
    const term = renderTerminal(ir) + sparkline(ir, 40);
    if (/NaN|[Ii]nfinity|undefined/.test(term)) fail("the terminal plot or sparkline shows a non-finite value", text);
  }
  return true;
}

/** Compiling a file and drawing it as SVG (linear and log) and in the terminal. */
function compileAndDraw(text: string): void {
  for (const s of compile(text).schedules) {
    if (!s.ir) continue;
    renderSvg(s.ir);
    renderSvg(s.ir, { log: true });
    renderTerminal(s.ir);
  }
}

describe(`finite values at the edges of the double range (seed ${seed})`, () => {
  const clean: string[] = [];

  test("every file is refused with a located error or gives finite rates everywhere", async () => {
    await fc.assert(
      fc.asyncProperty(extremeProgram, async (text) => {
        if (await checkFile(text)) clean.push(text);
      }),
      { seed, numRuns: RUNS, endOnFailure: process.env.ANNEAL_FINITE_SHRINK !== "1" },
    );
    // The generator must reach both sides, or the property says little.
    expect(clean.length).toBeGreaterThan(RUNS / 10);
    expect(clean.length).toBeLessThan(RUNS);
  });

  test("compiling and drawing any of them is bounded work", () => {
    const texts = clean.slice(0, 60);
    const work = countedWork(texts, compileAndDraw);
    work.forEach((n, i) => {
      if (n > WORK_CAP) fail(`compiling and drawing counted ${n} steps, more than ${WORK_CAP}`, texts[i]!);
    });
  });
});
