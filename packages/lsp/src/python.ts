// Python training scripts in the editor: `anneal lint`'s diagnostics for a `.py` document,
// only when the client opts in (`anneal.pythonLint`), and the code action "Convert to an
// Anneal spec" on a scheduler's line, which creates `NAME.anneal` beside the script with
// the spec `anneal import` writes. Every other feature leaves Python documents alone.

import { type CompileResult, importPython, type LintLevel, lintPython } from "@anneal/compiler";
import { NO_ROLES, type Range } from "@anneal/dsl";
import { type CodeAction, CodeActionKind } from "vscode-languageserver";
import type { Analysis } from "./documents.js";

/** Whether a document is a Python script rather than an Anneal file. */
export function isPythonUri(uri: string): boolean {
  return /\.pyw?$/i.test(uri.replace(/[?#].*$/, ""));
}

/** A Python document's result in the shape the features read: its lint diagnostics and nothing else. */
export function pythonResult(text: string, lint: Record<string, LintLevel> | undefined, enabled: boolean): CompileResult {
  const r = enabled ? lintPython(text, { lint: lint ?? {} }) : { diagnostics: [], hasErrors: false };
  const ast = { kind: "File" as const, range: { start: 0, end: text.length }, items: [], comments: [] };
  return { ast, diagnostics: r.diagnostics, schedules: [], hasErrors: r.hasErrors, parsed: { ast, diagnostics: [], tokens: [] }, tokens: [], roles: NO_ROLES, names: [], unresolvedNames: [] };
}

/**
 * "Convert to an Anneal spec" for each scheduler construction on the lines of `range`:
 * a workspace edit that creates `NAME.anneal` next to the script (left alone if it exists)
 * and writes the spec into it. Offered only to clients that can create files.
 */
export function convertToSpecActions(a: Analysis, range: Range, canCreateFiles: boolean): CodeAction[] {
  if (!canCreateFiles || !isPythonUri(a.uri)) return [];
  const first = a.lines.positionAt(range.start).line + 1;
  const last = a.lines.positionAt(range.end).line + 1;
  const file = decodeURIComponent(a.uri.replace(/^.*\//, ""));
  const r = importPython(a.text, { file });
  return r.specs
    .filter((s) => s.line >= first && s.line <= last)
    .map((s): CodeAction => {
      const target = a.uri.replace(/[^/]*$/, `${encodeURIComponent(s.name)}.anneal`);
      const header = `# Imported from ${file} by anneal import.\n\n`;
      return {
        title: `Convert to an Anneal spec (${s.name}.anneal)`,
        kind: CodeActionKind.RefactorRewrite,
        edit: {
          documentChanges: [
            { kind: "create", uri: target, options: { ignoreIfExists: true } },
            { textDocument: { uri: target, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `${header}${s.text}\n` }] },
          ],
        },
      };
    });
}
