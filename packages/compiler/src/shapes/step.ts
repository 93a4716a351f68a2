// `step by F every N`: the rate times F at every multiple of N, `a F ** floor(u / N)`.

import { isPositiveInteger, startsAtBase } from "../emit/native-context.js";
import { intLiteral } from "../emit/escape.js";
import type { ShapeTicks, Sym } from "../ir.js";
import { bin, call, firstAndLastJump, lit, type Jumps, type ShapeModule, type ShapeOf } from "./shape.js";

type Step = ShapeOf<"step">;

/** `factor ** (ceil(len / every) - 1)` over run-time parameters: `end`'s and `grow`'s factor. */
const endFactor = (s: Step, p: ShapeTicks, len: Sym): Sym => call("pow", lit(s.factor), bin("-", call("ceil", bin("/", len, p.every ?? lit(s.every))), lit(1)));

const at = (s: Step, a: number, _b: number, u: number) => a * s.factor ** Math.floor(u / s.every);

const jumps: Jumps<Step> = {
  has: (s) => s.every > 0,
  between(s, len, lo, hi, max) {
    const out: number[] = [];
    const stop = Math.min(hi, len);
    if (max <= 0 || !(stop > Math.max(lo, 0)) || !(s.every > 0)) return out;
    for (let k = Math.max(1, Math.floor(lo / s.every) + 1); out.length < max; k++) {
      const u = k * s.every;
      if (u >= stop) break;
      if (u > lo) out.push(u);
    }
    return out;
  },
  lastBetween(s, len, lo, hi) {
    const stop = Math.min(hi, len);
    if (!(stop > Math.max(lo, 0)) || !(s.every > 0)) return undefined;
    const k = Math.ceil(stop / s.every) - 1;
    const u = k >= 1 ? k * s.every : undefined;
    return u !== undefined && u > lo ? u : undefined;
  },
  leftLimit(s, a, b, u) {
    const q = u / s.every;
    return Number.isInteger(q) && q >= 1 ? a * s.factor ** (q - 1) : at(s, a, b, u);
  },
};

export const step: ShapeModule<Step> = {
  formula: "a factor ** floor(t / every)",
  at,
  end: (s, len) => ({ alpha: s.factor ** (Math.ceil(len / s.every) - 1), beta: 0 }),
  grow: (s, len) => Math.max(1, s.factor ** (Math.ceil(len / s.every) - 1)),
  jumps,
  critical: (s, len, lo, hi) => firstAndLastJump(jumps, s, len, lo, hi),
  usesB: false,
  helpers: [],
  spell: (s, n, d) => ({ statements: [], value: `${n.a} * ${d.num(s.factor)} ** ${d.floor}(${n.u} / ${n.params?.every ?? d.num(s.every)})` }),
  // `end`: factor ** (ceil(len / every) - 1).
  runtimeEnd: (s, p, len) => ({ alpha: endFactor(s, p, len) }),
  runtimeGrow: (s, p, len) => call("max", lit(1), endFactor(s, p, len)),
  native(s, seg, cx) {
    const why = startsAtBase(seg, cx.view, "StepLR");
    if (why !== undefined) return { reason: why };
    if (!isPositiveInteger(s.every)) return { reason: `StepLR's step_size is a whole number of steps, and this phase steps every ${s.every}` };
    return {
      ok: {
        call: `lr_scheduler.StepLR(optimizer, step_size=${intLiteral(s.every)}, gamma=${cx.py(s.factor)})`,
        label: cx.label,
        holds: false,
        pastEnd: "StepLR keeps decaying",
      },
    };
  },
};
