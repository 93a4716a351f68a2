// Settings bound at run time, on real torch: every corpus schedule and a seeded generator of
// schedules with `?` settings are emitted once, and the module is then given random bound
// values as keywords (`total`, `steps_per_epoch`, `tokens_per_step`). For each set of values
// the reference is the compiler itself, `compile(text, { overrides })`, which is what
// `anneal eval --total X --steps-per-epoch Y` reads: where it reports errors, the module
// must raise an AnnealError (a ValueError) with one of their codes and exactly its message;
// where it compiles, `lr_at` and a stepped scheduler must give the evaluator's rates at
// every step (within the other torch tests' 1e-12: every tick is exact, and only Python's
// `**` may differ in the last bit), and a resume across `torch.save`d state dicts must too.
// One Python process per interpreter runs every case.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile, emitIr, type ScheduleIR } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import type { RuntimeKey } from "../../packages/compiler/src/ir.js";
import { runtimeProgram } from "../../packages/compiler/src/check/schedule.js";
import { describeMismatches, drawSettings as draw, generatedPrograms, loadCorpus, OVERRIDE_KEY, type RuntimeCaseResult as CaseResult, samplePoints, seededRandom, settingsCaseMismatches } from "./corpus.js";
import { driverResult, type DriverOutcome, interpreters, runDriverEverywhere } from "./python.js";

const LRS = [0.1, 0.03];
/**
 * The closed form's tolerance in the PyTorch tests (torch.test.ts): Python's `**` and
 * `math.exp` may differ from JavaScript's in the last bit; every tick and branch is exact.
 */
const CLOSED_TOL = 1e-12;
const STEP_CAP = 150;
/** Value sets per schedule. */
const DRAWS = 3;
/** Generated schedules. */
const GENERATED = 50;
/** Schedules up to this total are also stepped past twice their total, for the guard. */
const PAST_END_CAP = 200;

interface Program {
  id: string;
  text: string;
  /** The schedule's IR, or, when a `?` has no preview value, the one the run-time targets read. */
  ir: ScheduleIR;
  file: string;
  /** The keywords written `?` with no preview value (required), and the scale their drawn values take. */
  required?: Partial<Record<RuntimeKey, number>>;
}

/** The IR the run-time targets read: the schedule's, or the run-time one when a setting has no preview. */
function emittedIR(text: string): ScheduleIR | undefined {
  const s = compile(text).schedules[0];
  return s && emitIr(s);
}

/**
 * Schedules that write a `?` with no preview value, with the scale of the values to bind:
 * a relative total, a loader length, a token count, and the warnings that wait for the
 * total (a hold at the end, A302, and a long warmup, A305).
 */
const NO_PREVIEW: [string, string, Partial<Record<RuntimeKey, number>>][] = [
  ["no-preview-total", "total ?\nwarmup 5% -> cosine to 1e-3\n", { total: 400 }],
  ["no-preview-loader", "lr 0.1\ntotal 12 epochs\nsteps_per_epoch ?\nclock steps\nwarmup 1 epochs from 1% -> cosine to 1e-5\n", { steps_per_epoch: 30 }],
  ["no-preview-tokens", "lr 3e-4\ntotal ? 600\ntokens_per_step ?\nwarmup 2M tokens -> linear to 10%\n", { tokens_per_step: 20_000 }],
  ["no-preview-hold", "lr 0.1\ntotal ?\nwarmup 20 -> cosine 60 to 1e-4\n", { total: 120 }],
  ["no-preview-warmup", "lr 0.1\ntotal ?\nwarmup 60 -> poly power 2 to 1e-5\n", { total: 250 }],
];

/**
 * Step decays in epochs on a step clock with a run-time `steps_per_epoch`: `every` and the
 * milestones are tick variables of the program, and so is the end they decay to (held
 * past the end, or through a hold). Epoch counts that are not whole multiples make the
 * rounding of epochs to steps differ between draws.
 */
