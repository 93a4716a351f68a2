// A312: a bare number as a duration where `total` is in epochs but the clock counts steps.
// There `restart every 10` is 10 steps, not 10 epochs: the `T_max` in epochs while
// stepping per batch mistake. It reads the checker's record of every duration it resolved,
// so every position is covered: a phase's length, `every`, restart periods, milestones,
// `timescale`, `up`, `over`, table points, and the hyperparameter chains' durations. Either
// fix writes the unit; in a list (`at 25, 55, 75`) it goes after the last item, where it
// applies to the whole list.

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";

export const bareDuration: Lint = {
  name: "bare-duration",
  codes: ["A312"],
  check({ schedule: s, report }) {
    const ir = s.ir;
    if (!ir || ir.clock !== "steps" || ir.totalUnit !== "epochs" || ir.stepsPerEpoch === undefined) return;
    const spe = ir.stepsPerEpoch;
    for (const d of s.durations) {
      // A count as large as an epoch reads as steps on purpose.
      if (!d.bare || !(d.ticks < spe)) continue;
      const n = fmt(d.written.value);
      const at = d.listEnd ?? d.range.end;
      const what = d.listEnd !== undefined ? "the list" : n;
      report.report("A312", d.range, `\`${n}\` counts steps here, since this schedule steps once per batch; write \`${n} epochs\` if you meant epochs, or \`${n} steps\` to say so`, {
        fixes: [
          { title: `Write ${what} in epochs`, edits: [{ range: { start: at, end: at }, newText: " epochs" }] },
          { title: `Write ${what} in steps`, edits: [{ range: { start: at, end: at }, newText: " steps" }] },
        ],
      });
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
    {
      name: "milestones, where the fix writes the unit after the list",
      source: `
lr 0.1
total 90 epochs
steps_per_epoch 100
clock steps
step by 0.1 at 30, 60
               ^^ A312 warning: \`30\` counts steps here, since this schedule steps once per batch; write \`30 epochs\` if you meant epochs, or \`30 steps\` to say so
                   ^^ A312 warning: \`60\` counts steps here, since this schedule steps once per batch; write \`60 epochs\` if you meant epochs, or \`60 steps\` to say so
`,
    },
    {
      name: "a one-cycle rise",
      source: `
total 90 epochs
steps_per_epoch 500
clock steps
onecycle up 20
            ^^ A312 warning: \`20\` counts steps here, since this schedule steps once per batch; write \`20 epochs\` if you meant epochs, or \`20 steps\` to say so
`,
    },
    {
      name: "a cyclic period",
      source: `
total 90 epochs
steps_per_epoch 500
clock steps
cyclic from 1% every 40
                     ^^ A312 warning: \`40\` counts steps here, since this schedule steps once per batch; write \`40 epochs\` if you meant epochs, or \`40 steps\` to say so
`,
    },
    { name: "a count of an epoch or more is steps on purpose", source: "total 90 epochs\nsteps_per_epoch 500\nclock steps\nwarmup 2000 -> cosine\n" },
    { name: "a unit after the list applies to all of it", source: "lr 0.1\ntotal 90 epochs\nsteps_per_epoch 20\nclock steps\nstep by 0.1 at 25, 55, 75 epochs\n" },
  ],
};
