// A311: a milestone of `step ... at` at or past its phase's end, which never takes effect.
// Milestones count from the phase's start.

// When a milestone or the phase's length depends on a setting, the check is recorded for the
// run-time program too (an AnnealWarning for bound values).

import { cond, dual } from "../check/runtime.js";
import type { Lint } from "./lint.js";
import { clauseOf, phaseBounds } from "./rates.js";

export const lateMilestone: Lint = {
  name: "late-milestone",
  codes: ["A311"],
  check({ schedule: s, report }) {
    const rt = s.cx.runtime;
    if (!rt || !s.ir) return;
    for (const p of s.phases) {
      if (p.shape.kind !== "multistep") continue;
      const at = clauseOf(p, "at");
      if (!at) continue;
      const { len, shape } = phaseBounds(s, p);
      // The checker keeps one milestone per expression, in order.
      p.shape.milestones.forEach((m, i) => {
        const e = at.values[i];
        if (!e) return;
        const ms = dual(m, shape?.milestones?.[i]);
        rt.check(report, "A311", e.range, m >= len.v, cond(">=", ms, len), ["this milestone is ", ms, ` ${s.clock} into a phase of `, len, ", so it never takes effect; milestones count from the phase's start"]);
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
