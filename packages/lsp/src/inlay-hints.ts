// Inlay hints: what each duration resolves to (`4%` -> `= 4,000 steps`), the rate at each
// phase boundary (before its `->`), and at the end of each schedule a sparkline of the
// whole curve with its peak and final rate (`▁▅█▇▆▄▂▁ 3e-4 → 1e-6`), recomputed with every
// version of the document.

import type { CompiledSchedule } from "@anneal/compiler";
import type { Range } from "@anneal/dsl";
import { type InlayHint, InlayHintKind } from "vscode-languageserver";
import { toPosition } from "./convert.js";
import type { Analysis } from "./documents.js";
import { count, rate, sparkLabel, ticks, totalText } from "./summary.js";
import { chains } from "./syntax.js";

export function inlayHints(a: Analysis, within: Range): InlayHint[] {
  const hints: { offset: number; hint: InlayHint }[] = [];
  const add = (offset: number, hint: Omit<InlayHint, "position">) => {
    if (offset >= within.start && offset <= within.end) hints.push({ offset, hint: { position: toPosition(a.lines, offset), ...hint } });
  };
  const seen = new Set<string>();
  for (const s of a.result.schedules) {
    const clock = s.clock;
    for (const d of s.durations) {
      const key = `${d.range.start}:${d.range.end}`;
      if (d.bare || seen.has(key) || saysItself(a, s, d.range)) continue;
      seen.add(key);
      add(d.range.end, { label: `= ${ticks(d.ticks, clock)}`, kind: InlayHintKind.Type, paddingLeft: true });
    }
    boundaryHints(a, s, add);
    if (s.ir) add(s.range.end, { label: sparkLabel(s.ir), paddingLeft: true, tooltip: `${s.name === "default" ? "schedule" : s.name}: ${totalText(s.ir)}, peak and final rate` });
  }
  hints.sort((x, y) => x.offset - y.offset);
  return hints.map((h) => h.hint);
}

/** True for a duration written in the clock's own unit (`2k steps` on a step clock): its hint would repeat it. */
function saysItself(a: Analysis, s: CompiledSchedule, r: Range): boolean {
  const ph = s.phases.find((p) => p.phase.duration?.range.start === r.start && p.phase.duration.range.end === r.end);
  const e = ph?.phase.duration;
  return e?.kind === "Quantity" && e.value.kind === "Number" && e.unit === s.ir?.clock;
}

/** The rate where one phase hands over to the next, just before the `->` between them. */
function boundaryHints(a: Analysis, s: CompiledSchedule, add: (offset: number, hint: Omit<InlayHint, "position">) => void): void {
  const first = s.phases[0]?.phase;
  if (!first) return;
  const chain = chains(a.result.ast).find((c) => c.chain.phases.includes(first))?.chain;
  if (!chain) return;
  const peak = s.ir?.peak;
  for (const [i, arrow] of chain.arrows.entries()) {
    const before = s.phases.find((p) => p.index === i);
    const after = s.phases.find((p) => p.index === i + 1);
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
