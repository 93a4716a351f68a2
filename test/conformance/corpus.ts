// The conformance corpus and what every runtime test needs from it: the compiled schedules,
// the ticks worth checking, and a comparison that reports the first disagreements clearly.
//
// Expected values always come from the evaluator (`createEvaluator`), the reference every
// emitted file is held to; the values under test come from the real runtimes.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compile, createEvaluator, type Evaluator, type ScheduleIR } from "@anneal/compiler";
import { runtimeProgram } from "../../packages/compiler/src/check/schedule.js";
import { RUNTIME_OPTION, type RuntimeKey } from "../../packages/compiler/src/ir.js";

export const corpusDir = join(import.meta.dirname, "corpus");

export interface CorpusSchedule {
  /** `file.anneal` or `file.anneal#name` when the file has several schedules. */
  id: string;
  file: string;
  text: string;
  ir: ScheduleIR;
}

/** Every schedule of every corpus file; a file that does not compile cleanly is an error. */
export function loadCorpus(): CorpusSchedule[] {
  const out: CorpusSchedule[] = [];
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith(".anneal")).sort()) {
    const text = readFileSync(join(corpusDir, file), "utf8");
    const result = compile(text);
    if (result.hasErrors) {
      const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
      throw new Error(`corpus file ${file} does not compile:\n${errors.join("\n")}`);
    }
    for (const s of result.schedules) {
      out.push({ id: result.schedules.length > 1 ? `${file}#${s.name}` : file, file, text, ir: s.ir! });
    }
  }
  return out;
}

/** The ticks where something changes: every segment start after 0, and `total`. */
export function boundaries(ir: ScheduleIR): number[] {
  const b = new Set<number>();
  for (const s of ir.segments) if (s.start > 0) b.add(s.start);
  b.add(ir.total);
  return [...b].sort((x, y) => x - y);
}

/** A small deterministic generator (mulberry32), so sampled ticks are the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Ticks for pointwise checks of `lr_at`: both sides of every boundary, a tick before 0,
 * ticks past the end, fractional ticks, and random ones over the whole run.
 */
export function samplePoints(ir: ScheduleIR, seed: number, randomCount = 40): number[] {
  const pts = new Set<number>([-3, 0, 1, ir.total + 1, ir.total + 1000]);
  for (const b of boundaries(ir)) for (const d of [-1, 0, 1]) if (b + d >= 0) pts.add(b + d);
  for (const b of boundaries(ir)) if (b >= 1) pts.add(b - 0.5);
  const rnd = seededRandom(seed);
  for (let i = 0; i < randomCount; i++) pts.add(Math.floor(rnd() * ir.total));
  return [...pts].sort((x, y) => x - y);
}

