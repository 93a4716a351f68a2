// `exp`, and an exponential warmup: geometric interpolation, `a (b / a) ** p`.
//
// When the ratio `b / a` of two finite, positive ends is itself not a normal double
// (`from 1e-320 to 1`, `from 1 to 5e-324`, `from 1e-200 to 1e200`), the ratio overflows
// or underflows and the usual form gives Infinity, NaN or a value with no precision left.
// The checker then marks the shape `logSpace`, and the rate is computed from the logs of
// its ends instead: finite everywhere, and equal to the usual form wherever that one is
// finite. Every schedule whose ratio is a normal double keeps the usual expression, and
// with it its bit-exactness against torch's ExponentialLR-style references.

import { startsAtBase } from "../emit/native-context.js";
import { INTERPOLATION, type ShapeModule, type ShapeOf } from "./shape.js";

/** The smallest positive normal double. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** True when `a (b / a) ** p` cannot be computed as written: its ratio is not a normal double. */
export function needsLogSpace(a: number, b: number): boolean {
  const r = b / a;
  return !(Number.isFinite(r) && r >= MIN_NORMAL);
}

/**
 * True when the usual form overflows or underflows in float32, where traced targets may
 * compute (its ratio is not a normal float32); they then use the log-space form, which
 * agrees with the usual one to about 1e-13 relative in double precision as well.
 */
export function needsLogSpaceInFloat32(a: number, b: number): boolean {
  const r = Math.fround(b / a);
  return !(Number.isFinite(r) && r >= 2 ** -126);
}

export const exp: ShapeModule<ShapeOf<"exp">> = {
  formula: "a (b / a) ** p",
  at: (s, a, b, u, len) => (s.logSpace ? Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * (u / len)) : a * (b / a) ** (u / len)),
  end: () => ({ alpha: 0, beta: 1 }),
  ...INTERPOLATION,
  spell: (s, n, d) => ({
    statements: [],
    value: s.logSpace
      ? `${d.exp}(${d.log}(${n.a}) + (${d.log}(${n.b}) - ${d.log}(${n.a})) * (${n.u} / ${n.len}))`
      : `${n.a} * (${n.b} / ${n.a}) ** (${n.u} / ${n.len})`,
  }),
  native(s, seg, cx) {
    const why = startsAtBase(seg, cx.view, "ExponentialLR");
    if (why !== undefined) return { reason: why };
    const a = cx.view.factor(seg.from);
    const b = cx.view.factor(seg.to);
    if (a === undefined || b === undefined) {
      return { reason: `ExponentialLR multiplies each group's rate, and ${cx.view.describe(seg.to)} has an absolute part` };
    }
    if (s.logSpace) return { reason: `the ratio of this phase's ends is beyond the range of a double, and ExponentialLR's gamma would be 0 or infinite` };
    return {
      ok: {
        call: `lr_scheduler.ExponentialLR(optimizer, gamma=${cx.perTick(b / a)})`,
        label: cx.label,
        holds: false,
        pastEnd: "ExponentialLR keeps decaying",
      },
    };
  },
};
