// How the CLI shows diagnostics: `file:line:col: severity CODE message`, the source line,
// and a caret underline under the exact range, plus one `help:` line per available fix.
// Also the shared "read a file, compile it, print what it says" step of every command.

import { type Diagnostic, LineIndex } from "@anneal/dsl";
import { compile, type CompileOptions, type CompileResult } from "../compile.js";
import type { LintLevel } from "../diagnostics/report.js";
import { CliError, type CliIO, overridesFrom, type ParsedArgs } from "./command.js";
import { terminalText } from "./terminal-text.js";

const COLORS = { error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m", hint: "\x1b[90m" } as const;
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

export function formatDiagnostic(d: Diagnostic, file: string, text: string, color = false, index = new LineIndex(text)): string {
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
    const m = /^(A\d{3})=(off|hint|info|warning|error)$/.exec(item);
    if (!m) throw new CliError(`--lint ${item}: expected CODE=LEVEL, such as --lint A305=off (levels: off, hint, info, warning, error)`);
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
export function compileForCommand(path: string, args: ParsedArgs, io: CliIO, extra: CompileOptions = {}): CompiledFile | undefined {
  const text = io.readText(path);
  const result = compile(text, { overrides: overridesFrom(args), lint: lintsFrom(args), ...extra });
  const shown = path === "-" ? "<stdin>" : path;
  if (result.diagnostics.length > 0) io.stderr(`${formatDiagnostics(result.diagnostics, shown, text, io.isTTY)}\n`);
  if (result.hasErrors) return undefined;
  return { path: shown, text, result };
}

/** Picks the schedule a command works on: `--schedule NAME`, or the file's only one. */
export function pickSchedule(file: CompiledFile, name: string | undefined) {
  const all = file.result.schedules;
  if (name !== undefined) {
    const s = all.find((x) => x.name === name);
    if (!s) throw new CliError(`${file.path}: no schedule named '${name}'; it has ${all.map((x) => `'${x.name}'`).join(", ") || "none"}`);
    return s;
  }
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new CliError(`${file.path}: the file defines no schedule`, 1);
  throw new CliError(`${file.path} has ${all.length} schedules (${all.map((x) => x.name).join(", ")}); choose one with --schedule NAME`);
}
