// Test sources with a cursor: `<|>` marks the offset a request is made at, and the text
// without the marker is what the server analyses.
import type { LintLevel } from "@anneal/compiler";
import { Analysis } from "../src/documents.js";

export const URI = "file:///work/test.anneal";

export function at(marked: string, lint: Record<string, LintLevel> = {}): { a: Analysis; offset: number } {
  const offset = marked.indexOf("<|>");
  if (offset < 0) throw new Error("the source has no <|> marker");
  const text = marked.slice(0, offset) + marked.slice(offset + 3);
  return { a: new Analysis(URI, 1, text, { lint }), offset };
}

export function analysis(text: string, lint: Record<string, LintLevel> = {}, defaults: { total?: string; lr?: string } = {}): Analysis {
  return new Analysis(URI, 1, text, { lint, defaults });
}

/** Applies non-overlapping offset edits to a text. */
export function applyEdits(text: string, edits: { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
