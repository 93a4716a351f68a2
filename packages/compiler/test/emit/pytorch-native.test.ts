// Which torch built-ins the `--native` target picks, and where it refuses. The expected
// constructor arguments follow from torch's documented semantics (see
// docs/reference notes: SequentialLR restarts each child at local time 0; LinearLR needs
// 0 < start_factor <= 1; CosineAnnealingLR starts at the base rate and its eta_min is
// absolute; CosineAnnealingWarmRestarts takes whole-number T_0 and T_mult and no decay).
// The values themselves are proven on real torch in test/conformance/torch.test.ts.

import { describe, expect, test } from "vitest";
import { CODES } from "../../src/diagnostics/registry.js";
import { compile } from "../../src/compile.js";
import { emit } from "../../src/emit/index.js";
import { abs, makeSchedule, rel } from "./schedules.js";

/** The `lr_scheduler.X(...)` calls of a native module, in order. */
function calls(text: string): string[] {
  return [...text.matchAll(/lr_scheduler\.(\w+)\(optimizer, ([^\n]*)\)/g)].map((m) => `${m[1]}(${m[2]})`);
}

describe("mappings", () => {
  test("the PyTorch docs seed: LinearLR then CosineAnnealingLR in a SequentialLR, then a hold", () => {
    const ir = makeSchedule({ peak: 1e-3, final: abs(1e-6) }, [
      { end: 400, shape: { kind: "linear" }, from: abs(1e-5), to: abs(1e-3), phase: "warmup" },
      { end: 2000, shape: { kind: "cosine" }, from: abs(1e-3), to: abs(1e-6) },
    ]);
    const r = emit("pytorch-native", ir);
    expect(r.diagnostics).toEqual([]);
    expect(calls(r.text)).toEqual([
      "LinearLR(start_factor=0.01, end_factor=1.0, total_iters=400)",
      "CosineAnnealingLR(T_max=1600, eta_min=0.000001)",
      // 1e-6 / 1e-3, the final rate as a fraction of the peak (CosineAnnealingLR would rise again).
      "ConstantLR(factor=0.001, total_iters=_NEVER)",
      "SequentialLR(schedulers=schedulers, milestones=[400, 2000])",
    ]);
    // An absolute schedule: the built-ins scale initial_lr, so it is set to the peak.
    expect(r.text).toContain('group["initial_lr"] = PEAK');
    expect(r.text).toContain("PEAK = 0.001");
  });

  test("a relative schedule keeps initial_lr, and holds an absolute floor through the hold's own base rates", () => {
    const ir = makeSchedule({ final: abs(1e-6) }, [
      { end: 400, shape: { kind: "linear" }, from: rel(0.01), to: rel(1), phase: "warmup" },
      { end: 2000, shape: { kind: "cosine" }, from: rel(1), to: abs(1e-6) },
    ]);
    const r = emit("pytorch-native", ir);
    expect(r.diagnostics).toEqual([]);
    expect(r.text).not.toContain("initial_lr\"] = PEAK");
    expect(calls(r.text)).toEqual([
      "ConstantLR(factor=1.0, total_iters=_NEVER)",
      "LinearLR(start_factor=0.01, end_factor=1.0, total_iters=400)",
      "CosineAnnealingLR(T_max=1600, eta_min=0.000001)",
      "SequentialLR(schedulers=schedulers, milestones=[400, 2000])",
    ]);
    expect(r.text).toContain("hold.base_lrs = [0.000001 for group in optimizer.param_groups]");
  });

  test("step decay, multi-step, exponential, polynomial and warm restarts", () => {
    const step = makeSchedule({ peak: 0.1, clock: "epochs", final: abs(0.001) }, [
      { end: 90, shape: { kind: "step", factor: 0.1, every: 30 }, from: abs(0.1), to: abs(0.1) },
    ]);
    expect(calls(emit("pytorch-native", step).text)).toEqual([
      "StepLR(step_size=30, gamma=0.1)",
      "ConstantLR(factor=0.01, total_iters=_NEVER)",
      "SequentialLR(schedulers=schedulers, milestones=[90])",
    ]);
    // All milestones inside the phase: MultiStepLR holds by itself, nothing else is needed.
    const multi = makeSchedule({ final: rel(0.25) }, [
      { end: 100, shape: { kind: "multistep", factor: 0.5, milestones: [30, 60] }, from: rel(1), to: rel(1) },
    ]);
    expect(calls(emit("pytorch-native", multi).text)).toEqual(["MultiStepLR(milestones=[30, 60], gamma=0.5)"]);
    const expGamma = makeSchedule({ peak: 0.1, final: abs(0.1 * 0.9 ** 2) }, [
      { end: 100, shape: { kind: "gamma", gamma: 0.9, per: 50 }, from: abs(0.1), to: abs(0.1) },
    ]);
    // gamma 0.9 per 50 ticks is 0.9^(1/50) per tick.
    expect(calls(emit("pytorch-native", expGamma).text)[0]).toBe(`ExponentialLR(gamma=${String(0.9 ** (1 / 50))})`);
    const poly = makeSchedule({ final: rel(0) }, [{ end: 50, shape: { kind: "poly", power: 2 }, from: rel(1), to: rel(0) }]);
    // PolynomialLR stays at 0 after total_iters: no hold.
    expect(calls(emit("pytorch-native", poly).text)).toEqual(["PolynomialLR(total_iters=50, power=2.0)"]);
    const sgdr = makeSchedule({ peak: 0.05, final: abs(0) }, [
      { end: 70, shape: { kind: "restarts", period: 10, mult: 2, decay: 1 }, from: abs(0.05), to: abs(0) },
    ]);
    expect(calls(emit("pytorch-native", sgdr).text)).toEqual([
      "CosineAnnealingWarmRestarts(T_0=10, T_mult=2, eta_min=0.0)",
      "ConstantLR(factor=0.0, total_iters=_NEVER)",
      "SequentialLR(schedulers=schedulers, milestones=[70])",
    ]);
  });

  test("a linear decay to 0 gets a hold at exactly 0; one to a positive rate holds by itself", () => {
    const toZero = makeSchedule({ final: rel(0) }, [{ end: 10, shape: { kind: "linear" }, from: rel(1), to: rel(0) }]);
    expect(calls(emit("pytorch-native", toZero).text)).toEqual([
      "LinearLR(start_factor=1.0, end_factor=0.0, total_iters=10)",
      "ConstantLR(factor=0.0, total_iters=_NEVER)",
      "SequentialLR(schedulers=schedulers, milestones=[10])",
    ]);
    const toTenth = makeSchedule({ final: rel(0.1) }, [{ end: 10, shape: { kind: "linear" }, from: rel(1), to: rel(0.1) }]);
    expect(calls(emit("pytorch-native", toTenth).text)).toEqual(["LinearLR(start_factor=1.0, end_factor=0.1, total_iters=10)"]);
  });
});

