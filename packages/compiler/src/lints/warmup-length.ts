// A305: a warmup longer than a quarter of training, usually a unit slip (epochs for steps)
// or a percent of the wrong total. When the warmup or `total` depends on a setting, the
// check is recorded for the run-time program too (an AnnealWarning for bound values).

import { cond, dual, sym } from "../check/runtime.js";
import type { Lint } from "./lint.js";
import { phaseBounds } from "./rates.js";

export const warmupLength: Lint = {
  name: "warmup-length",
  codes: ["A305"],
  check({ schedule: s, report }) {
    const rt = s.cx.runtime;
    const ir = s.ir;
    if (s.total === undefined || !rt || !ir) return;
    const total = dual(s.total, s.cx.totalSym);
    for (const p of s.phases) {
      if (p.phase.type !== "warmup") continue;
      // The phase's bounds at run time (the file's values when the schedule records none).
      const { len } = phaseBounds(s, p);
      const quarter = dual(total.v / 4, total.s ? sym.bin("/", total.s, sym.lit(4)) : undefined);
      const share = dual((100 * len.v) / total.v, len.s || total.s ? sym.bin("/", sym.bin("*", sym.lit(100), len.s ?? sym.lit(len.v)), total.s ?? sym.lit(total.v)) : undefined);
      rt.check(report, "A305", p.phase.duration?.range ?? p.phase.keywordRange, len.v > quarter.v, cond(">", len, quarter), [
        "this warmup takes ",
        len,
        " of ",
        total,
        ` ${s.clock} (`,
        share,
        "%); warmups usually take 1-10% of training",
      ]);
    }
  },
  cases: [
    {
      name: "a warmup of 30% of training",
      source: `
total 10k
warmup 30% -> cosine
       ^^^ A305 warning: this warmup takes 3,000 of 10,000 steps (30%); warmups usually take 1-10% of training
`,
    },
    { name: "a quarter is still usual", source: "total 10k\nwarmup 25% -> cosine\n" },
  ],
};
