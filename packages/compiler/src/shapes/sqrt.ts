// `sqrt`: the square-root cooldown of warmup-stable-decay schedules, `b + (a - b) (1 - sqrt(p))`.

import { bin, call, INTERPOLATION, interpolationEnd, lit, progressAt, runtimeInterpolationEnd, spellProgress, type ShapeModule, type ShapeOf } from "./shape.js";

export const sqrt: ShapeModule<ShapeOf<"sqrt">> = {
  formula: "b + (a - b) (1 - sqrt(p))",
  at: (s, a, b, u, len) => b + (a - b) * (1 - Math.sqrt(progressAt(s, u, len))),
  end: (s, len) => interpolationEnd(s, len, (p) => 1 - Math.sqrt(p)),
  runtimeEnd: (s, p, len, name) => runtimeInterpolationEnd(s, p, len, name, (q) => bin("-", lit(1), call("sqrt", q))),
  ...INTERPOLATION,
  spell: (s, n, d) => ({ statements: [], value: `${n.b} + (${n.a} - ${n.b}) * (1 - ${d.sqrt}(${spellProgress(s, n, d)}))` }),
  native: () => ({ reason: "no torch built-in has the sqrt cooldown shape b + (a - b)(1 - sqrt(p))" }),
};
