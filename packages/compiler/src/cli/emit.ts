// `anneal emit TARGET FILE`: generated code or data for one schedule, on standard output
// or in a file (`-o`). The work is `emit()` from `../emit`; this file only reads the
// source, picks the schedule, prints diagnostics and writes the result.

import { emitIr } from "../compile.js";
import { emit, EMIT_TABLE, EMIT_TARGETS, isEmitTarget } from "../emit/index.js";
import { closest } from "../diagnostics/suggest.js";
import { type Command, CliError, exitStatusHelp, overrideHelp, overrideOptions, warningHelp, warningOptions } from "./command.js";
import { compileForCommand, formatDiagnostics, lintHelp, lintOption, pickSchedule, useColor } from "./render.js";

/**
 * Whether `word` is one of the TARGET words (the ids of the emit table). `isEmitTarget` is
 * an `includes` test: with `in` or a plain lookup, `anneal emit toString FILE` found
 * `Object.prototype.toString` and crashed.
 */
const isTargetWord = isEmitTarget;

/** The Targets section of the help, from the emit table. */
function targetsHelp(): string {
  const width = Math.max(...EMIT_TABLE.map((t) => t.id.length)) + 2;
  return EMIT_TABLE.map((t) => t.help.map((line, i) => `  ${(i === 0 ? t.id : "").padEnd(width)} ${line}`).join("\n")).join("\n");
}

/** Where the typings of a TF.js module written to `out` go: `x.js` -> `x.d.ts`, `x.mjs` -> `x.d.mts`. */
export function dtsPathFor(out: string): string {
  if (out.endsWith(".mjs")) return `${out.slice(0, -4)}.d.mts`;
  if (out.endsWith(".js")) return `${out.slice(0, -3)}.d.ts`;
  return `${out}.d.ts`;
}

export const emitCommand: Command = {
  name: "emit",
  summary: "generate a PyTorch, Keras, optax or TF.js schedule, or the schedule as JSON / CSV",
  help: `Usage: anneal emit [TARGET] FILE [--schedule NAME] [-o OUT] [--native]

Targets:
${targetsHelp()}

Step a torch scheduler once per optimizer step (or once per epoch when the schedule's
total is in epochs); lr(0) is the first step's rate. See docs/emit.md.

Options:
  --schedule NAME        the schedule to emit (needed when the file has several)
  -o, --output OUT       write to OUT instead of standard output ('-' is standard output);
                         never one of the input files
  --native               with pytorch: compose torch's built-in schedulers
${lintHelp}
${warningHelp}
${overrideHelp}

${exitStatusHelp("the file has errors")}

Examples:
  anneal emit pytorch examples/bert.anneal -o bert_schedule.py
  anneal emit pytorch --native examples/resnet-step-decay.anneal
  anneal emit keras examples/bert.anneal -o bert_schedule.py
  anneal emit optax examples/gpt3.anneal -o gpt3_schedule.py
  anneal emit tfjs examples/wsd.anneal -o wsd.js
  anneal emit csv examples/gpt3.anneal --total 10k`,
  options: {
    schedule: { type: "string" },
    output: { type: "string", short: "o" },
    native: { type: "boolean" },
    ...lintOption,
    ...warningOptions,
    ...overrideOptions,
  },
  run(args, io) {
    // With a single positional that is not a target word, the target is the default, pytorch.
    const positionals =
      args.positionals.length === 1 && !isTargetWord(args.positionals[0]!) ? ["pytorch", ...args.positionals] : args.positionals;
    const [word, path, ...rest] = positionals;
    if (word === undefined || path === undefined || rest.length > 0) {
      throw new CliError("anneal emit: give a TARGET and one FILE, e.g. 'anneal emit pytorch train.anneal' (see anneal emit --help)");
    }
    if (!isTargetWord(word)) {
      const near = closest(word, [...EMIT_TARGETS]);
      throw new CliError(`anneal emit: unknown target '${word}'${near ? ` (did you mean '${near}'?)` : ""}; choose one of ${EMIT_TARGETS.join(", ")}`);
    }
    let target = word;
    if (args.values.native === true) {
      if (target !== "pytorch" && target !== "pytorch-native") {
        throw new CliError(`anneal emit: --native only applies to the pytorch target, not '${word}'`);
      }
      target = "pytorch-native";
    }
    const file = compileForCommand(path, args, io, {}, "emit");
    if (!file) return 1;
    const schedule = pickSchedule(file, args.values.schedule as string | undefined);
    const ir = emitIr(schedule);
    if (!ir) return 1;
    const opts = { source: file.path, text: file.text };
    const result = emit(target, ir, opts);
    if (result.diagnostics.length > 0) {
      io.stderr(`${formatDiagnostics(result.diagnostics, file.path, file.text, useColor(io))}\n`);
    }
    if (result.diagnostics.some((d) => d.severity === "error")) return 1;
    const out = args.values.output as string | undefined;
    if (out === undefined || out === "-") {
      // One text, already whole in memory: the process entry waits for it to be written.
      void io.stdout(result.text);
      return 0;
    }
    // The module and its typings are written together or not at all.
    const outputs = [{ path: out, data: result.text }];
    if (target === "tfjs") outputs.push({ path: dtsPathFor(out), data: emit("tfjs-dts", ir, opts).text });
    io.writeFiles(outputs, [path]);
    return 0;
  },
};
