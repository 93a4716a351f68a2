// A309: a phase that ends inside a restart cycle, so the schedule stops partway instead of
// annealing to its `to`. The fix offers the nearest period that divides the phase.

import { describeRate } from "../check/schedule.js";
import { formatNumber as fmt } from "../check/values.js";
import { rateAt, restartCycle, shapeAt } from "../evaluate.js";
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
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (p.shape.kind !== "restarts") continue;
      const { period, mult } = p.shape;
      const len = p.end - p.start;
      if (period > len) continue; // A310 already says so.
      const c = restartCycle(len, period, mult);
      if (c.start === len) continue;
      const a = rateAt(p.from, s.peak ?? 1);
      const b = rateAt(p.to, s.peak ?? 1);
      const stopsAt = shapeAt(p.shape, a, b, len - 1, len);
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
                                  ^^^ A309 warning: the phase ends 6,000 steps into a cycle of 10,000, so the schedule stops at 0.345641 × the peak instead of annealing to 0
`,
    },
    { name: "cycles that fit", source: "total 100k\nwarmup 4% -> cosine restart every 12k\n" },
  ],
};
