// Every bundled example checks clean and evaluates to the values its published formula
// gives. The expected values are computed here from the formulas in the papers and
// reference implementations the examples cite, not from the evaluator.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { FILL_TOLERANCE } from "../src/evaluate.js";
import { compile, createEvaluator, createParamEvaluator, type ScheduleIR } from "../src/index.js";

const dir = join(import.meta.dirname, "..", "..", "..", "examples");

function load(name: string): ScheduleIR {
  const r = compile(readFileSync(join(dir, name), "utf8"));
  expect(r.diagnostics).toEqual([]);
  expect(r.schedules).toHaveLength(1);
  return r.schedules[0]!.ir!;
}

/** Steps to compare: all of them for short schedules, else boundaries plus a fixed spread. */
function stepsOf(total: number, extra: number[] = []): number[] {
  if (total <= 5000) return Array.from({ length: total + 3 }, (_, i) => i);
  const s = new Set<number>([0, 1, 2, total - 2, total - 1, total, total + 1, ...extra.flatMap((x) => [x - 1, x, x + 1])]);
  for (let i = 0; i < 4000; i++) s.add(Math.floor((i * 7919 * total) / 4000 / 7919 + ((i * 104729) % 997)) % total);
  return [...s].filter((t) => t >= 0).sort((a, b) => a - b);
}

function expectClose(ir: ScheduleIR, formula: (t: number) => number, extra: number[] = [], peak?: number): void {
  const ev = createEvaluator(ir, peak);
  const exact = ev.fillExact(new Float64Array(ir.total + 2), 0);
  const fast = ev.fill(new Float64Array(ir.total + 2), 0);
  // `fill`'s contract: within FILL_TOLERANCE of `lrAt`, relative to the schedule's largest rate.
  const fastTol = FILL_TOLERANCE * exact.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (const t of stepsOf(ir.total, extra)) {
    const want = formula(Math.min(t, ir.total));
    const got = ev.lrAt(t);
    const tol = 1e-12 * Math.max(Math.abs(want), 1e-300) + 1e-18;
    if (!(Math.abs(got - want) <= tol)) expect({ t, got }).toEqual({ t, got: want });
    if (t < exact.length && !Object.is(exact[t], got)) expect({ t, fillExact: exact[t] }).toEqual({ t, fillExact: got });
    if (t < fast.length && !(Math.abs(fast[t]! - got) <= fastTol)) expect({ t, fill: fast[t] }).toEqual({ t, fill: got });
  }
}

