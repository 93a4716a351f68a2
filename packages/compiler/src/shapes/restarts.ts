// `cosine ... restart every P [x M] [decay F] [limit N]`: SGDR warm restarts.
//
// Cycle k starts at offset P (M^k - 1) / (M - 1) (k P when M is 1), lasts P M^k ticks,
// and goes from a F^k to b by the cosine formula, with p the progress inside the cycle.
// With `limit N` the phase holds at b once N cycles have run (timm's cycle_limit).

import { etaMin, isPositiveInteger, startsAtBase } from "../emit/native-context.js";
import { intLiteral } from "../emit/escape.js";
import type { Dialect } from "../emit/dialect.js";
import type { ShapeTicks, Sym } from "../ir.js";
import { cosineAt, cosineWeight, spellCosine } from "./cosine.js";
import { bin, call, firstAndLastJump, lit, type Jumps, type ShapeModule, type ShapeOf } from "./shape.js";

type Restarts = ShapeOf<"restarts">;

/** The first offset of cycle `k`. */
export function cycleStart(k: number, period: number, mult: number): number {
  return mult === 1 ? k * period : (period * (mult ** k - 1)) / (mult - 1);
}

/** The length of cycle `k`. */
export function cycleLength(k: number, period: number, mult: number): number {
  return mult === 1 ? period : period * mult ** k;
}

/** The index of the cycle that holds offset `u` (0 <= u). */
export function cycleIndex(u: number, period: number, mult: number): number {
  if (mult === 1) return Math.floor(u / period);
  // Closed form for the index, then a correction of at most one cycle either way: the log
  // can land a hair off at exact boundaries, and boundaries must be exact.
  // For a huge multiplier `u * (mult - 1)` overflows although the index is small, and the
  // index came out infinite: the loop below then counted up forever. There log1p(x) is
  // log(x) to within rounding, so the logs are added instead. An infinite u has no cycle
  // and returns an infinite index at once.
  const x = (u * (mult - 1)) / period;
  const log = Number.isFinite(x) ? Math.log1p(x) : Math.log(u) + Math.log(mult - 1) - Math.log(period);
  let k = Math.max(0, Math.floor(log / Math.log(mult)));
  if (k === Infinity) return k;
  while (k > 0 && cycleStart(k, period, mult) > u) k--;
  while (cycleStart(k + 1, period, mult) <= u) k++;
  return k;
}

/** The cycle that holds offset `u` (0 <= u): its index, first offset and length. */
export function restartCycle(u: number, period: number, mult: number): { k: number; start: number; len: number } {
  const k = cycleIndex(u, period, mult);
  return { k, start: cycleStart(k, period, mult), len: cycleLength(k, period, mult) };
}

/** The top of cycle `k`: `a` for the first, `a F^k` after (`a * 1 ** k` is `a`). */
export function cycleTop(a: number, decay: number, k: number): number {
  return k === 0 ? a : a * decay ** k;
}

/** True when cycle `k` is past the limit, where the phase holds at `b`. */
function pastLimit(s: Restarts, k: number): boolean {
  return s.limit !== undefined && k >= s.limit;
}

function at(s: Restarts, a: number, b: number, u: number): number {
  const c = restartCycle(u, s.period, s.mult);
  if (pastLimit(s, c.k)) return b;
  return cosineAt(cycleTop(a, s.decay, c.k), b, (u - c.start) / c.len);
}

/** The number of cycle starts that are jumps: every start after the first, below the limit. */
function lastJumpCycle(s: Restarts): number {
  return s.limit === undefined ? Infinity : s.limit - 1;
}

