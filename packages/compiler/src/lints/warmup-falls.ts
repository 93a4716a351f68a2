// A307: a warmup that ends below where it starts; warmups rise.

import { describeRate } from "../check/schedule.js";
import type { Lint } from "./lint.js";
import { rateNumber, sameRate } from "./rates.js";

export const warmupFalls: Lint = {
  name: "warmup-falls",
  codes: ["A307"],
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (p.phase.type !== "warmup") continue;
      const a = rateNumber(p.from, s);
      const b = rateNumber(p.endValue, s);
      if (b < a && !sameRate(a, b))
        report.report(
          "A307",
          p.phase.keywordRange,
          `this warmup goes down, from ${describeRate(p.from, s.peak)} to ${describeRate(p.endValue, s.peak)}; a falling phase is a decay such as \`linear\` or \`cosine\``,
        );
    }
  },
  cases: [
    {
      name: "a warmup from above the peak",
      source: `
lr 1e-3
total 10k
warmup 1k from 1e-2 -> cosine
^^^^^^ A307 warning: this warmup goes down, from 0.01 to 0.001; a falling phase is a decay such as \`linear\` or \`cosine\`
`,
    },
  ],
};
