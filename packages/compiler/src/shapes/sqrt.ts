// `sqrt`: the square-root cooldown of warmup-stable-decay schedules, `b + (a - b) (1 - sqrt(p))`.

import { INTERPOLATION, type ShapeModule, type ShapeOf } from "./shape.js";

export const sqrt: ShapeModule<ShapeOf<"sqrt">> = {
  formula: "b + (a - b) (1 - sqrt(p))",
  at: (_s, a, b, u, len) => b + (a - b) * (1 - Math.sqrt(u / len)),
  ...INTERPOLATION,
  spell: (_s, n, d) => ({ statements: [], value: `${n.b} + (${n.a} - ${n.b}) * (1 - ${d.sqrt}(${n.u} / ${n.len}))` }),
  native: () => ({ reason: "no torch built-in has the sqrt cooldown shape b + (a - b)(1 - sqrt(p))" }),
};
