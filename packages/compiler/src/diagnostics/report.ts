// Collects diagnostics for one compile, with the registry's default severity, and applies
// the user's lint levels at the end. Errors keep their severity whatever the configuration
// says: a schedule that cannot be evaluated must not be silenced into looking fine.

import type { Diagnostic, Fix, Range, RelatedInfo, Severity } from "@anneal/dsl";
import { CODES, type CodeInfo } from "./registry.js";

export type LintLevel = "off" | "hint" | "info" | "warning" | "error";

export type Code = keyof typeof CODES;

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

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

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }
}

/**
 * Removes exact repeats (a top-level `let` checked once per schedule reports its problem
 * once), applies lint levels, and sorts by position.
 */
export function finishDiagnostics(all: Diagnostic[], levels: Record<string, LintLevel> | undefined): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of all) {
    const key = `${d.code}|${d.range.start}|${d.range.end}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const level = levels?.[d.code];
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
