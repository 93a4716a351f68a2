// A312: a bare number as a duration where `total` is in epochs but the clock counts steps.
// There `restart every 10` is 10 steps, not 10 epochs: the `T_max` in epochs while
// stepping per batch mistake. Either fix writes the unit.

import type { Expr } from "@anneal/dsl";
import type { Lint } from "./lint.js";

export const bareDuration: Lint = {
  name: "bare-duration",
  codes: ["A312"],
  check({ schedule: s, report }) {
    const ir = s.ir;
    if (!ir || ir.clock !== "steps" || ir.totalUnit !== "epochs" || ir.stepsPerEpoch === undefined) return;
    const spe = ir.stepsPerEpoch;
    for (const p of s.phases) {
      const exprs: (Expr | undefined)[] = [p.phase.duration];
      for (const c of p.phase.clauses) if (c.kind === "restart") exprs.push(c.every);
      for (const e of exprs) {
        // A count as large as an epoch reads as steps on purpose.
        if (!e || e.kind !== "Number" || !(e.value < spe)) continue;
        report.report("A312", e.range, `\`${e.raw}\` counts steps here, since this schedule steps once per batch; write \`${e.raw} epochs\` if you meant epochs, or \`${e.raw} steps\` to say so`, {
          fixes: [
            { title: `Write ${e.raw} epochs`, edits: [{ range: { start: e.range.end, end: e.range.end }, newText: " epochs" }] },
            { title: `Write ${e.raw} steps`, edits: [{ range: { start: e.range.end, end: e.range.end }, newText: " steps" }] },
          ],
        });
      }
    }
  },
  cases: [
    {
      name: "a bare restart period in a per-batch epoch schedule",
      source: `
total 90 epochs
steps_per_epoch 500
clock steps
cosine restart every 10
                     ^^ A312 warning: \`10\` counts steps here, since this schedule steps once per batch; write \`10 epochs\` if you meant epochs, or \`10 steps\` to say so
`,
    },
    {
      name: "a bare phase duration",
      source: `
total 90 epochs
steps_per_epoch 500
clock steps
warmup 5 -> cosine
       ^ A312 warning: \`5\` counts steps here, since this schedule steps once per batch; write \`5 epochs\` if you meant epochs, or \`5 steps\` to say so
`,
    },
    { name: "a count of an epoch or more is steps on purpose", source: "total 90 epochs\nsteps_per_epoch 500\nclock steps\nwarmup 2000 -> cosine\n" },
  ],
};
