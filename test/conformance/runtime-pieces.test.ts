// Phases lowered to several pieces whose bounds follow a run-time setting: `onecycle` (its
// pieces at torch's fractional phase ends, with spans and shifts that depend on its length)
// and `table` (points in percents of `total` and in epochs on a step clock; the last piece
// ends where the phase does). The generated modules take `total=` and `steps_per_epoch=`
// for them: on real torch (runtime_driver.py, as runtime.test.ts runs it) every step, a
// resume and each `lr_at` equal `compile(text, { overrides })`, the reference of
// `anneal eval --total X`; where that reports an error the module raises its code and
// message. A onecycle that is the whole schedule is also held to torch's own OneCycleLR
// for the bound total (builtins_driver.py), step for step.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile, emitIr, type ScheduleIR } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { runtimeProgram } from "../../packages/compiler/src/check/schedule.js";
import type { RuntimeKey } from "../../packages/compiler/src/ir.js";
import { compareValues, describeMismatches, type Mismatch, OVERRIDE_KEY, range, type RuntimeCaseResult, samplePoints, settingsCaseMismatches } from "./corpus.js";
import { driverResult, type DriverOutcome, interpreters, runDriverEverywhere } from "./python.js";

/** As in runtime.test.ts: every tick and branch is exact; only Python's `**` and `cos` may differ in the last bit. */
const CLOSED_TOL = 1e-12;
const LRS = [0.1, 0.03];

interface Spec {
  id: string;
  text: string;
  /** The keywords of each case. */
  draws: Partial<Record<RuntimeKey, number>>[];
  /** Keywords written `?` with no preview value. */
  required?: RuntimeKey[];
  /** torch's OneCycleLR for a bound total, when the onecycle is the whole schedule. */
  oneCycleLR?: (total: number) => string;
}

const SPECS: Spec[] = [
  {
    id: "onecycle up as a percent",
    text: "lr 0.1\ntotal ? 1000\nonecycle up 25%\n",
    draws: [{ total: 37 }, { total: 400 }, { total: 1234 }, {}, { total: 4 }],
    oneCycleLR: (n) => `lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=${n}, pct_start=0.25)`,
  },
  {
    // `up 40` ends the rise at 39 whatever the length; the check that it ends before the phase does moves with it.
    id: "onecycle up in steps",
    text: "lr 0.1\ntotal ? 1000\nonecycle up 40 linear\n",
    draws: [{ total: 45 }, { total: 41 }, { total: 300 }, { total: 40 }, { total: 30 }],
  },
  {
    // Totals of 3 and 4 leave the middle piece without a whole step (the rise ends before 0.5).
    id: "three phase, short totals",
    text: "lr 0.3\ntotal ? 777\nonecycle up 37% linear three phase\n",
    draws: [{ total: 3 }, { total: 4 }, { total: 5 }, { total: 9 }, { total: 120 }, { total: 2 }],
    oneCycleLR: (n) => `lr_scheduler.OneCycleLR(optimizer, max_lr=0.3, total_steps=${n}, pct_start=0.37, anneal_strategy='linear', three_phase=True)`,
  },
  {
    id: "onecycle after a warmup, total without a preview",
    text: "lr 0.1\ntotal ?\nwarmup 5% -> onecycle up 20%\n",
    draws: [{ total: 50 }, { total: 333 }, { total: 1000 }, { total: 21 }],
    required: ["total"],
  },
  {
    id: "table in percents and epochs on a step clock",
    text: "lr 1e-3\ntotal ? 3000\nsteps_per_epoch ? 100\nclock steps\nwarmup 2% -> table linear { 0: 1e-3, 5 epochs: 5e-4, 50%: 1e-4 }\n",
    // The last two: a point past the phase's end, and points out of order (A230).
    draws: [{ total: 1200, steps_per_epoch: 30 }, { total: 500, steps_per_epoch: 17 }, { steps_per_epoch: 7 }, { total: 400, steps_per_epoch: 80 }, { total: 1500, steps_per_epoch: 200 }],
  },
  {
    id: "relative table that holds between percents of total",
    text: "total ? 900\ntable step { 0: 100%, 30%: 30%, 60%: 5% }\n",
    draws: [{ total: 10 }, { total: 77 }, { total: 901 }, { total: 3 }, { total: 2 }],
  },
];

interface Plan {
  id: string;
  spec: Spec;
  kwargs: Partial<Record<RuntimeKey, number>>;
  errors: string[];
  ir?: ScheduleIR;
  points: number[];
  steps: number;
}

