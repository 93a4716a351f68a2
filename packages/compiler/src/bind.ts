// The binder: which `let` every name in the file refers to, before anything is evaluated.
// A file has one top-level scope and one scope per `schedule` block, inside the top level:
// a name used in a block is looked up in the block first, then at the top; a top-level
// `let` sees only top-level names. Each expression belongs to the scope of the item that
// holds it (a top-level setting or chain to the top level, a block's settings, lets and
// chains to the block), which is where the checker evaluates it. A name defined twice in
// one scope is A102, and the first definition is the one that counts.
//
// The checker evaluates in these scopes (`Scope`, `LetBinding`); the editor reads the
// bindings and their references from `compile()`, so the two cannot disagree.

import { type AnnealFile, type Expr, forEachPhaseExpr, type Let, type PhaseChain, type Range, type Schedule, walkExpr } from "@anneal/dsl";
import { type LetBinding, Scope } from "./check/values.js";
import type { Reporter } from "./diagnostics/report.js";

export interface NameBinding {
  name: string;
  /** A `let` (a value) or a `schedule` block's name (never referred to, but defined). */
  kind: "let" | "schedule";
  /** Where the name is written in its definition. */
  declaration: Range;
  /** The whole definition: the `let` line or the `schedule` block. */
  definition: Range;
  /** The `schedule` block the `let` belongs to; undefined at the top level. */
  owner?: Schedule;
  /** Every use of the name that resolves to this definition, in source order. */
  references: Range[];
}

export interface UnresolvedName {
  name: string;
  range: Range;
  /** The block whose scope was searched (then the top level); undefined at the top level. */
  owner?: Schedule;
}

export interface Bound {
  /** The top-level scope, and each block's, as the checker evaluates in them. */
  top: Scope;
  scopes: Map<Schedule, Scope>;
  /** Every `let` that was bound (the first of each name per scope), in source order. */
  lets: LetBinding[];
  /** Every definition with its references, in source order of the definitions. */
  names: NameBinding[];
  /** Uses of names defined nowhere in reach; the checker reports them (A101) where it evaluates them. */
  unresolved: UnresolvedName[];
}

/** Binds every name of a file, reporting names defined twice in one scope (A102). */
export function bind(ast: AnnealFile, report: Reporter): Bound {
  const top = new Scope();
  const scopes = new Map<Schedule, Scope>();
  const lets: LetBinding[] = [];
  const names: NameBinding[] = [];
  const byBinding = new Map<LetBinding, NameBinding>();
  const unresolved: UnresolvedName[] = [];

  const define = (l: Let, scope: Scope, owner: Schedule | undefined) => {
    if (!l.name) return;
    const prev = scope.names.get(l.name.name);
    if (prev) {
      report.report("A102", l.name.range, `\`${l.name.name}\` is already defined in this scope`, {
        related: [{ message: "first definition", range: prev.decl.name!.range }],
      });
      return;
    }
    const b: LetBinding = { decl: l, scope };
    scope.names.set(l.name.name, b);
    lets.push(b);
    const nb: NameBinding = { name: l.name.name, kind: "let", declaration: l.name.range, definition: l.range, ...(owner ? { owner } : {}), references: [] };
    names.push(nb);
    byBinding.set(b, nb);
  };

  // Definitions first, so that a name may be used above the line that defines it, as the
  // checker allows.
  for (const item of ast.items) {
    if (item.kind === "Let") define(item, top, undefined);
    else if (item.kind === "Schedule") {
      const scope = new Scope(top);
      scopes.set(item, scope);
      if (item.name) names.push({ name: item.name.name, kind: "schedule", declaration: item.name.range, definition: item.range, references: [] });
      for (const b of item.body) if (b.kind === "Let") define(b, scope, item);
    }
  }

  let scope = top;
  let owner: Schedule | undefined;
  const visitName = (e: Expr) => {
    if (e.kind !== "Name") return;
    const b = scope.lookup(e.name);
    const nb = b && byBinding.get(b);
    if (nb) nb.references.push(e.range);
    else unresolved.push({ name: e.name, range: e.range, ...(owner ? { owner } : {}) });
  };
  const visitRoot = (e: Expr) => walkExpr(e, visitName);
  const use = (root: Expr | undefined, s: Scope, o: Schedule | undefined) => {
    scope = s;
    owner = o;
    walkExpr(root, visitName);
  };
  const chain = (c: PhaseChain, s: Scope, o: Schedule | undefined) => {
    scope = s;
    owner = o;
    for (const p of c.phases) forEachPhaseExpr(p, visitRoot);
  };
  for (const item of ast.items) {
    if (item.kind === "Chain") chain(item, top, undefined);
    else if (item.kind === "Let" || item.kind === "Setting") use(item.value, top, undefined);
    else {
      const scope = scopes.get(item)!;
      for (const b of item.body) use(b.value, scope, item);
      for (const c of item.chains) chain(c, scope, item);
    }
  }
  return { top, scopes, lets, names, unresolved };
}
