// Inlay hints: what each duration resolves to (`4%` -> `= 4,000 steps`), the rate at each
// phase boundary (before its `->`), the same for each hyperparameter chain (`momentum 0.85`,
// and at the chain's end its own sparkline, first and final value), and at the end of each
// schedule a sparkline of the
// whole curve with its peak and final rate (`⡞⠉⠉⠙⠒⠦⠤⣀ 3e-4 → 1e-6`), recomputed with every
// version of the document (the last good one, marked stale, while the schedule has errors).
// Only the schedules the requested range touches are computed.

import { type CompiledSchedule, type HyperParam, paramSchedule, type ScheduleIR, segmentEnd } from "@anneal/compiler";
import type { Expr, PhaseChain, Range } from "@anneal/dsl";
import { type InlayHint, InlayHintKind } from "vscode-languageserver";
import { touches, toPosition } from "./convert.js";
import type { Analysis } from "./documents.js";
import { count, paramSparkLabel, rate, sparkLabel, ticks, totalText } from "./summary.js";

export function inlayHints(a: Analysis, within: Range): InlayHint[] {
  const hints: { offset: number; hint: InlayHint }[] = [];
  const add = (offset: number, hint: Omit<InlayHint, "position">) => {
    if (offset >= within.start && offset <= within.end) hints.push({ offset, hint: { position: toPosition(a.lines, offset), ...hint } });
  };
  const seen = new Set<string>();
  // Only the schedules the requested range touches are looked at, and each is looked at
  // once: an editor asks for the visible lines of a file of thousands of schedules.
  for (const s of a.result.schedules) {
    if (!touches(s.range, within)) continue;
    const clock = s.clock;
    const ownUnit = new Set(s.phases.flatMap((p) => (saysItself(s, p.phase.duration) ? [`${p.phase.duration!.range.start}:${p.phase.duration!.range.end}`] : [])));
    for (const d of s.durations) {
      const key = `${d.range.start}:${d.range.end}`;
      if (d.bare || seen.has(key) || ownUnit.has(key) || !touches(d.range, within)) continue;
      seen.add(key);
      add(d.range.end, { label: `= ${ticks(d.ticks, clock)}`, kind: InlayHintKind.Type, paddingLeft: true });
    }
    boundaryHints(s, add);
    const shown = a.shown(s);
    paramHints(a, s, shown, add);
    if (shown) {
      const stale = shown.staleSince !== undefined;
      add(s.range.end, {
        label: `${sparkLabel(shown.ir)}${stale ? " (stale)" : ""}`,
        paddingLeft: true,
        tooltip: `${s.name === "default" ? "schedule" : s.name}: ${totalText(shown.ir)}, peak and final rate${stale ? `, as of version ${shown.staleSince}: the schedule has errors now` : ""}`,
      });
    }
  }
  hints.sort((x, y) => x.offset - y.offset);
  return hints.map((h) => h.hint);
}

/** True for a duration written in the clock's own unit (`2k steps` on a step clock): its hint would repeat it. */
function saysItself(s: CompiledSchedule, e: Expr | undefined): boolean {
  return e?.kind === "Quantity" && e.value.kind === "Number" && e.unit === s.ir?.clock;
}

/** The rate where one phase hands over to the next, just before the `->` between them. */
function boundaryHints(s: CompiledSchedule, add: (offset: number, hint: Omit<InlayHint, "position">) => void): void {
  const first = s.phases[0]?.phase;
  if (!first) return;
  // The chain the schedule lowered: its node itself, or the block's chain holding its phases.
  const chain = s.node.kind === "Chain" ? s.node : s.node.chains.find((c) => c.phases.includes(first));
  if (!chain) return;
  const peak = s.ir?.peak;
  const byIndex = new Map(s.phases.map((p) => [p.index, p]));
  for (const [i, arrow] of chain.arrows.entries()) {
    const before = byIndex.get(i);
    const after = byIndex.get(i + 1);
    if (!before || !after) continue;
    const end = rate(before.endValue, peak);
    const start = rate(after.from, peak);
    const label = end === start ? `lr ${start}` : `lr ${end} ⇒ ${start}`;
    add(arrow.start, {
      label,
      kind: InlayHintKind.Parameter,
      paddingRight: true,
      tooltip: `the rate at ${s.ir?.clock === "epochs" ? "epoch" : "step"} ${count(after.start)}, where \`${after.phase.keyword}\` begins`,
    });
  }
}

/** The hyperparameter chains (`momentum: ...`) of a schedule: its block's, or the file's top-level ones for the default schedule. */
function paramChains(a: Analysis, s: CompiledSchedule): (PhaseChain & { target: { name: HyperParam } })[] {
  const chains = s.node.kind === "Schedule" ? s.node.chains : a.result.ast.items.filter((i): i is PhaseChain => i.kind === "Chain");
  return chains.filter((c): c is PhaseChain & { target: { name: HyperParam } } => c.target !== undefined && c.target.name !== "lr");
}

/**
 * A hyperparameter chain's hints, as the rate's: its value where one phase hands over to
 * the next (from this version's lowering, so they sit on this version's arrows), and at the
 * chain's end its sparkline with its first and final value (the last good lowering's,
 * marked stale, while the schedule has errors).
 */
function paramHints(
  a: Analysis,
  s: CompiledSchedule,
  shown: { ir: ScheduleIR; staleSince?: number } | undefined,
  add: (offset: number, hint: Omit<InlayHint, "position">) => void,
): void {
  for (const chain of paramChains(a, s)) {
    const name = chain.target.name;
    const segments = s.ir?.params?.[name]?.segments ?? [];
    for (const [i, arrow] of chain.arrows.entries()) {
      // The segments of phase i end where phase i + 1's begin; a fill the checker appends has index -1.
      const before = segments.filter((g) => g.phaseIndex === i).at(-1);
      const after = segments.find((g) => g.phaseIndex === i + 1);
      if (!before || !after) continue;
      const end = rate(segmentEnd(before), 1);
      const start = rate(after.from, 1);
      add(arrow.start, {
        label: end === start ? `${name} ${start}` : `${name} ${end} ⇒ ${start}`,
        kind: InlayHintKind.Parameter,
        paddingRight: true,
        tooltip: `${name} at ${s.ir?.clock === "epochs" ? "epoch" : "step"} ${count(after.start)}, where \`${after.phase}\` begins`,
      });
    }
    const p = shown && paramSchedule(shown.ir, name);
    if (p) {
      const stale = shown.staleSince !== undefined;
      add(chain.range.end, {
        label: `${name} ${paramSparkLabel(p)}${stale ? " (stale)" : ""}`,
        paddingLeft: true,
        tooltip: `${name}: its first value and the one it holds from \`total\` on${stale ? `, as of version ${shown.staleSince}: the schedule has errors now` : ""}`,
      });
    }
  }
}
