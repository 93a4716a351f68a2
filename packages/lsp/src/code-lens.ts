// Code lenses: above each schedule, its length, a sparkline, and its peak and final rate.
// Clicking one runs `anneal.preview` with `[uri, scheduleName]`, a command the client
// provides (the VS Code extension opens its preview there).

import type { CodeLens } from "vscode-languageserver";
import { toPosition } from "./convert.js";
import type { Analysis } from "./documents.js";
import { PREVIEW_COMMAND } from "./protocol.js";
import { summarize } from "./summary.js";

export function codeLenses(a: Analysis): CodeLens[] {
  const out: CodeLens[] = [];
  const firstTopItem = a.result.ast.items.find((i) => i.kind !== "Schedule");
  for (const s of a.result.schedules) {
    if (!s.ir) continue;
    const item = a.at(s.range.start).item;
    const block = item?.kind === "Schedule" ? item : undefined;
    // The top-level schedule's lens sits above the first top-level line, which is where
    // its settings usually begin.
    const at = block ? block.range.start : Math.min(s.range.start, firstTopItem?.range.start ?? s.range.start);
    const pos = toPosition(a.lines, at);
    const sum = summarize(s.ir);
    out.push({
      range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } },
      command: {
        title: `${block ? `${s.name}: ` : ""}${sum.total} · ${sum.spark} · peak ${sum.peak} · final ${sum.final}`,
        command: PREVIEW_COMMAND,
        arguments: [a.uri, s.name],
      },
    });
  }
  return out;
}
