// A316: `total` in epochs with `steps_per_epoch` but no `clock`. The clock then ticks once
// per epoch (the unit `total` is written in), and `steps_per_epoch` only converts durations
// written in steps: a training loop that steps the scheduler per batch runs through the
// whole schedule in its first epochs. Either fix says which is meant.

import { formatNumber as fmt } from "../check/values.js";
import type { Lint } from "./lint.js";

export const epochClock: Lint = {
  name: "epoch-clock",
  codes: ["A316"],
  check({ schedule: s, report, options }) {
    const ir = s.ir;
    if (!ir || ir.totalUnit !== "epochs" || ir.clock !== "epochs" || ir.stepsPerEpoch === undefined) return;
    if (s.source.settings.has("clock")) return;
    const own = s.source.settings.get("total")?.setting;
    const totalExpr = options.overrides.total ?? own?.value ?? options.defaults.total;
    if (!totalExpr) return;
    // The fixes go after the file's own `total` (or `steps_per_epoch`) setting.
    const anchor = (own && !options.overrides.total ? own : s.source.settings.get("steps_per_epoch")?.setting)?.range;
    const fix = (clock: string, title: string) => (anchor ? [{ title, edits: [{ range: { start: anchor.end, end: anchor.end }, newText: ` clock ${clock}` }] }] : []);
    const perBatch = ir.total * ir.stepsPerEpoch;
    report.report(
      "A316",
      totalExpr.range,
      `with \`total\` in epochs and no \`clock\`, the schedule ticks once per epoch and \`steps_per_epoch\` only converts durations; to step once per batch (${fmt(perBatch)} ticks) add \`clock steps\`, or add \`clock epochs\` to say per-epoch stepping is meant`,
      { fixes: [...fix("steps", "Step once per batch: add `clock steps`"), ...fix("epochs", "Step once per epoch: add `clock epochs`")] },
    );
  },
  cases: [
    {
      name: "an epoch total with steps_per_epoch and no clock",
      source: `
total 90 epochs
      ^^^^^^^^^ A316 warning: with \`total\` in epochs and no \`clock\`, the schedule ticks once per epoch and \`steps_per_epoch\` only converts durations; to step once per batch (45,000 ticks) add \`clock steps\`, or add \`clock epochs\` to say per-epoch stepping is meant
steps_per_epoch 500
lr 0.1
warmup 5 epochs -> cosine
`,
    },
    { name: "a clock says which is meant", source: "total 90 epochs\nsteps_per_epoch 500\nclock steps\nlr 0.1\nwarmup 5 epochs -> cosine\n" },
    { name: "without steps_per_epoch, epochs are the only unit", source: "total 90 epochs\nlr 0.1\nstep by 0.1 every 30\n" },
  ],
};
