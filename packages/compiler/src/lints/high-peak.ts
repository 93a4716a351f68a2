// A304: a peak learning rate above 1, most often a misplaced exponent (`3e4` for `3e-4`).

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";

export const highPeak: Lint = {
  name: "high-peak",
  codes: ["A304"],
  check({ schedule: s, report, options }) {
    if (s.peak === undefined || !(s.peak > 1)) return;
    const lr = options.overrides.lr ?? s.source.settings.get("lr")?.setting.value ?? options.defaults.lr;
    if (!lr) return;
    // The same digits with the exponent's sign flipped: 3e4 -> 3e-4.
    const mantissa = Number((s.peak / 10 ** Math.floor(Math.log10(s.peak))).toPrecision(6));
    report.report("A304", lr.range, `a peak learning rate of ${fmt(s.peak)} is unusually high; did you mean ${mantissa}e-4 or similar?`);
  },
  cases: [
    {
      name: "an exponent that lost its sign",
      source: `
lr 3e4
   ^^^ A304 warning: a peak learning rate of 30,000 is unusually high; did you mean 3e-4 or similar?
total 10k
cosine
`,
    },
    { name: "a peak of 1 is high but not unusual", source: "lr 1\ntotal 10k\ncosine\n" },
  ],
};