const plans: Plan[] = SPECS.flatMap((spec) =>
  spec.draws.map((kwargs): Plan => {
    const overrides: Record<string, string> = {};
    for (const [key, v] of Object.entries(kwargs) as [RuntimeKey, number][]) overrides[OVERRIDE_KEY[key]] = String(v);
    const r = compile(spec.text, { overrides });
    const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
    const ir = errors.length === 0 ? r.schedules[0]?.ir : undefined;
    // Every tick to past the end, the halves before each boundary, and a tick before 0.
    const points = ir ? [...new Set([...range(-1, ir.total + 2), ...samplePoints(ir, 1, 0)])].sort((a, b) => a - b) : [];
    return { id: `${spec.id} ${JSON.stringify(kwargs)}`, spec, kwargs, errors, ...(ir ? { ir } : {}), points, steps: ir ? ir.total + 3 : 0 };
  }),
);

/** The IR the run-time targets read (the run-time one when a setting has no preview). */
function emittedIR(text: string): ScheduleIR {
  return emitIr(compile(text).schedules[0]!)!;
}

let dir = "";
const outcomes = new Map<string, DriverOutcome<RuntimeCaseResult>>();
const torchOutcomes = new Map<string, DriverOutcome<{ id: string; lr: number[][] }>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "anneal-pieces-"));
  const modules = new Map<Spec, { pytorch: string; optax: string; keras: string }>();
  SPECS.forEach((spec, n) => {
    const ir = emittedIR(spec.text);
    const files = { pytorch: join(dir, `m_${n}.py`), optax: join(dir, `optax_${n}.py`), keras: join(dir, `keras_${n}.py`) };
    for (const target of ["pytorch", "optax", "keras"] as const) {
      const out = emit(target, ir, { source: `${n}.anneal`, text: spec.text });
      if (out.text === "") throw new Error(`${spec.id}: ${target} wrote nothing: ${out.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
      writeFileSync(files[target], out.text);
    }
    modules.set(spec, files);
  });
  const cases = plans.map((p, i) => ({
    id: p.id,
    module: modules.get(p.spec)!.pytorch,
    kwargs: p.kwargs,
    required: p.spec.required ?? [],
    relative: emittedIR(p.spec.text).relative,
    lrs: LRS,
    points: p.points,
    steps: p.steps,
    resume_at: Math.floor(p.steps / 2),
    other_kwargs: null,
    optimizer: "sgd",
    past_end: false,
    optax: modules.get(p.spec)!.optax,
    // Keras dispatches its eager ops one by one: a share of the cases.
    keras: i % 3 === 0 ? modules.get(p.spec)!.keras : null,
    jit: i % 4 === 0,
  }));
  const casesPath = join(dir, "cases.json");
  writeFileSync(casesPath, JSON.stringify({ cases }));
  const torchCases = plans.filter((p) => p.ir && p.spec.oneCycleLR).map((p) => ({ id: p.id, construct: p.spec.oneCycleLR!(p.ir!.total), lrs: [0.05], steps: p.ir!.total }));
  const torchPath = join(dir, "onecyclelr.json");
  writeFileSync(torchPath, JSON.stringify({ cases: torchCases }));
  const [mine, theirs] = await Promise.all([
    runDriverEverywhere<RuntimeCaseResult>(join(import.meta.dirname, "runtime_driver.py"), casesPath, "run-time settings driver"),
    runDriverEverywhere<{ id: string; lr: number[][] }>(join(import.meta.dirname, "builtins_driver.py"), torchPath, "builtins driver"),
  ]);
  for (const [label, o] of mine) outcomes.set(label, o);
  for (const [label, o] of theirs) torchOutcomes.set(label, o);
}, 360_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the plans", () => {
  test("bind values that compile and values that fail, and empty a three-phase onecycle's middle piece", () => {
    expect(plans.filter((p) => p.errors.length > 0).map((p) => p.id)).toEqual([
      'onecycle up as a percent {"total":4}',
      'onecycle up in steps {"total":40}',
      'onecycle up in steps {"total":30}',
      'three phase, short totals {"total":2}',
      'table in percents and epochs on a step clock {"total":400,"steps_per_epoch":80}',
      'table in percents and epochs on a step clock {"total":1500,"steps_per_epoch":200}',
      'relative table that holds between percents of total {"total":2}',
    ]);
    // The file's length lowers three pieces; totals of 3 and 4 leave two whole-step pieces, 5 three.
    const pieces = (total: number) => plans.find((p) => p.id === `three phase, short totals {"total":${total}}`)!.ir!.segments.length;
    expect(emittedIR(SPECS[2]!.text).segments.length).toBe(3);
    expect([pieces(3), pieces(4), pieces(5)]).toEqual([2, 2, 3]);
  });
});

for (const py of interpreters) {
  describe(`onecycle and table pieces at run time on real torch, ${py.label}`, () => {
    test.for(plans)("$id", (plan, ctx) => {
      const r = driverResult(outcomes, py, plan.id, () => ctx.skip());
      for (const key of plan.spec.required ?? []) expect(r.missing?.[key]?.[1]).toContain(`the keyword \`${key}=\` is required`);
      if (plan.errors.length > 0) {
        expect(r.error, `compile() reports ${plan.errors.join("; ")}`).not.toBeNull();
        expect(r.error!.type).toBe("AnnealError");
        expect(plan.errors).toContain(r.error!.text);
        if (r.optax_error) expect(plan.errors).toContain(r.optax_error.text);
        if (r.keras_error) expect(plan.errors).toContain(r.keras_error.text);
        return;
      }
      expect(r.error, r.error?.text).toBeNull();
      const ir = plan.ir!;
      expect(r.total_steps).toBe(ir.total);
      const ms = settingsCaseMismatches(r, ir, plan.points, plan.steps, LRS, CLOSED_TOL);
      expect(ms, describeMismatches(ms)).toEqual([]);
      expect(r.resume_warnings).toEqual([]);
    });

    test.for(plans.filter((p) => p.ir && p.spec.oneCycleLR))("$id: torch's OneCycleLR for the bound total sets the same rates", (plan, ctx) => {
      const torchR = driverResult(torchOutcomes, py, plan.id, () => ctx.skip());
      const r = driverResult(outcomes, py, plan.id, () => ctx.skip());
      const ms: Mismatch[] = [];
      expect(torchR.lr.length).toBe(plan.ir!.total);
      compareValues("the module's stepped rate vs OneCycleLR", range(0, plan.ir!.total), r.stepped![0]!.slice(0, plan.ir!.total), (t) => torchR.lr[t]![0]!, CLOSED_TOL, ms);
      expect(ms, describeMismatches(ms)).toEqual([]);
    });
  });
}

