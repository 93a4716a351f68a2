// Hand-made schedules for the plot tests, written as the checker would lower them, and an
// independent spelling of the spec's formulas (LANGUAGE.md §4) to hold the plots against.

import type { RateValue, ScheduleIR, Segment, Shape } from "../../src/ir.js";

const R = { start: 0, end: 0 };

export const abs = (v: number): RateValue => ({ scale: 0, abs: v });

export interface SegSpec {
  start: number;
  end: number;
  shape: Shape;
  from: number;
  to: number;
  phase: string;
}

/** An absolute schedule (peak `lr`) from segments given with plain numbers. */
export function schedule(
  name: string,
  total: number,
  lr: number,
  segs: SegSpec[],
  final: number,
  extra: Partial<ScheduleIR> = {},
): ScheduleIR {
  const segments: Segment[] = segs.map((s, i) => ({
    start: s.start,
    end: s.end,
    shape: s.shape,
    from: abs(s.from),
    to: abs(s.to),
    phase: s.phase,
    phaseIndex: i,
    range: R,
  }));
  return {
    name,
    nameRange: R,
    range: R,
    total,
    clock: "steps",
    totalUnit: "steps",
    peak: lr,
    relative: false,
    segments,
    final: abs(final),
    ...extra,
  };
}

/** `lr 0.1  total 90 epochs  step by 0.1 every 30 epochs` */
export const resnet = (): ScheduleIR =>
  schedule("default", 90, 0.1, [{ start: 0, end: 90, shape: { kind: "step", factor: 0.1, every: 30 }, from: 0.1, to: 0, phase: "step" }], 0.1 * 0.1 ** 2, {
    clock: "epochs",
    totalUnit: "epochs",
  });

/** `lr 3e-3  total 100k  warmup 2% -> constant -> sqrt 20% to 0` */
export const wsd = (): ScheduleIR =>
  schedule(
    "wsd",
    100_000,
    3e-3,
    [
      { start: 0, end: 2000, shape: { kind: "linear" }, from: 0, to: 3e-3, phase: "warmup" },
      { start: 2000, end: 80_000, shape: { kind: "constant" }, from: 3e-3, to: 3e-3, phase: "constant" },
      { start: 80_000, end: 100_000, shape: { kind: "sqrt" }, from: 3e-3, to: 0, phase: "sqrt" },
    ],
    0,
  );

/** A long SGDR schedule, `lr 1e-3  cosine to 1e-5 restart every P [x M] [decay F]`, whose cycles fit `total` exactly (so it ends on 1e-5). */
export const sgdr = (total: number, period: number, mult = 1, decay = 1): ScheduleIR => {
  const shape: Shape = { kind: "restarts", period, mult, decay };
  return schedule("sgdr", total, 1e-3, [{ start: 0, end: total, shape, from: 1e-3, to: 1e-5, phase: "cosine" }], 1e-5);
};

/** `lr 6e-4  total 300B tokens  tokens_per_step 0.5M  warmup 375M tokens -> cosine 260B tokens to 10% -> constant` */
export const gpt3 = (): ScheduleIR =>
  schedule(
    "gpt3",
    600_000,
    6e-4,
    [
      { start: 0, end: 750, shape: { kind: "linear" }, from: 0, to: 6e-4, phase: "warmup" },
      { start: 750, end: 520_750, shape: { kind: "cosine" }, from: 6e-4, to: 6e-5, phase: "cosine" },
      { start: 520_750, end: 600_000, shape: { kind: "constant" }, from: 6e-5, to: 6e-5, phase: "constant" },
    ],
    6e-5,
    { totalUnit: "tokens", tokensPerStep: 500_000 },
  );

/** The spec's value of a shape at offset u of a segment of length len (LANGUAGE.md §4). */
export function specShape(shape: Shape, a: number, b: number, u: number, len: number): number {
  // An interpolation laid over another length, or starting part way into its curve.
  const span = "span" in shape && shape.span !== undefined ? shape.span : len;
  const shift = "shift" in shape && shape.shift !== undefined ? shape.shift : 0;
  const p = Math.min(1, (u + shift) / span);
  switch (shape.kind) {
    case "constant":
      return a;
    case "linear":
      return a + (b - a) * p;
    case "cosine":
      return b + ((a - b) * (1 + Math.cos(Math.PI * p))) / 2;
    case "exp":
      return Math.exp(Math.log(a) * (1 - p) + Math.log(b) * p);
    case "rex":
      // Chen et al. (2022), REX: the multiplier (1 - z) / (1/2 + (1 - z) / 2).
      return b + (a - b) * ((1 - p) / (0.5 + (1 - p) / 2));
    case "cyclic": {
      // torch's CyclicLR documentation: a triangle wave between base and max, its height
      // scaled per cycle (triangular2: halved) or per iteration (exp_range: gamma ** it).
      const k = Math.floor(u / shape.cycle);
      const inCycle = u - k * shape.cycle;
      const tri = inCycle <= shape.up ? inCycle / shape.up : 1 - (inCycle - shape.up) / (shape.cycle - shape.up);
      return a + (b - a) * tri * shape.decay ** k * shape.gamma ** u;
    }
    case "gamma":
      return a * shape.gamma ** (u / shape.per);
    case "poly":
      return b + (a - b) * (1 - p) ** shape.power;
    case "sqrt":
      return b + (a - b) * (1 - Math.sqrt(p));
    case "rsqrt":
      return a * Math.sqrt(shape.tau / (shape.tau + u));
    case "step":
      return a * shape.factor ** Math.floor(u / shape.every);
    case "multistep":
      return a * shape.factor ** shape.milestones.filter((m) => m <= u).length;
    case "restarts": {
      // Walk the cycles one by one: slow, but an independent reading of "cycle k lasts
      // L M^k ticks and starts at a F^k".
      let start = 0;
      let len = shape.period;
      let k = 0;
      while (start + len <= u) {
        start += len;
        len *= shape.mult;
        k++;
      }
      if (shape.limit !== undefined && k >= shape.limit) return b;
      const top = a * shape.decay ** k;
      return b + ((top - b) * (1 + Math.cos(Math.PI * ((u - start) / len)))) / 2;
    }
  }
}

/** The spec's rate of a schedule at integer tick t (the final value at or past total). */
export function specRate(ir: ScheduleIR, t: number, finalValue: number): number {
  if (t >= ir.total) return finalValue;
  const s = ir.segments.find((seg) => seg.start <= t && t < seg.end)!;
  return specShape(s.shape, s.from.abs, s.to.abs, t - s.start, s.end - s.start);
}