describe("examples evaluate to their published formulas", () => {
  test("ResNet step decay (He et al.): 0.1, 0.01, 0.001 for epochs 0-29, 30-59, 60-89", () => {
    const ir = load("resnet-step-decay.anneal");
    expect([ir.total, ir.clock]).toEqual([90, "epochs"]);
    // torch.optim.lr_scheduler.StepLR closed form: base_lr * gamma ** (epoch // step_size);
    // past total the schedule holds its last value, 0.1 * 0.1 ** 2.
    expectClose(ir, (t) => 0.1 * 0.1 ** Math.floor(Math.min(t, 89) / 30));
  });

  test("BERT: 10k linear warmup, linear decay to 0 over 1M steps", () => {
    const ir = load("bert.anneal");
    expectClose(ir, (t) => (t < 10_000 ? (1e-4 * t) / 10_000 : 1e-4 * (1 - (t - 10_000) / 990_000)), [10_000]);
  });

  test("WSD: 2% warmup, plateau, 1-sqrt cooldown over the last 20%", () => {
    const ir = load("wsd.anneal");
    expectClose(ir, (t) => (t < 2000 ? (3e-3 * t) / 2000 : t < 80_000 ? 3e-3 : 3e-3 * (1 - Math.sqrt((t - 80_000) / 20_000))), [2000, 80_000]);
  });

  test("GPT-3: 375M-token warmup, cosine to 10% over 260B tokens, then constant", () => {
    const ir = load("gpt3.anneal");
    // 0.5M tokens per step: 750 warmup steps, 520k cosine steps, 600k steps in all.
    expect(ir.total).toBe(600_000);
    const lr = 6e-4;
    const min = 6e-5;
    expectClose(ir, (t) => (t < 750 ? (lr * t) / 750 : t < 520_750 ? min + 0.5 * (1 + Math.cos((Math.PI * (t - 750)) / 520_000)) * (lr - min) : min), [750, 520_750]);
  });

  test("SGDR: cycles of 10, 20, 40, 80 epochs at 391 steps per epoch", () => {
    const ir = load("sgdr.anneal");
    expect(ir.total).toBe(150 * 391);
    const bounds = [0, 3910, 3910 + 7820, 3910 + 7820 + 15640, 58_650];
    expectClose(
      ir,
      (t) => {
        if (t >= 58_650) return 0;
        let k = 0;
        while (t >= bounds[k + 1]!) k++;
        const ti = bounds[k + 1]! - bounds[k]!;
        return (0.05 * (1 + Math.cos((Math.PI * (t - bounds[k]!)) / ti))) / 2;
      },
      bounds,
    );
  });

  test("fairseq inverse_sqrt: warmup from 1e-7, then lr * sqrt(warmup / t)", () => {
    const ir = load("fairseq-inverse-sqrt.anneal");
    // fairseq: lr = warmup_init_lr + t * (lr - warmup_init_lr) / warmup_updates, then
    // decay_factor / sqrt(t) with decay_factor = lr * sqrt(warmup_updates).
    expectClose(ir, (t) => (t < 4000 ? 1e-7 + (t * (5e-4 - 1e-7)) / 4000 : (5e-4 * Math.sqrt(4000)) / Math.sqrt(t)), [4000]);
  });

  test("nanoGPT: warmup, then cosine to peak / 10", () => {
    const ir = load("nanogpt.anneal");
    expectClose(ir, (t) => (t < 2000 ? (6e-4 * t) / 2000 : 6e-5 + 0.5 * (1 + Math.cos((Math.PI * (t - 2000)) / 598_000)) * (6e-4 - 6e-5)), [2000]);
  });

  test("quickstart: 4% warmup, cosine with restarts every 12k to 1e-6", () => {
    const ir = load("quickstart.anneal");
    expectClose(ir, (t) => (t < 4000 ? (3e-4 * t) / 4000 : t >= 100_000 ? 1e-6 : 1e-6 + ((3e-4 - 1e-6) * (1 + Math.cos((Math.PI * ((t - 4000) % 12_000)) / 12_000))) / 2), [4000, 16_000, 28_000]);
  });

  test("relative: multipliers of the base rate, with an absolute floor", () => {
    const ir = load("relative.anneal");
    expect(ir.relative).toBe(true);
    for (const base of [1, 3e-4, 0.1]) {
      // torch's LinearLR(start_factor=0.01) then CosineAnnealingLR(eta_min=1e-6) in closed form.
      expectClose(ir, (t) => (t < 1000 ? base * (0.01 + (0.99 * t) / 1000) : 1e-6 + ((base - 1e-6) * (1 + Math.cos((Math.PI * (t - 1000)) / 49_000))) / 2), [1000], base);
    }
  });

  test("every example file is covered above", () => {
    expect(readdirSync(dir).sort()).toEqual(
      ["bert", "chinchilla", "cyclic", "dino", "fairseq-inverse-sqrt", "gpt3", "nanogpt", "onecycle", "quickstart", "relative", "resnet-step-decay", "sgdr", "wsd"].map((n) => `${n}.anneal`),
    );
  });

  test("one-cycle: PyTorch's OneCycleLR formulas (Smith and Topin, 2019), rate and momentum", () => {
    const r = compile(readFileSync(join(dir, "onecycle.anneal"), "utf8"));
    expect(r.diagnostics).toEqual([]);
    const ir = r.schedules[0]!.ir!;
    // torch/optim/lr_scheduler.py, OneCycleLR with its defaults: pct_start 0.3, div_factor
    // 25, final_div_factor 1e4, cosine annealing. The rise ends at step 0.3 * 1000 - 1 = 299,
    // the fall at 999; in a part the progress is (step - start) / (end - start), and the
    // cosine anneal is end + (start - end) / 2 * (cos(pi * pct) + 1).
    const anneal = (a: number, b: number, pct: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1);
    const oneCycle = (lo: number, hi: number, end: number) => (t: number) =>
      t <= 299 ? anneal(lo, hi, t / 299) : t <= 999 ? anneal(hi, end, (t - 299) / 700) : end;
    expectClose(ir, oneCycle(0.1 / 25, 0.1, 0.1 / 25 / 1e4), [299, 300, 999]);
    // Momentum cycles inversely, from max_momentum 0.95 to base_momentum 0.85 and back.
    const m = createParamEvaluator(ir, "momentum")!;
    const want = oneCycle(0.95, 0.85, 0.95);
    for (let t = 0; t <= 1001; t++) expect(Math.abs(m.lrAt(t) - want(Math.min(t, 999)))).toBeLessThanOrEqual(1e-12);
  });

  test("cyclic: PyTorch's CyclicLR triangular2 formula (Smith, 2017)", () => {
    const ir = load("cyclic.anneal");
    // cycle = floor(1 + t / 400), x = |t / 200 - 2 cycle + 1|, lr = base + (max - base)
    // * max(0, 1 - x) / 2 ** (cycle - 1): the paper's formula, as CyclicLR's docs give it.
    expectClose(ir, (t) => {
      const cycle = Math.floor(1 + t / 400);
      const x = Math.abs(t / 200 - 2 * cycle + 1);
      return 1e-4 + ((1e-2 - 1e-4) * Math.max(0, 1 - x)) / 2 ** (cycle - 1);
    });
  });

  test("DINO: warmup and cosine for the rate, a rising cosine for the weight decay", () => {
    const r = compile(readFileSync(join(dir, "dino.anneal"), "utf8"));
    expect(r.diagnostics).toEqual([]);
    const ir = r.schedules[0]!.ir!;
    // DINO's cosine_scheduler: warmup linearly over 10 epochs of 1000 steps, then
    // final + (base - final) / 2 * (1 + cos(pi * i / n)) over the remaining steps.
    const cos = (base: number, final: number, i: number, n: number) => final + ((base - final) / 2) * (1 + Math.cos((Math.PI * i) / n));
    expectClose(ir, (t) => (t < 10_000 ? (5e-4 * t) / 10_000 : cos(5e-4, 1e-6, t - 10_000, 90_000)), [10_000]);
    const wd = createParamEvaluator(ir, "weight_decay")!;
    for (const t of [0, 1, 500, 50_000, 99_999, 100_000, 100_001]) expect(Math.abs(wd.lrAt(t) - cos(0.04, 0.4, Math.min(t, 100_000), 100_000))).toBeLessThanOrEqual(1e-14);
  });

  test("Chinchilla: a cosine laid over 1.1x the run, cut at the end", () => {
    const ir = load("chinchilla.anneal");
    // Hoffmann et al.: the cosine cycle is 1.1 times the number of steps; the rate after a
    // 1% warmup is floor + (peak - floor) (1 + cos(pi u / (1.1 * 100k))) / 2, with floor 10%.
    const w = 1000;
    expectClose(ir, (t) => (t < w ? (2e-4 * t) / w : 2e-5 + ((2e-4 - 2e-5) * (1 + Math.cos((Math.PI * (Math.min(t, 100_000) - w)) / 110_000))) / 2), [w]);
  });
});

