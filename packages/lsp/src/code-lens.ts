// Code lenses: above each schedule, its length, a sparkline, and its peak and final rate.
// Clicking one runs `anneal.preview` with `[uri, scheduleName]` when the client said it
// provides that command (the VS Code extension opens its preview there); other clients get
// `anneal.describe`, which the server runs itself. While a schedule has errors its lens
// shows the last good figures, marked stale. In files of many schedules the titles are
// filled in on `codeLens/resolve`, for the lenses the editor shows.

import { noRatesReason } from "@anneal/compiler";
import type { CodeLens, Command } from "vscode-languageserver";
import { toPosition } from "./convert.js";
import type { Analysis } from "./documents.js";
import { PREVIEW_COMMAND } from "./protocol.js";
import { summarize } from "./summary.js";

/**
 * Past this many schedules, lenses are sent without their titles and filled in by
 * `codeLens/resolve`, which an editor asks for the visible ones only: a summary costs a
 * sparkline's worth of evaluation, and a file of 25,000 schedules shows a few dozen.
 */
export const EAGER_LENSES = 200;

/** What `codeLens/resolve` needs to find a lens's schedule again. */
export interface LensData {
  uri: string;
  version: number;
  name: string;
  index: number;
}

export function codeLenses(a: Analysis, previewCommand: string = PREVIEW_COMMAND, canResolve = false): CodeLens[] {
  const out: CodeLens[] = [];
  const firstTopItem = a.result.ast.items.find((i) => i.kind !== "Schedule");
  const lazy = canResolve && a.result.schedules.length > EAGER_LENSES;
  for (const [index, s] of a.result.schedules.entries()) {
    const block = s.node.kind === "Schedule" ? s.node : undefined;
    // The top-level schedule's lens sits above the first top-level line, which is where
    // its settings usually begin.
    const at = block ? block.range.start : Math.min(s.range.start, firstTopItem?.range.start ?? s.range.start);
    const pos = toPosition(a.lines, at);
    const range = { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } };
    if (lazy) out.push({ range, data: { uri: a.uri, version: a.version, name: s.name, index } satisfies LensData });
    else out.push({ range, command: lensCommand(a, s, previewCommand) });
  }
  return out;
}

/** Fills in a lens sent without its title; a lens of an older version names its schedule only. */
export function resolveLens(a: Analysis | undefined, lens: CodeLens, previewCommand: string = PREVIEW_COMMAND): CodeLens {
  const data = lens.data as Partial<LensData> | undefined;
  const s = a && typeof data?.index === "number" ? a.result.schedules[data.index] : undefined;
  if (!a || !s || s.name !== data?.name) return { ...lens, command: { title: String(data?.name ?? "schedule"), command: previewCommand, arguments: [data?.uri, data?.name] } };
  return { ...lens, command: lensCommand(a, s, previewCommand) };
}

function lensCommand(a: Analysis, s: Analysis["result"]["schedules"][number], previewCommand: string): Command {
  const name = s.node.kind === "Schedule" ? `${s.name}: ` : "";
  // A schedule with errors keeps its lens, with the last good figures marked stale, so the
  // lines below do not jump while the user types.
  const shown = a.shown(s);
  let title: string;
  if (!shown) title = `${name}${s.runTimeOnly ? noRatesReason(s) : "has errors"}`;
  else {
    const sum = summarize(shown.ir);
    title = `${name}${sum.total} · ${sum.spark} · peak ${sum.peak} · final ${sum.final}${shown.staleSince !== undefined ? ` · stale (has errors)` : ""}`;
  }
  return { title, command: previewCommand, arguments: [a.uri, s.name] };
}
