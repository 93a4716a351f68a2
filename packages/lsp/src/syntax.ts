// Where the cursor is in the syntax tree: whether an offset lies in a range, and the
// schedule block holding it. Which name means what, and which expressions sit in which
// scope, are the compiler's (`compile()`'s `names`, from its binder); nothing here resolves.

import type { AnnealFile, Range, Schedule } from "@anneal/dsl";

export function inside(r: Range, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

/** The schedule block holding `offset`, if any. */
export function scheduleAt(ast: AnnealFile, offset: number): Schedule | undefined {
  for (const item of ast.items) if (item.kind === "Schedule" && inside(item.range, offset)) return item;
  return undefined;
}
