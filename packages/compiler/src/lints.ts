// Lints: schedules that evaluate fine but are probably not what was meant. Each lint is a
// small function over a resolved schedule; all are warnings or information, so each can be
// silenced or raised per code (`anneal.lint.A305` in the editor, `--lint A305=off` on the
// command line).

import type { Range } from "@anneal/dsl";
import { describeRate, type ResolvedPhase, type ResolvedSchedule } from "./check/schedule.js";
import { formatNumber as fmt } from "./check/values.js";
import type { Reporter } from "./diagnostics/report.js";
import { rateAt, restartCycle } from "./evaluate.js";
import type { RateValue } from "./ir.js";

type Lint = (s: ResolvedSchedule, report: Reporter) => void;

/** Compares two rates as they would be at a peak of 1 (relative) or at the real peak. */
function num(v: RateValue, s: ResolvedSchedule): number {
  return rateAt(v, s.peak ?? 1);
}

function close(x: number, y: number): boolean {
  return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}

function fromRange(p: ResolvedPhase): Range {
  const c = p.phase.clauses.find((c) => c.kind === (p.phase.type === "constant" ? "at" : "from"));
  return c?.range ?? p.phase.keywordRange;
}

const warmupLength: Lint = (s, report) => {
  if (s.total === undefined) return;
  for (const p of s.phases) {
    if (p.phase.type !== "warmup") continue;
    const len = p.end - p.start;
    if (len > s.total / 4)
      report.report(
        "A305",
        p.phase.duration?.range ?? p.phase.keywordRange,
        `this warmup takes ${fmt(len)} of ${fmt(s.total)} ${s.clock} (${fmt((100 * len) / s.total)}%); warmups usually take 1-10% of training`,
      );
  }
};

const direction: Lint = (s, report) => {
  for (const p of s.phases) {
    const a = num(p.from, s);
    const b = num(p.endValue, s);
    const kind = p.shape.kind;
    if (p.phase.type === "warmup") {
      if (b < a && !close(a, b))
        report.report("A307", p.phase.keywordRange, `this warmup goes down, from ${describeRate(p.from, s.peak)} to ${describeRate(p.endValue, s.peak)}; a falling phase is a decay such as \`linear\` or \`cosine\``);
      continue;
    }
    if (kind === "constant" || kind === "step" || kind === "multistep" || kind === "restarts") continue;
    if (b > a && !close(a, b)) {
      const toClause = p.phase.clauses.find((c) => c.kind === "to" || c.kind === "gamma");
      report.report(
        "A306",
        toClause?.range ?? p.phase.keywordRange,
        `this \`${p.phase.keyword}\` goes up, from ${describeRate(p.from, s.peak)} to ${describeRate(p.endValue, s.peak)}; to rise on purpose use \`warmup\``,
      );
    }
  }
};

const jumps: Lint = (s, report) => {
  for (const p of s.phases) {
    if (!p.explicitFrom || !p.previousEnd) continue;
    const a = num(p.from, s);
    const prev = num(p.previousEnd, s);
    if (close(a, prev)) continue;
    const r = fromRange(p);
    report.report(
      "A308",
      r,
      `the rate jumps from ${describeRate(p.previousEnd, s.peak)} to ${describeRate(p.from, s.peak)} here; remove this \`${p.phase.type === "constant" ? "at" : "from"}\` to continue from the previous phase`,
      { fixes: [{ title: "Continue from the previous phase", edits: [{ range: r, newText: "" }] }] },
    );
  }
};

const restartsCut: Lint = (s, report) => {
  for (const p of s.phases) {
    if (p.shape.kind !== "restarts") continue;
    const { period, mult } = p.shape;
    const len = p.end - p.start;
    if (period > len) continue; // A310 already says so.
    const c = restartCycle(len, period, mult);
    if (c.start === len) continue;
    // With `limit N` the phase holds at `to` once N cycles have run.
    if (p.shape.limit !== undefined && c.k >= p.shape.limit) continue;
    // What the schedule holds past the phase: its left limit at the end, which is where
    // the last cycle is cut (a cycle can also open between the last tick and the end).
    const stopsAt = rateAt(p.endValue, s.peak ?? 1);
    const rc = p.phase.clauses.find((x) => x.kind === "restart");
    const every = rc && rc.kind === "restart" ? rc.every : undefined;
    const fixes = [];
    if (mult === 1 && every) {
      const better = nearestDivisor(len, period);
      if (better !== undefined && better !== period)
        fixes.push({ title: `Restart every ${better} (divides the phase's ${len})`, edits: [{ range: every.range, newText: String(better) }] });
    }
    report.report(
      "A309",
      every?.range ?? p.phase.keywordRange,
      `the phase ends ${fmt(len - c.start)} ${s.clock} into a cycle of ${fmt(c.len)}, so the schedule stops at ${fmt(stopsAt)}${s.peak === undefined ? " × the peak" : ""} instead of annealing to ${describeRate(p.to, s.peak)}`,
      { fixes },
    );
  }
};

function nearestDivisor(n: number, near: number): number | undefined {
  if (n > 1e12) return undefined;
  let best: number | undefined;
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    for (const x of [d, n / d]) if (best === undefined || Math.abs(x - near) < Math.abs(best - near)) best = x;
  }
  return best;
}

export const LINTS: Lint[] = [warmupLength, direction, jumps, restartsCut];

export function runLints(s: ResolvedSchedule, report: Reporter): void {
  for (const lint of LINTS) {
    try {
      lint(s, report);
    } catch {
      // A lint is advice: one that trips over an unexpected schedule must not take the
      // compile down with it. The schedule's own diagnostics are unaffected.
    }
  }
}
