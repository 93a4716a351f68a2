// The emitters: a schedule's IR in, generated text out. Pure functions, no I/O.
//
// `EMIT_TABLE` below is the one list of targets. The CLI's target words and help, the
// language server's `anneal.emit` command, the VS Code extension's Emit commands and the
// playground's code pane all read it, so a target added here appears everywhere (the
// extension's static manifest is held to it by a test). Every output is deterministic and
// opens with a header naming its source and how to step it.

import type { Diagnostic } from "@anneal/dsl";
import type { ScheduleIR } from "../ir.js";
import { emitTableTarget } from "./data.js";
import type { EmitOptions } from "./header.js";
import { emitKeras } from "./keras.js";
import { emitOptax } from "./optax.js";
import { emitPytorch } from "./pytorch.js";
import { emitPytorchNative } from "./pytorch-native.js";
import { noValueDiagnostics, runtimeDiagnostics } from "./runtime.js";
import { emitTfjs, emitTfjsDts } from "./tfjs.js";

export type { EmitOptions } from "./header.js";
export { MAX_TABLE_ROWS } from "./data.js";

export interface EmitResult {
  /** The generated file; empty when a diagnostic has severity `error`. */
  text: string;
  diagnostics: Diagnostic[];
}

/** One emit target: everything any tool needs to offer it. */
export interface EmitTargetInfo {
  /** The TARGET word of `anneal emit`, and the target argument of the server's `anneal.emit`. */
  readonly id: string;
  /** The target's name for people, in menus and messages: `PyTorch`, `Keras`. */
  readonly label: string;
  /** The editor language id of the output, for the editor that opens it. */
  readonly language: "python" | "javascript" | "typescript" | "json" | "csv";
  /** The file suffix of the output, with its dot, and the output's media type. */
  readonly extension: string;
  readonly mediaType: string;
  /** The `anneal emit --help` lines that say what the target writes. */
  readonly help: readonly string[];
  readonly emitter: (ir: ScheduleIR, opts: EmitOptions) => EmitResult;
  /** The editor command that emits this target (VS Code's palette), if editors offer it. */
  readonly editorCommand?: string;
}

const plain = (f: (ir: ScheduleIR, opts: EmitOptions) => string) => (ir: ScheduleIR, opts: EmitOptions): EmitResult => ({ text: f(ir, opts), diagnostics: [] });

/** A target made of the schedule's numbers (a table, typings): refused while a setting has no value (A406). */
const needsValues = (f: (ir: ScheduleIR, opts: EmitOptions) => EmitResult) => (ir: ScheduleIR, opts: EmitOptions): EmitResult => {
  const missing = noValueDiagnostics(ir);
  return missing.length > 0 ? { text: "", diagnostics: missing } : f(ir, opts);
};

/**
 * A code target and the settings bound at run time: every code target takes them, and
 * refuses what it cannot resolve, with no output (A404); `--native` uses the preview of
 * `lr ?` (A405, emit/pytorch-native.ts).
 */
const withSettings = (f: (ir: ScheduleIR, opts: EmitOptions) => EmitResult) => (ir: ScheduleIR, opts: EmitOptions): EmitResult => {
  const notes = runtimeDiagnostics(ir);
  if (notes.some((d) => d.severity === "error")) return { text: "", diagnostics: notes };
  const r = f(ir, opts);
  return { text: r.text, diagnostics: [...notes, ...r.diagnostics] };
};

