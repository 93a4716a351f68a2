// `cyclic`: torch's CyclicLR, step for step.
//
// With T = up + down ticks a cycle and r = up / T: cycle c = floor(1 + u / T) counts from
// 1, x = 1 + u / T - c runs over [0, 1) inside it, the scale factor rises as x / r and falls
// as (x - 1) / (r - 1), and the rate is a + (b - a) * factor * scale, where the scale is
// decay ** (c - 1) (`decay 0.5` is torch's triangular2; 1 is triangular) or gamma ** u
// (exp_range). The operations are torch's, in torch's order, so the two agree to rounding.

import { intLiteral } from "../emit/escape.js";
import type { Dialect } from "../emit/dialect.js";
import type { Sym } from "../ir.js";
import type { EmitNames } from "./shape.js";
import { bin, call, lit, type ShapeModule, type ShapeOf } from "./shape.js";

type Cyclic = ShapeOf<"cyclic">;

function at(s: Cyclic, a: number, b: number, u: number): number {
  const cycle = Math.floor(1 + u / s.cycle);
  const x = 1 + u / s.cycle - cycle;
  const ratio = s.up / s.cycle;
  const factor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  const scale = s.gamma !== 1 ? s.gamma ** u : s.decay !== 1 ? s.decay ** (cycle - 1) : 1;
  return a + (b - a) * factor * scale;
}

/** The scale in the dialect: the same choice as `at`. */
function spellScale(s: Cyclic, n: EmitNames, d: Dialect): string {
  if (s.gamma !== 1) return ` * ${d.pow(d.num(s.gamma), n.u)}`;
  if (s.decay !== 1) return ` * ${d.num(s.decay)} ** (cycle - 1)`;
  return " * 1";
}

/** The first and last multiple of `step`, offset by `from`, strictly inside (lo, hi). */
function firstAndLastOf(from: number, step: number, lo: number, hi: number): number[] {
  const out: number[] = [];
  const k0 = Math.max(0, Math.floor((lo - from) / step) + 1);
  const k1 = Math.ceil((hi - from) / step) - 1;
  for (const k of k0 === k1 ? [k0] : [k0, k1]) {
    const u = from + k * step;
    if (u > lo && u < hi) out.push(u);
  }
  return out;
}

export const cyclic: ShapeModule<Cyclic> = {
  formula: "a + (b - a) * triangle(u) * scale",
  at: (s, a, b, u) => at(s, a, b, u),
  end(s, len) {
    // The rate at `len` itself, as weights of a and b: the curve is continuous.
    const w = at(s, 0, 1, len);
    return { alpha: 1 - w, beta: w };
  },
  // `end`, over a run-time length: `at(s, 0, 1, len)` in the same operations, `0 + (1 - 0) *
  // factor * scale` being `factor * scale` exactly.
  runtimeEnd(s, p, len, name) {
    const q = name(bin("/", len, p.cycle ?? lit(s.cycle)));
    const cycle = name(call("floor", bin("+", lit(1), q)));
    const x = name(bin("-", bin("+", lit(1), q), cycle));
    const ratio = p.ratio ?? lit(s.up / s.cycle);
    const factor = call("ifBelow", ratio, x, bin("/", bin("-", x, lit(1)), bin("-", ratio, lit(1))), bin("/", x, ratio));
    const scale = s.gamma !== 1 ? call("pow", lit(s.gamma), len) : s.decay !== 1 ? call("pow", lit(s.decay), bin("-", cycle, lit(1))) : lit(1);
    const w = name(bin("*", factor, scale));
    return { alpha: bin("-", lit(1), w), beta: w };
  },
  // The height never exceeds b - a: the scale only shrinks it (decay and gamma at most 1).
  grow: (s) => (s.decay > 1 || s.gamma > 1 ? Infinity : 1),
  jumps: undefined,
  // Peaks at c T + up, troughs at c T; peaks shrink with the scale, troughs are all `a`, so
  // the first and last peak and the first trough in the window bound it.
  critical: (s, _len, lo, hi) => [...firstAndLastOf(s.up, s.cycle, lo, hi), ...firstAndLastOf(0, s.cycle, lo, hi).slice(0, 1)].sort((x, y) => x - y),
  usesB: true,
  helpers: [],
  spell(s, n, d) {
    const T = n.params?.cycle ?? d.num(s.cycle);
    const ratio = n.params?.ratio ?? d.num(s.up / s.cycle);
    return {
      statements: [
        d.assign("cycle", `${d.floor}(1 + ${n.u} / ${T})`),
        // In float32 `1 + u / T - cycle` keeps only the bits of u / T below its integer
        // part; a traced target takes the remainder, which is exact there, instead.
        d.assign("x", d.traced ? `(${n.u} - ${T} * (cycle - 1)) / ${T}` : `1 + ${n.u} / ${T} - cycle`),
        d.assign("factor", d.select(`x <= ${ratio}`, `x / ${ratio}`, `(x - 1) / (${ratio} - 1)`)),
      ],
      value: `${n.a} + (${n.b} - ${n.a}) * factor${spellScale(s, n, d)}`,
    };
  },
  native(s, seg, cx) {
    const base = cx.view.absolute(seg.from);
    const max = cx.view.absolute(seg.to);
    if (base === undefined || max === undefined) return { reason: "CyclicLR takes absolute base_lr and max_lr, and this phase's rates scale with each group's rate" };
    if (s.gamma !== 1 && s.decay !== 1) return { reason: "CyclicLR scales by cycle or by step, not both" };
    if (!Number.isInteger(s.up) || !Number.isInteger(s.cycle - s.up)) return { reason: "CyclicLR's step sizes are whole numbers of steps" };
    const mode = s.gamma !== 1 ? `mode="exp_range", gamma=${cx.py(s.gamma)}` : s.decay === 1 ? `mode="triangular"` : s.decay === 0.5 ? `mode="triangular2"` : undefined;
    if (mode === undefined) return { reason: `CyclicLR's triangular2 halves each cycle; a decay of ${s.decay} has no built-in` };
    return {
      ok: {
        call: `_saveable(lr_scheduler.CyclicLR(optimizer, base_lr=${cx.py(base)}, max_lr=${cx.py(max)}, step_size_up=${intLiteral(s.up)}, step_size_down=${intLiteral(s.cycle - s.up)}, ${mode}, cycle_momentum=False))`,
        helper: { name: "_saveable", source: SAVEABLE },
        label: cx.label,
        holds: false,
        pastEnd: "CyclicLR keeps cycling",
      },
    };
  },
};

/**
 * torch 1.13's CyclicLR keeps a WeakMethod in its state_dict, which `torch.save` cannot
 * pickle (torch 2.x leaves it out); the native module drops it the way torch 2.x does, so
 * a checkpoint can be written on both.
 */
const SAVEABLE = [
  "def _saveable(scheduler):",
  '    """Leaves the unpicklable WeakMethod out of CyclicLR\'s state_dict, as torch 2.x does."""',
  "    plain = scheduler.state_dict",
  "",
  "    def state_dict():",
  "        state = plain()",
  '        state.pop("_scale_fn_ref", None)',
  "        # This wrapper sits in the scheduler's __dict__, which the state is copied from.",
  '        state.pop("state_dict", None)',
  "        return state",
  "",
  "    scheduler.state_dict = state_dict",
  "    return scheduler",
];
