// Step decays whose `every` or milestones are in epochs on a step clock, and `exp gamma G
// per epoch` on a step clock (`per step` on an epoch clock), with `steps_per_epoch ?`: the
// generated module computes them at run time (runtime.test.ts runs it on torch against the
// evaluator). Here: nothing in the module is a number derived from the preview, the forms
// still refused keep A404, and checks that depend on the bound value are in the program.

import { describe, expect, test } from "vitest";
import { compile } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { runtimeProgram } from "../../packages/compiler/src/check/schedule.js";
import { frameworksPython, missingBanner, runPython } from "./python.js";

function emitted(text: string, target: "pytorch" | "optax" | "keras" = "pytorch") {
  const r = compile(text);
  const ir = r.schedules[0]!.ir!;
  return { r, ir, out: emit(target, ir, { source: "x.anneal", text }) };
}

const EVERY = "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 5005\nclock steps\nstep by 0.1 every 30 epochs\n";
const MILESTONES = "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 5005\nclock steps\nstep by 0.1 at 30, 60, 80 epochs\n";
const GAMMA = "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 5005\nclock steps\nwarmup 1 epochs -> exp gamma 0.9 per epoch\n";

describe("a step decay in epochs with a run-time steps_per_epoch", () => {
  for (const [name, text, derived] of [
    // 30, 60 and 80 epochs of 5005 steps (the total, 450,450, is the documented default).
    ["every", EVERY, [150150, 300300]],
    ["milestones", MILESTONES, [150150, 300300, 400400]],
  ] as const) {
    for (const target of ["pytorch", "optax", "keras"] as const) {
      test(`${name}: the ${target} module takes it and carries no tick count of the preview`, () => {
        const { r, out } = emitted(text, target);
        expect(r.hasErrors).toBe(false);
        expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(out.text.length).toBeGreaterThan(0);
        for (const n of derived) {
          expect(out.text).not.toContain(String(n));
          expect(out.text).not.toContain(n.toLocaleString("en-US"));
        }
        // The preview itself is only the default of the keyword.
        expect(out.text).toContain('"steps_per_epoch": 5005.0');
      });
    }
  }

  for (const target of ["pytorch", "optax", "keras"] as const) {
    test(`gamma per epoch: the ${target} module divides by the keyword's steps, not the preview's`, () => {
      const { r, out } = emitted(GAMMA, target);
      expect(r.hasErrors).toBe(false);
      expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(out.text.length).toBeGreaterThan(0);
      // The preview's steps as the divisor of the exponent, and the factor per step they give (0.9 ** (1 / 5005)).
      expect(out.text).not.toMatch(/\/ 5005/);
      expect(out.text).not.toContain(String(0.9 ** (1 / 5005)).slice(0, 10));
      // The warmup's end, 1 epoch of 5005 steps, is a tick variable too.
      expect(out.text).not.toMatch(/5005(\.0)?\)|[<>]=? 5005/);
      expect(out.text).toContain('"steps_per_epoch": 5005.0');
      expect(out.text).toMatch(/0\.9 \*\* \(u \/ steps_per_epoch\)/);
    });
  }

  test("gamma per step on an epoch clock reads the keyword's steps too", () => {
    const { r, out } = emitted("lr 0.1\ntotal 20\nsteps_per_epoch ? 50\nclock epochs\nexp gamma 0.999 per step\n");
    expect(r.hasErrors).toBe(false);
    // One epoch is 1 / steps_per_epoch steps' worth of the exponent: not 0.02, the preview's.
    expect(out.text).not.toContain("(u / 0.02)");
    expect(out.text).toContain("(1.0 / steps_per_epoch)");
  });

  test("`every` below one step for a bound value raises A219 at run time: the check is in the program", () => {
    const { ir } = emitted("lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep by 0.1 every 0.2 epochs\n");
    const checks = runtimeProgram(ir)!.program.filter((st) => st.kind === "check" && st.code === "A219");
    expect(checks.some((st) => st.kind === "check" && st.message.includes("`every` must be at least 1 step"))).toBe(true);
  });

  test("milestones out of order for a bound value raise A220 at run time", () => {
    // 5 steps and 1 epoch: in order for 7 steps per epoch, not for 4.
    const { ir } = emitted("lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep by 0.1 at 5, 1 epochs, 3 epochs\n".replace("at 5, 1 epochs, 3 epochs", "at 5 steps, 1 epochs, 3 epochs"));
    const codes = runtimeProgram(ir)!.program.flatMap((st) => (st.kind === "check" ? [st.code] : []));
    expect(codes).toContain("A220");
  });

  test("the forms still not resolved keep A404 and write nothing", () => {
    for (const text of [
      // A phase that starts where the decay ends, and is not a straight interpolation to its
      // own end or a hold (an `exp` reads its start in its log-space choice).
      "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep 6 epochs by 0.1 every 2 epochs -> exp to 1e-5\n",
      // A phase that starts where a gamma decay ends, and decays by its own gamma.
      "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nexp 6 epochs gamma 0.9 per epoch -> exp gamma 0.99\n",
      // A hyperparameter that rises: its range (A233) is checked for the file's values only.
      "lr 0.1\ntotal ? 100\ncosine to 0\nmomentum: step from 0.5 by 1.05 every 20%\n",
      // Under `lr ?`, a phase after a rising decay: its largest rate is checked from the
      // start the file's length gives, which does not bound the run-time one.
      "lr ? 0.001\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep 6 epochs by 1.5 every 2 epochs -> linear to 1e-5\n",

    ]) {
      const { out } = emitted(text);
      expect(out.diagnostics.map((d) => d.code)).toContain("A404");
      expect(out.text).toBe("");
    }
  });
});

