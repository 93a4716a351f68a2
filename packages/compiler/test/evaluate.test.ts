// The evaluator's exact paths: `lrAt` and `fillExact` must give `shapeAt`'s value, bit for
// bit, at every tick. `createEvaluator` specialises each segment (hoisted constants, tables
// of powers, cycle walks, runs of equal rates); `shapeAt` is the reference formula that the
// emitted code also spells, so every specialisation is compared with it here, on
// hand-picked segments that hit the edges (cycle and step boundaries, repeated milestones,
// fractional cycle starts) and on random schedules.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createEvaluator, restartCycle, segmentEnd, shapeAt } from "../src/evaluate.js";
import type { RateValue, ScheduleIR, Segment, Shape } from "../src/ir.js";

const R = { start: 0, end: 0 };
const abs = (v: number): RateValue => ({ scale: 0, abs: v });

interface Spec {
  len: number;
  shape: Shape;
  from: number;
  to: number;
}

/** An absolute schedule of consecutive segments from tick 0, ending where the last one ends. */
function schedule(specs: Spec[]): ScheduleIR {
  let start = 0;
  const segments: Segment[] = specs.map((s, i) => {
    const seg: Segment = { start, end: start + s.len, shape: s.shape, from: abs(s.from), to: abs(s.to), phase: s.shape.kind, phaseIndex: i, range: R };
    start += s.len;
    return seg;
  });
  return {
    name: "t",
    nameRange: R,
    range: R,
    total: start,
    clock: "steps",
    totalUnit: "steps",
    peak: 1,
    relative: false,
    segments,
    final: segmentEnd(segments[segments.length - 1]!),
  };
}

/** The reference: the segment that holds t, and shapeAt there; `final` past the end, tick 0 before it. */
function reference(ir: ScheduleIR, t: number): number {
  const at = (s: Segment, x: number) => shapeAt(s.shape, s.from.abs, s.to.abs, x - s.start, s.end - s.start);
  if (Number.isNaN(t)) return NaN;
  if (t < 0) return at(ir.segments[0]!, 0);
  if (t >= ir.total) return ir.final.abs;
  const s = ir.segments.find((g) => g.start <= t && t < g.end)!;
  return at(s, t);
}

/** Every mismatch between `got` and the reference over ticks `start ..`, as readable strings. */
function mismatches(ir: ScheduleIR, got: ArrayLike<number>, start: number): string[] {
  const bad: string[] = [];
  for (let i = 0; i < got.length && bad.length < 5; i++) {
    const want = reference(ir, start + i);
    if (!Object.is(got[i], want)) bad.push(`t=${start + i}: got ${got[i]}, want ${want}`);
  }
  return bad;
}

function checkEverywhere(ir: ScheduleIR): void {
  const ev = createEvaluator(ir);
  const ticks: number[] = [];
  for (let t = -3; t < ir.total + 3; t++) ticks.push(t);
  // Fractional ticks go through the same formulas; so do ticks read out of order.
  for (let t = 0.25; t < ir.total; t += 7.5) ticks.push(t);
  const shuffled = [...ticks].reverse();
  const bad = [...ticks, ...shuffled].filter((t) => !Object.is(ev.lrAt(t), reference(ir, t))).slice(0, 5);
  expect(bad.map((t) => `t=${t}: lrAt ${ev.lrAt(t)}, want ${reference(ir, t)}`)).toEqual([]);
  // Whole range, and windows that start before 0, inside, at boundaries and past the end.
  const starts = [-5, 0, 1, ...ir.segments.map((s) => s.start - 1), ...ir.segments.map((s) => s.end - 1), ir.total - 2, ir.total + 4];
  for (const start of starts)
    for (const n of [1, 3, ir.total + 10]) expect(mismatches(ir, ev.fillExact(new Float64Array(n), start), start), `fillExact(${n}, ${start})`).toEqual([]);
}

