// The robustness properties, by name, shared by `npm test` (a few thousand cases each, a
// fixed seed) and `npm run fuzz` (a million cases in all, bundled by scripts/fuzz.mjs).
// Each property throws on a counterexample, which fast-check then shrinks.
//
// - Any input: random vocabulary tokens, arbitrary Unicode and code units, mutated examples,
//   random overrides and lint levels all compile under the invariants of `invariants.ts`.
// - The formatter: whenever it formats, formatting again changes nothing, and the formatted
//   file means the same (the same IR, ranges aside, and the same diagnostic codes).
// - Valid programs (`programs.ts`): no errors; rates finite and non-negative at every sampled
//   tick; `fillExact` equals `lrAt` bit for bit and `fill` stays within its tolerance.
// - Work grows linearly: eight times the input counts under twelve times the steps.

import fc from "fast-check";
import { compile, type CompileOptions, type CompileResult, type LintLevel } from "@anneal/compiler";
import { FILL_TOLERANCE, rateAt } from "@anneal/compiler/evaluate";
import { format, KEYWORDS } from "@anneal/dsl";
import { Session } from "node:inspector";
import { anyText, mutatedExample, overrideValue, tokenText } from "./inputs.js";
import { assertCompiles } from "./invariants.js";
import { validProgram } from "./programs.js";

export interface RobustnessProperty {
  name: string;
  /** Cases in `npm test`. */
  runs: number;
  /** Relative share of the cases of a fuzz run. */
  weight: number;
  property: fc.IPropertyWithHooks<never> | fc.IProperty<unknown>;
}

/**
 * The IR of every schedule with source ranges removed: what a file means, not where it says
 * it. A range is any `{ start, end }` pair of offsets, whatever its key (`range`,
 * `nameRange`, where a run-time setting is refused), as the server's reuse of a compile
 * shifts them (packages/lsp/src/reuse.ts).
 */
export function meaning(r: CompileResult): unknown {
  const isRange = (v: unknown): boolean => typeof v === "object" && v !== null && Object.keys(v).length === 2 && typeof (v as { start?: unknown }).start === "number" && typeof (v as { end?: unknown }).end === "number";
  const strip = (_key: string, value: unknown) => (isRange(value) ? undefined : value);
  return JSON.parse(JSON.stringify(r.schedules.map((s) => ({ name: s.name, ir: s.ir })), strip));
}

function codes(r: CompileResult): string[] {
  return r.diagnostics.map((d) => d.code).sort();
}

/** Formats `text` if the formatter accepts it, and checks idempotence and meaning. */
export function assertFormatPreserves(text: string, before: CompileResult): void {
  let once: string | undefined;
  try {
    once = format(text);
  } catch (e) {
    throw new Error(`format threw: ${(e as Error)?.stack ?? String(e)}\ninput: ${JSON.stringify(text)}`);
  }
  if (once === undefined) return;
  const twice = format(once);
  if (twice !== once) throw new Error(`format is not idempotent:\nonce:  ${JSON.stringify(once)}\ntwice: ${JSON.stringify(twice)}\ninput: ${JSON.stringify(text)}`);
  const after = compile(once);
  const a = JSON.stringify(meaning(before));
  const b = JSON.stringify(meaning(after));
  if (a !== b) throw new Error(`formatting changed the meaning:\nbefore: ${a.slice(0, 600)}\nafter:  ${b.slice(0, 600)}\ninput: ${JSON.stringify(text)}\nformatted: ${JSON.stringify(once)}`);
  // The formatter drops whitespace, and U+FEFF between tokens is whitespace: an A320 it
  // removes is a fix, not a change of meaning.
  const ca = codes(before).filter((c) => c !== "A320" || once.includes("\ufeff")).join(" ");
  const cb = codes(after).join(" ");
  if (ca !== cb) throw new Error(`formatting changed the diagnostics: ${ca} -> ${cb}\ninput: ${JSON.stringify(text)}\nformatted: ${JSON.stringify(once)}`);
}

/**
 * Every lowered schedule, read tick by tick: rates finite and non-negative; `fillExact`
 * equal to `lrAt` bit for bit; `fill` within FILL_TOLERANCE of it, relative to the largest
 * rate of the segment (the generated programs never grow, so that is the larger of the
 * segment's start and end values).
 */
export function assertEvaluates(r: CompileResult, text: string): void {
  for (const s of r.schedules) {
    const ir = s.ir;
    const ev = s.evaluator;
    if (!ir || !ev) continue;
    const peak = ir.relative ? 1 : (ir.peak ?? 1);
    // Windows around every segment's start and the end of the schedule, a few thousand ticks in all.
    const windows = new Map<number, number>();
    for (const seg of ir.segments) windows.set(Math.max(0, seg.start - 64), 192);
    windows.set(Math.max(0, ir.total - 200), 400);
    for (const [start, n] of windows) {
      const exact = ev.fillExact(new Float64Array(n), start);
      const fast = ev.fill(new Float64Array(n), start);
      for (let i = 0; i < n; i++) {
        const t = start + i;
        const v = ev.lrAt(t);
        const fail = (why: string) => new Error(`schedule ${s.name}, tick ${t}: ${why}\ninput: ${JSON.stringify(text)}`);
        if (!(Number.isFinite(v) && v >= 0)) throw fail(`lrAt = ${v}`);
        if (!Object.is(exact[i], v)) throw fail(`fillExact = ${exact[i]} but lrAt = ${v}`);
        const seg = ir.segments.find((x) => x.start <= t && t < x.end);
        const top = seg ? Math.max(Math.abs(rateAt(seg.from, peak)), Math.abs(rateAt(seg.to, peak))) : Math.abs(ev.final);
        if (!(Math.abs(fast[i]! - v) <= FILL_TOLERANCE * top)) throw fail(`fill = ${fast[i]} but lrAt = ${v} (tolerance ${FILL_TOLERANCE * top})`);
      }
    }
  }
}

