// What a lint is: one module per diagnostic (or per pair of mirror-image diagnostics), with
// its check over a resolved schedule, its messages and fixes, and annotated cases that show
// what it reports. The checker records facts (`ResolvedSchedule`); lints only read them.
// Codes and severities come from the registry; a lint names its codes, never a severity.

import type { Expr } from "@anneal/dsl";
import type { ResolvedSchedule } from "../check/schedule.js";
import type { LetBinding } from "../check/values.js";
import type { Code, Reporter } from "../diagnostics/report.js";

/** The setting expressions given from outside the file, which win over or fill in its own. */
export interface OptionExprs {
  overrides: { total?: Expr; lr?: Expr };
  defaults: { total?: Expr; lr?: Expr };
}

export interface LintContext {
  schedule: ResolvedSchedule;
  report: Reporter;
  options: OptionExprs;
}

/** An annotated source (see `test/check/annotated.ts`) and, optionally, the compile options. */
export interface LintCase {
  name: string;
  source: string;
}

/** What a lint over the whole file reads: its text, every `let`, and the ones some schedule used. */
export interface FileLintContext {
  text: string;
  bindings: readonly LetBinding[];
  used: ReadonlySet<LetBinding>;
  report: Reporter;
}

/** A lint over the whole file rather than one schedule, such as unused names. */
export interface FileLint {
  name: string;
  codes: readonly Code[];
  check(cx: FileLintContext): void;
  cases: readonly LintCase[];
}

export interface Lint {
  /** A short name, used in the A000 diagnostic when the lint itself fails. */
  name: string;
  codes: readonly Code[];
  check(cx: LintContext): void;
  /**
   * Set when the lint's outcome reads the schedule's ticks outside the run-time program: it
   * does not run on a schedule whose setting has no preview value (`total ?`), where the
   * ticks are stand-ins. A lint that reports through the run-time recorder needs no flag.
   */
  readsTicks?: true;
  /** What the lint reports, and where it stays quiet; each runs as a test. */
  cases: readonly LintCase[];
}
