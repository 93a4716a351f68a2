// Sparklines: one character per slice of the clock, the slice's largest rate in eighths of
// the schedule's peak. Expected levels come from a brute-force walk over every tick with the
// spec's formulas.

import { describe, expect, it } from "vitest";
import type { ScheduleIR } from "../../src/ir.js";
import { sparkline } from "../../src/plot/sparkline.js";
import { gpt3, resnet, sgdr, specRate, wsd } from "./fixtures.js";

function expected(ir: ScheduleIR, width: number, final: number): string {
  const levels = "▁▂▃▄▅▆▇█";
  const maxima: number[] = [];
  for (let i = 0; i < width; i++) {
    const lo = Math.floor((i * ir.total) / width);
    const hi = Math.max(lo + 1, Math.floor(((i + 1) * ir.total) / width));
    let m = -Infinity;
    for (let t = lo; t < hi; t++) m = Math.max(m, specRate(ir, t, final));
    maxima.push(m);
  }
  const top = Math.max(...maxima);
  return maxima.map((m) => levels[Math.round((m / top) * 7)]).join("");
}

describe("sparkline", () => {
  it("draws the seed's step decay", () => {
    // 0.1 for epochs 0-29, 0.01 for 30-59, 0.001 for 60-89: 7/10 of an eighth rounds to 1.
    expect(sparkline(resnet(), 9)).toBe("███▂▂▂▁▁▁");
  });

  it.each([1, 7, 40, 90, 200])("is exactly %i characters long", (width) => {
    expect([...sparkline(resnet(), width)]).toHaveLength(width);
    expect([...sparkline(wsd(), width)]).toHaveLength(width);
  });

  it("matches a brute-force walk over every tick", () => {
    const cases: [ScheduleIR, number, number][] = [
      [resnet(), 40, 1e-3],
      [resnet(), 200, 1e-3],
      [wsd(), 50, 0],
      [gpt3(), 64, 6e-5],
      [sgdr(1000, 100, 1, 0.5), 30, 1e-5],
      [sgdr(1000, 10, 1, 1.05), 7, 1e-5],
      [sgdr(15_000, 1000, 2, 0.8), 33, 1e-5],
    ];
    for (const [ir, width, final] of cases) {
      expect(sparkline(ir, width), `${ir.name} × ${width}`).toBe(expected(ir, width, final));
    }
  });
});
