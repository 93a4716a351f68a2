// The one place where Anneal's offsets and diagnostics become LSP's lines and characters.
//
// Anneal ranges are UTF-16 offsets into the text, LSP positions are zero-based lines and
// UTF-16 characters; `LineIndex` converts both ways and clamps, so a position past the end
// of a line or of the document reads as the nearest real one instead of failing.

import { CODES } from "@anneal/compiler";
import type { Diagnostic, LineIndex, Range } from "@anneal/dsl";
import {
  type Diagnostic as LspDiagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type Position,
  type Range as LspRange,
} from "vscode-languageserver";

/** Where each code is documented; the anchors are the lowercase codes of docs/diagnostics.md. */
export const DIAGNOSTICS_DOC = "https://github.com/anneal-lang/anneal/blob/main/docs/diagnostics.md";

export function docLink(code: string): string {
  return `${DIAGNOSTICS_DOC}#${code.toLowerCase()}`;
}

export function toPosition(lines: LineIndex, offset: number): Position {
  return lines.positionAt(offset);
}

export function toLspRange(lines: LineIndex, r: Range): LspRange {
  return { start: lines.positionAt(r.start), end: lines.positionAt(r.end) };
}

/** The offset of an LSP position; positions outside the text clamp to it. */
export function toOffset(lines: LineIndex, p: Position | undefined): number {
  if (!p || !Number.isFinite(p.line) || !Number.isFinite(p.character)) return 0;
  return lines.offsetAt({ line: Math.trunc(p.line), character: Math.trunc(p.character) });
}

export function toOffsetRange(lines: LineIndex, r: LspRange | undefined): Range {
  const start = toOffset(lines, r?.start);
  const end = toOffset(lines, r?.end);
  return { start: Math.min(start, end), end: Math.max(start, end) };
}

const SEVERITY: Record<Diagnostic["severity"], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Codes whose range is text that does nothing, which editors draw faded. */
const UNNECESSARY = new Set(["A313"]);

export function toLspDiagnostic(d: Diagnostic, lines: LineIndex, uri: string): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toLspRange(lines, d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "anneal",
    // A problem in a setting sits at the document's start, so the message names the setting.
    message: d.origin ? `${d.origin.option}: ${d.message}` : d.message,
  };
  if (d.code in CODES) out.codeDescription = { href: docLink(d.code) };
  if (UNNECESSARY.has(d.code)) out.tags = [DiagnosticTag.Unnecessary];
  if (d.related && d.related.length > 0)
    out.relatedInformation = d.related.map((r) => ({ message: r.message, location: { uri, range: toLspRange(lines, r.range) } }));
  return out;
}

/** True when two offset ranges overlap or touch (an empty range touches what it sits on). */
export function touches(a: Range, b: Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function contains(r: Range, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}
