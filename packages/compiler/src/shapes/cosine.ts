// `cosine`, and a cosine warmup (where a < b): half a cosine from `a` to `b`.

import { etaMin, startsAtBase } from "../emit/native-context.js";
import type { Sym } from "../ir.js";
import { bin, call, INTERPOLATION, interpolationEnd, lit, progressAt, runtimeInterpolationEnd, spellProgress, type ShapeModule, type ShapeOf } from "./shape.js";

/** The cosine annealing formula, shared with the restart cycles: `b + (a - b) (1 + cos(pi p)) / 2`. */
export function cosineAt(a: number, b: number, p: number): number {
  return b + ((a - b) * (1 + Math.cos(Math.PI * p))) / 2;
}

/** The same formula spelled in a dialect, with `p` an expression. */
export function spellCosine(a: string, b: string, p: string, cos: string, pi: string): string {
  return `${b} + ((${a} - ${b}) * (1 + ${cos}(${pi} * (${p})))) / 2`;
}

/** The weight of `a` in that formula, `(1 + cos(pi p)) / 2`, as a run-time expression of `p`. */
export function cosineWeight(p: Sym): Sym {
  return bin("/", bin("+", lit(1), call("cos", bin("*", lit(Math.PI), p))), lit(2));
}

export const cosine: ShapeModule<ShapeOf<"cosine">> = {
  formula: "b + (a - b) (1 + cos(pi p)) / 2",
  at: (s, a, b, u, len) => cosineAt(a, b, progressAt(s, u, len)),
  end: (s, len) => interpolationEnd(s, len, (p) => (1 + Math.cos(Math.PI * p)) / 2),
  runtimeEnd: (s, p, len, name) => runtimeInterpolationEnd(s, p, len, name, cosineWeight),
  ...INTERPOLATION,
  spell: (s, n, d) => ({ statements: [], value: spellCosine(n.a, n.b, spellProgress(s, n, d), d.cos, d.pi) }),
  native(s, seg, cx) {
    if (s.span !== undefined) return { reason: "CosineAnnealingLR anneals over its own T_max; a cosine laid over another length, or starting part way, has no built-in" };
    const why = startsAtBase(seg, cx.view, "CosineAnnealingLR");
    if (why !== undefined) return { reason: why };
    const eta = etaMin(seg.to, cx.view, "CosineAnnealingLR");
    if ("reason" in eta) return eta;
    return {
      ok: {
        call: `lr_scheduler.CosineAnnealingLR(optimizer, T_max=${cx.lenSource}, eta_min=${cx.py(eta.eta)})`,
        label: cx.label,
        holds: false,
        pastEnd: "CosineAnnealingLR rises again after T_max",
      },
    };
  },
};
