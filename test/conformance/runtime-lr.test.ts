// The peak bound at run time (`lr ? 3e-4`), on real torch, Keras and optax: each schedule is
// emitted once and given several peaks as `lr=` (with `total=` or `steps_per_epoch=` where
// the file binds them too). The reference is the compiler itself with the same values,
// `compile(text, { overrides: { lr } })`, which is what `anneal eval --lr X` reads: where it
// reports errors (a peak of 0 or below, A212), the module must raise an AnnealError with that
// code and message; where it compiles, `lr_at`, a stepped scheduler and a resumed one must
// give the evaluator's rates at every step, within the closed form's 1e-12 (the torch tests').
// Constructs whose outcome depends on the peak's value are refused when emitting (A404).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile, emitIr, type ScheduleIR } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import type { RuntimeKey } from "../../packages/compiler/src/ir.js";
import { runtimeProgram } from "../../packages/compiler/src/check/schedule.js";
import { compareValues, describeMismatches, evaluatorFor, type Mismatch, OVERRIDE_KEY, type RuntimeCaseResult as CaseResult, samplePoints, settingsCaseMismatches } from "./corpus.js";
import { driverResult, type DriverOutcome, interpreters, runDriverEverywhere } from "./python.js";

/** The groups' own rates: an absolute schedule ignores them, so every group gets the same rate. */
const LRS = [0.1, 0.03];
const CLOSED_TOL = 1e-12;
const STEP_CAP = 150;

/** `[id, text, extra keywords drawn beside lr]`: absolute floors, percents, `peak / 10`, epochs and tokens. */
const SPECS: [string, string, Partial<Record<RuntimeKey, number>>[]][] = [
  ["floor", "lr ? 3e-4\ntotal 200\nwarmup 20 -> cosine to 1e-6\n", [{}]],
  ["percents-total", "lr ? 3e-4\ntotal ? 300\nwarmup 10% from 1% -> linear to 1e-5\n", [{}, { total: 137 }, { total: 420 }]],
  ["peak-let", "lr ? 0.1\nlet low = peak / 10\ntotal 150\nwarmup 15 from low -> cosine to low\n", [{}]],
  ["exp-constant", "lr ? 6e-4\ntotal 120\nwarmup 10 -> exp 80 to 1e-6 -> constant at 2e-5\n", [{}]],
  ["epochs", "lr ? 1e-3\ntotal 6 epochs\nsteps_per_epoch ? 20\nclock steps\nwarmup 1 epochs from 1% -> cosine to 1e-6\n", [{}, { steps_per_epoch: 13 }]],
  ["step-decay", "lr ? 0.1\ntotal 90\nwarmup 5 -> step by 0.5 every 20\n", [{}]],
  ["onecycle", "lr ? 0.01\ntotal 100\nonecycle\n", [{}]],
  ["restarts", "lr ? 3e-4\ntotal 120\nwarmup 10 -> cosine to 1e-6 restart every 30 x2 decay 0.5\n", [{}]],
  // A peak above 1 (A304) warns when it is passed, as `anneal check --lr` warns.
  ["high-peak", "lr ? 0.5\ntotal 60\nwarmup 6 -> cosine to 1e-4\n", [{}]],
  ["momentum", "lr ? 0.1\ntotal 100\nwarmup 10% -> cosine to 1e-4\nmomentum: linear 30% from 0.95 to 0.85 -> constant\n", [{}]],
];

/** Peaks as multiples of the preview, and ones the compiler refuses (0 and below). */
const PEAK_FACTORS = [0.37, 1, 2.5];
const BAD_PEAKS = [0, -1];
/** Peaks below the normal doubles, of either sign: A119, as for a written one. */
const SUBNORMAL_PEAKS = [1e-310, -3e-320];
/** A peak whose rates pass the 1e300 a learning rate may be: A109, as `anneal check --lr` says. */
const HUGE_PEAKS = [1e301];

interface Plan {
  id: string;
  file: string;
  text: string;
  emitted: ScheduleIR;
  kwargs: Partial<Record<RuntimeKey, number>>;
  errors: { code: string; message: string }[];
  /** The warnings compile() reports with these values that the module raises again (those of a passed setting). */
  warned: string[];
  ir?: ScheduleIR;
  points: number[];
  steps: number;
}

function compiled(text: string, kwargs: Partial<Record<RuntimeKey, number>>, clock: string) {
  const overrides: Record<string, string> = {};
  for (const [key, v] of Object.entries(kwargs) as [RuntimeKey, number][]) overrides[OVERRIDE_KEY[key]] = key === "total" ? `${v} ${clock}` : String(v);
  const r = compile(text, { overrides });
  const passed = new Set(Object.keys(kwargs));
  const waiting = new Set(runtimeProgram(r.schedules[0]!.ir ?? emitIr(compile(text).schedules[0]!)!)!.program.flatMap((st) => (st.kind === "check" && st.severity === "warning" && st.keys!.some((k) => passed.has(k)) ? [st.code] : [])));
  return {
    errors: r.diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, message: d.message })),
    warned: r.diagnostics.filter((d) => d.severity === "warning" && waiting.has(d.code)).map((d) => `${d.code}: ${d.message}`),
    ir: r.schedules[0]?.ir,
  };
}

