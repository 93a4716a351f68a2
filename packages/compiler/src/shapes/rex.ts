// `rex`: the REX schedule (Chen et al., 2022), `b + (a - b) (1 - p) / (1 - p / 2)`.
// It falls slower than a line early and faster late, and like every interpolation here
// may be laid `over` another length than its phase.

import { bin, INTERPOLATION, interpolationEnd, lit, progressAt, runtimeInterpolationEnd, spellProgress, type ShapeModule, type ShapeOf } from "./shape.js";

const weight = (p: number) => (1 - p) / (1 - p / 2);

export const rex: ShapeModule<ShapeOf<"rex">> = {
  formula: "b + (a - b) (1 - p) / (1 - p / 2)",
  at: (s, a, b, u, len) => {
    const p = progressAt(s, u, len);
    return b + (a - b) * ((1 - p) / (1 - p / 2));
  },
  end: (s, len) => interpolationEnd(s, len, weight),
  runtimeEnd: (s, p, len, name) => runtimeInterpolationEnd(s, p, len, name, (q) => bin("/", bin("-", lit(1), q), bin("-", lit(1), bin("/", q, lit(2))))),
  ...INTERPOLATION,
  spell(s, n, d) {
    return { statements: [d.assign("p", spellProgress(s, n, d))], value: `${n.b} + (${n.a} - ${n.b}) * ((1 - p) / (1 - p / 2))` };
  },
  native: () => ({ reason: "no torch built-in has the REX shape (1 - p) / (1 - p / 2); LambdaLR would be needed" }),
};
