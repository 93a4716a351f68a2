// A304: a peak learning rate above 1, most often a misplaced exponent (`3e4` for `3e-4`).

import { cond, dual, lrAtRunTime, staticMessage, sym } from "../check/runtime.js";
import { LR_SYM } from "../check/values.js";
import type { Sym } from "../ir.js";
import type { Lint } from "./lint.js";

export const highPeak: Lint = {
  name: "high-peak",
  codes: ["A304"],
  check({ schedule: s, report, options }) {
    if (s.peak === undefined) return;
    const lr = options.overrides.lr ?? s.source.settings.get("lr")?.setting.value ?? options.defaults.lr;
    if (!lr) return;
    // Under `lr ? 3e-4` the generated code checks the peak it is given (`lr=`) again.
    const rt = s.cx.runtime;
    const bound = rt !== undefined && lrAtRunTime(s.ir?.runtime);
    const peak = dual(s.peak, bound ? LR_SYM : undefined);
    const when = cond(">", peak, { v: 1 });
    if (!(s.peak > 1) && !when) return;
    // The same digits with the exponent's sign flipped: 3e4 -> 3e-4 (the message rounds to 6 digits).
    const power = (x: Sym): Sym => ({ k: "fn", fn: "pow", args: [sym.lit(10), { k: "fn", fn: "floor", args: [{ k: "fn", fn: "log10", args: [x] }] }] });
    const mantissa = dual(s.peak / 10 ** Math.floor(Math.log10(s.peak)), peak.s ? sym.bin("/", peak.s, power(peak.s)) : undefined);
    const parts = ["a peak learning rate of ", peak, " is unusually high; did you mean ", mantissa, "e-4 or similar?"];
    if (rt) rt.check(report, "A304", lr.range, s.peak > 1, when, parts);
    else report.report("A304", lr.range, staticMessage(parts));
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
