// A306: a decay that ends above where it starts, usually `from` and `to` swapped, or a
// target above where the previous phase already ended.

import { describeRate } from "../check/schedule.js";
import type { Lint } from "./lint.js";
import { rateNumber, sameRate } from "./rates.js";

/** Shapes whose end is not a target they move towards: they cannot "go up" by mistake. */
const NO_TARGET = new Set(["constant", "step", "multistep", "restarts", "cyclic"]);

/** Phases that rise by design: a warmup, a one-cycle's climb, a table's points, a cycle. */
const RISES_ON_PURPOSE = new Set(["warmup", "onecycle", "table", "cyclic"]);

export const decayRises: Lint = {
  name: "decay-rises",
  codes: ["A306"],
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (RISES_ON_PURPOSE.has(p.phase.type) || NO_TARGET.has(p.shape.kind)) continue;
      const a = rateNumber(p.from, s);
      const b = rateNumber(p.endValue, s);
      if (!(b > a) || sameRate(a, b)) continue;
      const target = p.phase.clauses.find((c) => c.kind === "to" || c.kind === "gamma");
      report.report(
        "A306",
        target?.range ?? p.phase.keywordRange,
        `this \`${p.phase.keyword}\` goes up, from ${describeRate(p.from, s.peak)} to ${describeRate(p.endValue, s.peak)}; to rise on purpose use \`warmup\``,
      );
    }
  },
  cases: [
    {
      name: "from and to swapped",
      source: `
lr 1e-3
total 10k
linear from 1e-5 to 1e-3
                 ^^^^^^^ A306 warning: this \`linear\` goes up, from 1e-5 to 0.001; to rise on purpose use \`warmup\`
`,
    },
    {
      name: "a gamma above 1",
      source: `
lr 1e-3
total 100
exp gamma 1.01
    ^^^^^^^^^^ A306 warning: this \`exp\` goes up, from 0.001 to 0.00270481; to rise on purpose use \`warmup\`
`,
    },
  ],
};
