// The shape table: every kind has a module with every piece, and each module's pieces agree
// with its own reference formula. These are properties of the formulas (limits, bounds,
// brute-force extents), so a wrong `end`, `grow`, `critical` or spelling fails here
// whatever the module says of itself.

import { describe, expect, test } from "vitest";
import { jsDialect } from "../../src/emit/tfjs.js";
import { createEvaluator } from "../../src/evaluate.js";
import type { ShapeKind } from "../../src/ir.js";
import { SHAPES, shapeModule } from "../../src/shapes/index.js";
import type { ShapeOf } from "../../src/shapes/shape.js";

/** Instances of every kind, with the ends and length to try them on. A kind without samples does not type-check. */
const SAMPLES: { [K in ShapeKind]: { shape: ShapeOf<K>; a: number; b: number; len: number }[] } = {
  constant: [{ shape: { kind: "constant" }, a: 0.3, b: 0.3, len: 17 }],
  linear: [
    { shape: { kind: "linear" }, a: 0, b: 1e-3, len: 40 },
    { shape: { kind: "linear" }, a: 1, b: 0.1, len: 7 },
    { shape: { kind: "linear", span: 20, shift: 0 }, a: 1, b: 0.1, len: 15 },
  ],
  cosine: [
    { shape: { kind: "cosine" }, a: 1e-3, b: 1e-6, len: 90 },
    { shape: { kind: "cosine" }, a: 0, b: 2, len: 11 },
    { shape: { kind: "cosine", span: 110, shift: 0 }, a: 1, b: 0.1, len: 100 },
    { shape: { kind: "cosine", span: 700, shift: 1 }, a: 0.1, b: 4e-7, len: 700 },
  ],
  exp: [
    { shape: { kind: "exp" }, a: 1e-6, b: 1e-3, len: 50 },
    { shape: { kind: "exp", logSpace: true }, a: 1e-320, b: 1, len: 10 },
    { shape: { kind: "exp", logSpace: true }, a: 1e-200, b: 1e200, len: 33 },
  ],
  gamma: [
    { shape: { kind: "gamma", gamma: 0.95, per: 1 }, a: 0.1, b: 0.1, len: 60 },
    { shape: { kind: "gamma", gamma: 1.01, per: 3 }, a: 0.1, b: 0.1, len: 60 },
  ],
  poly: [{ shape: { kind: "poly", power: 2 }, a: 1, b: 0.01, len: 30 }],
  sqrt: [{ shape: { kind: "sqrt" }, a: 3e-3, b: 0, len: 64 }],
  rex: [
    { shape: { kind: "rex" }, a: 1e-3, b: 0, len: 80 },
    { shape: { kind: "rex", span: 100, shift: 0 }, a: 1, b: 0.2, len: 60 },
  ],
  cyclic: [
    { shape: { kind: "cyclic", cycle: 400, up: 200, decay: 1, gamma: 1 }, a: 1e-4, b: 1e-2, len: 2000 },
    { shape: { kind: "cyclic", cycle: 10, up: 3, decay: 0.5, gamma: 1 }, a: 0.1, b: 1, len: 57 },
    { shape: { kind: "cyclic", cycle: 8, up: 4, decay: 1, gamma: 0.99 }, a: 0.1, b: 1, len: 64 },
  ],
  rsqrt: [{ shape: { kind: "rsqrt", tau: 400 }, a: 1e-3, b: 1e-3, len: 1000 }],
  step: [
    { shape: { kind: "step", factor: 0.1, every: 30 }, a: 0.1, b: 0.1, len: 90 },
    { shape: { kind: "step", factor: 0.5, every: 7 }, a: 1, b: 1, len: 50 },
  ],
  multistep: [{ shape: { kind: "multistep", factor: 0.1, milestones: [10, 25, 25, 40] }, a: 1, b: 1, len: 60 }],
  restarts: [
    { shape: { kind: "restarts", period: 10, mult: 1, decay: 1 }, a: 1, b: 0.01, len: 45 },
    { shape: { kind: "restarts", period: 10, mult: 2, decay: 0.5 }, a: 1, b: 0, len: 70 },
    { shape: { kind: "restarts", period: 10, mult: 1.05, decay: 1 }, a: 1e-3, b: 3e-6, len: 96 },
    { shape: { kind: "restarts", period: 8, mult: 1, decay: 0.7, limit: 3 }, a: 1, b: 0.1, len: 50 },
  ],
};

const PIECES = ["formula", "at", "end", "grow", "critical", "usesB", "helpers", "spell", "native"] as const;

const samples = Object.entries(SAMPLES).flatMap(([kind, list]) => list.map((s, i) => ({ name: `${kind} #${i}`, ...s })));

/** Evaluates a module's JavaScript spelling at offset u. */
function spelledAt(s: (typeof samples)[number], u: number): number {
  const mod = shapeModule(s.shape);
  const sp = mod.spell(s.shape, { a: "a", b: "b", u: "u", len: jsDialect.num(s.len) }, jsDialect);
  const helpers = `const restartCycle = ${helper("restartCycle")}; const countAtOrBelow = ${helper("countAtOrBelow")};`;
  return new Function("a", "b", "u", `${helpers} ${sp.statements.join("\n")} return ${sp.value};`)(s.a, s.b, u) as number;
}

