// Selection ranges ("expand selection"): from the innermost syntax node under the cursor
// outwards, each node of the tree that contains it (a number, its expression, the clause,
// the phase, the chain, the schedule block), ending with the whole file. The tree is walked
// generically: every AST node carries its `range`.

import type { Range } from "@anneal/dsl";
import type { SelectionRange } from "vscode-languageserver";
import { toLspRange } from "./convert.js";
import type { Analysis } from "./documents.js";

function isRange(v: unknown): v is Range {
  return typeof v === "object" && v !== null && typeof (v as Range).start === "number" && typeof (v as Range).end === "number";
}

/** Every node range of the tree that contains `offset`, outermost first. */
function enclosing(root: object, offset: number): Range[] {
  const out: Range[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const r = (node as { range?: unknown }).range;
    if (isRange(r)) {
      // Nothing outside a node's range lies inside it, so a node that misses is not entered.
      if (offset < r.start || offset > r.end) return;
      out.push(r);
    }
    for (const [k, v] of Object.entries(node)) if (k !== "range" && typeof v === "object") visit(v);
  };
  visit(root);
  return out;
}

export function selectionRanges(a: Analysis, offsets: number[]): SelectionRange[] {
  return offsets.map((offset) => {
    const ranges = enclosing(a.result.ast.items, offset)
      .filter((r, i, all) => all.findIndex((x) => x.start === r.start && x.end === r.end) === i)
      .sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start);
    let parent: SelectionRange = { range: toLspRange(a.lines, { start: 0, end: a.text.length }) };
    for (const r of ranges) if (r.end - r.start < a.text.length) parent = { range: toLspRange(a.lines, r), parent };
    return parent;
  });
}
