// `lintPython(text)` and `importPython(text)`: the two entries over a Python training
// script. Both are pure and never throw, like `compile()`: a failure inside the analysis
// becomes the internal-error diagnostic A000, and whatever could be computed is returned.

import type { Diagnostic } from "@anneal/dsl";
import { finishDiagnostics, type LintLevel, Reporter } from "../diagnostics/report.js";
import { analyse } from "./analysis.js";
import { runChecks } from "./checks.js";
import { type ImportedSpec, writeSpecs } from "./spec.js";

export type { ImportedSpec };
import { parsePython } from "./syntax.js";

export interface LintPythonOptions {
  /** Severity per code for warnings and information (`off` drops them); errors stay errors. */
  lint?: Record<string, LintLevel>;
}

export interface LintPythonResult {
  diagnostics: Diagnostic[];
  hasErrors: boolean;
}

export function lintPython(text: string, options: LintPythonOptions = {}): LintPythonResult {
  const report = new Reporter();
  try {
    runChecks(analyse(parsePython(text)), report);
  } catch (e) {
    report.report("A000", { start: 0, end: 0 }, `internal error while linting: ${(e as Error)?.message ?? String(e)}; please report it with the script`);
  }
  const diagnostics = finishDiagnostics(report.diagnostics, options.lint);
  return { diagnostics, hasErrors: diagnostics.some((d) => d.severity === "error") };
}

export interface ImportPythonOptions {
  /** The script's name, for the comments that name each source line. */
  file?: string;
  /** The preview value written for `len(loader)` (steps per epoch); 100 when not given. */
  stepsPerEpoch?: number;
  lint?: Record<string, LintLevel>;
}

export interface ImportPythonResult {
  /** The Anneal file: one schedule block per scheduler that has an exact spec. */
  text: string;
  specs: ImportedSpec[];
  diagnostics: Diagnostic[];
}

export function importPython(text: string, options: ImportPythonOptions = {}): ImportPythonResult {
  const report = new Reporter();
  let out: { text: string; specs: ImportedSpec[] } = { text: "", specs: [] };
  try {
    out = writeSpecs(analyse(parsePython(text)), report, { file: options.file ?? "script.py", stepsPerEpoch: options.stepsPerEpoch });
  } catch (e) {
    report.report("A000", { start: 0, end: 0 }, `internal error while importing: ${(e as Error)?.message ?? String(e)}; please report it with the script`);
  }
  return { ...out, diagnostics: finishDiagnostics(report.diagnostics, options.lint) };
}
