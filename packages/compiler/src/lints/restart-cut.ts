// A309: a phase that ends inside a restart cycle, so the schedule stops partway instead of
// annealing to its `to`. The fix offers the nearest period that divides the phase.

// When the phase's length or the period depends on a setting, the check is recorded for the
// run-time program too (an AnnealWarning for bound values), with the cycle arithmetic of the
// restart shape's module (`runtimeCycles`).

import { dual, runtimeRatePart, sym, type Part } from "../check/runtime.js";
import { describeRate, phaseEndRate, type ResolvedPhase, type ResolvedSchedule } from "../check/schedule.js";
import { LR_SYM } from "../check/values.js";
import { rateAt, restartCycle } from "../evaluate.js";
import type { Sym, SymCond } from "../ir.js";
import { runtimeCycles } from "../shapes/restarts.js";
import type { Lint } from "./lint.js";
import { clauseOf, phaseBounds } from "./rates.js";

/** The divisor of `n` nearest to `near`, or undefined when `n` is too large to factor quickly. */
function nearestDivisor(n: number, near: number): number | undefined {
  if (n > 1e12) return undefined;
  let best: number | undefined;
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    for (const x of [d, n / d]) if (best === undefined || Math.abs(x - near) < Math.abs(best - near)) best = x;
  }
  return best;
}

/** `a * b` of 0/1 flags: 1 when both hold. */
const both = (a: Sym, b: Sym): Sym => sym.bin("*", a, b);
const below = (a: Sym, b: Sym): Sym => ({ k: "fn", fn: "below", args: [a, b] });

/**
 * The rate a phase ends on, as `rateNumber` reads it, over the run-time program's weights
 * of its start and end rates (`segmentEnd`'s `alpha * from + beta * to`, then `rateAt`).
 */
function endRateSym(p: ResolvedPhase, s: ResolvedSchedule): Sym | undefined {
  const r = phaseEndRate(p);
  if (!r) return undefined;
  if (r.of.scale === 0 && (r.to?.scale ?? 0) === 0) return runtimeRatePart(r, "abs");
  return sym.bin("+", sym.bin("*", runtimeRatePart(r, "scale"), s.cx.peakBound ? LR_SYM : sym.lit(s.peak ?? 1)), runtimeRatePart(r, "abs"));
}

export const restartCut: Lint = {
  name: "restart-cut",
  codes: ["A309"],
  check({ schedule: s, report }) {
    const rt = s.cx.runtime;
    if (!rt || !s.ir) return;
    for (const p of s.phases) {
      if (p.shape.kind !== "restarts") continue;
      const { period, mult, limit } = p.shape;
      const bounds = phaseBounds(s, p);
      const len = bounds.len.v;
      // Passed limit, a cycle that the end opens, or a period longer than the phase (A310 says so).
      const c = restartCycle(len, period, mult);
      const failsNow = period <= len && c.start !== len && !(limit !== undefined && c.k >= limit);
      // With the bounds of the run-time program: the same three conditions, as 0/1 flags.
      const periodRt = dual(period, bounds.shape?.period);
      let when: SymCond | undefined;
      const parts: Part[] = [];
      const every = clauseOf(p, "restart")?.every;
      const stopsAt = rateAt(p.endValue, s.peak ?? 1);
      const endSym = endRateSym(p, s);
      if (bounds.len.s || periodRt.s) {
        const cycles = runtimeCycles(p.shape, bounds.shape ?? {});
        const lenSym = bounds.len.s ?? sym.lit(len);
        const k = cycles.index(lenSym);
        let flag = both(sym.bin("-", sym.lit(1), below(lenSym, periodRt.s ?? sym.lit(period))), below(cycles.start(k), lenSym));
        if (limit !== undefined) flag = both(flag, below(k, sym.lit(limit)));
        when = { op: ">", a: flag, b: sym.lit(0) };
        parts.push("the phase ends ", { v: len - c.start, s: sym.bin("-", lenSym, cycles.start(k)) }, ` ${s.clock} into a cycle of `, { v: c.len, s: cycles.length(k) });
      } else parts.push("the phase ends ", { v: len - c.start }, ` ${s.clock} into a cycle of `, { v: c.len });
      // What the schedule holds past the phase: its left limit at the end, where the last
      // cycle is cut. A cycle can open between the last tick and the end (a fractional
      // multiplier), and then the held value is that cycle's top: the message says so.
      parts.push(", so the schedule stops at ", endSym ? { v: stopsAt, s: endSym } : { v: stopsAt }, `${s.peak === undefined ? " × the peak" : ""} instead of annealing to ${describeRate(p.to, s.peak)}`);
      const fixes = [];
      if (failsNow && mult === 1 && every) {
        const better = nearestDivisor(len, period);
        if (better !== undefined && better !== period)
          fixes.push({ title: `Restart every ${better} (divides the phase's ${len})`, edits: [{ range: every.range, newText: String(better) }] });
      }
      rt.check(report, "A309", every?.range ?? p.phase.keywordRange, failsNow, when, parts, { fixes });
    }
  },
  cases: [
    {
      name: "the founding one-liner's last cycle",
      source: `
total 100k
warmup 4% -> cosine restart every 10k
                                  ^^^ A309 warning: the phase ends 6,000 steps into a cycle of 10,000, so the schedule stops at 0.345492 × the peak instead of annealing to 0
`,
    },
    {
      // Cycle k opens at 10 (1.05^k - 1) / 0.05: cycle 8 at 95.491, before the end at 96.
      // It lasts 10 * 1.05^8 = 14.7746, so what holds past the phase is
      // 1e-3 (1 + cos(pi 0.508911 / 14.7746)) / 2 = 9.97075e-4, not the 3.0e-6 of tick 95.
      name: "a cycle that opens just before the end (fractional multiplier)",
      source: `
lr 1e-3
total 96
cosine restart every 10 x1.05
                     ^^ A309 warning: the phase ends 0.508911 steps into a cycle of 14.7746, so the schedule stops at 9.97075e-4 instead of annealing to 0
`,
    },
    { name: "a cycle limit reached before the end", source: "lr 0.1\ntotal 2000\ncosine to 1e-5 restart every 300 x 1.5 limit 3\n" },
    { name: "cycles that fit", source: "total 100k\nwarmup 4% -> cosine restart every 12k\n" },
  ],
};
