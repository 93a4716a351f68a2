// Formatting: the language's one formatter (`format` from the dsl), as a single edit over
// the whole document. A file with syntax errors gets no edits: guessing at broken text
// could lose what the user typed.

import { format } from "@anneal/dsl";
import type { TextEdit } from "vscode-languageserver";
import type { Analysis } from "./documents.js";

export function formatting(a: Analysis): TextEdit[] {
  if (a.result.diagnostics.some((d) => d.severity === "error" && d.code.startsWith("A0"))) return [];
  const formatted = format(a.text);
  if (formatted === undefined || formatted === a.text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: a.lines.positionAt(a.text.length) }, newText: formatted }];
}
