// The JSON and CSV targets: resolved phases and the rate at every tick, with values from
// the spec's formulas (LANGUAGE.md §4) written out here, in shortest round-trip form.

import { describe, expect, test } from "vitest";
import { emit } from "../../src/emit/index.js";
import { abs, makeSchedule, rel } from "./schedules.js";

/** lr 0.4, total 6: a linear warmup 0 -> 0.4 over 4 ticks, then constant; holds 0.4. */
const warmupThenConstant = makeSchedule({ name: "wc", peak: 0.4, final: abs(0.4) }, [
  { end: 4, shape: { kind: "linear" }, from: abs(0), to: abs(0.4), phase: "warmup" },
  { end: 6, shape: { kind: "constant" }, from: abs(0.4), to: abs(0.4) },
]);

/** The spec's linear formula, a + (b - a) p with p = u / len. */
const linear = (a: number, b: number, u: number, len: number) => a + (b - a) * (u / len);

describe("csv", () => {
  test("one `step,lr` row per tick from 0 to total, values in shortest round-trip form", () => {
    const rows = emit("csv", warmupThenConstant).text.split("\n");
    expect(rows[0]).toBe("step,lr");
    expect(rows.at(-1)).toBe("");
    const expected = [0, 1, 2, 3].map((u) => linear(0, 0.4, u, 4)).concat([0.4, 0.4, 0.4]);
    expect(rows.slice(1, -1)).toEqual(expected.map((v, t) => `${t},${String(v)}`));
    // 0.4 * 3/4 is not 0.3 in binary; the table says so rather than rounding it away.
    expect(rows[4]).toBe("3,0.30000000000000004");
  });
});

describe("json", () => {
  test("resolved phases, the final rate and the rate table", () => {
    const doc = JSON.parse(emit("json", warmupThenConstant, { source: "x.anneal" }).text) as Record<string, unknown>;
    expect(doc).toMatchObject({
      format: "anneal-schedule/1",
      schedule: "wc",
      source: "x.anneal",
      clock: "steps",
      total: 6,
      relative: false,
      peak: 0.4,
      final: 0.4,
      phases: [
        { phase: "warmup", phaseIndex: 0, start: 0, end: 4, shape: { kind: "linear" }, from: 0, to: 0.4, endsAt: 0.4 },
        { phase: "constant", phaseIndex: 1, start: 4, end: 6, shape: { kind: "constant" }, from: 0.4, to: 0.4, endsAt: 0.4 },
      ],
    });
    const rates = doc.rates as [number, number][];
    expect(rates.map(([t]) => t)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rates[2]![1]).toBe(linear(0, 0.4, 2, 4));
  });

  test("a relative schedule keeps each value's scale and absolute part, and tabulates at base 1", () => {
    // Relative: warmup from 1% over 10 ticks, then a cosine to an absolute floor of 1e-3.
    const ir = makeSchedule({ final: abs(1e-3) }, [
      { end: 10, shape: { kind: "linear" }, from: rel(0.01), to: rel(1), phase: "warmup" },
      { end: 20, shape: { kind: "cosine" }, from: rel(1), to: abs(1e-3) },
    ]);
    const doc = JSON.parse(emit("json", ir).text) as {
      peak: null;
      ratesBaseLr: number;
      phases: { from: unknown; to: unknown }[];
      final: unknown;
      rates: [number, number][];
    };
    expect(doc.peak).toBeNull();
    expect(doc.ratesBaseLr).toBe(1);
    expect(doc.phases[1]).toMatchObject({ from: { scale: 1, abs: 0 }, to: { scale: 0, abs: 1e-3 } });
    expect(doc.final).toEqual({ scale: 0, abs: 1e-3 });
    // Cosine from 1 to 1e-3 over 10 ticks, at u = 5: b + (a - b)(1 + cos(pi / 2)) / 2.
    expect(doc.rates[15]![1]).toBe(1e-3 + ((1 - 1e-3) * (1 + Math.cos(Math.PI * 0.5))) / 2);
    expect(doc.rates[20]![1]).toBe(1e-3);
  });
});
