// Document symbols: each schedule with its settings, `let`s and phases (the phases with
// their resolved steps), and the file's top-level settings and `let`s. Clients without
// hierarchical symbols get the same list flattened, each entry naming its container.
// Workspace symbols are the schedules and `let`s of every open document that match a query.

import type { CompiledSchedule } from "@anneal/compiler";
import type { Item, PhaseChain, Range } from "@anneal/dsl";
import { type DocumentSymbol, type SymbolInformation, SymbolKind } from "vscode-languageserver";
import { toLspRange } from "./convert.js";
import type { Analysis } from "./documents.js";
import { count } from "./summary.js";

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const src = (r: Range) => a.text.slice(r.start, r.end).replace(/\s+/g, " ");
  const sym = (name: string, kind: SymbolKind, range: Range, selection: Range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => ({
    name,
    kind,
    range: toLspRange(a.lines, range),
    selectionRange: toLspRange(a.lines, selection.start >= range.start && selection.end <= range.end ? selection : range),
    ...(detail ? { detail } : {}),
    ...(children ? { children } : {}),
  });
  const compiled = (node: object) => a.scheduleOf(node);

  const phases = (chain: PhaseChain, s: CompiledSchedule | undefined): DocumentSymbol[] => {
    const resolved = new Map(s?.phases.map((x) => [x.phase, x]));
    return chain.phases.map((p, i) => {
      const r = resolved.get(p);
      const detail = r && r.index === i ? `${s?.ir?.clock ?? "steps"} ${count(r.start)} → ${count(r.end)}` : undefined;
      return sym(p.keyword, SymbolKind.Event, p.range, p.keywordRange, detail);
    });
  };
  const leaf = (i: Exclude<Item, { kind: "Schedule" | "Chain" }>): DocumentSymbol | undefined => {
    if (i.kind === "Setting") return sym(i.key, SymbolKind.Property, i.range, i.keyRange, i.value ? src(i.value.range) : i.clock);
    if (!i.name) return undefined;
    return sym(i.name.name, SymbolKind.Variable, i.range, i.name.range, i.value ? src(i.value.range) : undefined);
  };

  for (const item of a.result.ast.items) {
    if (item.kind === "Setting" || item.kind === "Let") {
      const s = leaf(item);
      if (s) out.push(s);
    } else if (item.kind === "Chain") {
      const s = compiled(item);
      out.push(sym("schedule", SymbolKind.Function, item.range, item.phases[0]?.keywordRange ?? item.range, "top level", phases(item, s)));
    } else if (item.name) {
      const s = compiled(item);
      const children: DocumentSymbol[] = [];
      for (const b of item.body) {
        const c = leaf(b);
        if (c) children.push(c);
      }
      for (const c of item.chains) children.push(...phases(c, s));
      out.push(sym(item.name.name, SymbolKind.Function, item.range, item.name.range, s?.ir ? `${count(s.ir.total)} ${s.ir.clock}` : undefined, children));
    }
  }
  return out;
}

/** The same symbols for clients that only take a flat list. */
export function flatSymbols(a: Analysis): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const visit = (list: DocumentSymbol[], container?: string) => {
    for (const s of list) {
      out.push({ name: s.name, kind: s.kind, location: { uri: a.uri, range: s.range }, ...(container ? { containerName: container } : {}) });
      if (s.children) visit(s.children, s.name);
    }
  };
  visit(documentSymbols(a));
  return out;
}

/** True when the query's letters appear in `name` in order, ignoring case (an empty query matches all). */
function matches(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

/** Workspace symbols: the schedules and `let` names of every open document that match the query. */
export function workspaceSymbols(analyses: Analysis[], query: string, limit = 1000): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const a of analyses)
    for (const s of flatSymbols(a)) {
      if (s.kind !== SymbolKind.Function && s.kind !== SymbolKind.Variable) continue;
      if (!matches(s.name, query)) continue;
      out.push(s);
      if (out.length >= limit) return out;
    }
  return out;
}
