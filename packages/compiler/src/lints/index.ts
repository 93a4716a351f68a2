// Every lint, in the order they run. A lint is advice over a schedule that already lowered
// without errors; one that throws must not take the compile down, and must not vanish
// either: it becomes A000 naming the lint, and the other lints still run.

import type { ResolvedSchedule } from "../check/schedule.js";
import type { Reporter } from "../diagnostics/report.js";
import { absoluteInRelative } from "./absolute-in-relative.js";
import { bareDuration } from "./bare-duration.js";
import { cycleDecayGrows } from "./cycle-decay-grows.js";
import { decayRises } from "./decay-rises.js";
import { epochClock } from "./epoch-clock.js";
import { highPeak } from "./high-peak.js";
import { holdAtEnd } from "./hold-at-end.js";
import { jump } from "./jump.js";
import { lateMilestone } from "./late-milestone.js";
import type { FileLint, FileLintContext, Lint, OptionExprs } from "./lint.js";
import { invisibleCharacters } from "./invisible-characters.js";
import { restartCut } from "./restart-cut.js";
import { roundedDuration } from "./rounded-duration.js";
import { restartTooLong } from "./restart-too-long.js";
import { stepGrows } from "./step-grows.js";
import { warmupFalls } from "./warmup-falls.js";
import { warmupLength } from "./warmup-length.js";

import { unusedName } from "./unused-name.js";

export type { FileLint, Lint, LintCase, OptionExprs } from "./lint.js";

export const LINTS: readonly Lint[] = [
  roundedDuration,
  holdAtEnd,
  stepGrows,
  highPeak,
  warmupLength,
  decayRises,
  warmupFalls,
  jump,
  restartCut,
  restartTooLong,
  lateMilestone,
  bareDuration,
  cycleDecayGrows,
  absoluteInRelative,
  epochClock,
];

/** Lints over the whole file, run once after every schedule. */
export const FILE_LINTS: readonly FileLint[] = [unusedName, invisibleCharacters];

/** A lint's failure, reported as A000 naming it. */
function internal(report: FileLintContext["report"], lint: { name: string; codes: readonly string[] }, at: { start: number; end: number }, e: unknown): void {
  report.report(
    "A000",
    at,
    `internal error in the lint \`${lint.name}\` (${lint.codes.join(", ")}): ${(e as Error)?.message ?? String(e)}; the schedule itself is unaffected, please report this file`,
  );
}

export function runFileLints(cx: FileLintContext, lints: readonly FileLint[] = FILE_LINTS): void {
  for (const lint of lints) {
    try {
      lint.check(cx);
    } catch (e) {
      internal(cx.report, lint, { start: 0, end: 0 }, e);
    }
  }
}

export function runLints(schedule: ResolvedSchedule, report: Reporter, options: OptionExprs = { overrides: {}, defaults: {} }, lints: readonly Lint[] = LINTS): void {
  // One context for every lint of the schedule, not one per lint.
  const cx = { schedule, report, options };
  for (const lint of lints) {
    try {
      lint.check(cx);
    } catch (e) {
      internal(report, lint, schedule.source.nameRange, e);
    }
  }
}
