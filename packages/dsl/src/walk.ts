// The tree's shape in one place: which expressions sit directly inside an expression, a
// clause or a phase. Every walker over the AST (the formatter, the binder, the editor
// features) reads the tree through these, so a new form of expression or clause is added
// here once.

import type { Clause, Expr, Phase } from "./ast.js";

/** The expressions directly inside `e`, in source order. */
export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case "Binary":
      return e.right ? [e.left, e.right] : [e.left];
    case "Unary":
      return e.operand ? [e.operand] : [];
    case "Paren":
      return e.inner ? [e.inner] : [];
    case "Quantity":
    case "Percent":
      return [e.value];
    case "Call":
      return e.args;
    case "Number":
    case "Name":
    case "Peak":
    case "Total":
      return [];
  }
}

/**
 * Calls `fn` on `e` and every expression inside it, outermost first, in source order. It
 * recurses without building lists: the parser bounds nesting (`MAX_EXPRESSION_DEPTH`), and
 * walks over every expression of a file are on the path of every compile.
 */
export function walkExpr(e: Expr | undefined, fn: (e: Expr) => void): void {
  if (!e) return;
  fn(e);
  switch (e.kind) {
    case "Binary":
      walkExpr(e.left, fn);
      walkExpr(e.right, fn);
      return;
    case "Unary":
      walkExpr(e.operand, fn);
      return;
    case "Paren":
      walkExpr(e.inner, fn);
      return;
    case "Quantity":
    case "Percent":
      walkExpr(e.value, fn);
      return;
    case "Call":
      for (const a of e.args) walkExpr(a, fn);
      return;
    case "Number":
    case "Name":
    case "Peak":
    case "Total":
      return;
  }
}

/** Calls `fn` on each expression written in a phase (its duration, then its clauses'), in source order. */
export function forEachPhaseExpr(p: Phase, fn: (e: Expr) => void): void {
  if (p.duration) fn(p.duration);
  for (const c of p.clauses) {
    if (c.kind === "restart" || c.kind === "at" || c.kind === "points") for (const e of clauseExprs(c)) fn(e);
    else if (c.kind !== "shape" && c.kind !== "threePhase" && c.value) fn(c.value);
  }
}

/** The expressions written in a clause, in source order. */
export function clauseExprs(c: Clause): Expr[] {
  switch (c.kind) {
    case "shape":
    case "threePhase":
      return [];
    case "at":
      return c.values;
    case "restart":
      return [c.every, c.mult, c.decay, c.limit]
        .filter((x): x is Expr => x !== undefined)
        .sort((a, b) => a.range.start - b.range.start);
    case "points":
      return c.points.flatMap((p) => [p.at, p.value].filter((x): x is Expr => x !== undefined));
    case "from":
    case "to":
    case "power":
    case "gamma":
    case "by":
    case "every":
    case "timescale":
    case "up":
    case "via":
    case "decay":
    case "over":
      return c.value ? [c.value] : [];
  }
}

/** The expressions of a phase: its duration, then its clauses', in source order. */
export function phaseExprs(p: Phase): Expr[] {
  return [...(p.duration ? [p.duration] : []), ...p.clauses.flatMap(clauseExprs)];
}
