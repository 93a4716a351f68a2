// A315: a bare number where a relative schedule (one without `lr`) reads a start or a
// warmup's target. There a bare number is an absolute rate, the same for every parameter
// group, so `warmup from 1e-6` starts 1e-6 whatever the optimizer's rate, which is rarely
// what a relative schedule means; `1e-4%` is the multiplier. A decay's floor (`to 1e-6`) is
// left alone: an absolute floor is what `eta_min` is in PyTorch, and the documented reading.

import type { Expr } from "@anneal/dsl";
import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";

export const absoluteInRelative: Lint = {
  name: "absolute-in-relative",
  codes: ["A315"],
  check({ schedule: s, report }) {
    if (s.peak !== undefined || s.ir?.relative !== true) return;
    for (const p of s.phases) {
      const values: [string, Expr | undefined][] = [];
      for (const c of p.phase.clauses) {
        if (c.kind === "from") values.push(["from", c.value]);
        else if (c.kind === "at" && p.phase.type === "constant") values.push(["at", c.values[0]]);
        else if (c.kind === "to" && p.phase.type === "warmup") values.push(["to", c.value]);
      }
      for (const [word, e] of values) {
        if (!e || e.kind !== "Number" || !(e.value > 0)) continue;
        const pct = `${fmt(e.value * 100)}%`;
        report.report(
          "A315",
          e.range,
          `in a relative schedule (no \`lr\`) a bare \`${e.raw}\` after \`${word}\` is an absolute rate, the same for every parameter group; to mean ${fmt(e.value)} × the optimizer's rate, write \`${pct}\``,
          { fixes: [{ title: `Write ${pct} (a fraction of the optimizer's rate)`, edits: [{ range: e.range, newText: pct }] }] },
        );
      }
    }
  },
  cases: [
    {
      name: "a warmup from an absolute 1e-6",
      source: `
total 10k
warmup 1k from 1e-6 -> cosine
               ^^^^ A315 info: in a relative schedule (no \`lr\`) a bare \`1e-6\` after \`from\` is an absolute rate, the same for every parameter group; to mean 1e-6 × the optimizer's rate, write \`1e-4%\`
`,
    },
    {
      name: "a constant at an absolute value",
      source: `
total 10k
cosine 5k to 10% -> constant at 0.1
                                ^^^ A315 info: in a relative schedule (no \`lr\`) a bare \`0.1\` after \`at\` is an absolute rate, the same for every parameter group; to mean 0.1 × the optimizer's rate, write \`10%\`
`,
    },
    { name: "an absolute floor is eta_min, as documented", source: "total 50k\nwarmup 1k linear from 1% -> cosine to 1e-6\n" },
    { name: "an absolute schedule means what it says", source: "lr 1e-3\ntotal 10k\nwarmup 1k from 1e-6 -> cosine\n" },
  ],
};
