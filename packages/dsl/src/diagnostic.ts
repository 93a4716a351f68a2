// The one diagnostic shape every stage reports through. Plain data with offsets into the
// source text: the CLI renders it with a caret underline, the language server converts it
// to LSP once, and tests compare it directly.

/** A half-open range of UTF-16 offsets into the source text. */
export interface Range {
  start: number;
  end: number;
}

export type Severity = "error" | "warning" | "info" | "hint";

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix a tool can apply: one or more edits to the same document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedInfo {
  message: string;
  range: Range;
}

export interface Diagnostic {
  /** Stable code from the registry (`docs/diagnostics.md`), such as A201. */
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedInfo[];
  /**
   * Set when the problem is in a value given outside the file, such as a command-line flag
   * (`--total 10q`) or an editor setting (`anneal.defaults.total`): `range` is then empty at
   * the file's start, and `origin.range` is the exact place in the option's own text.
   */
  origin?: { option: string; text: string; range: Range };
}

/**
 * The kinds of problem the front end finds while lexing and parsing. The front end names
 * its problems; the compiler's registry (packages/compiler/src/diagnostics/registry.ts)
 * gives each kind its stable code, severity and documentation, so that no code or severity
 * is written twice. Every syntax problem stops the file from being formatted.
 */
export const SYNTAX_PROBLEMS = ["unexpected-character", "syntax", "unexpected-end", "lowercase-m", "unit-not-allowed", "repeated-clause", "too-many-errors"] as const;
export type SyntaxProblem = (typeof SYNTAX_PROBLEMS)[number];

/** A problem found while lexing or parsing, before the registry gives it a code and a severity. */
export interface SyntaxDiagnostic {
  problem: SyntaxProblem;
  message: string;
  range: Range;
  fixes?: Fix[];
}

/** Zero-based line and UTF-16 column. */
export interface Position {
  line: number;
  character: number;
}

/** Converts between offsets and line/column positions of one text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  get lineCount(): number {
    return this.starts.length;
  }
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line]!;
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1]! : this.text.length;
    let lineEnd = next;
    while (lineEnd > start && (this.text.charCodeAt(lineEnd - 1) === 10 || this.text.charCodeAt(lineEnd - 1) === 13)) lineEnd--;
    return Math.max(start, Math.min(start + Math.max(0, pos.character), lineEnd));
  }
  /** The text of line `line` without its line break. */
  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const end = this.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
    return this.text.slice(start, end);
  }
}
