// A309: a phase that ends inside a restart cycle, so the schedule stops partway instead of
// annealing to its `to`. The fix offers the nearest period that divides the phase.

import { describeRate } from "../check/schedule.js";
import { formatNumber as fmt } from "../check/values.js";
import { rateAt, restartCycle } from "../evaluate.js";
import type { Lint } from "./lint.js";
import { clauseOf } from "./rates.js";

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

export const restartCut: Lint = {
  name: "restart-cut",
  codes: ["A309"],
  readsTicks: true,
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (p.shape.kind !== "restarts") continue;
      const { period, mult } = p.shape;
      const len = p.end - p.start;
      if (period > len) continue; // A310 already says so.
      const c = restartCycle(len, period, mult);
      if (c.start === len) continue;
      // With `limit N` the phase holds at `to` once N cycles have run.
      if (p.shape.limit !== undefined && c.k >= p.shape.limit) continue;
      // What the schedule holds past the phase: its left limit at the end, where the last
      // cycle is cut. A cycle can open between the last tick and the end (a fractional
      // multiplier), and then the held value is that cycle's top: the message says so.
      const stopsAt = rateAt(p.endValue, s.peak ?? 1);
      const every = clauseOf(p, "restart")?.every;
      const fixes = [];
      if (mult === 1 && every) {
        const better = nearestDivisor(len, period);
        if (better !== undefined && better !== period)
          fixes.push({ title: `Restart every ${better} (divides the phase's ${len})`, edits: [{ range: every.range, newText: String(better) }] });
      }
      report.report(
        "A309",
        every?.range ?? p.phase.keywordRange,
        `the phase ends ${fmt(len - c.start)} ${s.clock} into a cycle of ${fmt(c.len)}, so the schedule stops at ${fmt(stopsAt)}${s.peak === undefined ? " × the peak" : ""} instead of annealing to ${describeRate(p.to, s.peak)}`,
        { fixes },
      );
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
