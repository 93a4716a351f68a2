// Code actions: every fix the compiler attached to a diagnostic becomes a quick fix with
// that diagnostic attached, plus one fix the server builds itself: "Add `total 100k`" for a
// percent or an open phase in a schedule without `total` (A105, A217), inserted at the top
// of the schedule the diagnostic is in.

import type { Diagnostic, Fix, Range } from "@anneal/dsl";
import { type CodeAction, CodeActionKind, type TextEdit } from "vscode-languageserver";
import { toLspDiagnostic, toLspRange, touches } from "./convert.js";
import type { Analysis } from "./documents.js";

const NEEDS_TOTAL = new Set(["A105", "A217"]);

export function codeActions(a: Analysis, range: Range, only?: string[]): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
  const out: CodeAction[] = [];
  for (const d of a.result.diagnostics) {
    if (!touches(d.range, range)) continue;
    const fixes = [...(d.fixes ?? [])];
    if (NEEDS_TOTAL.has(d.code)) {
      const fix = addTotal(a, d);
      if (fix) fixes.push(fix);
    }
    for (const f of fixes) {
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(d, a.lines, a.uri)],
        isPreferred: fixes.length === 1,
        edit: { changes: { [a.uri]: f.edits.map((e): TextEdit => ({ range: toLspRange(a.lines, e.range), newText: e.newText })) } },
      });
    }
  }
  return out;
}

const TOTAL = "total 100k";

/** Inserts a `total` line at the top of the schedule block, or of the file for the top level. */
function addTotal(a: Analysis, d: Diagnostic): Fix | undefined {
  const block = a.result.ast.items.find((i) => i.kind === "Schedule" && i.range.start <= d.range.start && d.range.end <= i.range.end);
  if (block && block.kind === "Schedule") {
    if (!block.open) return undefined;
    const at = block.open.end;
    const rest = a.text.slice(at, a.text.indexOf("\n", at) < 0 ? a.text.length : a.text.indexOf("\n", at));
    if (rest.trim() !== "") {
      // A one-line block: `{ total 100k  lr 1e-4 ... }`.
      return { title: `Add \`${TOTAL}\``, edits: [{ range: { start: at, end: at }, newText: ` ${TOTAL} ` }] };
    }
    const first = [...block.body, ...block.chains].sort((x, y) => x.range.start - y.range.start)[0];
    const indent = first ? a.lines.lineText(a.lines.positionAt(first.range.start).line).match(/^[ \t]*/)![0] : "  ";
    return { title: `Add \`${TOTAL}\``, edits: [{ range: { start: at, end: at }, newText: `\n${indent}${TOTAL}` }] };
  }
  const firstTop = a.result.ast.items[0];
  const line = firstTop ? a.lines.positionAt(firstTop.range.start).line : 0;
  const at = a.lines.offsetAt({ line, character: 0 });
  return { title: `Add \`${TOTAL}\``, edits: [{ range: { start: at, end: at }, newText: `${TOTAL}\n` }] };
}
