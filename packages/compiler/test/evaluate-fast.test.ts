// The error bound of every fast route of `fill`: cosine segments and restart cycles (angle
// addition from exact anchors) and geometric ones (`exp`, `gamma`: a table of powers from
// exact anchors). Each is checked against the
// closed form of LANGUAGE.md section 4, written out here, and against `lrAt`: every value
// must lie within FILL_TOLERANCE times the largest rate of its segment. Long segments and
// windows deep inside them are what take the fast routes (short runs are exact).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createEvaluator, FILL_TOLERANCE, segmentEnd } from "../src/evaluate.js";
import type { ScheduleIR, Segment, Shape } from "../src/ir.js";

const R = { start: 0, end: 0 };

/** One absolute segment over [0, len). */
function single(shape: Shape, a: number, b: number, len: number): ScheduleIR {
  const seg: Segment = { start: 0, end: len, shape, from: { scale: 0, abs: a }, to: { scale: 0, abs: b }, phase: shape.kind, phaseIndex: 0, range: R };
  return { name: "t", nameRange: R, range: R, total: len, clock: "steps", totalUnit: "steps", peak: 1, relative: false, segments: [seg], final: segmentEnd(seg) };
}

// The spec's formulas (LANGUAGE.md, section 4), with p = u / len.
const cosineForm = (a: number, b: number, p: number) => b + ((a - b) * (1 + Math.cos(Math.PI * p))) / 2;
const expForm = (a: number, b: number, p: number) => a * Math.pow(b / a, p);

/** SGDR by laying cycles end to end: cycle k lasts period * mult^k and starts at a * decay^k. */
function restartsForm(a: number, b: number, period: number, mult: number, decay: number, u: number): number {
  let start = 0;
  let len = period;
  let top = a;
  while (u >= start + len) {
    start += len;
    len *= mult;
    top *= decay;
  }
  return cosineForm(top, b, (u - start) / len);
}

interface Window {
  start: number;
  n: number;
}

/**
 * Fills each window with `fill` and returns the largest error against `form` and against
 * `lrAt`, in units of `scale` (the largest rate of the segment).
 */
function worstError(ir: ScheduleIR, form: (u: number) => number, windows: Window[], scale: number): { form: number; lrAt: number } {
  const ev = createEvaluator(ir);
  let worstForm = 0;
  let worstLrAt = 0;
  for (const w of windows) {
    const got = ev.fill(new Float64Array(w.n), w.start);
    for (let i = 0; i < w.n; i++) {
      const t = w.start + i;
      worstForm = Math.max(worstForm, Math.abs(got[i]! - form(t)) / scale);
      worstLrAt = Math.max(worstLrAt, Math.abs(got[i]! - ev.lrAt(t)) / scale);
    }
  }
  return { form: worstForm, lrAt: worstLrAt };
}

/** Windows at the start, the middle and the end of a segment, and one at a random place. */
function windowsOf(len: number, n: number, at: number): Window[] {
  return [
    { start: 0, n: Math.min(n, len) },
    { start: Math.max(0, Math.floor(len / 2) - (n >> 1)), n: Math.min(n, len) },
    { start: Math.max(0, len - n), n: Math.min(n, len) },
    { start: Math.min(Math.max(0, len - n), Math.floor(at * len)), n: Math.min(n, len) },
  ];
}

const rate = fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 10, noNaN: true }));

