// The emitters: a schedule's IR in, generated text out. Pure functions, no I/O.
//
// Targets:
// - `pytorch`: a self-contained Python module with a closed-form torch scheduler;
// - `pytorch-native`: the same schedule composed from torch's built-in schedulers, or
//   A401 diagnostics when no exact composition exists;
// - `tfjs` / `tfjs-dts`: an ES module with a `model.fit` callback, and its typings;
// - `json` / `csv`: the resolved phases and the rate at every tick.
// Every output is deterministic and opens with a header naming its source and how to step it.

import type { Diagnostic } from "@anneal/dsl";
import { CODES } from "../diagnostics/registry.js";
import type { ScheduleIR } from "../ir.js";
import { emitCsv, emitJson } from "./data.js";
import type { EmitOptions } from "./header.js";
import { emitPytorch } from "./pytorch.js";
import { emitPytorchNative } from "./pytorch-native.js";
import { emitTfjs, emitTfjsDts } from "./tfjs.js";

export type { EmitOptions } from "./header.js";

export const EMIT_TARGETS = ["pytorch", "pytorch-native", "tfjs", "tfjs-dts", "json", "csv"] as const;
export type EmitTarget = (typeof EMIT_TARGETS)[number];

export interface EmitResult {
  /** The generated file; empty when a diagnostic has severity `error`. */
  text: string;
  diagnostics: Diagnostic[];
}

/** The most rows the json and csv targets tabulate: ticks 0 to total - 1 and the held rate (A402 past it). */
export const MAX_TABLE_ROWS = 10_000_000;

export function isEmitTarget(name: string): name is EmitTarget {
  return (EMIT_TARGETS as readonly string[]).includes(name);
}

/** Generates `target` for one schedule. Never throws on a valid IR. */
export function emit(target: EmitTarget, ir: ScheduleIR, opts: EmitOptions = {}): EmitResult {
  switch (target) {
    case "pytorch":
      return { text: emitPytorch(ir, opts), diagnostics: [] };
    case "pytorch-native":
      return emitPytorchNative(ir, opts);
    case "tfjs":
      return { text: emitTfjs(ir, opts), diagnostics: [] };
    case "tfjs-dts":
      return { text: emitTfjsDts(ir, opts), diagnostics: [] };
    case "json":
    case "csv": {
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
  }
}
