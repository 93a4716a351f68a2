// Walking the syntax tree for the editor features: every expression of a file with the
// scope it is evaluated in (the top level or one schedule block), the block at an offset,
// and the innermost expression under the cursor. Only shapes of the AST live here; what
// the expressions mean is the compiler's business.

import { childExprs, phaseExprs, walkExpr } from "@anneal/dsl";
import type { AnnealFile, Expr, Item, PhaseChain, Range, Schedule } from "@anneal/dsl";

/** The scope an expression is evaluated in: a schedule block, or undefined for the top level. */
export type Owner = Schedule | undefined;

// The tree's shape (which expressions sit inside which) is the front end's; re-exported here
// for the editor features that import it from this module.
export { childExprs, clauseExprs, phaseExprs, walkExpr } from "@anneal/dsl";

function chainExprs(c: PhaseChain): Expr[] {
  return c.phases.flatMap(phaseExprs);
}

function itemExprs(item: Exclude<Item, Schedule>): Expr[] {
  if (item.kind === "Chain") return chainExprs(item);
  return item.value ? [item.value] : [];
}

/** Every top-level expression of the file (each with its subexpressions), with its scope. */
export function forEachExpr(ast: AnnealFile, fn: (root: Expr, owner: Owner) => void): void {
  for (const item of ast.items) {
    if (item.kind !== "Schedule") {
      for (const e of itemExprs(item)) fn(e, undefined);
      continue;
    }
    for (const b of item.body) for (const e of itemExprs(b)) fn(e, item);
    for (const c of item.chains) for (const e of chainExprs(c)) fn(e, item);
  }
}

export function inside(r: Range, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

/** The schedule block holding `offset`, if any. */
export function scheduleAt(ast: AnnealFile, offset: number): Schedule | undefined {
  for (const item of ast.items) if (item.kind === "Schedule" && inside(item.range, offset)) return item;
  return undefined;
}

/** The innermost expression under `offset` within `e`. */
export function innermostExpr(e: Expr | undefined, offset: number): Expr | undefined {
  if (!e || !inside(e.range, offset)) return undefined;
  for (const c of childExprs(e)) {
    const hit = innermostExpr(c, offset);
    if (hit) return hit;
  }
  return e;
}

/** Every phase chain of the file with its scope. */
export function chains(ast: AnnealFile): { chain: PhaseChain; owner: Owner }[] {
  const out: { chain: PhaseChain; owner: Owner }[] = [];
  for (const item of ast.items) {
    if (item.kind === "Chain") out.push({ chain: item, owner: undefined });
    else if (item.kind === "Schedule") for (const c of item.chains) out.push({ chain: c, owner: item });
  }
  return out;
}