const jumps: Jumps<Restarts> = {
  has: (s) => s.period > 0 && s.mult >= 1 && lastJumpCycle(s) >= 1,
  between(s, len, lo, hi, max) {
    const out: number[] = [];
    const stop = Math.min(hi, len);
    if (max <= 0 || !(stop > Math.max(lo, 0)) || !jumps.has(s)) return out;
    const lastK = lastJumpCycle(s);
    for (let k = restartCycle(Math.max(lo, 0), s.period, s.mult).k + 1; out.length < max && k <= lastK; k++) {
      const u = cycleStart(k, s.period, s.mult);
      if (u >= stop) break;
      if (u > lo) out.push(u);
    }
    return out;
  },
  lastBetween(s, len, lo, hi) {
    const stop = Math.min(hi, len);
    if (!(stop > Math.max(lo, 0)) || !jumps.has(s)) return undefined;
    const c = restartCycle(stop, s.period, s.mult);
    const k = Math.min(c.start >= stop ? c.k - 1 : c.k, lastJumpCycle(s));
    const u = k >= 1 ? cycleStart(k, s.period, s.mult) : undefined;
    return u !== undefined && u > lo ? u : undefined;
  },
  leftLimit(s, a, b, u) {
    const c = restartCycle(u, s.period, s.mult);
    if (c.k === 0 || c.start < u) return at(s, a, b, u);
    // `u` opens cycle k: the limit is the end of cycle k - 1, by the same cosine formula.
    const k = c.k - 1;
    if (pastLimit(s, k)) return b;
    return cosineAt(cycleTop(a, s.decay, k), b, (u - cycleStart(k, s.period, s.mult)) / cycleLength(k, s.period, s.mult));
  },
};

export const restarts: ShapeModule<Restarts> = {
  formula: "b + (a decay^k - b) (1 + cos(pi p_k)) / 2, cycle k of length period mult^k",
  at: (s, a, b, u) => at(s, a, b, u),
  end(s, len) {
    // The cycle that holds the last instant before `len`.
    let c = restartCycle(len, s.period, s.mult);
    if (c.start === len && c.k > 0) c = restartCycle(len - c.len / s.mult, s.period, s.mult);
    if (pastLimit(s, c.k)) return { alpha: 0, beta: 1 };
    const p = (len - c.start) / c.len;
    const w = (1 + Math.cos(Math.PI * p)) / 2;
    return { alpha: s.decay ** c.k * w, beta: 1 - w };
  },
  // `end`, over a run-time length or period: the cycle that holds the last instant before
  // `len` (the one before when `len` opens a cycle), cut by the cosine formula, or `b` past
  // the limit. A cycle's first offset is never above `len`, so "not below" is "equal".
  runtimeEnd(s, p, len, name) {
    const c = runtimeCycles(s, p);
    const k0 = name(c.index(len));
    const before = c.index(bin("-", len, bin("/", c.length(k0), lit(s.mult))));
    const k = name(call("ifBelow", c.start(k0), len, k0, call("ifBelow", lit(0), k0, before, k0)));
    const start = c.start;
    const length = c.length;
    const pr = bin("/", bin("-", len, start(k)), length(k));
    const w = name(cosineWeight(pr));
    const alpha = bin("*", call("pow", lit(s.decay), k), w);
    const beta = bin("-", lit(1), w);
    if (s.limit === undefined) return { alpha, beta };
    return { alpha: call("ifBelow", k, lit(s.limit), alpha, lit(0)), beta: call("ifBelow", k, lit(s.limit), beta, lit(1)) };
  },
  grow(s, len) {
    let k = restartCycle(Math.max(0, len - 1), s.period, s.mult).k;
    if (s.limit !== undefined) k = Math.min(k, s.limit - 1);
    return Math.max(1, s.decay ** k);
  },
  runtimeGrow(s, p, len) {
    let k = runtimeCycles(s, p).index(call("max", lit(0), bin("-", len, lit(1))));
    if (s.limit !== undefined) k = call("min", k, lit(s.limit - 1));
    return call("max", lit(1), call("pow", lit(s.decay), k));
  },
  jumps,
  // Between jumps each cycle is a monotone cosine; across jumps the tops are powers of the
  // decay and every cycle returns towards b, so the first and last jump stand for all.
  critical: (s, len, lo, hi) => firstAndLastJump(jumps, s, len, lo, hi),
  usesB: true,
  helpers: ["restartCycle"],
  spell(s, n, d) {
    const statements = [d.assignCycle(d.restartCycle(n.u, n.params?.period ?? d.num(s.period), d.num(s.mult), n.len))];
    const top = s.decay === 1 ? n.a : d.firstCycleOr(n.a, `${n.a} * ${d.num(s.decay)} ** cycle`);
    statements.push(d.assign("top", top));
    const cos = spellCosine("top", n.b, `(${n.u} - offset) / length`, d.cos, d.pi);
    return { statements, value: s.limit === undefined ? cos : d.select(`cycle >= ${d.num(s.limit)}`, n.b, cos) };
  },
  native(s, seg, cx) {
    const why = startsAtBase(seg, cx.view, "CosineAnnealingWarmRestarts");
    if (why !== undefined) return { reason: why };
    if (s.decay !== 1) {
      return { reason: `CosineAnnealingWarmRestarts restarts every cycle at ${cx.view.baseWords}; a cycle decay (decay ${s.decay}) has no built-in` };
    }
    if (s.limit !== undefined) return { reason: "CosineAnnealingWarmRestarts has no cycle limit" };
    if (!isPositiveInteger(s.mult)) return { reason: `CosineAnnealingWarmRestarts needs a whole-number T_mult, and this restart multiplier is ${s.mult}` };
    if (!isPositiveInteger(s.period)) return { reason: `CosineAnnealingWarmRestarts needs a whole-number T_0, and this restart period is ${s.period}` };
    const eta = etaMin(seg.to, cx.view, "CosineAnnealingWarmRestarts");
    if ("reason" in eta) return eta;
    return {
      ok: {
        call: `lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=${intLiteral(s.period)}, T_mult=${intLiteral(s.mult)}, eta_min=${cx.py(eta.eta)})`,
        label: cx.label,
        holds: false,
        pastEnd: "CosineAnnealingWarmRestarts starts a new cycle",
      },
    };
  },
};