const STEP_DECAY: [string, string][] = [
  ["step-every-epochs", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep by 0.1 every 3 epochs\n"],
  ["step-every-fraction", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep by 0.5 every 1.3 epochs\n"],
  ["step-milestones-epochs", "lr 0.1\ntotal 10 epochs\nsteps_per_epoch ? 6\nclock steps\nstep by 0.1 at 2.5, 5, 7.5 epochs\n"],
  ["step-relative-warmup-hold", "total 12 epochs\nsteps_per_epoch ? 8\nclock steps\nwarmup 1 epochs -> step 7.7 epochs by 0.5 every 1.7 epochs\n"],
  ["step-total-open", "lr 3e-4\ntotal ? 120\nwarmup 10 -> step by 0.5 every 25\n"],
  ["gamma-per-epoch", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nexp gamma 0.9 per epoch\n"],
  ["gamma-relative-warmup-hold", "total 12 epochs\nsteps_per_epoch ? 8\nclock steps\nwarmup 1 epochs -> exp 7.7 epochs gamma 0.8 per epoch\n"],
  ["gamma-per-step-epoch-clock", "lr 0.1\ntotal 20\nsteps_per_epoch ? 50\nclock epochs\nwarmup 2 -> exp gamma 0.999 per step\n"],
  ["gamma-total-open", "lr 3e-4\ntotal ? 120\nwarmup 10 -> exp gamma 0.97\n"],
  // Phases that start where such a decay ends, at the rate the program computes: a line to
  // its own end, a hold (whose rate is then held past the end too), a cosine after gamma.
  ["step-then-linear", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep 6 epochs by 0.1 every 2 epochs -> linear to 0\n"],
  ["step-then-constant", "lr 0.1\ntotal ? 150\nwarmup 10 -> step 60% by 0.5 every 25 -> constant\n"],
  ["gamma-then-cosine", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nexp 6 epochs gamma 0.9 per epoch -> cosine to 1e-4\n"],
  ["restart-then-constant-then-linear", "lr 0.1\ntotal 12 epochs\nsteps_per_epoch ? 6\nclock steps\ncosine 7 epochs to 1e-4 restart every 2 epochs -> constant 2 epochs -> linear to 0\n"],
  // Factors above 1: the rate rises to where the phase ends, which the program checks
  // against the largest rate (A109). 10 ** 300 steps past 1e-3 stays below 1e300 at the
  // preview's 300 steps, and passes it from 301: most drawn totals above the preview fail.
  ["step-grows-then-linear", "lr 1e-3\ntotal ? 500\nstep 60% by 2 every 50 -> linear to 1e-4\n"],
  ["gamma-grows-past-largest", "lr 1e-3\ntotal ? 1000\nexp 30% gamma 10 -> constant\n"],
  // Warm restarts whose cycles grow: the largest rate is the top of the last cycle begun,
  // `decay ** k` times the start. Cycles of one step each end where the phase ends, on the
  // floor, so only that top can fail: 0.1 * 3 ** 631 passes 1e300, so a restart phase of
  // 632 steps or more (a total from 642) fails A109, and the preview's 600 passes.
  ["sgdr-cycles-grow", "lr 0.1\ntotal ? 600\nwarmup 10 -> cosine to 1e-4 restart every 1 decay 3\n"],
  ["sgdr-grow-epochs-limit", "lr 0.1\ntotal 10 epochs\nsteps_per_epoch ? 12\nclock steps\ncosine 8 epochs to 1e-4 restart every 1.5 epochs decay 1.2 limit 4 -> linear to 0\n"],
  ["milestones-grow-epochs", "lr 1e-3\ntotal 10 epochs\nsteps_per_epoch ? 20\nclock steps\nstep 5 epochs by 1.5 at 1, 2, 3 epochs -> cosine to 0\n"],
];
/**
 * Shapes whose end depends on a run-time length or parameter, which the program computes
 * from each shape module's `runtimeEnd`: warm restarts cut where the phase ends (with a
 * period in epochs, a fractional multiplier, a cycle decay and a limit; and a hold after,
 * whose A302 names the cut cycle's rate), `rsqrt` whose timescale is its moving start, and
 * `cyclic` (triangular2, exp_range) cut mid-cycle, with its cycle and rise in epochs, and an
 * `rsqrt` timescale in epochs.
 */
const SHAPE_ENDS: [string, string][] = [
  ["sgdr-epochs-step-clock", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\ncosine to 1e-4 restart every 2 epochs\n"],
  ["sgdr-x2-decay-limit", "lr 0.1\ntotal ? 500\nwarmup 20 -> cosine to 1e-5 restart every 40 x 2 decay 0.7 limit 3\n"],
  ["sgdr-fractional-mult", "lr 0.1\ntotal ? 300\ncosine to 1e-3 restart every 25 x1.3\n"],
  ["sgdr-epochs-then-hold", "lr 0.1\ntotal 12 epochs\nsteps_per_epoch ? 8\nclock steps\nwarmup 1 epochs -> cosine 7.7 epochs to 1e-4 restart every 1.5 epochs\n"],
  ["rsqrt-moving-start", "lr 1e-3\ntotal ? 2000\nwarmup 5% -> rsqrt\n"],
  ["rsqrt-timescale-open", "lr 1e-3\ntotal ? 900\nwarmup 100 -> rsqrt timescale 50\n"],
  ["cyclic-triangular2-open", "lr 1e-2\ntotal ? 1000\ncyclic from 1e-4 every 90 decay 0.5\n"],
  ["cyclic-exp-range-after-warmup", "lr 5e-3\ntotal ? 700\nwarmup 30 -> cyclic from 1e-4 every 60 up 20 gamma 0.999\n"],
  // A cycle in epochs, as CyclicLR's docs size step_size (2-10 epochs' iterations), and its rise in epochs too.
  ["cyclic-epochs", "lr 1e-2\ntotal 12 epochs\nsteps_per_epoch ? 9\nclock steps\ncyclic from 1e-4 every 4 epochs decay 0.5\n"],
  ["cyclic-epochs-up", "lr 1e-2\ntotal 10 epochs\nsteps_per_epoch ? 8\nclock steps\nwarmup 1 epochs -> cyclic from 1e-4 every 3 epochs up 1.2 epochs\n"],
  ["rsqrt-timescale-epochs", "lr 1e-3\ntotal 10 epochs\nsteps_per_epoch ? 30\nclock steps\nwarmup 1 epochs -> rsqrt timescale 2 epochs\n"],
  // `over`: a fixed span under a length that moves (the cosine completes for a total above
  // 1,300 and is cut below it), spans that follow the total or the epoch, and phases that
  // start where a cut curve ends.
  ["cosine-over-fixed-span", "lr 1e-3\ntotal ? 1000\nwarmup 100 -> cosine to 1e-5 over 1200\n"],
  ["linear-over-percent", "lr 1e-3\ntotal ? 800\nwarmup 50 -> linear to 1e-5 over 130% -> constant 10%\n"],
  ["poly-over-then-linear", "lr 1e-3\ntotal ? 600\npoly 60% power 2 to 1e-5 over 80% -> linear to 0\n"],
  ["sqrt-over-epochs", "lr 1e-3\ntotal 10 epochs\nsteps_per_epoch ? 50\nclock steps\nwarmup 1 epochs -> sqrt to 1e-5 over 12 epochs\n"],
  ["rex-over-then-hold", "lr 1e-3\ntotal ? 900\nwarmup 5% -> rex 70% to 1e-5 over 90% -> constant\n"],
];
interface Plan {
  id: string;
  program: Program;
  kwargs: Partial<Record<RuntimeKey, number>>;
  /** What `compile()` says with these overrides: its errors, or the schedule's IR. */
  errors: { code: string; message: string }[];
  /** The warnings `compile()` reports with these overrides whose outcome depends on a setting, as Python words them. */
  warned: string[];
  ir?: ScheduleIR;
  points: number[];
  steps: number;
  resumeAt: number;
  other?: Partial<Record<RuntimeKey, number>>;
}

const rnd = seededRandom(2026);
const programs: Program[] = [
  ...loadCorpus().map((c) => ({ id: c.id, text: c.text, ir: c.ir, file: c.file })),
  ...NO_PREVIEW.map(([id, text, required]) => ({ id, text, ir: emittedIR(text)!, file: `${id}.anneal`, required })),
  ...[...STEP_DECAY, ...SHAPE_ENDS].map(([id, text]) => ({ id, text, ir: emittedIR(text)!, file: `${id}.anneal` })),
  ...generatedPrograms(rnd, GENERATED, true),
];
const plans: Plan[] = [];
for (const program of programs) {
  const name = program.ir.name;
  for (let k = 0; k < DRAWS; k++) {
    const kwargs = draw(program.ir, rnd, program.required);
    const overrides: Record<string, string> = {};
    for (const [key, v] of Object.entries(kwargs) as [RuntimeKey, number][]) overrides[OVERRIDE_KEY[key]] = key === "total" ? `${v} ${program.ir.clock}` : String(v);
    const r = compile(program.text, { overrides });

    // The warnings whose outcome depends on a setting: the program carries their checks.
    // The module warns only when a setting the warning reads is passed: with the file's values, `anneal check` has said it.
    const passed = new Set(Object.keys(kwargs));
    const waiting = new Set(runtimeProgram(program.ir)!.program.flatMap((st) => (st.kind === "check" && st.severity === "warning" && st.keys!.some((k) => passed.has(k)) ? [st.code] : [])));
    // A file's schedules share its settings; a warning is this schedule's when the innermost schedule around it is this one.
    const innermost = (at: number) => r.schedules.filter((x) => x.range.start <= at && at <= x.range.end).sort((x, y) => x.range.end - x.range.start - (y.range.end - y.range.start))[0]?.name;
    // The errors that concern this schedule: all but those inside another schedule of the
    // file (a top-level chain's A205 is not a block's; a shared setting's A218 is each's).
    const others = r.schedules.filter((x) => x.name !== name).map((x) => x.range);
    const errors = r.diagnostics.filter((d) => d.severity === "error" && !others.some((o) => d.range.start >= o.start && d.range.end <= o.end)).map((d) => ({ code: d.code, message: d.message }));
    const warned = r.diagnostics.filter((d) => d.severity === "warning" && waiting.has(d.code) && innermost(d.range.start) === name).map((d) => `${d.code}: ${d.message}`);
    const ir = r.schedules.find((s) => s.name === name)?.ir;
    const plan: Plan = { id: `${program.id} #${k} ${JSON.stringify(kwargs)}`, program, kwargs, errors, warned, points: [], steps: 0, resumeAt: 0 };
    if (errors.length === 0 && ir) {
      const steps = Math.min(ir.total + 3, STEP_CAP);
      // The resume is taken before twice the total, where loading a count past it would warn (the past-end guard, tested below).
      Object.assign(plan, { ir, points: samplePoints(ir, plans.length, 20), steps, resumeAt: Math.min(Math.floor(steps / 2), 2 * ir.total - 1) });
      const totalTakes = runtimeProgram(program.ir)!.settings.find((s) => s.key === "total" && !s.refused);
      if (totalTakes) plan.other = { ...kwargs, total: ir.total + 7 };
    }
    plans.push(plan);
  }
}


let dir = "";
const outcomes = new Map<string, DriverOutcome<CaseResult>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-runtime-"));
  const modules = new Map<Program, string>();
  const optaxModules = new Map<Program, string>();
  const kerasModules = new Map<Program, string>();
  programs.forEach((p, n) => {
    const path = join(dir, `module_${n}.py`);
    writeFileSync(path, emit("pytorch", p.ir, { source: p.file, text: p.text }).text);
    modules.set(p, path);
    // optax counts updates; on a step clock a count is a tick, so it is compared tick for tick.
    if (p.ir.clock === "steps") {
      const optax = join(dir, `optax_${n}.py`);
      writeFileSync(optax, emit("optax", p.ir, { source: p.file, text: p.text }).text);
      optaxModules.set(p, optax);
      const keras = join(dir, `keras_${n}.py`);
      writeFileSync(keras, emit("keras", p.ir, { source: p.file, text: p.text }).text);
      kerasModules.set(p, keras);
    }
  });
  const cases = plans.map((p) => ({
    id: p.id,
    module: modules.get(p.program),
    kwargs: p.kwargs,
    required: Object.keys(p.program.required ?? {}),
    relative: p.program.ir.relative,
    lrs: LRS,
    points: p.points,
    steps: p.steps,
    resume_at: p.resumeAt,
    other_kwargs: p.other ?? null,
    optimizer: p.program.ir.params?.beta2 ? "adamw" : "sgd",
    past_end: p.ir !== undefined && p.ir.total <= PAST_END_CAP,
    optax: optaxModules.get(p.program) ?? null,
    // Keras builds slowly (its eager ops dispatch one by one), so a share of the cases runs it.
    keras: plans.indexOf(p) % 8 === 0 ? (kerasModules.get(p.program) ?? null) : null,
    // Tracing costs a compilation per case, so a share of the cases is jitted.
    jit: plans.indexOf(p) % 32 === 0,
  }));
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  for (const [label, outcome] of await runDriverEverywhere<CaseResult>(join(import.meta.dirname, "runtime_driver.py"), casesPath, "run-time settings driver")) outcomes.set(label, outcome);
}, 360_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the plans", () => {
  test("cover every corpus schedule and the generator, with bound values that compile and that fail", () => {
    expect(plans.length).toBe(programs.length * DRAWS);
    expect(plans.filter((p) => Object.keys(p.kwargs).length > 0).length).toBeGreaterThan(plans.length / 2);
    // Both outcomes occur: values the compiler accepts, and values it refuses with a code.
    expect(plans.filter((p) => p.errors.length > 0).length).toBeGreaterThan(10);
    expect(plans.filter((p) => p.errors.length === 0 && Object.keys(p.kwargs).length > 0).length).toBeGreaterThan(100);
    // Settings without a preview value, bound to values that compile; and warnings that wait
    // for the bound values, both raised and not.
    expect(plans.filter((p) => p.program.required && p.errors.length === 0).length).toBeGreaterThan(20);
    expect(plans.filter((p) => p.errors.length === 0 && p.warned.length > 0).length).toBeGreaterThan(5);
    expect(plans.filter((p) => p.errors.length === 0 && p.warned.length === 0 && runtimeProgram(p.program.ir)!.program.some((st) => st.kind === "check" && st.severity === "warning")).length).toBeGreaterThan(5);
  });
});

for (const py of interpreters) {
  describe(`settings bound at run time on real torch, ${py.label}`, () => {
    test.for(plans)("$id", (plan, ctx) => {
      const r = driverResult(outcomes, py, plan.id, () => ctx.skip());
      // Without a keyword the file gives no preview for, the module raises a TypeError naming it.
      for (const key of Object.keys(plan.program.required ?? {})) {
        expect(r.missing?.[key]?.[0], key).toBe("TypeError");
        expect(r.missing?.[key]?.[1]).toContain(`the keyword \`${key}=\` is required`);
      }
      if (plan.errors.length > 0) {
        expect(r.error, `compile() reports ${plan.errors.map((e) => `${e.code} ${e.message}`).join("; ")}`).not.toBeNull();
        expect(r.error!.type).toBe("AnnealError");
        expect(r.error!.is_value_error).toBe(true);
        const said = plan.errors.map((e) => `${e.code}: ${e.message}`);
        expect(said).toContain(r.error!.text);
        expect(plan.errors.map((e) => e.code)).toContain(r.error!.code);
        // optax's make_schedule runs the same checks (where this Python has optax).
        if (r.optax_error) expect(said).toContain(r.optax_error.text);
        if (r.keras_error) expect(said).toContain(r.keras_error.text);
        expect(r.optax).toBeUndefined();
        expect(r.keras).toBeUndefined();
        return;
      }
      expect(r.error, r.error?.text).toBeNull();
      // The warnings that waited for the bound values: the same codes and messages as compile().
      expect((r.build_warnings ?? []).map(([cls]) => cls).every((c) => c === "AnnealWarning")).toBe(true);
      expect((r.build_warnings ?? []).map(([, text]) => text).sort()).toEqual([...plan.warned].sort());
      const ir = plan.ir!;
      expect(r.total_steps).toBe(ir.total);
      const ms = settingsCaseMismatches(r, ir, plan.points, plan.steps, LRS, CLOSED_TOL);
      expect(ms, describeMismatches(ms)).toEqual([]);
      expect(r.resume_warnings).toEqual([]);
      if (ir.total <= PAST_END_CAP) {
        // Once, as an AnnealWarning, naming the count, the total and the clock's likely mistake.
        const w = r.past_end_warnings ?? [];
        expect(w.map(([cls]) => cls)).toEqual(["AnnealWarning"]);
        expect(w[0]![1]).toContain(`twice this schedule's total of ${ir.total} ${ir.clock}`);
        expect(w[0]![1]).toContain(ir.clock === "epochs" ? "once per epoch, not once per batch" : "if the loop steps once per batch");
        expect(r.past_end_silenced).toEqual([]);
      }
      if (plan.other) {
        const w = r.other_warnings ?? [];
        expect(w.length).toBe(1);
        expect(w[0]![0]).toBe("AnnealWarning");
        // It names both: the saved total and this scheduler's.
        expect(w[0]![1]).toContain(`'total': ${ir.total}.0`);
        expect(w[0]![1]).toContain(`'total': ${ir.total + 7}.0`);
      }
    });
  });
}
