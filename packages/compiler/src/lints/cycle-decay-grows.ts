// A314: a restart `decay` above 1, which makes every cycle start higher than the last.

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";
import { clauseOf } from "./rates.js";

export const cycleDecayGrows: Lint = {
  name: "cycle-decay-grows",
  codes: ["A314"],
  check({ schedule: s, report }) {
    for (const p of s.phases) {
      if (p.shape.kind !== "restarts" || !(p.shape.decay > 1)) continue;
      const decay = clauseOf(p, "restart")?.decay;
      if (!decay) continue;
      report.report("A314", decay.range, `\`decay ${fmt(p.shape.decay)}\` makes every cycle start higher than the last; SGDR variants use values below 1, such as \`decay 0.5\``);
    }
  },
  cases: [
    {
      name: "a decay of 2",
      source: `
total 10k
cosine restart every 1k decay 2
                              ^ A314 warning: \`decay 2\` makes every cycle start higher than the last; SGDR variants use values below 1, such as \`decay 0.5\`
`,
    },
  ],
};
