// Collects diagnostics for one compile, with the registry's default severity, and applies
// the user's lint levels at the end. Errors keep their severity whatever the configuration
// says: a schedule that cannot be evaluated must not be silenced into looking fine.
//
// Options are their own source. A value given outside the file (`--total 10q`,
// `anneal.defaults.total`) is parsed into offsets placed after the file's text, one option
// after another, so every stage reports on it exactly as on the file; `finishDiagnostics`
// then moves such a diagnostic onto its option (`Diagnostic.origin`).

import type { Diagnostic, Fix, Range, RelatedInfo, Severity, SyntaxDiagnostic, SyntaxProblem } from "@anneal/dsl";
import { CODES, type CodeInfo } from "./registry.js";
import { closest } from "./suggest.js";

export type LintLevel = "off" | "hint" | "info" | "warning" | "error";

export const LINT_LEVELS: readonly LintLevel[] = ["off", "hint", "info", "warning", "error"];

export type Code = keyof typeof CODES;

/** The code the registry gives each of the front end's problems. */
const SYNTAX_CODES = new Map<SyntaxProblem, Code>(
  Object.values(CODES as Record<string, CodeInfo>).flatMap((c) => (c.syntax ? [[c.syntax, c.code as Code] as const] : [])),
);

/** The registry's code for a syntax problem (A000 for one the registry does not know). */
export function syntaxCode(problem: SyntaxProblem): Code {
  return SYNTAX_CODES.get(problem) ?? "A000";
}

/** A syntax problem as a diagnostic, with its code and severity from the registry. */
export function syntaxDiagnostic(d: SyntaxDiagnostic): Diagnostic {
  const code = syntaxCode(d.problem);
  return { code, severity: CODES[code].severity, message: d.message, range: d.range, ...(d.fixes ? { fixes: d.fixes } : {}) };
}

/** One option's text in the shared offset space. */
export interface OptionSource {
  /** How the user wrote the option's name: `--total`, `anneal.defaults.lr`, `--lint`. */
  option: string;
  text: string;
  /** Where `text` starts in the shared offset space. */
  start: number;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  readonly options: OptionSource[] = [];
  /** Where the options' offsets begin: just past the file's text. */
  private nextOption: number;
  /** Misspelled keywords found by the checker; later errors on their line are consequences. */
  readonly keywordTypos: Range[] = [];

  constructor(readonly textLength = 0) {
    this.nextOption = textLength + 1;
  }

  report(code: Code, range: Range, message: string, extra?: { fixes?: Fix[]; related?: RelatedInfo[] }): void {
    const info: CodeInfo = CODES[code];
    this.diagnostics.push({
      code,
      severity: info.severity,
      message,
      range,
      ...(extra?.fixes && extra.fixes.length > 0 ? { fixes: extra.fixes } : {}),
      ...(extra?.related && extra.related.length > 0 ? { related: extra.related } : {}),
    });
  }

  /** A problem the front end found, with the code and severity the registry gives it. */
  syntax(d: SyntaxDiagnostic): void {
    this.report(syntaxCode(d.problem), d.range, d.message, d.fixes ? { fixes: d.fixes } : undefined);
  }

  /** Places an option's text in the shared offset space; returns where it starts. */
  addOption(option: string, text: string): number {
    const start = this.nextOption;
    this.options.push({ option, text, start });
    this.nextOption = start + text.length + 1;
    return start;
  }

  /** Whether a range lies in an option's text rather than in the file. */
  inOption(r: Range): boolean {
    return r.start > this.textLength;
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }
}

/** What is wrong with a lint configuration entry, or undefined when it is fine. */
export function lintLevelProblem(code: string, level: string): string | undefined {
  if (!Object.hasOwn(CODES, code)) {
    const near = closest(code, Object.keys(CODES));
    return `there is no diagnostic ${code}${near ? `; did you mean ${near}?` : ""} (the codes are listed in docs/diagnostics.md)`;
  }
  if (!(LINT_LEVELS as readonly string[]).includes(level)) return `\`${level}\` is not a level; use off, hint, info, warning or error`;
  if (CODES[code as Code].severity === "error" && level !== "error")
    return `${code} is an error, and errors cannot be ${level === "off" ? "silenced" : "lowered"}: a schedule with an error cannot be evaluated`;
  return undefined;
}

/**
 * Removes exact repeats (a top-level `let` checked once per schedule reports its problem
 * once), moves diagnostics on options onto their option, applies lint levels, and sorts by
 * position.
 */
export function finishDiagnostics(all: Diagnostic[], levels: Record<string, LintLevel> | undefined, report?: Reporter): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const raw of all) {
    const key = `${raw.code}|${raw.range.start}|${raw.range.end}|${raw.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const d = report && report.options.length > 0 ? locateOnOption(raw, report) : raw;
    // A level that is not one (reported as A114) changes nothing.
    const level = levels && Object.hasOwn(levels, d.code) && LINT_LEVELS.includes(levels[d.code]!) ? levels[d.code] : undefined;
    if (level !== undefined && d.severity !== "error") {
      if (level === "off") continue;
      out.push({ ...d, severity: level as Severity });
    } else {
      out.push(d);
    }
  }
  out.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return out;
}

function locateOnOption(d: Diagnostic, report: Reporter): Diagnostic {
  const inFile = (r: Range) => !report.inOption(r);
  // A fix can only edit the file; one that would edit an option is not offered.
  const fixes = d.fixes?.filter((f) => f.edits.every((e) => inFile(e.range)));
  const related = d.related?.filter((r) => inFile(r.range));
  const out: Diagnostic = { ...d };
  if (fixes && fixes.length > 0) out.fixes = fixes;
  else delete out.fixes;
  if (related && related.length > 0) out.related = related;
  else delete out.related;
  if (inFile(d.range)) return out;
  const o = [...report.options].reverse().find((x) => d.range.start >= x.start);
  if (!o) return out;
  const start = Math.min(d.range.start - o.start, o.text.length);
  const end = Math.max(start, Math.min(d.range.end - o.start, o.text.length));
  return { ...out, range: { start: 0, end: 0 }, origin: { option: o.option, text: o.text, range: { start, end } } };
}