function helper(name: string): string {
  // The emitted helpers, as the TF.js module carries them.
  return `(${name === "restartCycle" ? restartSrc : countSrc})`;
}
const restartSrc = `function (u, period, mult) {
  if (mult === 1) { const k = Math.floor(u / period); return [k, k * period, period]; }
  let k = Math.max(0, Math.floor(Math.log1p((u * (mult - 1)) / period) / Math.log(mult)));
  const startOf = (i) => (period * (mult ** i - 1)) / (mult - 1);
  while (k > 0 && startOf(k) > u) k--;
  while (startOf(k + 1) <= u) k++;
  return [k, startOf(k), period * mult ** k];
}`;
const countSrc = `function (ms, u) { let n = 0; for (const m of ms) if (m <= u) n++; return n; }`;

describe("the shape table", () => {
  test("every kind has a module with every piece", () => {
    for (const kind of Object.keys(SAMPLES) as ShapeKind[]) {
      const mod = SHAPES[kind] as unknown as Record<string, unknown>;
      expect(mod, kind).toBeDefined();
      for (const piece of PIECES) expect(mod[piece], `${kind}.${piece}`).toBeDefined();
      expect("jumps" in mod, `${kind}.jumps`).toBe(true);
    }
    expect(Object.keys(SHAPES).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  test.for(samples)("$name: the spelled formula equals `at` bit for bit", (s) => {
    const mod = shapeModule(s.shape);
    for (let u = 0; u < s.len; u += 0.5) {
      const want = mod.at(s.shape, s.a, s.b, u, s.len);
      expect(Object.is(spelledAt(s, u), want), `u=${u}`).toBe(true);
    }
  });

  test.for(samples)("$name: the evaluator's specialised routes give `at` bit for bit", (s) => {
    const mod = shapeModule(s.shape);
    const ir = {
      name: "t", nameRange: { start: 0, end: 0 }, range: { start: 0, end: 0 }, total: s.len, clock: "steps" as const, totalUnit: "steps" as const,
      peak: 1, relative: false,
      segments: [{ start: 0, end: s.len, shape: s.shape, from: { scale: 0, abs: s.a }, to: { scale: 0, abs: s.b }, phase: "p", phaseIndex: 0, range: { start: 0, end: 0 } }],
      final: { scale: 0, abs: s.b },
    };
    const ev = createEvaluator(ir);
    const filled = ev.fillExact(new Float64Array(s.len));
    for (let u = 0; u < s.len; u++) {
      const want = mod.at(s.shape, s.a, s.b, u, s.len);
      expect(Object.is(ev.lrAt(u), want), `lrAt(${u})`).toBe(true);
      expect(Object.is(filled[u], want), `fillExact[${u}]`).toBe(true);
    }
  });

  test.for(samples)("$name: every value is finite, and within the ends times `grow`", (s) => {
    const mod = shapeModule(s.shape);
    const top = Math.max(s.a, s.b) * mod.grow(s.shape, s.len);
    const bottom = Math.min(s.a, s.b, 0);
    for (let u = 0; u < s.len; u += 0.25) {
      const v = mod.at(s.shape, s.a, s.b, u, s.len);
      expect(Number.isFinite(v), `u=${u}: ${v}`).toBe(true);
      expect(v <= top * (1 + 1e-12) && v >= bottom, `u=${u}: ${v} in [${bottom}, ${top}]`).toBe(true);
    }
  });

  test.for(samples)("$name: `end` is the limit of the rate at the segment's end", (s) => {
    const mod = shapeModule(s.shape);
    const { alpha, beta } = mod.end(s.shape, s.len);
    const end = alpha * s.a + beta * s.b;
    const near = mod.at(s.shape, s.a, s.b, s.len * (1 - 1e-9), s.len);
    expect(Math.abs(end - near)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(s.a), Math.abs(s.b), 1e-300));
  });

  test.for(samples)("$name: the critical offsets bound the rate over any window", (s) => {
    const mod = shapeModule(s.shape);
    const at = (u: number) => mod.at(s.shape, s.a, s.b, u, s.len);
    const left = (u: number) => (mod.jumps ? mod.jumps.leftLimit(s.shape, s.a, s.b, u, s.len) : at(u));
    for (const [lo, hi] of [[0, s.len], [1, s.len - 1], [s.len / 3, (2 * s.len) / 3], [2.5, 9.5]] as const) {
      if (!(hi > lo)) continue;
      let min = Math.min(at(lo), left(hi));
      let max = Math.max(at(lo), left(hi));
      for (const u of mod.critical(s.shape, s.len, lo, hi)) {
        expect(u > lo && u < hi, `critical ${u} inside (${lo}, ${hi})`).toBe(true);
        min = Math.min(min, at(u), left(u));
        max = Math.max(max, at(u), left(u));
      }
      // Brute force on a fine grid, jumps' left limits included through the grid itself.
      const tol = 1e-12 * Math.max(Math.abs(s.a), Math.abs(s.b));
      for (let u = lo; u < hi; u += (hi - lo) / 997) {
        const v = at(u);
        expect(v >= min - tol && v <= max + tol, `[${lo}, ${hi}] u=${u}: ${v} outside [${min}, ${max}]`).toBe(true);
      }
    }
  });

  test.for(samples.filter((s) => shapeModule(s.shape).jumps))("$name: jumps are listed in order, inside the window, and are real jumps", (s) => {
    const j = shapeModule(s.shape).jumps!;
    const list = j.between(s.shape, s.len, 0, s.len, 1000);
    for (let i = 1; i < list.length; i++) expect(list[i]! > list[i - 1]!).toBe(true);
    for (const u of list) {
      expect(u > 0 && u < s.len).toBe(true);
      const before = j.leftLimit(s.shape, s.a, s.b, u, s.len);
      const after = shapeModule(s.shape).at(s.shape, s.a, s.b, u, s.len);
      expect(before).not.toBe(after);
    }
    expect(j.lastBetween(s.shape, s.len, 0, s.len)).toBe(list[list.length - 1]);
  });
});
