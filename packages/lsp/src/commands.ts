// The server's commands: `anneal.emit` with `[uri, target, scheduleName?]` returns the
// generated code (any editor target of the compiler's emit table) of one schedule of an open document, or a sentence saying
// why there is none. The client decides what to do with the text (the VS Code extension
// opens it beside the source). `anneal.describe` with `[uri, scheduleName]` is the code
// lens's command in clients without a preview: the schedule's summary as text.

import { compile, emit, emitIr, targetInfo } from "@anneal/compiler";
import type { Analysis } from "./documents.js";
import { describeSchedule } from "./hover.js";
import { DESCRIBE_COMMAND, EMIT_COMMAND_TARGETS, type EmitCommandResult, type EmitCommandTarget } from "./protocol.js";


/** The file name at the end of a URI, for the generated file's header. */
export function fileName(uri: string): string {
  const last = uri.split(/[/\\]/).pop() ?? uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export function emitCommand(analyze: (uri: string) => Analysis | undefined, args: readonly unknown[] | undefined): EmitCommandResult {
  const [uri, target, scheduleName] = args ?? [];
  if (typeof uri !== "string") return { error: "anneal.emit takes [uri, target, scheduleName?]; the uri is missing" };
  if (typeof target !== "string" || !(EMIT_COMMAND_TARGETS as readonly string[]).includes(target))
    return { error: `unknown target ${JSON.stringify(target)}; choose one of ${EMIT_COMMAND_TARGETS.join(", ")}` };
  const a = analyze(uri);
  if (!a) return { error: `${fileName(uri)} is not open in the editor` };
  const all = a.result.schedules;
  if (all.length === 0) return { error: `${fileName(uri)} defines no schedule` };
  let schedule = all[0]!;
  if (scheduleName !== undefined && scheduleName !== null) {
    const named = all.find((s) => s.name === scheduleName);
    if (!named) return { error: `${fileName(uri)} has no schedule named ${JSON.stringify(scheduleName)}; it has ${all.map((s) => s.name).join(", ")}` };
    schedule = named;
  } else if (all.length > 1) {
    return { error: `${fileName(uri)} has ${all.length} schedules (${all.map((s) => s.name).join(", ")}); name the one to emit` };
  }
  const own = emitIr(schedule);
  if (!own) return { error: `schedule ${schedule.name} has errors; fix them first (see the Problems list)` };
  // A result moved over a whitespace edit (reuse.ts) holds copies of the lowering, and the
  // run-time program of a schedule that binds nothing at run time is found only for the IR
  // compile() made (check/schedule.ts): such a version is compiled again for the emitter.
  const again = a.compiled === false ? compile(a.text, { ...a.options, optionNames: "settings" }).schedules.find((s) => s.name === schedule.name) : undefined;
  const ir = (again && emitIr(again)) ?? own;
  const result = emit(target as EmitCommandTarget, ir, { source: fileName(uri), text: a.text });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { error: errors.map((d) => `${d.code}: ${d.message}`).join("; ") };
  return { text: result.text, language: targetInfo(target as EmitCommandTarget).language };
}

export function describeCommand(analyze: (uri: string) => Analysis | undefined, args: readonly unknown[] | undefined): { text: string } | { error: string } {
  const [uri, name] = args ?? [];
  if (typeof uri !== "string" || typeof name !== "string") return { error: `${DESCRIBE_COMMAND} takes [uri, scheduleName]` };
  const a = analyze(uri);
  if (!a) return { error: `${fileName(uri)} is not open in the editor` };
  const s = a.result.schedules.find((x) => x.name === name);
  if (!s) return { error: `${fileName(uri)} has no schedule named ${JSON.stringify(name)}` };
  return { text: describeSchedule(a, s) };
}