/**
 * The cycles of a restart shape over run-time expressions (its period from `p` when the
 * program computes it): `cycleIndex`, `cycleStart` and `cycleLength` in the same operations.
 */
export function runtimeCycles(s: Restarts, p: ShapeTicks): { index(u: Sym): Sym; start(k: Sym): Sym; length(k: Sym): Sym } {
  const period = p.period ?? lit(s.period);
  return {
    index: (u) => call("cycle", u, period, lit(s.mult)),
    start: (k) => (s.mult === 1 ? bin("*", k, period) : bin("/", bin("*", period, bin("-", call("pow", lit(s.mult), k), lit(1))), lit(s.mult - 1))),
    length: (k) => (s.mult === 1 ? period : bin("*", period, call("pow", lit(s.mult), k))),
  };
}

/** The emitted `restartCycle` helper, in the dialect's language (in Python, under `name`). */
export function restartCycleSource(d: Dialect, indent: string, name = "_restart_cycle"): string[] {
  const I = indent;
  if (d.lang === "python") {
    return [
      `def ${name}(u, period, mult):`,
      `${I}"""The SGDR cycle that holds offset u >= 0: (index, first offset, length)."""`,
      `${I}if mult == 1:`,
      `${I}${I}k = math.floor(u / period)`,
      `${I}${I}return k, k * period, period`,
      `${I}# Closed form for the index, then a correction of at most one cycle either way:`,
      `${I}# the log can land a hair off at exact boundaries, and boundaries must be exact.`,
      `${I}k = max(0, math.floor(math.log1p((u * (mult - 1)) / period) / math.log(mult)))`,
      `${I}while k > 0 and (period * (mult ** k - 1)) / (mult - 1) > u:`,
      `${I}${I}k -= 1`,
      `${I}while (period * (mult ** (k + 1) - 1)) / (mult - 1) <= u:`,
      `${I}${I}k += 1`,
      `${I}return k, (period * (mult ** k - 1)) / (mult - 1), period * mult ** k`,
    ];
  }
  return [
    "/** The SGDR cycle that holds offset u >= 0: [index, first offset, length]. */",
    "function restartCycle(u, period, mult) {",
    `${I}if (mult === 1) {`,
    `${I}${I}const k = Math.floor(u / period);`,
    `${I}${I}return [k, k * period, period];`,
    `${I}}`,
    `${I}// Closed form for the index, then a correction of at most one cycle either way:`,
    `${I}// the log can land a hair off at exact boundaries, and boundaries must be exact.`,
    `${I}let k = Math.max(0, Math.floor(Math.log1p((u * (mult - 1)) / period) / Math.log(mult)));`,
    `${I}const startOf = (i) => (period * (mult ** i - 1)) / (mult - 1);`,
    `${I}while (k > 0 && startOf(k) > u) k--;`,
    `${I}while (startOf(k + 1) <= u) k++;`,
    `${I}return [k, startOf(k), period * mult ** k];`,
    "}",
  ];
}

