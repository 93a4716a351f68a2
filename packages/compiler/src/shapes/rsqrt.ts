// `rsqrt`: inverse square-root decay (fairseq, T5), `a sqrt(tau / (tau + u))`.

import type { Sym } from "../ir.js";
import { bin, call, lit, monotone, type ShapeModule, type ShapeOf } from "./shape.js";

export const rsqrt: ShapeModule<ShapeOf<"rsqrt">> = {
  formula: "a sqrt(tau / (tau + t - s))",
  at: (s, a, _b, u) => a * Math.sqrt(s.tau / (s.tau + u)),
  end: (s, len) => ({ alpha: Math.sqrt(s.tau / (s.tau + len)), beta: 0 }),
  grow: () => 1,
  jumps: undefined,
  critical: monotone,
  usesB: false,
  helpers: [],
  spell: (s, n, d) => {
    const tau = n.params?.tau ?? d.num(s.tau);
    return { statements: [], value: `${n.a} * ${d.sqrt}(${tau} / (${tau} + ${n.u}))` };
  },
  // `end`: sqrt(tau / (tau + len)), with the timescale computed at run time when it is the phase's start.
  runtimeEnd: (s, p, len) => {
    const tau = p.tau ?? lit(s.tau);
    return { alpha: call("sqrt", bin("/", tau, bin("+", tau, len))) };
  },
  native: () => ({ reason: "no torch built-in has the inverse square root shape a sqrt(tau / (tau + t - s))" }),
};
