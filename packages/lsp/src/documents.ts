// The document cache: each open document is compiled once per version (and per lint and
// defaults configuration), and every feature reads that one result. A hover, the inlay hints and the
// code lenses of the same keystroke therefore share a single `compile()`.
//
// The syntax tokens for semantic highlighting come from a second, lazy `parse()` of the
// same text, made at most once per version and only when a client asks for them.

import { CODES, compile, type CompileOptions, type CompileResult, MAX_SOURCE_SIZE } from "@anneal/compiler";
import { LineIndex, parse } from "@anneal/dsl";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { isPythonUri, pythonResult } from "./python.js";

export type SyntaxToken = ReturnType<typeof parse>["tokens"][number];

/**
 * The largest document the server compiles, in UTF-16 units: the `anneal` command's limit.
 * The server lives as long as the editor, so a larger document gets one diagnostic (A006)
 * instead of gigabytes of heap.
 */
export const MAX_DOCUMENT_CHARS = MAX_SOURCE_SIZE;

function tooLarge(text: string): CompileResult {
  const ast = { kind: "File" as const, range: { start: 0, end: text.length }, items: [], comments: [] };
  return {
    ast,
    parsed: { ast, diagnostics: [], tokens: [] },
    tokens: [],
    names: [],
    unresolvedNames: [],
    diagnostics: [
      {
        code: "A006",
        severity: CODES.A006.severity,
        message: `this document has ${text.length.toLocaleString("en-US")} characters, more than the ${MAX_DOCUMENT_CHARS.toLocaleString("en-US")} Anneal analyses; split it into smaller files`,
        range: { start: 0, end: 0 },
      },
    ],
    schedules: [],
    hasErrors: true,
  };
}

/** What a document is analysed with: `compile()`'s options, and whether Python documents are linted. */
export type AnalysisOptions = Pick<CompileOptions, "lint" | "defaults"> & { pythonLint?: boolean };

/** Everything the features know about one version of one document. */
export class Analysis {
  readonly lines: LineIndex;
  readonly result: CompileResult;
  /** A Python training script: only diagnostics (when enabled) and code actions apply. */
  readonly python: boolean;
  private syntaxTokens: SyntaxToken[] | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    options: AnalysisOptions = {},
  ) {
    this.lines = new LineIndex(text);
    this.python = isPythonUri(uri);
    // Settings name themselves as the editor shows them: `anneal.lint.A305`, `anneal.defaults.total`.
    if (text.length > MAX_DOCUMENT_CHARS) this.result = tooLarge(text);
    else this.result = this.python ? pythonResult(text, options.lint, options.pythonLint ?? false) : compile(text, { ...options, optionNames: "settings" });
  }

  /** The lexer's tokens, comments excluded (they are in `result.ast.comments`). */
  tokens(): SyntaxToken[] {
    this.syntaxTokens ??= this.text.length > MAX_DOCUMENT_CHARS || this.python ? [] : parse(this.text).tokens;
    return this.syntaxTokens;
  }
}

export class DocumentCache {
  private readonly entries = new Map<string, { generation: number; analysis: Analysis }>();
  private generation = 0;
  private options: AnalysisOptions = {};

  /** The analysis of a document's current version, compiling it if needed. */
  get(doc: TextDocument): Analysis {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.analysis.version === doc.version && hit.generation === this.generation) return hit.analysis;
    const analysis = new Analysis(doc.uri, doc.version, doc.getText(), this.options);
    this.entries.set(doc.uri, { generation: this.generation, analysis });
    return analysis;
  }

  /** New lint levels or defaults: every cached result is stale. */
  setOptions(options: AnalysisOptions): void {
    this.options = { lint: { ...options.lint }, defaults: { ...options.defaults }, pythonLint: options.pythonLint ?? false };
    this.generation++;
  }

  drop(uri: string): void {
    this.entries.delete(uri);
  }
}
