// A310: a first restart cycle longer than its phase, so no restart ever happens; the
// classic `T_max` in epochs while stepping per batch, or the other way round.

// When the period or the phase's length depends on a setting, the check is recorded for the
// run-time program too (an AnnealWarning for bound values).

import { cond, dual } from "../check/runtime.js";
import type { Lint } from "./lint.js";
import { clauseOf, phaseBounds } from "./rates.js";

export const restartTooLong: Lint = {
  name: "restart-too-long",
  codes: ["A310"],
  check({ schedule: s, report }) {
    const rt = s.cx.runtime;
    if (!rt || !s.ir) return;
    for (const p of s.phases) {
      if (p.shape.kind !== "restarts") continue;
      const every = clauseOf(p, "restart")?.every;
      if (!every) continue;
      const { len, shape } = phaseBounds(s, p);
      const period = dual(p.shape.period, shape?.period);
      rt.check(report, "A310", every.range, period.v > len.v, cond(">", period, len), [
        "the restart period (",
        period,
        ` ${s.clock}) is longer than its phase (`,
        len,
        "), so no restart happens and the cosine stops partway",
      ]);
    }
  },
  cases: [
    {
      name: "a period of twice the phase",
      source: `
total 10k
cosine restart every 20k
                     ^^^ A310 warning: the restart period (20,000 steps) is longer than its phase (10,000), so no restart happens and the cosine stops partway
`,
    },
  ],
};
