// A305: a warmup longer than a quarter of training, usually a unit slip (epochs for steps)
// or a percent of the wrong total.

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";

export const warmupLength: Lint = {
  name: "warmup-length",
  codes: ["A305"],
  check({ schedule: s, report }) {
    if (s.total === undefined) return;
    for (const p of s.phases) {
      if (p.phase.type !== "warmup") continue;
      const len = p.end - p.start;
      if (len > s.total / 4)
        report.report(
          "A305",
          p.phase.duration?.range ?? p.phase.keywordRange,
          `this warmup takes ${fmt(len)} of ${fmt(s.total)} ${s.clock} (${fmt((100 * len) / s.total)}%); warmups usually take 1-10% of training`,
        );
    }
  },
  cases: [
    {
      name: "a warmup of 30% of training",
      source: `
total 10k
warmup 30% -> cosine
       ^^^ A305 warning: this warmup takes 3,000 of 10,000 steps (30%); warmups usually take 1-10% of training
`,
    },
    { name: "a quarter is still usual", source: "total 10k\nwarmup 25% -> cosine\n" },
  ],
};
