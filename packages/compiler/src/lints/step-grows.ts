// A303: a step decay whose factor is 1 (it never changes the rate) or above (it grows).

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";
import { clauseOf } from "./rates.js";

export const stepGrows: Lint = {
  name: "step-grows",
  codes: ["A303"],
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (p.shape.kind !== "step" && p.shape.kind !== "multistep") continue;
      const f = p.shape.factor;
      const by = clauseOf(p, "by")?.value;
      if (f < 1 || !by) continue;
      report.report("A303", by.range, f === 1 ? "`by 1` never changes the rate" : `\`by ${fmt(f)}\` makes the rate grow at every step; step decays use factors below 1, such as \`by 0.1\``);
    }
  },
  cases: [
    {
      name: "a factor of 1",
      source: `
total 90
step by 1 every 30
        ^ A303 warning: \`by 1\` never changes the rate
`,
    },
    {
      name: "a factor above 1",
      source: `
lr 0.1
total 90
step by 2 at 30, 60
        ^ A303 warning: \`by 2\` makes the rate grow at every step; step decays use factors below 1, such as \`by 0.1\`
`,
    },
  ],
};