describe("the founding spec's own examples", () => {
  test("section 5: names with peak and total", () => {
    const r = compile("let warm  = 2k steps\nlet floor = peak / 100\nschedule gpt { lr 6e-4  total 600k  warmup warm -> cosine to floor }\n");
    expect(r.diagnostics).toEqual([]);
    const ev = r.schedules[0]!.evaluator!;
    expect(ev.lrAt(2000)).toBe(6e-4);
    expect(ev.final).toBeCloseTo(6e-6, 18);
  });

  test("the one-liner: checks with one warning, the cut-short last cycle", () => {
    const r = compile("total 100k steps\nlr 3e-4\nwarmup 4% linear -> cosine to 1e-6 restart every 10k\n");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["A309"]);
    // 96k of cosine in cycles of 10k: the last is cut after 6k of 10k.
    const ev = r.schedules[0]!.evaluator!;
    const want = 1e-6 + ((3e-4 - 1e-6) * (1 + Math.cos((Math.PI * 5999) / 10_000))) / 2;
    expect(ev.lrAt(99_999)).toBeCloseTo(want, 15);
    expect(r.diagnostics[0]!.fixes![0]!.edits[0]!.newText).toBe("9600");
  });
});

describe("phase kinds against their formulas", () => {
  const one = (src: string) => {
    const r = compile(src);
    expect(r.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    return r.schedules[0]!.evaluator!;
  };
  test("poly, exp, gamma, multistep, warmup shapes, rsqrt with timescale", () => {
    const poly = one("lr 1\ntotal 100\npoly power 2 to 0.1\n");
    for (const t of [0, 10, 50, 99]) expect(poly.lrAt(t)).toBeCloseTo(0.1 + 0.9 * (1 - t / 100) ** 2, 14);
    const exp = one("lr 1\ntotal 100\nexp to 1e-3\n");
    for (const t of [0, 10, 50, 99]) expect(exp.lrAt(t)).toBeCloseTo(1e-3 ** (t / 100), 14);
    expect(exp.final).toBe(1e-3);
    const gamma = one("lr 1\ntotal 10 epochs\nsteps_per_epoch 4\nclock steps\nexp gamma 0.5 per epoch\n");
    for (const t of [0, 1, 4, 8, 39]) expect(gamma.lrAt(t)).toBeCloseTo(0.5 ** (t / 4), 14);
    const ms = one("lr 1\ntotal 90\nstep by 0.1 at 30, 60\n");
    expect([ms.lrAt(29), ms.lrAt(30), ms.lrAt(59), ms.lrAt(60), ms.lrAt(89), ms.final]).toEqual([1, 0.1, 0.1, 0.1 ** 2, 0.1 ** 2, 0.1 ** 2]);
    const wc = one("lr 0.5\ntotal 100\nwarmup 10 cosine -> constant\n");
    for (const t of [0, 3, 9]) expect(wc.lrAt(t)).toBeCloseTo(0.5 * (1 - Math.cos((Math.PI * t) / 10)) / 2, 14);
    const we = one("lr 1\ntotal 100\nwarmup 10 exp from 1e-3 -> constant\n");
    for (const t of [0, 5, 9]) expect(we.lrAt(t)).toBeCloseTo(1e-3 * 1000 ** (t / 10), 12);
    const rs = one("lr 1\ntotal 100\nrsqrt timescale 16\n");
    for (const t of [0, 9, 48]) expect(rs.lrAt(t)).toBeCloseTo(Math.sqrt(16 / (16 + t)), 14);
  });

  test("restarts with a multiplier and a cycle decay", () => {
    const ev = one("lr 1\ntotal 70\ncosine to 0.1 restart every 10 x2 decay 0.5\n");
    // Cycles [0,10), [10,30), [30,70), starting at 1, 0.5, 0.25.
    const f = (t: number) => {
      const [s, len, top] = t < 10 ? [0, 10, 1] : t < 30 ? [10, 20, 0.5] : [30, 40, 0.25];
      return 0.1 + ((top - 0.1) * (1 + Math.cos((Math.PI * (t - s)) / len))) / 2;
    };
    for (let t = 0; t < 70; t++) expect(ev.lrAt(t)).toBeCloseTo(f(t), 14);
    expect(ev.final).toBe(0.1);
  });

  test("a schedule ending early holds its last value; past total holds the final value", () => {
    const r = compile("lr 1\ntotal 100\nwarmup 10 -> linear 40 to 0.5\n");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["A302"]);
    const ev = r.schedules[0]!.evaluator!;
    expect([ev.lrAt(50), ev.lrAt(99), ev.lrAt(100), ev.lrAt(1e12)]).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(ev.lrAt(-5)).toBe(0);
  });
});
