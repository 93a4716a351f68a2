// The preview's per-pixel envelope against brute force: for every column, the lowest and
// highest rate over all the ticks it covers. The envelope only evaluates candidate ticks
// (column ends, segment ends, restart boundaries), so these tests check that the candidates
// never miss an extreme, on schedules long enough that columns hold thousands of ticks.
// Also the axis arithmetic and the number formats the preview shows.

import { describe, expect, it } from "vitest";
import { createEvaluator } from "../../packages/compiler/src/evaluate.js";
import type { ScheduleIR, Segment, Shape } from "../../packages/compiler/src/ir.js";
import { candidateTicks, envelope } from "../../packages/vscode-extension/src/preview/envelope.js";
import { formatCount, formatRate, linearTicks, logTicks, niceStep } from "../../packages/vscode-extension/src/preview/scale.js";
import { resnet, sgdr, warmupCosine, wsd } from "./fixtures/schedules.js";

function ir(total: number, segments: [number, number, Shape, number, number][]): ScheduleIR {
  const r = { start: 0, end: 0 };
  const segs: Segment[] = segments.map(([start, end, shape, a, b], i) => ({
    start,
    end,
    shape,
    from: { scale: 0, abs: a },
    to: { scale: 0, abs: b },
    phase: shape.kind,
    phaseIndex: i,
    range: r,
  }));
  return { name: "t", nameRange: r, range: r, total, clock: "steps", totalUnit: "steps", peak: 1, relative: false, segments: segs, final: { scale: 0, abs: 0 } };
}

/** Min and max of the rate over ticks [first, last], evaluating every one. */
function bruteForce(s: ScheduleIR, first: number, last: number) {
  const ev = createEvaluator(s);
  let min = Infinity;
  let max = -Infinity;
  for (let t = first; t <= last; t++) {
    const v = ev.lrAt(t);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}

const schedules: [string, ScheduleIR][] = [
  ["warmup then cosine", warmupCosine],
  ["warmup, stable, sqrt decay", wsd],
  ["SGDR with doubling cycles", sgdr],
  ["step decay per epoch (fewer ticks than columns)", resnet],
  // Cycles of 7, 10.5, 15.75, ... ticks: boundaries between ticks, decaying restarts.
  ["SGDR with fractional cycle boundaries", ir(200_000, [[0, 200_000, { kind: "restarts", period: 700.7, mult: 1.5, decay: 0.8 }, 1, 0.01]])],
  // Short cycles: a column crosses many of them and falls back to even samples.
  ["SGDR with cycles shorter than a column", ir(100_000, [[0, 100_000, { kind: "restarts", period: 3, mult: 1, decay: 1 }, 1, 0]])],
  ["multi-step decay and a jump between phases", ir(50_000, [
    [0, 20_000, { kind: "multistep", factor: 0.5, milestones: [1001, 1002, 7777] }, 1, 0],
    [20_000, 50_000, { kind: "step", factor: 0.3, every: 333 }, 2, 0],
  ])],
];

describe("envelope", () => {
  it.each(schedules)("%s: every column holds the exact min and max of its ticks", (_, s) => {
    const ev = createEvaluator(s);
    for (const columns of [1, 7, 333, 1000]) {
      const env = envelope(s, columns);
      expect(env).toHaveLength(columns);
      expect(env[0]!.first).toBe(0);
      expect(env[columns - 1]!.last).toBe(s.total - 1);
      for (const c of env) {
        const exact = bruteForce(s, c.first, c.last);
        // The short-cycle fallback samples evenly; everywhere else the envelope is exact.
        const sampled = candidateTicks(s, c.first, c.last).length > 300;
        if (sampled) {
          expect(c.max).toBeLessThanOrEqual(exact.max);
          expect(c.min).toBeGreaterThanOrEqual(exact.min);
          expect(c.max - c.min).toBeGreaterThan(0.9 * (exact.max - exact.min));
        } else {
          expect([c.first, c.last, c.min, c.max]).toEqual([c.first, c.last, exact.min, exact.max]);
        }
        expect(c.from).toBe(ev.lrAt(c.first));
        expect(c.to).toBe(ev.lrAt(c.last));
      }
    }
  });

  it("columns tile the ticks: each starts where the previous one ended, or shares its tick", () => {
    for (const [, s] of schedules) {
      const env = envelope(s, 640);
      for (let i = 1; i < env.length; i++) {
        expect(env[i]!.first === env[i - 1]!.last || env[i]!.first === env[i - 1]!.last + 1).toBe(true);
      }
    }
  });

  it("has nothing to draw for an empty schedule", () => {
    expect(envelope(ir(0, []), 100)).toEqual([]);
  });
});

describe("axes and number formats", () => {
  it("picks 1-2-5 tick spacings", () => {
    expect(niceStep(100_000, 10)).toBe(10_000);
    expect(niceStep(3.3e-4, 5)).toBe(5e-5);
    expect(niceStep(90, 4)).toBe(20);
  });

  it("places linear ticks on round values without rounding noise", () => {
    expect(linearTicks(0, 3.3e-4, 4)).toEqual([0, 1e-4, 2e-4, 3e-4]);
    expect(linearTicks(0, 90, 4)).toEqual([0, 20, 40, 60, 80]);
  });

  it("places log ticks on decades, with 2 and 5 when the range is short", () => {
    expect(logTicks(-7.2, -3.1)).toEqual([1e-7, 1e-6, 1e-5, 1e-4]);
    expect(logTicks(-4.1, -3.2)).toEqual([1e-4, 2e-4, 5e-4]);
    // Without room for the 2s and 5s, the decades alone.
    expect(logTicks(-6.2, -3.5, 8)).toEqual([1e-6, 1e-5, 1e-4]);
    expect(logTicks(-6.2, -3.5, 9)).toEqual([1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4]);
  });

  it("writes counts as Anneal does and rates compactly", () => {
    expect([0, 950, 1000, 1500, 10_000, 58_650, 1_500_000, 300e9].map((n) => formatCount(n))).toEqual([
      "0", "950", "1k", "1.5k", "10k", "58.65k", "1.5M", "300B",
    ]);
    expect([0, 0.05, 0.1, 3e-4, 2.99912e-4, 1e-6, 0.0030000000000000005].map((v) => formatRate(v))).toEqual([
      "0", "0.05", "0.1", "3e-4", "2.999e-4", "1e-6", "0.003",
    ]);
  });
});
