// Folding: schedule blocks that span lines (folded up to the line before their `}`), and
// runs of two or more comment lines.

import { type FoldingRange, FoldingRangeKind } from "vscode-languageserver";
import type { Analysis } from "./documents.js";

export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const line = (offset: number) => a.lines.positionAt(offset).line;
  for (const item of a.result.ast.items) {
    if (item.kind !== "Schedule") continue;
    const start = line(item.range.start);
    const closeLine = item.close ? line(item.close.start) : line(item.range.end);
    // Keep the closing brace visible when it has a line of its own.
    const closeAlone = item.close !== undefined && a.lines.lineText(closeLine).trim().startsWith("}");
    const end = closeAlone ? closeLine - 1 : closeLine;
    if (end > start) out.push({ startLine: start, endLine: end });
  }
  // Comment runs: consecutive lines whose first non-blank text is a comment.
  let runStart = -1;
  let prev = -2;
  const flush = () => {
    if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: FoldingRangeKind.Comment });
  };
  for (const c of a.result.ast.comments) {
    const l = line(c.range.start);
    const ownLine = a.lines.lineText(l).trimStart().startsWith("#");
    if (!ownLine) continue;
    if (l !== prev + 1) {
      flush();
      runStart = l;
    }
    prev = l;
  }
  flush();
  return out.sort((x, y) => x.startLine - y.startLine);
}
