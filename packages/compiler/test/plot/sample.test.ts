// Exact sampling: the polyline passes through the schedule's values at every breakpoint,
// draws each jump as a vertical edge at its tick, and stays bounded by the pixel count.

import { describe, expect, it } from "vitest";
import { createEvaluator } from "../../src/evaluate.js";
import type { ScheduleIR } from "../../src/ir.js";
import { Curve } from "../../src/plot/curve.js";
import { sampleCurve, type Polyline } from "../../src/plot/sample.js";
import { resnet, schedule, sgdr, specRate, specShape, wsd } from "./fixtures.js";

/** Indices i where the polyline has a vertical edge at tick t: (t, before) then (t, after). */
function edgeAt(line: Polyline, t: number): { before: number; after: number } | undefined {
  for (let i = 0; i + 1 < line.t.length; i++) {
    if (line.t[i] === t && line.t[i + 1] === t && line.v[i] !== line.v[i + 1]) {
      return { before: line.v[i]!, after: line.v[i + 1]! };
    }
  }
  return undefined;
}

/** The value the polyline takes at tick t when it passes through a single point there. */
function valuesAt(line: Polyline, t: number): number[] {
  return line.v.filter((_, i) => line.t[i] === t);
}

function closeRel(a: number, b: number, rel = 1e-12): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