describe("fill's fast routes stay within FILL_TOLERANCE of the closed form and of lrAt", () => {
  test("a whole cosine of a million ticks, decaying and warming up", () => {
    for (const [a, b] of [[6e-4, 6e-5], [0, 1e-3], [1, 0]] as const) {
      const len = 1_000_000;
      const err = worstError(single({ kind: "cosine" }, a, b, len), (u) => cosineForm(a, b, u / len), [{ start: 0, n: len }], Math.max(a, b));
      expect(err.form).toBeLessThanOrEqual(FILL_TOLERANCE);
      expect(err.lrAt).toBeLessThanOrEqual(FILL_TOLERANCE);
      // The fast route is in use (values differ from lrAt in the last places somewhere);
      // were it not, the bounds above would check nothing.
      expect(err.lrAt).toBeGreaterThan(0);
    }
  });

  test("cosine segments of random lengths and rates, up to a billion ticks", () => {
    fc.assert(
      fc.property(rate, rate, fc.integer({ min: 256, max: 1e9 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, len, at) => {
        fc.pre(Math.max(a, b) > 0);
        const err = worstError(single({ kind: "cosine" }, a, b, len), (u) => cosineForm(a, b, u / len), windowsOf(len, 700, at), Math.max(a, b));
        return err.form <= FILL_TOLERANCE && err.lrAt <= FILL_TOLERANCE;
      }),
      { numRuns: 120 },
    );
  });

  test("restart cycles: one length, decaying tops, doubling and fractional cycle starts", () => {
    const cases = [
      { period: 10_000, mult: 1, decay: 1, len: 96_000 },
      { period: 3_000, mult: 1, decay: 0.7, len: 40_000 },
      { period: 3_910, mult: 2, decay: 1, len: 58_650 },
      { period: 1_000, mult: 1.5, decay: 0.9, len: 30_000 },
    ];
    for (const c of cases) {
      const [a, b] = [3e-4, 1e-6];
      const ir = single({ kind: "restarts", period: c.period, mult: c.mult, decay: c.decay }, a, b, c.len);
      const err = worstError(ir, (u) => restartsForm(a, b, c.period, c.mult, c.decay, u), [{ start: 0, n: c.len }, { start: 777, n: 20_000 }], a);
      expect(err.form, JSON.stringify(c)).toBeLessThanOrEqual(FILL_TOLERANCE);
      expect(err.lrAt, JSON.stringify(c)).toBeLessThanOrEqual(FILL_TOLERANCE);
    }
  });

  test("exp segments whose end-to-start ratio is within the proven range", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-8, max: 1, noNaN: true }),
        fc.double({ min: -13, max: 13, noNaN: true }),
        fc.integer({ min: 256, max: 1e8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, log10Ratio, len, at) => {
          const b = a * 10 ** log10Ratio;
          const err = worstError(single({ kind: "exp" }, a, b, len), (u) => expForm(a, b, u / len), windowsOf(len, 700, at), Math.max(a, b));
          return err.form <= FILL_TOLERANCE && err.lrAt <= FILL_TOLERANCE;
        },
      ),
      { numRuns: 120 },
    );
  });

  test("gamma decay per step and per epoch", () => {
    for (const [gamma, per, len] of [[0.9999, 1, 200_000], [0.95, 391, 90 * 391], [1.00001, 1, 100_000]] as const) {
      const a = 0.1;
      const ir = single({ kind: "gamma", gamma, per }, a, a, len);
      const scale = Math.max(a, a * gamma ** (len / per));
      const err = worstError(ir, (u) => a * Math.pow(gamma, u / per), [{ start: 0, n: len }], scale);
      expect(err.form).toBeLessThanOrEqual(FILL_TOLERANCE);
      expect(err.lrAt).toBeLessThanOrEqual(FILL_TOLERANCE);
    }
  });

  test("the other shapes are filled exactly, however long the run", () => {
    const len = 1_000_000;
    for (const shape of [{ kind: "linear" }, { kind: "sqrt" }, { kind: "poly", power: 2 }, { kind: "rsqrt", tau: 1000 }, { kind: "step", factor: 0.5, every: 100_000 }] as Shape[]) {
      const ev = createEvaluator(single(shape, 1e-3, 1e-5, len));
      const got = ev.fill(new Float64Array(len), 0);
      expect(Array.from(got).findIndex((v, t) => !Object.is(v, ev.lrAt(t))), shape.kind).toBe(-1);
    }
  });

  test("a geometric segment beyond the proven range is filled exactly", () => {
    const ir = single({ kind: "exp" }, 1, 1e-20, 50_000);
    const ev = createEvaluator(ir);
    const got = ev.fill(new Float64Array(50_000), 0);
    const bad = Array.from(got).findIndex((v, t) => !Object.is(v, ev.lrAt(t)));
    expect(bad).toBe(-1);
  });
});
