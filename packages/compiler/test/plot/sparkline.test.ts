// Sparklines: two dot columns per braille character, each column a slice of the clock that
// lights every dot from the slice's lowest rate to its highest, in quarters of the schedule's
// peak. Expected lines come from a brute-force walk over every tick with the spec's formulas
// and the braille dot numbering of the Unicode standard (dots 1, 2, 3, 7 down the left
// column, 4, 5, 6, 8 down the right; dot k is bit k - 1 of the offset from U+2800).

import { describe, expect, it } from "vitest";
import type { ScheduleIR } from "../../src/ir.js";
import { sparkline } from "../../src/plot/sparkline.js";
import { gpt3, resnet, sgdr, specRate, wsd } from "./fixtures.js";

/** Dot numbers from the top row down, left column then right. */
const DOTS = [
  [1, 2, 3, 7],
  [4, 5, 6, 8],
];

function expected(ir: ScheduleIR, width: number, final: number): string {
  const n = 2 * width;
  const spans: [number, number][] = [];
  for (let c = 0; c < n; c++) {
    // The ticks whose unit interval overlaps the column's share of [0, total).
    const first = Math.min(ir.total - 1, Math.floor((c * ir.total) / n));
    const last = Math.max(first, Math.min(ir.total - 1, Math.ceil(((c + 1) * ir.total) / n) - 1));
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = first; t <= last; t++) {
      const v = specRate(ir, t, final);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    spans.push([lo, hi]);
  }
  const top = Math.max(...spans.map((s) => s[1]));
  const row = (v: number) => Math.round((v / top) * 3);
  let out = "";
  for (let i = 0; i < width; i++) {
    let bits = 0;
    for (const side of [0, 1]) {
      const [lo, hi] = spans[2 * i + side]!;
      // Row 0 is the bottom, which is the last dot of the column's list.
      for (let r = row(lo); r <= row(hi); r++) bits |= 1 << (DOTS[side]![3 - r]! - 1);
    }
    out += String.fromCharCode(0x2800 + bits);
  }
  return out;
}

describe("sparkline", () => {
  it("draws the seed's step decay", () => {
    // 0.1 for epochs 0-29, 0.01 for 30-59, 0.001 for 60-89, five epochs a column: the top
    // row (dots 1 and 4) for the first three characters, then the bottom row (7 and 8),
    // since 0.01 is 0.3 of a quarter step above 0.
    expect(sparkline(resnet(), 9)).toBe("⠉⠉⠉⣀⣀⣀⣀⣀⣀");
  });

  it("shows restart cycles a column holds as the span they sweep, not a flat top", () => {
    // Twelve and a half cycles of 10 ticks per column: each sweeps from the peak to the floor.
    expect(sparkline(sgdr(1000, 10), 4)).toBe("⣿⣿⣿⣿");
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
