// `constant` (and `hold`): the rate stays at its start.

import { factorIn } from "../emit/native-context.js";
import { monotone, type ShapeModule, type ShapeOf } from "./shape.js";

export const constant: ShapeModule<ShapeOf<"constant">> = {
  formula: "a",
  at: (_s, a) => a,
  end: () => ({ alpha: 1, beta: 0 }),
  grow: () => 1,
  jumps: undefined,
  critical: monotone,
  usesB: false,
  helpers: [],
  spell: (_s, n) => ({ statements: [], value: n.a }),
  native(_s, seg, cx) {
    const f = factorIn(seg.from, cx.view, "ConstantLR's factor", false);
    if ("reason" in f) return f;
    return { ok: { call: `lr_scheduler.ConstantLR(optimizer, factor=${cx.py(f.factor)}, total_iters=_NEVER)`, label: cx.label, holds: true } };
  },
};
