// A301: a duration that does not land on a whole clock tick (a percent of total, epochs or
// tokens) is rounded to the nearest; this note says by how much.

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";

export const roundedDuration: Lint = {
  name: "rounded-duration",
  codes: ["A301"],
  readsTicks: true,
  check({ schedule: s, report }) {
    for (const d of s.durations)
      if (d.rounded) report.report("A301", d.range, `${d.rounded.written} is ${fmt(d.rounded.from)} ${s.clock}; rounded to ${fmt(d.ticks)}`);
  },
  cases: [
    {
      name: "half a percent of 1001 steps",
      source: `
total 1001
warmup 0.5% -> cosine
       ^^^^ A301 info: 0.5% of total is 5.005 steps; rounded to 5
`,
    },
    {
      name: "epochs that are not whole steps",
      source: `
total 100 epochs
steps_per_epoch 333.5
clock steps
warmup 3 epochs -> cosine
       ^^^^^^^^ A301 info: 3 epochs is 1000.5 steps; rounded to 1,001
`,
    },
  ],
};
