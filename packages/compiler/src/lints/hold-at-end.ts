// A302: every phase has a duration and together they stop short of `total`, so the rate
// holds at the last value for the rest of training. The fix says so with `-> constant`.
// When the phases or `total` depend on a setting, the check is recorded for the run-time
// program too, so the generated code warns (AnnealWarning) for bound values that leave a hold.

import { describeRate } from "../check/schedule.js";
import { cond, dual, runtimeRatePart, sym, type Part } from "../check/runtime.js";
import type { RateValue, RuntimeRate } from "../ir.js";
import type { Lint } from "./lint.js";

/**
 * The held rate as `describeRate` words it; a value of the run-time program where it
 * computes the rate (after a step decay whose steps depend on a setting).
 */
function heldRate(before: string, final: RateValue, rt: RuntimeRate | undefined, peak: number | undefined, after: string): Part[] {
  if (rt && (peak !== undefined || final.scale === 0)) return [` ${before}`, { v: final.abs, s: runtimeRatePart(rt, "abs") }, after];
  if (rt && final.abs === 0) return [` ${before}`, { v: final.scale * 100, s: sym.bin("*", runtimeRatePart(rt, "scale"), sym.lit(100)) }, `% of the peak${after}`];
  return [` ${before}${describeRate(final, peak)}${after}`];
}

export const holdAtEnd: Lint = {
  name: "hold-at-end",
  codes: ["A302"],
  check({ schedule: s, report }) {
    const ir = s.ir;
    const rt = s.cx.runtime;
    const phases = s.source.chain.phases;
    // An open phase takes what remains, so nothing is ever held.
    if (!ir || !rt || phases.some((p) => !p.duration)) return;
    // The checker lays the held remainder out as a last segment that belongs to no phase;
    // at run time it is the last bounds, or the empty hold that bound values may open.
    const hold = ir.segments[ir.segments.length - 1]!;
    const holdsNow = hold.phaseIndex === -1;
    // A schedule that records no run-time bounds binds nothing at run time: the file's values decide.
    const bounds = !s.ticks ? { start: undefined, end: undefined } : holdsNow ? s.ticks.segments[s.ticks.segments.length - 1]! : s.ticks.hold;
    if (!bounds) return;
    const last = phases[phases.length - 1]!;
    const end = dual(holdsNow ? hold.start : ir.total, bounds.start);
    const total = dual(ir.total, bounds.end);
    const rest = dual(total.v - end.v, end.s || total.s ? sym.bin("-", total.s ?? sym.lit(total.v), end.s ?? sym.lit(end.v)) : undefined);
    rt.check(report, "A302", last.range, holdsNow, cond("<", end, total), ["the phases end at ", end, " of ", total, ...heldRate(`${ir.clock}; the rate holds at `, ir.final, s.ticks?.final, s.peak, " for the remaining "), rest], {
      fixes: [{ title: "Hold explicitly with `-> constant`", edits: [{ range: { start: last.range.end, end: last.range.end }, newText: " -> constant" }] }],
    });
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