/** The most cycles a traced target tabulates (`tracedRestartCycleSource`). */
export const TRACED_CYCLE_TABLE = 1024;

/**
 * `_restart_cycle` for traced targets (keras.ops, jax.numpy, namespace `ns`), elementwise,
 * over a phase of `end` ticks. The period, multiplier and end are plain floats while the
 * graph is traced. The cycles' first offsets and lengths are computed then, in double
 * precision as `cycleStart` and `cycleLength` compute them, and the cycle that holds `u` is
 * chosen from that table: in float32 each is then rounded once, where `mult ** k` in
 * float32 compounds the rounding of `mult` k times (1.2e-6 of the peak after six cycles of
 * `x 1.3`). Past `TRACED_CYCLE_TABLE` cycles, the closed form and corrections of
 * `cycleIndex` follow, with `where` in place of the loops (tracing cannot branch on a
 * value); two corrections each way cover its error, at most one cycle in double precision
 * and in float32 alike.
 */
export function tracedRestartCycleSource(ns: string, indent: string): string[] {
  const I = indent;
  return [
    "def _restart_cycle(u, period, mult, end):",
    `${I}"""The SGDR cycle that holds offset u >= 0, elementwise: (index, first offset, length)."""`,
    `${I}if mult == 1:`,
    `${I}${I}k = ${ns}.floor(u / period)`,
    `${I}${I}return k, k * period, period`,
    `${I}starts = [0.0]`,
    `${I}while starts[-1] <= end and len(starts) <= ${TRACED_CYCLE_TABLE}:`,
    `${I}${I}starts.append((period * (mult ** len(starts) - 1)) / (mult - 1))`,
    `${I}if starts[-1] > end:`,
    `${I}${I}n = len(starts) - 1`,
    `${I}${I}v = ${ns}.expand_dims(u, -1)`,
    `${I}${I}# The one cycle whose offsets hold u; the last is open, for offsets past the end.`,
    `${I}${I}holds = ${ns}.logical_and(${ns}.array(starts[:n]) <= v, v < ${ns}.array(starts[1:n] + [math.inf]))`,
    `${I}${I}pick = lambda xs: ${ns}.sum(${ns}.where(holds, ${ns}.array(xs), 0.0), axis=-1)`,
    `${I}${I}return pick([float(k) for k in range(n)]), pick(starts[:n]), pick([period * mult ** k for k in range(n)])`,
    `${I}k = ${ns}.maximum(0.0, ${ns}.floor(${ns}.log1p((u * (mult - 1)) / period) / math.log(mult)))`,
    `${I}for _ in range(2):`,
    `${I}${I}k = ${ns}.where(${ns}.logical_and(k > 0, (period * (mult ** k - 1)) / (mult - 1) > u), k - 1, k)`,
    `${I}for _ in range(2):`,
    `${I}${I}k = ${ns}.where((period * (mult ** (k + 1) - 1)) / (mult - 1) <= u, k + 1, k)`,
    `${I}return k, (period * (mult ** k - 1)) / (mult - 1), period * mult ** k`,
  ];
}
