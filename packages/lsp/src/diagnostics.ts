// Diagnostics: every diagnostic `compile()` reports, converted once (convert.ts) and pushed
// with `textDocument/publishDiagnostics`. A newly opened document is published at once;
// edits are debounced, so a burst of keystrokes compiles once, after the typing pauses. At
// most MAX_PUBLISHED are published per document, then one A007 that counts the rest.

import { CODES, formatNumber } from "@anneal/compiler";
import type { Diagnostic } from "@anneal/dsl";
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { toLspDiagnostic } from "./convert.js";
import type { Analysis } from "./documents.js";
import type { Logger } from "./guard.js";

export const DEBOUNCE_MS = 150;

/**
 * The most diagnostics published for one document. A file of stray tokens can have one per
 * token; past this many an editor slows down and a person stops reading, so the first ones
 * in the file are published and then one A007 that counts the rest.
 */
export const MAX_PUBLISHED = 1000;

export function lspDiagnostics(a: Analysis): LspDiagnostic[] {
  const all = a.result.diagnostics;
  if (all.length <= MAX_PUBLISHED) return all.map((d) => toLspDiagnostic(d, a.lines, a.uri));
  const ordered = all.map((d, i) => ({ d, i })).sort((x, y) => x.d.range.start - y.d.range.start || x.i - y.i);
  const shown = ordered.slice(0, MAX_PUBLISHED).map(({ d }) => toLspDiagnostic(d, a.lines, a.uri));
  const hidden = ordered.slice(MAX_PUBLISHED).map(({ d }) => d);
  const by = new Map<Diagnostic["severity"], number>();
  for (const d of hidden) by.set(d.severity, (by.get(d.severity) ?? 0) + 1);
  const words = (["error", "warning", "info", "hint"] as const).flatMap((s) => {
    const n = by.get(s);
    return n ? [`${formatNumber(n)} ${s === "info" ? "note" : s}${n === 1 ? "" : "s"}`] : [];
  });
  const first = hidden[0]!;
  const summary: Diagnostic = {
    code: "A007",
    severity: CODES.A007.severity,
    message: `${formatNumber(hidden.length)} more problems from here on are not shown (${words.join(", ")}); the first ${formatNumber(MAX_PUBLISHED)} are, so fix those first, or run \`anneal check\` to see every one`,
    range: { start: first.range.start, end: first.range.start },
  };
  shown.push(toLspDiagnostic(summary, a.lines, a.uri));
  return shown;
}

export interface PublishTarget {
  /** The analysis of the document's current version, or undefined once it is closed. */
  analyze(uri: string): Analysis | undefined;
  send(uri: string, version: number | undefined, diagnostics: LspDiagnostic[]): void;
}

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The version last published per document, so an open is not published twice. */
  private readonly published = new Map<string, number>();

  constructor(
    private readonly target: PublishTarget,
    private readonly log: Logger,
    private readonly delayMs = DEBOUNCE_MS,
  ) {}

  /**
   * Publishes now (a document was opened, or the settings changed). With `force` false,
   * a version that has been published already is left alone.
   */
  publishNow(uri: string, force = true): void {
    this.cancel(uri);
    try {
      const a = this.target.analyze(uri);
      if (!a || (!force && this.published.get(uri) === a.version)) return;
      this.published.set(uri, a.version);
      this.target.send(uri, a.version, lspDiagnostics(a));
    } catch (e) {
      this.log.error(`publishing diagnostics for ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Publishes after the debounce delay, unless this version has been published already. */
  changed(uri: string, version: number): void {
    if (this.published.get(uri) === version) return;
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publishNow(uri, false);
      }, this.delayMs),
    );
  }

  /** Clears a closed document's diagnostics. */
  closed(uri: string): void {
    this.cancel(uri);
    this.published.delete(uri);
    this.target.send(uri, undefined, []);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(uri);
  }
}
