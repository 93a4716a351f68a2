// A311: a milestone of `step ... at` at or past its phase's end, which never takes effect.
// Milestones count from the phase's start.

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";
import { clauseOf } from "./rates.js";

export const lateMilestone: Lint = {
  name: "late-milestone",
  codes: ["A311"],
  readsTicks: true,
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (p.shape.kind !== "multistep") continue;
      const len = p.end - p.start;
      const at = clauseOf(p, "at");
      if (!at) continue;
      // The checker keeps one milestone per expression, in order.
      p.shape.milestones.forEach((m, i) => {
        const e = at.values[i];
        if (m >= len && e)
          report.report("A311", e.range, `this milestone is ${fmt(m)} ${s.clock} into a phase of ${fmt(len)}, so it never takes effect; milestones count from the phase's start`);
      });
    }
  },
  cases: [
    {
      name: "a milestone at the phase's end",
      source: `
total 90
step by 0.1 at 30, 90
                   ^^ A311 warning: this milestone is 90 steps into a phase of 90, so it never takes effect; milestones count from the phase's start
`,
    },
    {
      name: "milestones count from the phase's start",
      source: `
total 90
constant 30 -> step by 0.1 at 30, 60
                                  ^^ A311 warning: this milestone is 60 steps into a phase of 60, so it never takes effect; milestones count from the phase's start
`,
    },
  ],
};
