// Code lenses: above each schedule, its length, a sparkline, and its peak and final rate.
// Clicking one runs `anneal.preview` with `[uri, scheduleName]` when the client said it
// provides that command (the VS Code extension opens its preview there); other clients get
// `anneal.describe`, which the server runs itself. While a schedule has errors its lens
// shows the last good figures, marked stale.

import type { CodeLens } from "vscode-languageserver";
import { toPosition } from "./convert.js";
import type { Analysis } from "./documents.js";
import { PREVIEW_COMMAND } from "./protocol.js";
import { summarize } from "./summary.js";

export function codeLenses(a: Analysis, previewCommand: string = PREVIEW_COMMAND): CodeLens[] {
  const out: CodeLens[] = [];
  const firstTopItem = a.result.ast.items.find((i) => i.kind !== "Schedule");
  for (const s of a.result.schedules) {
    const block = s.node.kind === "Schedule" ? s.node : undefined;
    // The top-level schedule's lens sits above the first top-level line, which is where
    // its settings usually begin.
    const at = block ? block.range.start : Math.min(s.range.start, firstTopItem?.range.start ?? s.range.start);
    const pos = toPosition(a.lines, at);
    const name = block ? `${s.name}: ` : "";
    // A schedule with errors keeps its lens, with the last good figures marked stale, so the
    // lines below do not jump while the user types.
    const shown = a.shown(s);
    let title: string;
    if (!shown) title = `${name}has errors`;
    else {
      const sum = summarize(shown.ir);
      title = `${name}${sum.total} · ${sum.spark} · peak ${sum.peak} · final ${sum.final}${shown.staleSince !== undefined ? ` · stale (has errors)` : ""}`;
    }
    out.push({
      range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } },
      command: { title, command: previewCommand, arguments: [a.uri, s.name] },
    });
  }
  return out;
}
