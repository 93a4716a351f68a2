// How the CLI shows diagnostics: `file:line:col: severity CODE message`, the source line,
// and a caret underline under the exact range, plus one `help:` line per available fix.
// Also the shared "read a file, compile it, print what it says" step of every command.

import { type Diagnostic, LineIndex } from "@anneal/dsl";
import { noPreviewAdvice } from "../check/runtime.js";
import { compile, type CompiledSchedule, type CompileOptions, type CompileResult } from "../compile.js";
import { type LintLevel, lintLevelProblem } from "../diagnostics/report.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { CliError, type CliIO, overridesFrom, type ParsedArgs, warningsAsErrors } from "./command.js";
import { terminalText } from "./terminal-text.js";

const COLORS = { error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m", hint: "\x1b[90m" } as const;
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/**
 * Whether to colour output: `FORCE_COLOR` (any value but `0` or `false`) forces it and wins,
 * as in Node; a non-empty `NO_COLOR` turns it off (no-color.org); otherwise colour goes to a
 * terminal only.
 */
export function colorFromEnv(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY;
}

/** Whether a command colours what it prints. */
export function useColor(io: CliIO): boolean {
  return io.color ?? io.isTTY;
}

/**
 * A diagnostic about an option, located on the option as tsc locates one on `tsconfig`:
 * `--total 10q: error A112 ...`, the option as typed, and a caret under the exact place.
 */
function formatOnOption(d: Diagnostic & { origin: NonNullable<Diagnostic["origin"]> }, color: boolean): string {
  const o = d.origin;
  const sev = color ? `${COLORS[d.severity]}${BOLD}${d.severity}${RESET}` : d.severity;
  // A flag is shown as typed (`--total 10q`, `--lint A999=off`); a setting as `name: value`.
  const sep = o.option.startsWith("-") ? " " : ": ";
  const shown = `${o.option}${sep}${o.text}`;
  const lead = " ".repeat(o.option.length + sep.length + o.range.start);
  const carets = "^".repeat(Math.max(1, o.range.end - o.range.start));
  const lines = [`${shown}: ${sev} ${d.code} ${d.message}`, `   | ${shown}`, `   | ${lead}${color ? `${COLORS[d.severity]}${carets}${RESET}` : carets}`];
  for (const f of d.fixes ?? []) lines.push(`   = help: ${f.title}`);
  return lines.join("\n");
}

export function formatDiagnostic(d: Diagnostic, file: string, text: string, color = false, index = new LineIndex(text)): string {
  if (d.origin) return formatOnOption(d as Diagnostic & { origin: NonNullable<Diagnostic["origin"]> }, color);
  const start = index.positionAt(d.range.start);
  const end = index.positionAt(d.range.end);
  const sev = color ? `${COLORS[d.severity]}${BOLD}${d.severity}${RESET}` : d.severity;
  const head = `${terminalText(file)}:${start.line + 1}:${start.character + 1}: ${sev} ${d.code} ${terminalText(d.message)}`;
  const lines = [head];
  const src = index.lineText(start.line);
  if (src.trim() !== "" || d.range.start !== d.range.end) {
    const gutter = String(start.line + 1);
    const pad = " ".repeat(gutter.length);
    // The line is shown with its control characters escaped, and the underline measured
    // on what is shown, so the carets stay under the range.
    const shownEnd = end.line === start.line ? end.character : src.length;
    const width = Math.max(1, terminalText(src.slice(start.character, shownEnd)).length);
    // Tabs keep their width in the underline, so the carets stay under the range.
    const lead = terminalText(src.slice(0, start.character)).replace(/[^\t]/g, " ");
    const carets = "^".repeat(width);
    lines.push(` ${gutter} | ${terminalText(src)}`);
    lines.push(` ${pad} | ${lead}${color ? `${COLORS[d.severity]}${carets}${RESET}` : carets}`);
  }
  for (const f of d.fixes ?? []) lines.push(`   = help: ${terminalText(f.title)}`);
  for (const r of d.related ?? []) {
    const p = index.positionAt(r.range.start);
    lines.push(`   = note: ${terminalText(r.message)} at ${terminalText(file)}:${p.line + 1}:${p.character + 1}`);
  }
  return lines.join("\n");
}

export function formatDiagnostics(ds: readonly Diagnostic[], file: string, text: string, color = false): string {
  const index = new LineIndex(text);
  return ds.map((d) => formatDiagnostic(d, file, text, color, index)).join("\n\n");
}

/** `--lint A305=off` flags, as the lint map `compile()` takes. */
export const lintOption = { lint: { type: "string", multiple: true } } as const;

export const lintHelp = `  --lint CODE=LEVEL      set a warning's level: off, hint, info, warning or error
                         (repeatable; errors cannot be lowered)`;

export function lintsFrom(args: ParsedArgs): Record<string, LintLevel> {
  const out: Record<string, LintLevel> = {};
  const raw = args.values.lint;
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === "string" ? [raw] : [];
  for (const item of list) {
    const m = /^([^=]*)=(.*)$/.exec(item);
    if (!m) throw new CliError(`--lint ${item}: expected CODE=LEVEL, such as --lint A305=off (levels: off, hint, info, warning, error)`);
    // The same check compile() makes for an editor's `anneal.lint`, but here it is a usage
    // error (exit 2): a command line that asks for the impossible is not run.
    const problem = lintLevelProblem(m[1]!, m[2]!);
    if (problem !== undefined) throw new CliError(`--lint ${item}: ${problem}`);
    out[m[1]!] = m[2] as LintLevel;
  }
  return out;
}

export interface CompiledFile {
  path: string;
  text: string;
  result: CompileResult;
}

/**
 * Reads and compiles one file for a command that needs a valid schedule. Prints the
 * diagnostics to standard error; returns undefined (after printing) when there are errors.
 */
export function compileForCommand(path: string, args: ParsedArgs, io: CliIO, extra: CompileOptions = {}, command = "anneal"): CompiledFile | undefined {
  const text = io.readText(path);
  const result = compileWithFlags(text, args, command, extra);
  const shown = path === "-" ? "<stdin>" : path;
  if (result.diagnostics.length > 0) io.stderr(`${formatDiagnostics(result.diagnostics, shown, text, useColor(io))}\n`);
  if (result.hasErrors) return undefined;
  return { path: shown, text, result };
}

/**
 * Compiles with the command line's overrides and lint levels; with `-W error` every warning
 * is reported, and counts, as an error.
 */
export function compileWithFlags(text: string, args: ParsedArgs, command: string, extra: CompileOptions = {}): CompileResult {
  const strict = warningsAsErrors(args, command);
  const result = compile(text, { overrides: overridesFrom(args), lint: lintsFrom(args), ...extra });
  if (!strict || !result.diagnostics.some((d) => d.severity === "warning")) return result;
  const diagnostics = result.diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" as const } : d));
  return { ...result, diagnostics, hasErrors: true };
}

/** "no schedule named 'x'", with the closest name and the list of the file's schedules. */
export function noSchedule(file: CompiledFile, name: string): string {
  const names = file.result.schedules.map((x) => x.name);
  return `${file.path}: no schedule named '${name}'${didYouMean(name, names, "'")}; it has ${names.map((n) => `'${n}'`).join(", ") || "none"}`;
}

/**
 * Refuses a schedule that has no rates of its own, for a command that prints or draws them:
 * a setting written `?` with no preview value (A241 has already said where).
 */
export function requireValues(file: CompiledFile, s: CompiledSchedule, what: string): void {
  const keys = s.runTimeOnly?.settings;
  if (!keys || s.ir) return;
  throw new CliError(`${file.path}: schedule '${s.name}' has no rates to ${what}: ${keys.map((k) => `\`${k}\``).join(" and ")} ${keys.length === 1 ? "is" : "are"} bound at run time with no preview value; ${keys.map(noPreviewAdvice).join("; ")}`, 1);
}

/** Picks the schedule a command works on: `--schedule NAME`, or the file's only one. */
export function pickSchedule(file: CompiledFile, name: string | undefined) {
  const all = file.result.schedules;
  if (name !== undefined) {
    const s = all.find((x) => x.name === name);
    if (!s) throw new CliError(noSchedule(file, name));
    return s;
  }
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new CliError(`${file.path}: the file defines no schedule`, 1);
  throw new CliError(`${file.path} has ${all.length} schedules (${all.map((x) => x.name).join(", ")}); choose one with --schedule NAME`);
}