describe("no built-in: a LambdaLR over the closed form, and an A401 note on the phase with the reason", () => {
  function refusal(ir: Parameters<typeof emit>[1]) {
    const r = emit("pytorch-native", ir);
    // The rest of the schedule still composes: the module is written, LambdaLR in the gaps.
    expect(r.text).toContain("lr_scheduler.LambdaLR(optimizer, lr_lambda=");
    expect(r.text.match(/lr_scheduler\.LambdaLR\(/g)?.length).toBe(r.diagnostics.length);
    for (const d of r.diagnostics) {
      expect(d.code).toBe("A401");
      expect(d.severity).toBe("info");
      expect(d.message).toMatch(/; it runs as a LambdaLR over the closed form$/);
    }
    return r.diagnostics.map((d) => ({ at: d.range.start, message: d.message }));
  }

  test("warmup from 0: LinearLR needs start_factor > 0", () => {
    const ir = makeSchedule({ peak: 1e-3, final: abs(0) }, [
      { end: 100, shape: { kind: "linear" }, from: abs(0), to: abs(1e-3), phase: "warmup" },
      { end: 1000, shape: { kind: "linear" }, from: abs(1e-3), to: abs(0) },
    ]);
    const [d, ...rest] = refusal(ir);
    expect(rest).toEqual([]);
    expect(d!.at).toBe(0);
    expect(d!.message).toMatch(/warmup.*start_factor > 0/);
  });

  test("each unmappable phase is reported at its own range", () => {
    const ir = makeSchedule({ final: rel(0.05) }, [
      { end: 100, shape: { kind: "constant" }, from: rel(1), to: rel(1) },
      { end: 200, shape: { kind: "cosine" }, from: rel(0.5), to: rel(0.1) },
      { end: 300, shape: { kind: "restarts", period: 20, mult: 1.5, decay: 1 }, from: rel(1), to: rel(0) },
      { end: 400, shape: { kind: "restarts", period: 20, mult: 1, decay: 0.5 }, from: rel(1), to: rel(0) },
      { end: 500, shape: { kind: "sqrt" }, from: rel(1), to: rel(0) },
      { end: 600, shape: { kind: "rsqrt", tau: 100 }, from: rel(1), to: rel(1) },
      { end: 700, shape: { kind: "cosine" }, from: rel(1), to: rel(0.05) },
      { end: 800, shape: { kind: "poly", power: 2 }, from: rel(1), to: rel(0.05) },
    ]);
    const ds = refusal(ir);
    expect(ds.map((d) => d.at)).toEqual([100, 200, 300, 400, 500, 600, 700]);
    expect(ds[0]!.message).toMatch(/CosineAnnealingLR always starts at each group's base rate/);
    expect(ds[1]!.message).toMatch(/whole-number T_mult.*1\.5/);
    expect(ds[2]!.message).toMatch(/decay 0\.5/);
    expect(ds[3]!.message).toMatch(/sqrt cooldown/);
    expect(ds[4]!.message).toMatch(/inverse square root/);
    expect(ds[5]!.message).toMatch(/eta_min is an absolute rate/);
    expect(ds[6]!.message).toMatch(/PolynomialLR always decays to 0/);
    // The phases that map keep their built-in: the first, a constant at the base rate, is a ConstantLR.
    expect(calls(emit("pytorch-native", ir).text)[0]).toBe("ConstantLR(factor=1.0, total_iters=_NEVER)");
  });

  test("a relative constant at an absolute rate has no single factor", () => {
    const ir = makeSchedule({ final: abs(1e-5) }, [{ end: 100, shape: { kind: "constant" }, from: abs(1e-5), to: abs(1e-5) }]);
    expect(refusal(ir)[0]!.message).toMatch(/absolute part/);
  });

  test("a decay into the subnormal range: torch's chained products drift from the closed form there", () => {
    // On torch, StepLR from 1e-300 with gamma 0.5 gives a rate off by a relative 1.0 at
    // step 77 (about 6.6e-324, where a double keeps one bit), against 1e-300 * 0.5 ** 77.
    const r = emit("pytorch-native", compile("lr 1e-300\ntotal 100\nstep by 0.5 every 1\n").schedules[0]!.ir!);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["A401"]);
    expect(r.diagnostics[0]!.message).toMatch(/decays below the normal range of doubles \(about 2\.2e-308; it ends at 0\).*use the default closed-form target/);
    // Above the normal range the same decay maps to StepLR.
    const ok = emit("pytorch-native", compile("lr 1e-300\ntotal 100\nstep by 0.9 every 1\n").schedules[0]!.ir!);
    expect(ok.diagnostics).toEqual([]);
  });
});

describe("hyperparameter chains", () => {
  test("are refused by --native with A403, since the built-ins set only the rate", () => {
    const r = compile("lr 0.1\ntotal 1000\nonecycle\nmomentum: onecycle from 0.95 via 0.85 to 0.95\n");
    const out = emit("pytorch-native", r.schedules[0]!.ir!);
    expect(out.text).toBe("");
    expect(out.diagnostics.map((d) => [d.code, d.severity])).toEqual([["A403", "error"]]);
    expect(out.diagnostics[0]!.message).toMatch(/also sets momentum; use the default target/);
    // The default target sets them: `momentum_at` and the group's momentum or betas[0].
    expect(emit("pytorch", r.schedules[0]!.ir!).text).toMatch(/def momentum_at\(step\):[\s\S]*group\["betas"\] = \(self\._momentum_at\(step\)/);
  });
});