const plans: Plan[] = [];
for (const [id, text, extras] of SPECS) {
  const emitted = emitIr(compile(text).schedules[0]!)!;
  const preview = emitted.peak!;
  const peaks = [undefined, ...PEAK_FACTORS.map((f) => f * preview), ...BAD_PEAKS.map((f) => f * preview), ...SUBNORMAL_PEAKS, ...HUGE_PEAKS];
  for (const extra of extras) {
    for (const lr of peaks) {
      const kwargs: Partial<Record<RuntimeKey, number>> = { ...extra, ...(lr === undefined ? {} : { lr }) };
      const { errors, warned, ir } = compiled(text, kwargs, emitted.clock);
      const plan: Plan = { id: `${id} ${JSON.stringify(kwargs)}`, file: `${id}.anneal`, text, emitted, kwargs, errors, warned, points: [], steps: 0 };
      if (errors.length === 0 && ir) Object.assign(plan, { ir, points: samplePoints(ir, plans.length, 20), steps: Math.min(ir.total + 3, STEP_CAP) });
      plans.push(plan);
    }
  }
}

describe("`lr ?` in the compiler", () => {
  test("the pytorch, keras and optax targets take `lr` without A405, and `anneal check` lists A109, A119, A212 and A304 among the checks that wait", () => {
    const r = compile(SPECS[0]![1]);
    const a240 = r.diagnostics.find((d) => d.code === "A240" && d.message.startsWith("`lr`"));
    expect(a240?.message).toContain("(A109, A119, A212, A304)");
    const ir = emitIr(r.schedules[0]!)!;
    for (const target of ["pytorch", "keras", "optax"] as const) {
      const out = emit(target, ir, { source: "floor.anneal", text: SPECS[0]![1] });
      expect(out.diagnostics.filter((d) => d.code === "A405" || d.code === "A404")).toEqual([]);
      expect(out.text).toContain("lr=None");
    }
    // `--native` composes torch's built-ins from the rates as numbers: it uses the preview and says so.
    const native = emit("pytorch-native", ir, { text: SPECS[0]![1] });
    expect(native.diagnostics.find((d) => d.code === "A405")?.message).toContain("uses the preview, 0.0003");
    expect(native.text).toContain("lr cannot be passed to this module");
  });

  test("`--lr` over `lr ?` gives the rates the module computes: `scale * lr + abs`", () => {
    const text = SPECS[2]![1];
    const ir = compiled(text, { lr: 0.3 }, "steps").ir!;
    // `peak / 10` at a peak of 0.3, as the module spells it: 0.1 * lr.
    expect(evaluatorFor(ir, 1).lrAt(0)).toBe(0.1 * 0.3);
    expect(ir.segments[0]!.from).toEqual({ scale: 0.1, abs: 0 });
  });

  test("a choice that depends on the peak's value keeps `lr` from being taken (A404), with what to write", () => {
    for (const text of ["lr ? 3e-4\ntotal 100\nwarmup 10 -> cosine to min(peak / 10, 1e-5)\n", "lr ? 3e-4\ntotal 100\nlet f = (peak + 1e-5) / peak\nwarmup 10 -> cosine to 1e-6 * f\n", "lr ? 3e-4\ntotal 100\nwarmup 10 -> cosine to peak - 1e-4\n"]) {
      const r = compile(text);
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const out = emit("pytorch", emitIr(r.schedules[0]!)!, { text });
      const a404 = out.diagnostics.find((d) => d.code === "A404");
      expect(a404?.message, text).toContain("write `lr` without `?` (`lr 3e-4`)");
      expect(out.text).toBe("");
    }
  });

  test("the plans have peaks that compile and peaks refused with A212", () => {
    expect(plans.filter((p) => p.errors.length === 0 && p.kwargs.lr !== undefined).length).toBeGreaterThan(20);
    expect(plans.filter((p) => p.errors.some((e) => e.code === "A212")).length).toBe(SPECS.reduce((n, s) => n + s[2].length, 0) * BAD_PEAKS.length);
    expect(plans.filter((p) => p.errors.some((e) => e.code === "A119")).length).toBe(SPECS.reduce((n, s) => n + s[2].length, 0) * SUBNORMAL_PEAKS.length);
    expect(plans.filter((p) => p.errors.some((e) => e.code === "A109")).length).toBe(SPECS.reduce((n, s) => n + s[2].length, 0) * HUGE_PEAKS.length);
    // A passed peak above 1 warns (A304) with the message `anneal check --lr` prints.
    expect(plans.find((p) => p.id === 'high-peak {"lr":1.25}')?.warned).toEqual(["A304: a peak learning rate of 1.25 is unusually high; did you mean 1.25e-4 or similar?"]);
  });
});


/** The TF.js module's `buildSchedule(options)`, as the tfjs run-time test reads it. */
interface TfjsModule {
  buildSchedule(options?: object): { totalSteps: number; lrAt(step: number): number };
}

