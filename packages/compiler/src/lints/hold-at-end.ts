// A302: every phase has a duration and together they stop short of `total`, so the rate
// holds at the last value for the rest of training. The fix says so with `-> constant`.

import { describeRate } from "../check/schedule.js";
import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";

export const holdAtEnd: Lint = {
  name: "hold-at-end",
  codes: ["A302"],
  check({ schedule: s, report }) {
    const ir = s.ir;
    // The checker lays the held remainder out as a last segment that belongs to no phase.
    const hold = ir?.segments[ir.segments.length - 1];
    if (!ir || !hold || hold.phaseIndex !== -1) return;
    const last = s.source.chain.phases[s.source.chain.phases.length - 1]!;
    report.report(
      "A302",
      last.range,
      `the phases end at ${fmt(hold.start)} of ${fmt(ir.total)} ${ir.clock}; the rate holds at ${describeRate(hold.from, s.peak)} for the remaining ${fmt(ir.total - hold.start)}`,
      { fixes: [{ title: "Hold explicitly with `-> constant`", edits: [{ range: { start: last.range.end, end: last.range.end }, newText: " -> constant" }] }] },
    );
  },
  cases: [
    {
      name: "phases that stop short of total",
      source: `
total 10k
warmup 1k -> cosine 5k
             ^^^^^^^^^ A302 warning: the phases end at 6,000 of 10,000 steps; the rate holds at 0 for the remaining 4,000
`,
    },
    { name: "an open phase takes the rest", source: "total 10k\nwarmup 1k -> cosine\n" },
  ],
};