const LEVELS: LintLevel[] = ["off", "hint", "info", "warning", "error"];
const lintMap = fc.dictionary(fc.constantFrom("A305", "A306", "A302", "A313", "A309", "A104", "A201", "A000", "A999", "constructor", "__proto__"), fc.constantFrom(...LEVELS), { maxKeys: 4 });
const overrides = fc.record(
  { total: overrideValue, lr: overrideValue, stepsPerEpoch: overrideValue, tokensPerStep: overrideValue },
  { requiredKeys: [] },
);

/** A synchronous call into V8's inspector (a same-thread session answers before `post` returns). */
function inspect<T>(session: Session, method: string, params?: object): T {
  let out: T | undefined;
  let failure: Error | null = null;
  session.post(method, params ?? {}, (err, result) => {
    failure = err;
    out = result as T;
  });
  if (failure) throw failure;
  return out!;
}

interface Coverage {
  result: { functions: { ranges: { count: number }[] }[] }[];
}

/**
 * The work of one compile, counted: V8's precise block coverage counts how often every
 * function and every block (each loop iteration, each branch taken) of JavaScript runs,
 * so the sum of the counts grows with the work done, exactly and on any machine. Wall-clock
 * time would not do: on a small input the whole heap fits in the CPU's caches and the young
 * generation, and a file ten times larger costs thirty to fifty times as much per token
 * for reasons that have nothing to do with the algorithm.
 */
export function countedWork(texts: string[], run: (text: string) => unknown = compile): number[] {
  const session = new Session();
  session.connect();
  try {
    inspect(session, "Profiler.enable");
    inspect(session, "Profiler.startPreciseCoverage", { callCount: true, detailed: true });
    return texts.map((text) => {
      inspect<Coverage>(session, "Profiler.takePreciseCoverage");
      run(text);
      let n = 0;
      for (const script of inspect<Coverage>(session, "Profiler.takePreciseCoverage").result)
        for (const f of script.functions) for (const r of f.ranges) n += r.count;
      return n;
    });
  } finally {
    inspect(session, "Profiler.stopPreciseCoverage");
    session.disconnect();
  }
}

/** `k` copies of `text`, each with its names suffixed, so schedules and names stay distinct. */
export function freshCopies(text: string, k: number): string {
  const reserved = new Set(KEYWORDS);
  return Array.from({ length: k }, (_, i) => text.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (w) => (reserved.has(w) ? w : `${w}_${i}`))).join("\n");
}

/**
 * Eight times the input must cost less than twelve times the work to compile (sixteen to
 * format): a linear stage costs eight, sorting a little more (n log n), a quadratic stage
 * sixty-four on the part it dominates. Both sides are many copies of the input, some 6 kB
 * and 48 kB, so that a stage quadratic in the number of schedules, names or errors shows
 * against the work that is linear in them. (The stages this suite caught measured 14 to 58.)
 */
export function assertLinear(text: string): void {
  const base = text.trim() === "" ? "lr" : text;
  const m = Math.max(1, Math.floor(6_000 / base.length));
  const texts = [freshCopies(base, m), freshCopies(base, 8 * m)];
  // The formatter sorts every token and comment, so its share grows by n log n: up to
  // 8 * log(8n) / log(n), some 12, for a small input.
  for (const [what, run, limit] of [["compiling", compile, 12], ["formatting", format, 16]] as const) {
    const [small, big] = countedWork(texts, run);
    if (big! > limit * small!) throw new Error(`${what} ${8 * m} copies counted ${big} steps, ${m} copies ${small}: ${(big! / small!).toFixed(1)} times as many\ninput: ${JSON.stringify(text)}`);
  }
}

export function robustnessProperties(examples: readonly string[]): RobustnessProperty[] {
  const compiles = (text: string) => void assertCompiles(text);
  return [
    { name: "token sequences compile", runs: 2500, weight: 30, property: fc.property(tokenText(), compiles) },
    { name: "arbitrary text compiles", runs: 2500, weight: 15, property: fc.property(anyText, compiles) },
    { name: "mutated examples compile", runs: 1500, weight: 25, property: fc.property(mutatedExample(examples), compiles) },
    {
      name: "overrides and lint levels",
      runs: 800,
      weight: 5,
      property: fc.property(fc.oneof(validProgram, mutatedExample(examples)), overrides, lintMap, (text, o, lint) => {
        const options: CompileOptions = { overrides: o, lint };
        assertCompiles(text, options);
      }),
    },
    {
      name: "formatter on random input",
      runs: 1500,
      weight: 10,
      property: fc.property(fc.oneof(tokenText(40), mutatedExample(examples)), (text) => {
        const r = assertCompiles(text);
        if (r) assertFormatPreserves(text, r);
      }),
    },
    {
      name: "valid programs",
      runs: 600,
      weight: 15,
      property: fc.property(validProgram, (text) => {
        const r = assertCompiles(text)!;
        const errors = r.diagnostics.filter((d) => d.severity === "error");
        if (errors.length > 0) throw new Error(`a valid program has errors: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}\ninput: ${JSON.stringify(text)}`);
        if (r.schedules.some((s) => !s.ir)) throw new Error(`a schedule was not lowered\ninput: ${JSON.stringify(text)}`);
        assertFormatPreserves(text, r);
        assertEvaluates(r, text);
      }),
    },
    { name: "work grows linearly", runs: 6, weight: 0.004, property: fc.property(fc.oneof(tokenText(120), mutatedExample(examples), validProgram), assertLinear) },
  ];
}