const SHAPES: [string, Spec[]][] = [
  ["constant", [{ len: 10, shape: { kind: "constant" }, from: 0.3, to: 0.3 }]],
  ["linear warmup then decay", [{ len: 7, shape: { kind: "linear" }, from: 0, to: 0.1 }, { len: 13, shape: { kind: "linear" }, from: 0.1, to: 0 }]],
  ["cosine decay and cosine warmup", [{ len: 9, shape: { kind: "cosine" }, from: 0, to: 1e-3 }, { len: 31, shape: { kind: "cosine" }, from: 1e-3, to: 1e-6 }]],
  ["exp", [{ len: 17, shape: { kind: "exp" }, from: 1e-3, to: 1e-7 }]],
  ["gamma", [{ len: 12, shape: { kind: "gamma", gamma: 0.9, per: 5 }, from: 0.1, to: 0.1 }]],
  ["poly", [{ len: 11, shape: { kind: "poly", power: 2 }, from: 0.2, to: 0.01 }, { len: 11, shape: { kind: "poly", power: 0.5 }, from: 0.01, to: 0 }]],
  ["sqrt", [{ len: 15, shape: { kind: "sqrt" }, from: 3e-3, to: 0 }]],
  ["rsqrt", [{ len: 20, shape: { kind: "rsqrt", tau: 4 }, from: 1e-3, to: 1e-3 }]],
  ["step with a period that does not divide the length", [{ len: 20, shape: { kind: "step", factor: 0.1, every: 3 }, from: 0.1, to: 0.1 }]],
  ["step with a fractional period", [{ len: 20, shape: { kind: "step", factor: 0.5, every: 2.5 }, from: 1, to: 1 }]],
  // (k + 1) * 1.1 rounds above the first tick of piece k + 1 for some k: the run's guess
  // at the next boundary overshoots and must be corrected.
  ["step with a period whose multiples round up", [{ len: 2000, shape: { kind: "step", factor: 0.999, every: 1.1 }, from: 1, to: 1 }]],
  ["multistep with repeated milestones, one at 0 and one at the end", [{ len: 12, shape: { kind: "multistep", factor: 0.5, milestones: [0, 3, 3, 7, 12] }, from: 1, to: 1 }]],
  ["restarts of one length (mult 1, decay 1)", [{ len: 4, shape: { kind: "linear" }, from: 0, to: 3e-4 }, { len: 26, shape: { kind: "restarts", period: 5, mult: 1, decay: 1 }, from: 3e-4, to: 1e-6 }]],
  ["restarts with decay", [{ len: 26, shape: { kind: "restarts", period: 5, mult: 1, decay: 0.5 }, from: 1, to: 0 }]],
  ["restarts doubling", [{ len: 45, shape: { kind: "restarts", period: 3, mult: 2, decay: 0.8 }, from: 1, to: 0.01 }]],
  ["restarts with fractional cycle starts (mult 1.5)", [{ len: 60, shape: { kind: "restarts", period: 3, mult: 1.5, decay: 1 }, from: 1, to: 0 }]],
];

describe("lrAt and fillExact are shapeAt, bit for bit", () => {
  test.for(SHAPES)("%s", ([, specs]) => checkEverywhere(schedule(specs)));

  test("phases too long for their tables: 9000 steps, 5000 milestones, 4286 restart cycles", () => {
    checkEverywhere(schedule([{ len: 9000, shape: { kind: "step", factor: 0.999, every: 1 }, from: 1, to: 1 }]));
    const milestones = Array.from({ length: 5000 }, (_, i) => 2 * i + 1);
    checkEverywhere(schedule([{ len: 10_000, shape: { kind: "multistep", factor: 0.9999, milestones }, from: 1, to: 1 }]));
    checkEverywhere(schedule([{ len: 30_000, shape: { kind: "restarts", period: 7, mult: 1, decay: 0.9999 }, from: 1, to: 0 }]));
    checkEverywhere(schedule([{ len: 30_000, shape: { kind: "restarts", period: 2, mult: 1.0001, decay: 1 }, from: 1, to: 0 }]));
  });

  test("random schedules", () => {
    const shape = fc.oneof(
      fc.constant<Shape>({ kind: "constant" }),
      fc.constant<Shape>({ kind: "linear" }),
      fc.constant<Shape>({ kind: "cosine" }),
      fc.constant<Shape>({ kind: "exp" }),
      fc.record({ kind: fc.constant("gamma" as const), gamma: fc.double({ min: 0.5, max: 1.2, noNaN: true }), per: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant("poly" as const), power: fc.double({ min: 0.1, max: 4, noNaN: true }) }),
      fc.constant<Shape>({ kind: "sqrt" }),
      fc.record({ kind: fc.constant("rsqrt" as const), tau: fc.integer({ min: 1, max: 1000 }) }),
      fc.record({ kind: fc.constant("step" as const), factor: fc.double({ min: 0.01, max: 0.99, noNaN: true }), every: fc.integer({ min: 1, max: 40 }) }),
      fc
        .array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 })
        .map((ms): Shape => ({ kind: "multistep", factor: 0.3, milestones: ms.sort((x, y) => x - y) })),
      fc.record({
        kind: fc.constant("restarts" as const),
        period: fc.integer({ min: 1, max: 80 }),
        mult: fc.constantFrom(1, 1.5, 2, 3),
        decay: fc.constantFrom(1, 0.5, 0.9),
      }),
    );
    const spec = fc.record({
      len: fc.integer({ min: 1, max: 300 }),
      shape,
      from: fc.double({ min: 1e-6, max: 1, noNaN: true }),
      to: fc.double({ min: 1e-7, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 4 }), fc.integer({ min: -20, max: 1300 }), fc.integer({ min: 1, max: 700 }), (specs, start, n) => {
        const ir = schedule(specs);
        const ev = createEvaluator(ir);
        for (let t = -2; t < ir.total + 2; t++) if (!Object.is(ev.lrAt(t), reference(ir, t))) return false;
        return mismatches(ir, ev.fillExact(new Float64Array(n), start), start).length === 0;
      }),
      { numRuns: 300 },
    );
  });
});