export const EMIT_TABLE = [
  {
    id: "pytorch",
    label: "PyTorch",
    language: "python",
    extension: ".py",
    mediaType: "text/x-python",
    help: [
      "(the default) a self-contained Python module: TOTAL_STEPS, lr_at(step),",
      "build_scheduler(optimizer), a closed-form torch scheduler (torch 1.13 and 2.x), and",
      "lightning_scheduler_config(optimizer) for Lightning's configure_optimizers; each takes",
      "total=, steps_per_epoch=, tokens_per_step= and lr= bound at run time",
    ],
    emitter: withSettings(plain(emitPytorch)),
    editorCommand: "anneal.emitPyTorch",
  },
  {
    id: "pytorch-native",
    label: "PyTorch (built-in schedulers)",
    language: "python",
    extension: ".py",
    mediaType: "text/x-python",
    help: [
      "the same schedule composed from torch's built-in schedulers (SequentialLR, LinearLR,",
      "CosineAnnealingLR, OneCycleLR, CyclicLR, ...); a phase with no built-in runs as a",
      "LambdaLR, noted by A401 (also spelled pytorch --native); build_scheduler takes",
      "total=, steps_per_epoch= and tokens_per_step= bound at run time",
    ],
    // Its built-ins are composed when the module loads, from the file's values: it needs them.
    emitter: withSettings(needsValues(emitPytorchNative)),
    editorCommand: "anneal.emitPyTorchNative",
  },
  {
    id: "keras",
    label: "Keras",
    language: "python",
    extension: ".py",
    mediaType: "text/x-python",
    help: [
      "a Keras 3 LearningRateSchedule built from keras.ops (any backend, graph mode included),",
      "serializable, with build_schedule(); pass it as an optimizer's learning_rate",
    ],
    emitter: withSettings(plain(emitKeras)),
    editorCommand: "anneal.emitKeras",
  },
  {
    id: "optax",
    label: "optax",
    language: "python",
    extension: ".py",
    mediaType: "text/x-python",
    help: [
      "a pure jax.numpy schedule(count) that jax.jit compiles, and make_schedule(); pass it",
      "as an optax optimizer's learning_rate (optax.inject_hyperparams too)",
    ],
    emitter: withSettings(plain(emitOptax)),
    editorCommand: "anneal.emitOptax",
  },
  {
    id: "tfjs",
    label: "TF.js",
    language: "javascript",
    extension: ".js",
    mediaType: "text/javascript",
    help: [
      "an ES module: TOTAL_STEPS, lrAt(step), lrCallback(model) for model.fit, and",
      "buildSchedule({ total, stepsPerEpoch, tokensPerStep, lr }) bound at run time;",
      "with -o x.js the typings go to x.d.ts",
    ],
    // Its exports (`lrAt`, `TOTAL_STEPS`) are built from the file's values when it loads.
    emitter: withSettings(needsValues(plain(emitTfjs))),
    editorCommand: "anneal.emitTfjs",
  },
  {
    id: "tfjs-dts",
    label: "TF.js typings",
    language: "typescript",
    extension: ".d.ts",
    mediaType: "text/plain",
    help: ["only the TypeScript typings of the tfjs module"],
    emitter: needsValues(plain(emitTfjsDts)),
  },
  {
    id: "json",
    label: "JSON",
    language: "json",
    extension: ".json",
    mediaType: "application/json",
    help: ["the resolved phases and the rate at every step"],
    emitter: needsValues((ir, opts) => emitTableTarget("json", ir, opts)),
  },
  {
    id: "csv",
    label: "CSV",
    language: "csv",
    extension: ".csv",
    mediaType: "text/csv",
    help: ["'step,lr' for every step from 0 to total (the last row is the held rate)"],
    emitter: needsValues((ir, opts) => emitTableTarget("csv", ir, opts)),
  },
] as const satisfies readonly EmitTargetInfo[];

export type EmitTarget = (typeof EMIT_TABLE)[number]["id"];

/** The target ids, in the table's order. */
export const EMIT_TARGETS: readonly EmitTarget[] = EMIT_TABLE.map((t) => t.id);

/** The targets editors offer as commands, in the table's order. */
export const EDITOR_TARGETS: readonly EmitTarget[] = EMIT_TABLE.filter((t) => "editorCommand" in t).map((t) => t.id);

/** Whether `name` is a target id; an own-property test, so `toString` is not one. */
export function isEmitTarget(name: string): name is EmitTarget {
  return (EMIT_TARGETS as readonly string[]).includes(name);
}

/** The table's row of `target`. */
export function targetInfo(target: EmitTarget): EmitTargetInfo {
  return EMIT_TABLE.find((t) => t.id === target)!;
}

/** Generates `target` for one schedule. Never throws on a valid IR. */
export function emit(target: EmitTarget, ir: ScheduleIR, opts: EmitOptions = {}): EmitResult {
  return targetInfo(target).emitter(ir, opts);
}