// `--native` composes torch's built-ins (StepLR's step_size, MultiStepLR's milestones) from the
// file's numbers, so it cannot follow a steps_per_epoch that moves them; TF.js spells them.
describe("the other targets and a step decay that moves with steps_per_epoch", () => {
  test("--native refuses the `?` (A404) and writes nothing", () => {
    for (const text of [EVERY, MILESTONES]) {
      const out = emit("pytorch-native", compile(text).schedules[0]!.ir!, { source: "x.anneal", text });
      expect(out.text).toBe("");
      expect(out.diagnostics.map((d) => [d.code, text.slice(d.range.start, d.range.end).split(" ")[0]])).toEqual([["A404", "step"]]);
      expect(out.diagnostics[0]!.message).toContain("`steps_per_epoch` is bound at run time");
    }
  });

  test("--native refuses a `?` that moves gamma's steps (ExponentialLR's gamma per step)", () => {
    const out = emit("pytorch-native", compile(GAMMA).schedules[0]!.ir!, { source: "x.anneal", text: GAMMA });
    expect(out.text).toBe("");
    expect(out.diagnostics.map((d) => [d.code, GAMMA.slice(d.range.start, d.range.end).split(" ")[0]])).toEqual([["A404", "exp"]]);
  });

  test("--native with a written steps_per_epoch keeps ExponentialLR (gamma per step) and does not take the keyword", () => {
    const text = GAMMA.replace("steps_per_epoch ? 5005", "steps_per_epoch 5005");
    const out = emit("pytorch-native", compile(text).schedules[0]!.ir!, { source: "x.anneal", text });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // 0.9 per epoch of 5005 steps is 0.9 ** (1 / 5005) per step.
    expect(out.text).toContain(`ExponentialLR(optimizer, gamma=${0.9 ** (1 / 5005)})`);
    expect(out.text).toContain('raise TypeError("steps_per_epoch cannot be passed to this module: this exp phase');
  });

  test("--native with a written steps_per_epoch keeps StepLR and does not take the keyword", () => {
    const text = EVERY.replace("steps_per_epoch ? 5005", "steps_per_epoch 5005");
    const out = emit("pytorch-native", compile(text).schedules[0]!.ir!, { source: "x.anneal", text });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(out.text).toContain("StepLR(optimizer, step_size=150150, gamma=0.1)");
    expect(out.text).toContain('raise TypeError("steps_per_epoch cannot be passed to this module: this step phase');
  });

  /**
   * The TF.js module of `text`, built for each steps per epoch of `spes`: `check` looks at
   * its rates, then every step to one past the end must equal compile() with the override.
   */
  async function tfjsAgrees(text: string, spes: number[], check: (s: { lrAt: (t: number) => number }, spe: number) => void) {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { pathToFileURL } = await import("node:url");
    const dir = mkdtempSync(join(tmpdir(), "anneal-step-js-"));
    try {
      const file = join(dir, "m.mjs");
      writeFileSync(file, emit("tfjs", compile(text).schedules[0]!.ir!, { text }).text);
      const m = (await import(pathToFileURL(file).href)) as { buildSchedule: (o: object) => { totalSteps: number; lrAt: (t: number) => number } };
      for (const spe of spes) {
        const s = m.buildSchedule({ stepsPerEpoch: spe });
        const ev = compile(text, { overrides: { stepsPerEpoch: String(spe) } }).schedules[0]!.evaluator!;
        check(s, spe);
        for (let t = 0; t <= s.totalSteps + 1; t++) expect(s.lrAt(t), `stepsPerEpoch ${spe}, step ${t}`).toBe(ev.lrAt(t));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("TF.js resolves `every` from the option, as compile() does with the override", async () => {
    const text = "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep by 0.5 every 1.3 epochs\n";
    await tfjsAgrees(text, [5, 11, 13], (s, spe) => {
      // 1.3 epochs of `spe` steps, rounded: the decay's period moves with the option.
      const every = Math.round(1.3 * spe);
      expect(s.lrAt(every - 1)).toBe(0.1);
      expect(s.lrAt(every)).toBe(0.05);
    });
  });

  test("TF.js resolves gamma's steps per epoch from the option, held rate included", async () => {
    const text = "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nwarmup 1 epochs -> exp 5.5 epochs gamma 0.5 per epoch\n";
    await tfjsAgrees(text, [4, 10, 13], (s, spe) => {
      // One epoch into the decay the rate has halved, whatever the epoch's steps.
      expect(s.lrAt(2 * spe)).toBeCloseTo(0.05, 15);
    });
  });
});

// Keras and optax run the same run-time program (resolve_settings) before tracing, with
// their own traced formulas: on the real runtimes, with steps_per_epoch passed, every step
// of a gamma decay per epoch and of step decays in epochs equals compile() with the
// override (optax under jax_enable_x64 within 1e-12 relative, Keras' float32 within 1e-6
// of the peak, 0.1 in each, as in frameworks.test.ts).
describe("Keras and optax take the decays' steps per epoch at run time", () => {
  const FORMS: [string, string][] = [
    ["gamma per epoch", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nwarmup 1 epochs -> exp 5.5 epochs gamma 0.5 per epoch\n"],
    ["step every 1.3 epochs", "lr 0.1\ntotal 9 epochs\nsteps_per_epoch ? 7\nclock steps\nstep by 0.5 every 1.3 epochs\n"],
    ["milestones in epochs", "lr 0.1\ntotal 10 epochs\nsteps_per_epoch ? 6\nclock steps\nwarmup 1 epochs -> step 7.5 epochs by 0.1 at 2.5, 5 epochs\n"],
  ];
  const SPES = [4, 10, 13];
  const SCRIPT = `
import importlib.util, json, os, sys
os.environ["KERAS_BACKEND"] = "jax"
try:
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import keras
except Exception as e:
    print(json.dumps({"missing": repr(e)}))
    sys.exit(0)
def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
optax_module, keras_module = load(sys.argv[1], "m_optax"), load(sys.argv[2], "m_keras")
out = {}
for spe, steps in json.loads(sys.argv[3]):
    schedule = jax.jit(optax_module.make_schedule(steps_per_epoch=spe))
    keras_schedule = keras_module.build_schedule(steps_per_epoch=spe)
    out[str(spe)] = {"optax": [float(schedule(jnp.asarray(t))) for t in range(steps)], "keras": [float(keras_schedule(t)) for t in range(steps)]}
print(json.dumps(out))
`;
  for (const [name, text] of FORMS) test(`${name}: every step, for three values, equals the evaluator with the override`, async (ctx) => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "anneal-gamma-frameworks-"));
    try {
      const ir = compile(text).schedules[0]!.ir!;
      const files = (["optax", "keras"] as const).map((target) => {
        const file = join(dir, `m_${target}.py`);
        writeFileSync(file, emit(target, ir, { text }).text);
        return file;
      });
      const evaluators = SPES.map((spe) => compile(text, { overrides: { stepsPerEpoch: String(spe) } }).schedules[0]!.evaluator!);
      const plan = SPES.map((spe, i) => [spe, evaluators[i]!.total + 2]);
      const r = await runPython(["-c", SCRIPT, ...files, JSON.stringify(plan)], undefined, frameworksPython);
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      const got = JSON.parse(r.stdout) as { missing?: string } & Record<string, { optax: number[]; keras: number[] }>;
      if (got.missing !== undefined) {
        const required = process.env.ANNEAL_REQUIRE_JAX === "1" || process.env.ANNEAL_REQUIRE_KERAS === "1";
        console.warn(missingBanner("JAX and Keras", got.missing, { label: "frameworks", path: frameworksPython, required }));
        if (required) throw new Error(`JAX and Keras are required but unavailable: ${got.missing}`);
        ctx.skip();
      }
      SPES.forEach((spe, i) => {
        const ev = evaluators[i]!;
        const { optax, keras } = got[String(spe)]!;
        expect(optax.length).toBe(ev.total + 2);
        optax.forEach((v, t) => {
          const e = ev.lrAt(t);
          expect(Math.abs(v - e) <= 1e-12 * Math.abs(e) || Math.abs(v - e) <= 1e-15 * 0.1, `optax, steps_per_epoch ${spe}, step ${t}: ${v} vs ${e}`).toBe(true);
        });
        keras.forEach((v, t) => expect(Math.abs(v - ev.lrAt(t)), `keras, steps_per_epoch ${spe}, step ${t}`).toBeLessThanOrEqual(1e-6 * 0.1));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