describe("fill's edges", () => {
  const ir = schedule([{ len: 10, shape: { kind: "linear" }, from: 0.2, to: 0.1 }, { len: 10, shape: { kind: "cosine" }, from: 0.1, to: 0 }]);

  test("a fractional start reads every tick as lrAt does", () => {
    const ev = createEvaluator(ir);
    const got = ev.fill(new Float64Array(25), -2.5);
    expect(Array.from(got, (v, i) => Object.is(v, reference(ir, -2.5 + i)))).toEqual(Array(25).fill(true));
  });

  test("a NaN start reads past the end, and an empty array is left alone", () => {
    const ev = createEvaluator(ir);
    expect(Array.from(ev.fill(new Float64Array(3), NaN))).toEqual([0, 0, 0]);
    expect(ev.fill(new Float64Array(0), 4).length).toBe(0);
  });

  test("short runs of every shape are exact even in fill (no fast route below its minimum)", () => {
    for (const [, specs] of SHAPES) {
      const s = schedule(specs);
      expect(mismatches(s, createEvaluator(s).fill(new Float64Array(s.total + 3), -1), -1)).toEqual([]);
    }
  });

  test("the segment a lookup remembers does not leak into the next one", () => {
    const ev = createEvaluator(ir);
    const order = [19, 0, 10, 9, 15, 3, 11, 18, 1];
    expect(order.map((t) => ev.lrAt(t))).toEqual(order.map((t) => reference(ir, t)));
    ev.fillExact(new Float64Array(5), 12);
    expect(ev.lrAt(2)).toBe(reference(ir, 2));
  });

  test("a relative schedule scales with the peak it is bound to", () => {
    const rel: ScheduleIR = { ...ir, relative: true, peak: undefined, segments: ir.segments.map((s) => ({ ...s, from: { scale: s.from.abs * 10, abs: 0 }, to: { scale: s.to.abs * 10, abs: 1e-4 } })) };
    rel.final = segmentEnd(rel.segments[1]!);
    const ev = createEvaluator(rel, 3e-4);
    const s0 = rel.segments[0]!;
    expect(ev.lrAt(4)).toBe(shapeAt(s0.shape, 2 * 3e-4, 1 * 3e-4 + 1e-4, 4, 10));
  });
});

describe("restartCycle", () => {
  test("agrees with cycles laid end to end, at every offset, for whole multipliers", () => {
    for (const [period, mult] of [[5, 1], [3, 2], [2, 3], [7, 1]] as const) {
      let k = 0;
      let start = 0;
      let len = period;
      for (let u = 0; u < 400; u++) {
        while (u >= start + len) {
          start += len;
          len *= mult;
          k++;
        }
        expect(restartCycle(u, period, mult)).toEqual({ k, start, len });
      }
    }
  });
});
