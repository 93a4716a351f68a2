// The one place where Anneal's offsets and diagnostics become LSP's lines and characters.
//
// Anneal ranges are UTF-16 offsets into the text, LSP positions are zero-based lines and
// UTF-16 characters; `LineIndex` converts both ways and clamps, so a position past the end
// of a line or of the document reads as the nearest real one instead of failing. A client
// that negotiated UTF-8 positions gets `Utf8LineIndex`, which counts a line's bytes instead.

import { CODES } from "@anneal/compiler";
import { type Diagnostic, LineIndex, type Range } from "@anneal/dsl";
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

/** How LSP characters count: UTF-16 code units (the default) or UTF-8 bytes, as negotiated. */
export type PositionEncoding = "utf-16" | "utf-8";

/** The UTF-8 length of a UTF-16 code unit sequence, a lone surrogate counting as U+FFFD (3 bytes). */
function utf8Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * A `LineIndex` whose characters are UTF-8 bytes, for clients that negotiated UTF-8
 * positions. Offsets stay UTF-16, as everywhere in Anneal; only the character column of a
 * position is counted differently, so every feature converts through it unchanged.
 */
export class Utf8LineIndex extends LineIndex {
  override positionAt(offset: number): Position {
    const p = super.positionAt(offset);
    const start = super.offsetAt({ line: p.line, character: 0 });
    return { line: p.line, character: utf8Length(this.text, start, start + p.character) };
  }

  override offsetAt(pos: Position): number {
    const start = super.offsetAt({ line: pos.line, character: 0 });
    const end = super.offsetAt({ line: pos.line, character: Number.MAX_SAFE_INTEGER });
    if (pos.line < 0 || pos.line >= this.lineCount) return super.offsetAt(pos);
    let bytes = 0;
    let i = start;
    while (i < end) {
      const w = utf8Length(this.text, i, i + (this.isPair(i) ? 2 : 1));
      // A column inside a character's bytes lands on that character's start.
      if (bytes + w > pos.character) break;
      bytes += w;
      i += this.isPair(i) ? 2 : 1;
    }
    return i;
  }

  private isPair(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return c >= 0xd800 && c <= 0xdbff && (this.text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  }
}

/** The line index for `text` in the negotiated encoding. */
export function lineIndex(text: string, encoding: PositionEncoding = "utf-16"): LineIndex {
  return encoding === "utf-8" ? new Utf8LineIndex(text) : new LineIndex(text);
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