describe("sampleCurve", () => {
  it("draws each step-decay drop as a vertical edge at its exact epoch", () => {
    const ir = resnet();
    for (const columns of [7, 90, 640]) {
      const line = sampleCurve(new Curve(ir), { columns });
      // Epoch 30: 0.1 -> 0.01; epoch 60: 0.01 -> 0.001 (LANGUAGE.md §4: a F^floor(t/N)).
      const e30 = edgeAt(line, 30);
      const e60 = edgeAt(line, 60);
      expect(e30, `columns ${columns}`).toBeDefined();
      expect(e60, `columns ${columns}`).toBeDefined();
      expect(e30!.before).toBe(0.1 * 0.1 ** 0);
      expect(e30!.after).toBe(0.1 * 0.1 ** 1);
      expect(e60!.before).toBe(0.1 * 0.1 ** 1);
      expect(e60!.after).toBe(0.1 * 0.1 ** 2);
      // No other vertical edge: the schedule has two drops.
      let edges = 0;
      for (let i = 0; i + 1 < line.t.length; i++) if (line.t[i] === line.t[i + 1]) edges++;
      expect(edges).toBe(2);
      expect(line.t[0]).toBe(0);
      expect(line.t[line.t.length - 1]).toBe(90);
    }
  });

  it("passes through the exact values at segment boundaries and at both ends", () => {
    const ir = wsd();
    const line = sampleCurve(new Curve(ir), { columns: 333 });
    expect(valuesAt(line, 0)).toEqual([0]);
    expect(valuesAt(line, 2000)).toEqual([3e-3]);
    expect(valuesAt(line, 80_000)).toEqual([3e-3]);
    expect(valuesAt(line, 100_000)).toEqual([0]);
    // Ticks are non-decreasing.
    for (let i = 1; i < line.t.length; i++) expect(line.t[i]!).toBeGreaterThanOrEqual(line.t[i - 1]!);
  });

  it("agrees with the evaluator at every whole tick it samples, and with the spec's formula elsewhere", () => {
    for (const ir of [wsd(), resnet(), sgdr(12_000, 1000, 1, 0.7)]) {
      const ev = createEvaluator(ir);
      const line = sampleCurve(new Curve(ir), { columns: 301 });
      const final = ev.final;
      for (let i = 0; i < line.t.length; i++) {
        const t = line.t[i]!;
        const v = line.v[i]!;
        const isEdge = (line.t[i - 1] === t && line.v[i - 1] !== v) || (line.t[i + 1] === t && line.v[i + 1] !== v);
        if (isEdge) continue;
        if (Number.isInteger(t)) expect(v, `${ir.name} t=${t}`).toBe(ev.lrAt(t));
        else {
          const s = ir.segments.find((seg) => seg.start <= t && t < seg.end)!;
          expect(closeRel(v, specShape(s.shape, s.from.abs, s.to.abs, t - s.start, s.end - s.start)), `${ir.name} t=${t}`).toBe(true);
        }
      }
      expect(line.v[line.v.length - 1]).toBe(final);
    }
  });

  it("marks every restart with an edge from the floor to the decayed peak", () => {
    // period 1000, x2, decay 0.5: cycles start at 0, 1000, 3000, 7000 and end at 15000.
    const ir = sgdr(15_000, 1000, 2, 0.5);
    const line = sampleCurve(new Curve(ir), { columns: 500 });
    [1000, 3000, 7000].forEach((t, i) => {
      const e = edgeAt(line, t);
      expect(e, `restart at ${t}`).toBeDefined();
      expect(closeRel(e!.before, 1e-5)).toBe(true);
      expect(closeRel(e!.after, 1e-3 * 0.5 ** (i + 1))).toBe(true);
    });
  });

  it("counts a milestone listed twice as one edge by the factor squared", () => {
    const ir = schedule(
      "ms",
      100,
      1,
      [{ start: 0, end: 100, shape: { kind: "multistep", factor: 0.5, milestones: [30, 30, 70] }, from: 1, to: 0, phase: "step" }],
      0.125,
    );
    const line = sampleCurve(new Curve(ir), { columns: 50 });
    expect(edgeAt(line, 30)).toEqual({ before: 1, after: 0.25 });
    expect(edgeAt(line, 70)).toEqual({ before: 0.25, after: 0.125 });
  });

  it("shows a jump between phases as an edge at the phase boundary", () => {
    const ir = schedule(
      "jump",
      1000,
      1e-3,
      [
        { start: 0, end: 500, shape: { kind: "linear" }, from: 1e-3, to: 5e-4, phase: "linear" },
        { start: 500, end: 1000, shape: { kind: "constant" }, from: 1e-4, to: 1e-4, phase: "constant" },
      ],
      1e-4,
    );
    const line = sampleCurve(new Curve(ir), { columns: 120 });
    expect(edgeAt(line, 500)).toEqual({ before: 5e-4, after: 1e-4 });
  });

  it("keeps a 10M-step schedule with a restart every 10 steps to at most 4 points per column", () => {
    const ir = sgdr(10_000_000, 10);
    const columns = 700;
    const started = performance.now();
    const line = sampleCurve(new Curve(ir), { columns });
    const elapsed = performance.now() - started;
    expect(line.t.length).toBeLessThanOrEqual(4 * columns + 1);
    // The envelope still spans every cycle's peak and floor.
    expect(Math.max(...line.v)).toBe(1e-3);
    expect(closeRel(Math.min(...line.v), 1e-5)).toBe(true);
    // Cost is per pixel, not per step: far below what a million evaluations would take.
    expect(elapsed).toBeLessThan(250);
  });

  it("covers, column by column, the whole-tick extremes a brute-force walk finds", () => {
    // 143 cycles of 7 ticks drawn on 20 columns: every column holds about 7 restarts. Peaks
    // that decay put a column's maximum at its first restart, peaks that grow at its last.
    for (const decay of [0.97, 1.02]) {
      const ir: ScheduleIR = sgdr(1001, 7, 1, decay);
      const top = Math.max(1e-3, 1e-3 * decay ** 142);
      const columns = 20;
      const line = sampleCurve(new Curve(ir), { columns });
      for (let c = 0; c < columns; c++) {
        const lo = (1001 * c) / columns;
        const hi = (1001 * (c + 1)) / columns;
        let min = Infinity;
        let max = -Infinity;
        for (let t = Math.ceil(lo); t <= hi; t++) {
          const v = specRate(ir, t, 1e-5);
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        const inside = line.v.filter((_, i) => line.t[i]! >= lo && line.t[i]! <= hi);
        expect(Math.max(...inside)).toBeGreaterThanOrEqual(max * (1 - 1e-12));
        expect(Math.min(...inside)).toBeLessThanOrEqual(min * (1 + 1e-12));
        // ... and never strays outside what the schedule can reach.
        expect(Math.max(...inside)).toBeLessThanOrEqual(top * (1 + 1e-12));
        expect(Math.min(...inside)).toBeGreaterThanOrEqual(1e-5 * (1 - 1e-12));
      }
    }
  });
});