describe("the emitted modules compute the pieces from the keywords", () => {
  // The numbers each preview would lower to (its tick counts and spans), which must not appear.
  const DERIVED: [string, string, RegExp][] = [
    // 25% of 1000: the rise ends at 249, its last step is 249, the fall starts at 250 and is laid over 750.
    ["onecycle", "lr 0.1\ntotal ? 1000\nonecycle up 25%\n", /\b(249|250|750|999)(\.0)?\b/],
    // 37% of 777: the ends at 286.49 and 572.98, the pieces at 287 and 573.
    ["three phase", "lr 0.3\ntotal ? 777\nonecycle up 37% linear three phase\n", /\b(286\.49|572\.98|287|573|776)(\.0)?\b/],
    // 2% of 3000 is 60; the table's points at 500 and 1500 steps, so the pieces at 560 and 1560, over 2940.
    ["table", "lr 1e-3\ntotal ? 3000\nsteps_per_epoch ? 100\nclock steps\nwarmup 2% -> table linear { 0: 1e-3, 5 epochs: 5e-4, 50%: 1e-4 }\n", /\b(60|500|1500|560|1560|2940)(\.0)?\b/],
  ];
  for (const [name, text, derived] of DERIVED) {
    for (const target of ["pytorch", "optax", "keras", "tfjs"] as const) {
      test(`${name}: the ${target} module carries no tick count of the preview`, () => {
        const ir = emittedIR(text);
        const out = emit(target, ir, { source: "x.anneal", text });
        expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(out.text.length).toBeGreaterThan(0);
        // Only as the keywords' defaults, and in the file's text the header quotes.
        const body = out.text.replace(/^(#|\/\/| \*).*$/gm, "").replace(/SETTINGS = .*$/m, "");
        expect(body.match(derived)?.[0]).toBeUndefined();
      });
    }
  }

  test("the check of `up` and of the table's points are in the run-time program", () => {
    const oc = runtimeProgram(emittedIR("lr 0.1\ntotal ? 1000\nonecycle up 40\n"))!.program.flatMap((st) => (st.kind === "check" ? [st.code] : []));
    expect(oc).toContain("A219");
    const table = runtimeProgram(emittedIR(SPECS[4]!.text))!.program.flatMap((st) => (st.kind === "check" ? [st.code] : []));
    expect(table.filter((c) => c === "A230").length).toBeGreaterThanOrEqual(4);
  });

  test("--native refuses a onecycle whose length is bound (OneCycleLR's total_steps is the file's number)", () => {
    const text = "lr 0.1\ntotal ? 1000\nonecycle\n";
    const out = emit("pytorch-native", emittedIR(text), { source: "x.anneal", text });
    expect(out.text).toBe("");
    expect(out.diagnostics.map((d) => d.code)).toEqual(["A404"]);
    expect(out.diagnostics[0]!.message).toContain("`total` is bound at run time");
  });

  test("a middle piece the preview's length leaves empty keeps `total` refused (A404): the program cannot add it back", () => {
    const text = "lr 0.3\ntotal ? 4\nonecycle up 37% linear three phase\n";
    const out = emit("pytorch", emittedIR(text), { source: "x.anneal", text });
    expect(out.text).toBe("");
    expect(out.diagnostics.map((d) => d.code)).toEqual(["A404"]);
    expect(out.diagnostics[0]!.message).toContain("the middle piece of this three-phase `onecycle`");
  });
});
