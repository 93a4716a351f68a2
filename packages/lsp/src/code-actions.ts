// Code actions: every fix the compiler attached to a diagnostic becomes a quick fix with
// that diagnostic attached, plus one fix the server builds itself: "Add `total 100k`" for a
// percent or an open phase in a schedule without `total` (A105, A217), inserted at the top
// of the schedule the diagnostic is in (never beside a `total` the schedule already has), and
// a "fix all" source action that applies every fix that is the only one offered.

import type { Diagnostic, Fix, Range } from "@anneal/dsl";
import { type CodeAction, CodeActionKind, type TextEdit } from "vscode-languageserver";
import { toLspDiagnostic, toLspRange, touches } from "./convert.js";
import type { Analysis } from "./documents.js";

const NEEDS_TOTAL = new Set(["A105", "A217"]);

/** True when the client's `only` filter lets actions of `kind` through. */
function wanted(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => k === kind || kind.startsWith(`${k}.`));
}

export function codeActions(a: Analysis, range: Range, only?: string[]): CodeAction[] {
  const out: CodeAction[] = [];
  // Asked for by kind (as an editor does on save), fix-all comes whenever it has something
  // to do; unasked, only beside a fixable diagnostic and when it does more than that one fix.
  const explicit = only?.some((k) => CodeActionKind.SourceFixAll === k || CodeActionKind.SourceFixAll.startsWith(`${k}.`)) ?? false;
  const all = wanted(only, CodeActionKind.SourceFixAll) ? fixAll(a) : undefined;
  const offerAll = all && (explicit || (all.diagnostics!.length > 1 && a.result.diagnostics.some((d) => d.fixes?.length === 1 && touches(d.range, range))));
  if (!wanted(only, CodeActionKind.QuickFix)) return offerAll ? [all] : [];
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
  if (offerAll) out.push(all);
  return out;
}

/**
 * "Fix all": every diagnostic whose compiler fix is the only one offered (so there is no
 * choice to make), in file order, skipping any fix whose edits overlap an earlier one's.
 * Offered when at least one such fix exists.
 */
function fixAll(a: Analysis): CodeAction | undefined {
  const edits: TextEdit[] = [];
  const taken: Range[] = [];
  const fixed: Diagnostic[] = [];
  const sorted = [...a.result.diagnostics].sort((x, y) => x.range.start - y.range.start);
  for (const d of sorted) {
    if (d.fixes?.length !== 1) continue;
    const f = d.fixes[0]!;
    if (f.edits.some((e) => taken.some((t) => e.range.start < t.end && t.start < e.range.end) || taken.some((t) => t.start === e.range.start && t.end === e.range.end))) continue;
    for (const e of f.edits) {
      taken.push(e.range);
      edits.push({ range: toLspRange(a.lines, e.range), newText: e.newText });
    }
    fixed.push(d);
  }
  if (fixed.length === 0) return undefined;
  return {
    title: `Fix all: apply ${fixed.length} fix${fixed.length === 1 ? "" : "es"} (${[...new Set(fixed.map((d) => d.code))].join(", ")})`,
    kind: CodeActionKind.SourceFixAll,
    diagnostics: fixed.map((d) => toLspDiagnostic(d, a.lines, a.uri)),
    edit: { changes: { [a.uri]: edits } },
  };
}

const TOTAL = "total 100k";

/** Inserts a `total` line at the top of the schedule block, or of the file for the top level. */
function addTotal(a: Analysis, d: Diagnostic): Fix | undefined {
  const block = a.result.ast.items.find((i) => i.kind === "Schedule" && i.range.start <= d.range.start && d.range.end <= i.range.end);
  // A schedule that has a `total`, however broken, gets no second one.
  const hasTotal = (items: readonly { kind: string; key?: string }[]) => items.some((i) => i.kind === "Setting" && i.key === "total");
  if (block && block.kind === "Schedule") {
    if (!block.open || hasTotal(block.body)) return undefined;
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
  if (hasTotal(a.result.ast.items)) return undefined;
  const firstTop = a.result.ast.items[0];
  const line = firstTop ? a.lines.positionAt(firstTop.range.start).line : 0;
  const at = a.lines.offsetAt({ line, character: 0 });
  return { title: `Add \`${TOTAL}\``, edits: [{ range: { start: at, end: at }, newText: `${TOTAL}\n` }] };
}
