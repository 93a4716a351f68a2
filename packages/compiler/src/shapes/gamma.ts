// `exp gamma G [per step|epoch]`: the rate times G once per step or epoch, `a G ** (u / per)`.

import { startsAtBase } from "../emit/native-context.js";
import type { ShapeTicks, Sym } from "../ir.js";
import { bin, call, lit, monotone, type ShapeModule, type ShapeOf } from "./shape.js";

/** `gamma ** (len / per)` over run-time parameters: `end`'s and `grow`'s factor. */
const endFactor = (s: ShapeOf<"gamma">, p: ShapeTicks, len: Sym): Sym => call("pow", lit(s.gamma), bin("/", len, p.per ?? lit(s.per)));

export const gamma: ShapeModule<ShapeOf<"gamma">> = {
  formula: "a gamma ** (t / per)",
  at: (s, a, _b, u) => a * s.gamma ** (u / s.per),
  end: (s, len) => ({ alpha: s.gamma ** (len / s.per), beta: 0 }),
  grow: (s, len) => Math.max(1, s.gamma ** (len / s.per)),
  jumps: undefined,
  critical: monotone,
  usesB: false,
  helpers: [],
  spell: (s, n, d) => ({ statements: [], value: `${n.a} * ${d.num(s.gamma)} ** (${n.u} / ${n.params?.per ?? d.num(s.per)})` }),
  // `end`: gamma ** (len / per).
  runtimeEnd: (s, p, len) => ({ alpha: endFactor(s, p, len) }),
  runtimeGrow: (s, p, len) => call("max", lit(1), endFactor(s, p, len)),
  native(s, seg, cx) {
    const why = startsAtBase(seg, cx.view, "ExponentialLR");
    if (why !== undefined) return { reason: why };
    const g = s.per === 1 ? s.gamma : s.gamma ** (1 / s.per);
    return { ok: { call: `lr_scheduler.ExponentialLR(optimizer, gamma=${cx.py(g)})`, label: cx.label, holds: false, pastEnd: "ExponentialLR keeps decaying" } };
  },
};
