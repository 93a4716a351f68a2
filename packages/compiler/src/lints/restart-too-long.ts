// A310: a first restart cycle longer than its phase, so no restart ever happens; the
// classic `T_max` in epochs while stepping per batch, or the other way round.

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";
import { clauseOf } from "./rates.js";

export const restartTooLong: Lint = {
  name: "restart-too-long",
  codes: ["A310"],
  readsTicks: true,
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (p.shape.kind !== "restarts") continue;
      const len = p.end - p.start;
      const every = clauseOf(p, "restart")?.every;
      if (p.shape.period <= len || !every) continue;
      report.report("A310", every.range, `the restart period (${fmt(p.shape.period)} ${s.clock}) is longer than its phase (${fmt(len)}), so no restart happens and the cosine stops partway`);
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
