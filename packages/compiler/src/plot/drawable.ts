// What a plot can draw. A plot overlays a bounded number of schedules (25,000 of them once
// took 33 s and 2.2 GB for a 215 MB SVG that no viewer opens), and only finite values: a
// rate of Infinity or NaN has no place on an axis, so such a schedule is refused with the
// first tick where it leaves the finite numbers, rather than drawn as garbage (or, before
// the tick loops were bounded, never finished). Both checks cost O(columns + segments).

import type { ScheduleIR } from "../ir.js";
import { Curve } from "./curve.js";
import { sampleCurve } from "./sample.js";

/** The most schedules one plot overlays. */
export const MAX_OVERLAID = 64;

/** Columns the finiteness check samples at: the same exact sampling the renderers use. */
const CHECK_COLUMNS = 1024;

/** Why these schedules cannot be drawn, as one sentence; undefined when they can. */
export function undrawable(irs: readonly ScheduleIR[], baseLr?: number): string | undefined {
  if (irs.length > MAX_OVERLAID)
    return `${irs.length} schedules are more than one plot overlays (at most ${MAX_OVERLAID}); choose some with --schedule NAME`;
  for (const ir of irs) {
    const curve = new Curve(ir, baseLr);
    const line = sampleCurve(curve, { columns: CHECK_COLUMNS });
    const i = line.v.findIndex((v) => !Number.isFinite(v));
    let value: number;
    let tick: number;
    if (i >= 0) {
      value = line.v[i]!;
      // The first whole tick at or after the sample: the step `eval` prints the value at.
      tick = Math.ceil(line.t[i]!);
    } else if (!Number.isFinite(curve.final)) {
      value = curve.final;
      tick = ir.total;
    } else continue;
    return `schedule '${ir.name}' cannot be drawn: its rate is ${String(value)} at ${ir.clock === "epochs" ? "epoch" : "step"} ${tick}, and a plot needs finite values; see the rates with \`anneal eval --steps ${tick}:${tick + 3}\``;
  }
  return undefined;
}