/** `|a - b| / max(|a|, |b|)`, and 0 when both are the same number. */
export function relativeError(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

export interface Mismatch {
  where: string;
  got: number;
  expected: number;
  error: number;
}

/** Collects the values of `got` that differ from `expected` by more than `tolerance`. */
export function compareValues(
  label: string,
  ticks: readonly number[],
  got: readonly number[],
  expected: (t: number) => number,
  tolerance: number,
  into: Mismatch[],
): void {
  if (got.length !== ticks.length) {
    into.push({ where: `${label}: ${got.length} values for ${ticks.length} ticks`, got: NaN, expected: NaN, error: Infinity });
    return;
  }
  ticks.forEach((t, i) => {
    const e = expected(t);
    const err = relativeError(got[i]!, e);
    if (!(err <= tolerance)) into.push({ where: `${label} t=${t}`, got: got[i]!, expected: e, error: err });
  });
}

/** A readable failure message listing the first mismatches. */
export function describeMismatches(ms: readonly Mismatch[], limit = 12): string {
  const shown = ms.slice(0, limit).map((m) => `  ${m.where}: got ${m.got}, expected ${m.expected} (relative error ${m.error.toExponential(2)})`);
  const more = ms.length > limit ? `\n  ... and ${ms.length - limit} more` : "";
  return `${ms.length} values disagree:\n${shown.join("\n")}${more}`;
}

/** The evaluator for one parameter group: relative schedules scale that group's rate. */
export function evaluatorFor(ir: ScheduleIR, groupLr: number): Evaluator {
  return createEvaluator(ir, ir.relative ? groupLr : undefined);
}

/** `[start, start + 1, ..., end - 1]`. */
export function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

/**
 * Mismatches in double precision: within 1e-12 relative, or within 1e-15 of the peak where a
 * rate nears 0 by cancellation (`a + (b - a) p` at the end of a decay), since XLA fuses the
 * multiply and add into one rounding and moves such a value by a few units of the peak's last place.
 */
export function withinDouble(label: string, counts: readonly number[], got: readonly number[], at: (c: number) => number, peak: number): Mismatch[] {
  const out: Mismatch[] = [];
  if (got.length !== counts.length) return [{ where: `${label}: ${got.length} values for ${counts.length} counts`, got: NaN, expected: NaN, error: Infinity }];
  counts.forEach((c, i) => {
    const e = at(c);
    const err = relativeError(got[i]!, e);
    if (!(err <= 1e-12 || Math.abs(got[i]! - e) <= 1e-15 * peak)) out.push({ where: `${label} t=${c}`, got: got[i]!, expected: e, error: err });
  });
  return out;
}

/**
 * The rates a run-time case reports (runtime_driver.py), held to the evaluator of the IR
 * `compile()` gives for the same settings: `lr_at` (each group's in a relative schedule), a
 * stepped scheduler and its resume for every group within `tol`, and optax and Keras as
 * `frameworkMismatches` holds them (optax in double precision, 1e-12 relative or 1e-15 of
 * the peak where XLA's fused multiply-add moves a rate that nears 0; Keras in float32,
 * within 1e-6 of the peak, at points that include the tick before each end, where a `poly`
 * takes the float32-safe remainder `(len - u) / len`).
 */
export function settingsCaseMismatches(r: RuntimeCaseResult, ir: ScheduleIR, points: readonly number[], steps: number, lrs: readonly number[], tol: number): Mismatch[] {
  const ms: Mismatch[] = [];
  (ir.relative ? lrs : [lrs[0]!]).forEach((lr, g) => {
    const ev = evaluatorFor(ir, lr);
    compareValues(`lr_at group ${g}`, points, r.lr_at![g]!, (t) => ev.lrAt(t), tol, ms);
  });
  lrs.forEach((lr, g) => {
    const ev = evaluatorFor(ir, lr);
    compareValues(`stepped group ${g}`, range(0, steps), r.stepped![g]!, (t) => ev.lrAt(t), tol, ms);
    compareValues(`resumed group ${g}`, range(0, steps), r.resumed![g]!, (t) => ev.lrAt(t), tol, ms);
  });
  const ev0 = evaluatorFor(ir, lrs[0]!);
  ms.push(...frameworkMismatches(r, points, (t) => ev0.lrAt(t), ir.total));
  return ms;
}

/**
 * The optax and Keras rates a run-time case reports (runtime_driver.py), held to `at`: optax
 * in double precision (`withinDouble`), Keras in float32 within 1e-6 of the peak, as
 * frameworks.test.ts holds them; an error either raised is a mismatch too. The peak is the
 * largest rate over the first 200,000 ticks and the points.
 */
export function frameworkMismatches(r: RuntimeCaseResult, points: readonly number[], at: (t: number) => number, total: number): Mismatch[] {
  const out: Mismatch[] = [];
  const ran = (x: unknown[] | undefined, e: { text: string } | undefined) => x !== undefined || e !== undefined;
  if (!ran(r.optax, r.optax_error) && !ran(r.keras, r.keras_error)) return out;
  // The points count too: a long warmup peaks past the first 200,000 ticks.
  let peak = 0;
  for (let t = 0; t <= Math.min(total, 200_000); t++) peak = Math.max(peak, Math.abs(at(t)));
  for (const t of points) if (t >= 0 && t <= total) peak = Math.max(peak, Math.abs(at(t)));
  for (const [name, e] of [["optax", r.optax_error], ["keras", r.keras_error]] as const) if (e) out.push({ where: `${name} raised ${e.type}: ${e.text}`, got: NaN, expected: NaN, error: Infinity });
  if (r.optax) out.push(...withinDouble("optax (x64)", points, r.optax, at, peak));
  if (r.keras) {
    const keras = r.keras;
    points.forEach((t, i) => {
      const got = keras[i]!;
      if (!(Math.abs(got - at(t)) <= 1e-6 * peak)) out.push({ where: `keras (float32) t=${t}`, got, expected: at(t), error: Math.abs(got - at(t)) / peak });
    });
  }
  return out;
}

/**
 * Random values for the settings a generated module takes at run time, sometimes out of
 * range on purpose (0, or too small for the phases), for the run-time tests to give both the
 * module and `compile(text, { overrides })`.
 */
export function drawSettings(ir: ScheduleIR, rnd: () => number, required?: Partial<Record<RuntimeKey, number>>): Partial<Record<RuntimeKey, number>> {
  const out: Partial<Record<RuntimeKey, number>> = {};
  for (const s of runtimeProgram(ir)?.settings ?? []) {
    // A required keyword (a `?` with no preview) is always given, at the program's own scale.
    const scale = required?.[s.key] ?? s.value;
    if (s.refused || scale === undefined || (required?.[s.key] === undefined && rnd() < 0.25)) continue;
    const r = rnd();
    let v: number;
    // A peak is drawn around its preview, whatever its scale; 0 and below are refused (A212).
    if (s.key === "lr") v = r < 0.08 ? 0 : r < 0.16 ? -scale : scale * (0.3 + rnd() * 2);
    else if (r < 0.08) v = 0;
    else if (r < 0.2) v = s.key === "total" ? 1 + Math.floor(rnd() * 30) : Math.round(rnd() * 40) / 10;
    else v = s.key === "total" ? Math.max(1, Math.round(scale * (0.3 + rnd() * 2))) : Math.max(0.5, Math.round(scale * (0.3 + rnd() * 2) * 2) / 2);
    out[s.key] = v;
  }
  return out;
}

/** Each run-time setting's name in `compile()`'s overrides (the CLI's `--steps-per-epoch`). */
export const OVERRIDE_KEY = RUNTIME_OPTION;

/** Schedules written with `?` settings, in the forms the run-time program resolves: `[id, text]`. */
export const BOUND_SPECS: [string, string][] = [
  ["total-percent", "lr 3e-4\ntotal ? 1000\nwarmup 5% -> cosine to 1e-5\n"],
  ["total-steps-and-percent", "lr 0.1\ntotal ? 400\nwarmup 37 from 1% -> constant 20% -> linear to 0\n"],
  ["epochs-on-steps", "lr 1e-3\ntotal 12 epochs\nsteps_per_epoch ? 40\nclock steps\nwarmup 1 epochs -> cosine 0.5 epochs to 1e-4 -> poly power 2 to 1e-6\n"],
  ["tokens", "lr 6e-4\ntotal ? 900\ntokens_per_step ? 2048\nwarmup 0.2M tokens -> rex to 1e-6\n"],
  ["lets-min-max", "lr 0.01\ntotal ? 600\nsteps_per_epoch ? 25\nclock steps\nlet w = min(2 epochs, 10%)\nwarmup w -> sqrt 30% to 1e-6 -> exp to 1e-7\n"],
  ["relative-open", "total ? 300\nwarmup 10% from 0 -> linear to 10%\n"],
  ["momentum-chain", "lr 0.1\ntotal ? 500\nwarmup 10% -> cosine to 1e-4\nmomentum: linear 30% from 0.95 to 0.85 -> constant\n"],
];

/** A program of the run-time tests: its id, its text and its IR with the file's settings. */
export interface SettingsProgram {
  id: string;
  text: string;
  /** The schedule's IR, or, when a `?` has no preview value, the one the run-time targets read. */
  ir: ScheduleIR;
  /** The keywords written `?` with no preview value (required), and the scale their drawn values take. */
  required?: Partial<Record<RuntimeKey, number>>;
}

/** The corpus (whose written settings can be overridden) and the schedules written with `?` settings. */
export function boundPrograms(): SettingsProgram[] {
  return [
    ...loadCorpus().map((c) => ({ id: c.id, text: c.text, ir: c.ir })),
    ...BOUND_SPECS.map(([id, text]) => {
      const r = compile(text);
      if (r.hasErrors) throw new Error(`${id} does not compile: ${r.diagnostics.map((d) => d.message).join("; ")}`);
      return { id, text, ir: r.schedules[0]!.ir! };
    }),
  ];
}

/** One draw of settings for a program, and what `compile(text, { overrides })` says of them. */
export interface SettingsPlan {
  id: string;
  program: SettingsProgram;
  /** The settings by their Python keywords, and by their JavaScript option names. */
  kwargs: Partial<Record<RuntimeKey, number>>;
  options: Partial<Record<(typeof OVERRIDE_KEY)[RuntimeKey], number>>;
  /** The compiler's errors for this schedule with these settings, or (when there are none) its IR. */
  errors: { code: string; message: string }[];
  ir?: ScheduleIR;
}

/** `draws` drawn settings per program, each with the compiler's verdict on them. */
export function settingsPlans(programs: SettingsProgram[], rnd: () => number, draws: number): SettingsPlan[] {
  const plans: SettingsPlan[] = [];
  for (const program of programs) {
    for (let k = 0; k < draws; k++) {
      const kwargs = drawSettings(program.ir, rnd, program.required);
      const overrides: Record<string, string> = {};
      const options: SettingsPlan["options"] = {};
      for (const [key, v] of Object.entries(kwargs) as [RuntimeKey, number][]) {
        overrides[OVERRIDE_KEY[key]] = key === "total" ? `${v} ${program.ir.clock}` : String(v);
        options[OVERRIDE_KEY[key]] = v;
      }
      const r = compile(program.text, { overrides });
      // The errors that concern this schedule: all but those inside another schedule of the file.
      const others = r.schedules.filter((s) => s.name !== program.ir.name).map((s) => s.range);
      const errors = r.diagnostics
        .filter((d) => d.severity === "error" && !others.some((o) => d.range.start >= o.start && d.range.end <= o.end))
        .map((d) => ({ code: d.code, message: d.message }));
      const ir = r.schedules.find((s) => s.name === program.ir.name)?.ir;
      plans.push({ id: `${program.id} #${k} ${JSON.stringify(kwargs)}`, program, kwargs, options, errors, ...(errors.length === 0 && ir ? { ir } : {}) });
    }
  }
  return plans;
}

/**
 * A generated schedule with run-time settings: `?` totals, loader lengths and tokens, in the
 * shapes the program resolves. With `noPreview`, about 30% of the `?` settings have no
 * preview value, so their keywords are required.
 */
function generateProgram(rnd: () => number, n: number, noPreview: boolean): (SettingsProgram & { file: string }) | undefined {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const lines: string[] = [];
  if (rnd() < 0.7) lines.push(`lr ${pick(["0.1", "3e-4", "1e-3", "2 / sqrt(256 * 8000)"])}`);
  const kind = pick(["total", "epochs", "tokens"] as const);
  const units: string[] = ["5%", "10%", `${1 + Math.floor(rnd() * 40)}`];
  const required: Partial<Record<RuntimeKey, number>> = {};
  const preview = (key: RuntimeKey, value: number, spelled = String(value)) => {
    if (!noPreview || rnd() >= 0.3) return `? ${spelled}`;
    required[key] = value;
    return "?";
  };
  if (kind === "total") lines.push(`total ${preview("total", 100 + Math.floor(rnd() * 900))}`);
  if (kind === "epochs") {
    lines.push(`total ${2 + Math.floor(rnd() * 20)} epochs`, `steps_per_epoch ${preview("steps_per_epoch", 10 + Math.floor(rnd() * 90))}`, "clock steps");
    units.push("1 epochs", "0.5 epochs");
  }
  if (kind === "tokens") {
    lines.push(`total ${preview("total", 200 + Math.floor(rnd() * 800))}`);
    const [tps, spelled] = pick([[1000, "1k"], [2048, "2048"], [500_000, "0.5M"]] as const);
    lines.push(`tokens_per_step ${preview("tokens_per_step", tps, spelled)}`);
    units.push("2M tokens");
  }
  // Every decay keeps a positive floor, so an `exp` after it has a rate to start from.
  const decay = () => pick(["cosine to 1e-5", "linear to 10%", "poly power 2 to 1e-5", "sqrt to 1e-6", "rex to 1e-6", "exp to 1e-7", "constant", "linear to 1e-6"]);
  const phases = [`warmup ${pick(units)}${rnd() < 0.3 ? " from 1%" : ""}`];
  const middle = rnd() < 0.5 ? [`${decay()}`.replace(/^(\w+)/, `$1 ${pick(units)}`)] : [];
  phases.push(...middle, rnd() < 0.7 ? decay() : `${decay()}`.replace(/^(\w+)/, `$1 ${pick(units)}`));
  lines.push(phases.join(" -> "));
  const text = lines.join("\n") + "\n";
  const r = compile(text);
  // A draw whose previews already fail (a warmup of 2M tokens over a total of 300 steps) is
  // drawn again: the run-time tests try failing values on programs that compile.
  if (r.hasErrors) return undefined;
  const s = r.schedules[0]!;
  return { id: `generated-${n}`, text, ir: (s.ir ?? s.runTimeOnly?.ir)!, file: `generated-${n}.anneal`, ...(Object.keys(required).length > 0 ? { required } : {}) };
}

/** `count` generated schedules with run-time settings (`generated-0`, ...), drawn from `rnd`. */
export function generatedPrograms(rnd: () => number, count: number, noPreview = false): (SettingsProgram & { file: string })[] {
  const out: (SettingsProgram & { file: string })[] = [];
  for (let tries = 0; out.length < count && tries < count * 10; tries++) {
    const p = generateProgram(rnd, out.length, noPreview);
    if (p) out.push(p);
  }
  return out;
}

/** What runtime_driver.py reports for one case (the run-time settings tests). */
export interface RuntimeCaseResult {
  id: string;
  error: { type: string; code: string | null; text: string; is_value_error: boolean } | null;
  missing?: Record<string, [string, string] | null>;
  build_warnings?: [string, string][];
  lr_at?: number[][];
  stepped?: number[][];
  resumed?: number[][];
  total_steps?: number;
  resume_warnings?: string[];
  other_warnings?: [string, string][];
  past_end_warnings?: [string, string][];
  past_end_silenced?: [string, string][];
  optax?: number[];
  optax_error?: { type: string; text: string };
  keras?: number[];
  keras_error?: { type: string; text: string };
}
