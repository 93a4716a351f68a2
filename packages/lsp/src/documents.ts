// The document cache: each open document is compiled once per version (and per lint and
// defaults configuration), and every feature reads that one result. A hover, the inlay hints and the
// code lenses of the same keystroke therefore share a single `compile()`. Each version also
// remembers the last good lowering of every schedule, which the features show, marked stale,
// while the schedule has errors.
//
// The text is parsed once per version, and that parse is given to compile(): tokens, the
// syntax tree, names and their references, each schedule's node all come from its result,
// and formatting reuses its parse. An edit of only whitespace or comments does not compile
// at all: the previous version's result is moved onto the new text (reuse.ts).

import { CODES, compile, type CompiledSchedule, type CompileOptions, type CompileResult, MAX_SOURCE_SIZE, type ScheduleIR } from "@anneal/compiler";
import { type LineIndex, NO_ROLES, parse, type ParseResult } from "@anneal/dsl";
import { lineIndex, type PositionEncoding } from "./convert.js";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { isPythonUri, pythonResult } from "./python.js";
import { reuseCompile } from "./reuse.js";

export type SyntaxToken = ParseResult["tokens"][number];

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
    roles: NO_ROLES,
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

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    readonly options: AnalysisOptions = {},
    encoding: PositionEncoding = "utf-16",
    previous?: Analysis,
    /** The previous version analysed with these very options, whose compile an edit of only whitespace or comments reuses. */
    reusable?: Analysis,
  ) {
    this.lines = lineIndex(text, encoding);
    this.python = isPythonUri(uri);
    // Settings name themselves as the editor shows them: `anneal.lint.A305`, `anneal.defaults.total`.
    if (text.length > MAX_DOCUMENT_CHARS) this.result = tooLarge(text);
    else if (this.python) this.result = pythonResult(text, options.lint, options.pythonLint ?? false);
    else {
      // A fault in the parser is compile()'s to report (A000), so it parses again itself then.
      let parsed: ParseResult | undefined;
      try {
        parsed = parse(text);
      } catch {
        parsed = undefined;
      }
      const reused = parsed && reusable && !reusable.python && reusable.compiled !== undefined ? reuseCompile(reusable.result, reusable.text, text, parsed) : undefined;
      this.compiled = reused === undefined;
      this.result = reused ?? compile(text, { ...options, optionNames: "settings", ...(parsed ? { parsed } : {}) });
    }
    // The last good lowering of each schedule still in the file, by name: this version's
    // own where it has one, else the one an earlier version had.
    for (const s of this.result.schedules) {
      const good = s.ir ? { ir: s.ir, version } : previous?.lastGood.get(s.name);
      if (good) this.lastGood.set(s.name, good);
    }
  }

  /**
   * Whether this version ran compile(), or moved the previous version's result over an edit
   * of only whitespace and comments (false); undefined for Python and oversized documents.
   */
  readonly compiled: boolean | undefined;

  /** Per schedule name, the IR of the newest version that lowered it, and that version. */
  readonly lastGood = new Map<string, { ir: ScheduleIR; version: number }>();

  /**
   * What the editor shows for a schedule: its IR, or while it has errors the last good one,
   * marked stale with the version it comes from, so lenses, hints, hovers and the preview
   * keep their place while the user is typing.
   */
  shown(s: CompiledSchedule): { ir: ScheduleIR; staleSince?: number } | undefined {
    if (s.ir) return { ir: s.ir };
    // A setting with no preview value is not a transient error: there is nothing to show.
    if (s.runTimeOnly) return undefined;
    const good = this.lastGood.get(s.name);
    return good ? { ir: good.ir, staleSince: good.version } : undefined;
  }

  private bySchedule: Map<object, CompiledSchedule> | undefined;

  /** The compiled schedule of a `schedule` block or of the top-level chain (its `node`). */
  scheduleOf(node: object): CompiledSchedule | undefined {
    this.bySchedule ??= new Map(this.result.schedules.map((s) => [s.node, s]));
    return this.bySchedule.get(node);
  }

}

export class DocumentCache {
  private readonly entries = new Map<string, { generation: number; analysis: Analysis }>();
  private generation = 0;
  private options: AnalysisOptions = {};
  private encoding: PositionEncoding = "utf-16";
  /** How many times compile() has run, for the tests that hold reuse to its promise. */
  compiles = 0;

  /** The analysis of a document's current version, compiling it if needed. */
  get(doc: TextDocument): Analysis {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.analysis.version === doc.version && hit.generation === this.generation) return hit.analysis;
    const same = hit && hit.generation === this.generation ? hit.analysis : undefined;
    const analysis = new Analysis(doc.uri, doc.version, doc.getText(), this.options, this.encoding, hit?.analysis, same);
    if (analysis.compiled) this.compiles++;
    this.entries.set(doc.uri, { generation: this.generation, analysis });
    return analysis;
  }

  /** New lint levels or defaults: every cached result is stale. */
  setOptions(options: AnalysisOptions): void {
    this.options = { lint: { ...options.lint }, defaults: { ...options.defaults }, pythonLint: options.pythonLint ?? false };
    this.generation++;
  }

  /** The position encoding negotiated at `initialize`. */
  setEncoding(encoding: PositionEncoding): void {
    this.encoding = encoding;
    this.generation++;
  }

  drop(uri: string): void {
    this.entries.delete(uri);
  }
}
