// The data targets: the resolved schedule as JSON, and its rate table as CSV.
//
// Both are for other tools (plotting, logging, diffing two schedules), so they carry
// resolved numbers only: phase bounds in ticks, shapes with their parameters, and the rate
// at every tick from 0 to `total` (the last row is the value held from then on). Numbers
// are written in shortest round-trip form (`String(x)`, as JSON does), so reading them
// back gives the same doubles the evaluator computed. A relative schedule (no `lr`) is
// tabulated for a base rate of 1: its rates read as multiples of the optimizer's rate,
// plus any absolute part (a floor) as written.

import type { Diagnostic } from "@anneal/dsl";
import { CODES } from "../diagnostics/registry.js";
import { createEvaluator, rateAt, segmentEnd } from "../evaluate.js";
import type { RateValue, ScheduleIR } from "../ir.js";
import type { EmitOptions } from "./header.js";

/** A rate in the JSON: a number in an absolute schedule, `{scale, abs}` in a relative one. */
function rateJson(v: RateValue, ir: ScheduleIR): number | { scale: number; abs: number } {
  return ir.relative ? { scale: v.scale, abs: v.abs } : rateAt(v, ir.peak ?? 1);
}

/** Every tick's rate, 0..total inclusive. */
function rateTable(ir: ScheduleIR): Float64Array {
  return createEvaluator(ir, 1).fillExact(new Float64Array(ir.total + 1), 0);
}

export function emitJson(ir: ScheduleIR, opts: EmitOptions): string {
  const doc: Record<string, unknown> = {
    format: "anneal-schedule/1",
    schedule: ir.name,
    source: opts.source ?? null,
    clock: ir.clock,
    total: ir.total,
    totalUnit: ir.totalUnit,
  };
  if (ir.stepsPerEpoch !== undefined) doc.stepsPerEpoch = ir.stepsPerEpoch;
  if (ir.tokensPerStep !== undefined) doc.tokensPerStep = ir.tokensPerStep;
  doc.relative = ir.relative;
  doc.peak = ir.relative ? null : (ir.peak ?? null);
  if (ir.relative) doc.ratesBaseLr = 1;
  doc.phases = ir.segments.map((s) => ({
    phase: s.phase,
    phaseIndex: s.phaseIndex,
    start: s.start,
    end: s.end,
    shape: s.shape,
    from: rateJson(s.from, ir),
    to: rateJson(s.to, ir),
    endsAt: rateJson(segmentEnd(s), ir),
  }));
  doc.final = rateJson(ir.final, ir);
  // The table goes last, one `[step, lr]` pair per line, so the file stays readable and
  // diffable however long the schedule is.
  const head = JSON.stringify(doc, null, 2);
  const rows: string[] = [];
  rateTable(ir).forEach((v, t) => rows.push(`    [${t}, ${JSON.stringify(v)}]`));
  return `${head.slice(0, head.length - 2)},\n  "rates": [\n${rows.join(",\n")}\n  ]\n}\n`;
}

export function emitCsv(ir: ScheduleIR): string {
  const rows = ["step,lr"];
  rateTable(ir).forEach((v, t) => rows.push(`${t},${String(v)}`));
  return rows.join("\n") + "\n";
}

/** The most rows the json and csv targets tabulate: ticks 0 to total - 1 and the held rate (A402 past it). */
export const MAX_TABLE_ROWS = 10_000_000;

/** The json or csv target, or A402 when its table would have more than `MAX_TABLE_ROWS` rows. */
export function emitTableTarget(target: "json" | "csv", ir: ScheduleIR, opts: EmitOptions): { text: string; diagnostics: Diagnostic[] } {
  if (ir.total + 1 > MAX_TABLE_ROWS)
    return {
      text: "",
      diagnostics: [
        {
          code: "A402",
          severity: CODES.A402.severity,
          // Rows, not ticks: the table has one row per tick and one for the held rate at
          // `total`, so a total of exactly 10,000,000 is one row too many.
          message: `\`${ir.name}\` has ${ir.total.toLocaleString("en-US")} ticks, so its ${target} table would have ${(ir.total + 1).toLocaleString("en-US")} rows (one per tick and the held rate); ${target} tabulates at most ${MAX_TABLE_ROWS.toLocaleString("en-US")} rows. Print a range with \`anneal eval --steps A:B\` instead`,
          range: ir.nameRange,
        },
      ],
    };
  return { text: target === "json" ? emitJson(ir, opts) : emitCsv(ir), diagnostics: [] };
}
