// `linear`, and a linear warmup: a straight line from `a` to `b`.

import { factorIn } from "../emit/native-context.js";
import { bin, INTERPOLATION, interpolationEnd, lit, progressAt, runtimeInterpolationEnd, spellProgress, type ShapeModule, type ShapeOf } from "./shape.js";

export const linear: ShapeModule<ShapeOf<"linear">> = {
  formula: "a + (b - a) p",
  at: (s, a, b, u, len) => a + (b - a) * progressAt(s, u, len),
  end: (s, len) => interpolationEnd(s, len, (p) => 1 - p),
  runtimeEnd: (s, p, len, name) => runtimeInterpolationEnd(s, p, len, name, (q) => bin("-", lit(1), q)),
  ...INTERPOLATION,
  spell: (s, n, d) => ({ statements: [], value: `${n.a} + (${n.b} - ${n.a}) * (${spellProgress(s, n, d)})` }),
  native(shape, seg, cx) {
    if (shape.span !== undefined) return { reason: "LinearLR runs over its own total_iters; a line laid over another length has no built-in" };
    const s = factorIn(seg.from, cx.view, "LinearLR's start_factor", true);
    if ("reason" in s) {
      if (cx.view.factor(seg.from) === 0) {
        return {
          reason: `LinearLR needs start_factor > 0 and this ${seg.phase} starts at 0 (torch rejects 0 or divides by it); start above 0, e.g. \`from 0.1%\`, or use the default closed-form target`,
        };
      }
      return s;
    }
    const e = factorIn(seg.to, cx.view, "LinearLR's end_factor", false);
    if ("reason" in e) return e;
    return {
      ok: {
        call: `lr_scheduler.LinearLR(optimizer, start_factor=${cx.py(s.factor)}, end_factor=${cx.py(e.factor)}, total_iters=${cx.lenSource})`,
        label: cx.label,
        // LinearLR holds its recursive end value, which lands a rounding error away from
        // an end_factor of 0 (around -1e-18): a hold at exactly 0 then takes over.
        holds: e.factor > 0,
        pastEnd: "LinearLR's recursion ends a rounding error away from 0",
      },
    };
  },
};
