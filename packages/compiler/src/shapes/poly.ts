// `poly power P`: polynomial decay, `b + (a - b) (1 - p) ** P`.

import { startsAtBase } from "../emit/native-context.js";
import { bin, call, INTERPOLATION, interpolationEnd, lit, progressAt, runtimeInterpolationEnd, spellProgress, type ShapeModule, type ShapeOf } from "./shape.js";

export const poly: ShapeModule<ShapeOf<"poly">> = {
  formula: "b + (a - b) (1 - p) ** power",
  at: (s, a, b, u, len) => b + (a - b) * (1 - progressAt(s, u, len)) ** s.power,
  end: (s, len) => interpolationEnd(s, len, (p) => (1 - p) ** s.power),
  runtimeEnd: (s, p, len, name) => runtimeInterpolationEnd(s, p, len, name, (q) => call("pow", bin("-", lit(1), q), lit(s.power))),
  ...INTERPOLATION,
  // In float32, `1 - u / len` near the end keeps only the bits of u / len that differ from
  // 1, and a power below 1 magnifies that loss (1.8e-6 of the peak at the tick before the end
  // of a 20,000-step `power 0.5`). A traced target takes the remainder `(len - u) / len`,
  // whose subtraction is exact on whole ticks; the others keep the evaluator's operations.
  spell: (s, n, d) => {
    const remaining = d.traced && s.span === undefined ? `(${n.len} - ${n.u}) / ${n.len}` : `1 - ${spellProgress(s, n, d)}`;
    return { statements: [], value: `${n.b} + (${n.a} - ${n.b}) * (${remaining}) ** ${d.num(s.power)}` };
  },
  native(s, seg, cx) {
    if (s.span !== undefined) return { reason: "PolynomialLR decays over its own total_iters; a decay laid over another length has no built-in" };
    const why = startsAtBase(seg, cx.view, "PolynomialLR");
    if (why !== undefined) return { reason: why };
    if (!(seg.to.scale === 0 && seg.to.abs === 0) && cx.view.factor(seg.to) !== 0) {
      return { reason: `PolynomialLR always decays to 0, and this phase ends at ${cx.view.describe(seg.to)}` };
    }
    return {
      ok: { call: `lr_scheduler.PolynomialLR(optimizer, total_iters=${cx.lenSource}, power=${cx.py(s.power)})`, label: cx.label, holds: true },
    };
  },
};