describe("`lr ?` in TF.js: `buildSchedule({ lr })`", () => {
  test("equals the compiler with the same `--lr` (and `--total`, `--steps-per-epoch`), or throws its code and message", async () => {
    const tfDir = mkdtempSync(join(tmpdir(), "anneal-tfjs-lr-"));
    try {
      const modules = new Map<string, TfjsModule>();
      for (const [n, [, text]] of SPECS.entries()) {
        const r = emit("tfjs", emitIr(compile(text).schedules[0]!)!, { text });
        expect(r.diagnostics.filter((d) => d.code === "A405" || d.code === "A404")).toEqual([]);
        const path = join(tfDir, `schedule_${n}.mjs`);
        writeFileSync(path, r.text);
        modules.set(text, (await import(pathToFileURL(path).href)) as TfjsModule);
      }
      let compared = 0;
      for (const plan of plans) {
        const options = Object.fromEntries(Object.entries(plan.kwargs).map(([k, v]) => [OVERRIDE_KEY[k as RuntimeKey], v]));
        const m = modules.get(plan.text)!;
        if (plan.errors.length > 0) {
          const thrown = (() => {
            try {
              m.buildSchedule(options);
            } catch (e) {
              return e as Error;
            }
          })();
          expect(plan.errors.map((e) => `${e.code}: ${e.message}`), plan.id).toContain(thrown?.message);
          continue;
        }
        const s = m.buildSchedule(options);
        expect(s.totalSteps, plan.id).toBe(plan.ir!.total);
        const ev = evaluatorFor(plan.ir!, LRS[0]!);
        const ms: Mismatch[] = [];
        compareValues(`tfjs ${plan.id}`, plan.points, plan.points.map((t) => s.lrAt(t)), (t) => ev.lrAt(t), CLOSED_TOL, ms);
        expect(ms, describeMismatches(ms)).toEqual([]);
        compared++;
      }
      expect(compared).toBeGreaterThan(20);
    } finally {
      rmSync(tfDir, { recursive: true, force: true });
    }
  });
});

let dir = "";
const outcomes = new Map<string, DriverOutcome<CaseResult>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-runtime-lr-"));
  const written = new Map<string, { module: string; optax: string | null; keras: string | null }>();
  SPECS.forEach(([id, text], n) => {
    const ir = emitIr(compile(text).schedules[0]!)!;
    const path = (kind: string) => join(dir, `${kind}_${n}.py`);
    writeFileSync(path("module"), emit("pytorch", ir, { source: `${id}.anneal`, text }).text);
    writeFileSync(path("optax"), emit("optax", ir, { source: `${id}.anneal`, text }).text);
    writeFileSync(path("keras"), emit("keras", ir, { source: `${id}.anneal`, text }).text);
    written.set(text, { module: path("module"), optax: ir.clock === "steps" ? path("optax") : null, keras: ir.clock === "steps" ? path("keras") : null });
  });
  const cases = plans.map((p, i) => ({
    id: p.id,
    ...written.get(p.text)!,
    kwargs: p.kwargs,
    required: [],
    relative: false,
    lrs: LRS,
    points: p.points,
    steps: p.steps,
    resume_at: Math.floor(p.steps / 2),
    other_kwargs: null,
    optimizer: "sgd",
    past_end: false,
    jit: i % 4 === 0,
  }));
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  for (const [label, outcome] of await runDriverEverywhere<CaseResult>(join(import.meta.dirname, "runtime_driver.py"), casesPath, "run-time peak driver")) outcomes.set(label, outcome);
}, 360_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const py of interpreters) {
  describe(`the peak bound at run time on real torch, ${py.label}`, () => {
    test.for(plans)("$id", (plan, ctx) => {
      const r = driverResult(outcomes, py, plan.id, () => ctx.skip());
      if (plan.errors.length > 0) {
        const said = plan.errors.map((e) => `${e.code}: ${e.message}`);
        expect(r.error, `compile() reports ${said.join("; ")}`).not.toBeNull();
        expect(r.error!.type).toBe("AnnealError");
        expect(r.error!.is_value_error).toBe(true);
        expect(said).toContain(r.error!.text);
        if (r.optax_error) expect(said).toContain(r.optax_error.text);
        if (r.keras_error) expect(said).toContain(r.keras_error.text);
        return;
      }
      expect(r.error, r.error?.text).toBeNull();
      expect((r.build_warnings ?? []).map(([cls]) => cls).every((c) => c === "AnnealWarning")).toBe(true);
      expect((r.build_warnings ?? []).map(([, text]) => text).sort()).toEqual([...plan.warned].sort());
      const ir = plan.ir!;
      expect(r.total_steps).toBe(ir.total);
      const ms = settingsCaseMismatches(r, ir, plan.points, plan.steps, LRS, CLOSED_TOL);
      expect(ms, describeMismatches(ms)).toEqual([]);
      expect(r.resume_warnings).toEqual([]);
    });
  });
}
