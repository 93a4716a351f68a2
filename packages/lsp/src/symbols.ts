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

/**
 * One walk over the file's outline, shared by the two shapes LSP gives it. Details are
 * computed only for a sink that shows them (the hierarchical shape): a flat list of a file
 * of 25,000 schedules skips 100,000 source slices and number formats, and the lookup of
 * each schedule's compiled form they need.
 */
interface OutlineSink {
  readonly details: boolean;
  entry(name: string, kind: SymbolKind, range: Range, selection: Range, detail: string | undefined): void;
  /** The entries until the matching `close()` are children of the last entry. */
  open(): void;
  close(): void;
}

function outline(a: Analysis, sink: OutlineSink): void {
  const details = sink.details;
  const src = (r: Range) => a.text.slice(r.start, r.end).replace(/\s+/g, " ");
  const phases = (chain: PhaseChain, s: CompiledSchedule | undefined) => {
    const resolved = details ? new Map(s?.phases.map((x) => [x.phase, x])) : undefined;
    for (const [i, p] of chain.phases.entries()) {
      const r = resolved?.get(p);
      sink.entry(p.keyword, SymbolKind.Event, p.range, p.keywordRange, r && r.index === i ? `${s?.ir?.clock ?? "steps"} ${count(r.start)} → ${count(r.end)}` : undefined);
    }
  };
  const leaf = (i: Exclude<Item, { kind: "Schedule" | "Chain" }>) => {
    if (i.kind === "Setting") sink.entry(i.key, SymbolKind.Property, i.range, i.keyRange, details ? (i.value ? src(i.value.range) : i.clock) : undefined);
    else if (i.name) sink.entry(i.name.name, SymbolKind.Variable, i.range, i.name.range, details && i.value ? src(i.value.range) : undefined);
  };

  for (const item of a.result.ast.items) {
    if (item.kind === "Setting" || item.kind === "Let") leaf(item);
    else if (item.kind === "Chain") {
      sink.entry("schedule", SymbolKind.Function, item.range, item.phases[0]?.keywordRange ?? item.range, "top level");
      sink.open();
      phases(item, details ? a.scheduleOf(item) : undefined);
      sink.close();
    } else if (item.name) {
      const s = details ? a.scheduleOf(item) : undefined;
      sink.entry(item.name.name, SymbolKind.Function, item.range, item.name.range, s?.ir ? `${count(s.ir.total)} ${s.ir.clock}` : undefined);
      sink.open();
      for (const b of item.body) leaf(b);
      for (const c of item.chains) phases(c, s);
      sink.close();
    }
  }
}

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const top: DocumentSymbol[] = [];
  const stack: DocumentSymbol[][] = [top];
  let last: DocumentSymbol | undefined;
  outline(a, {
    details: true,
    entry(name, kind, range, selection, d) {
      last = {
        name,
        kind,
        range: toLspRange(a.lines, range),
        selectionRange: toLspRange(a.lines, selection.start >= range.start && selection.end <= range.end ? selection : range),
        ...(d ? { detail: d } : {}),
      };
      stack[stack.length - 1]!.push(last);
    },
    open() {
      const children: DocumentSymbol[] = [];
      last!.children = children;
      stack.push(children);
    },
    close() {
      stack.pop();
    },
  });
  return top;
}

/** The same symbols for clients that only take a flat list, each naming its container. */
export function flatSymbols(a: Analysis): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const containers: string[] = [];
  let last = "";
  outline(a, {
    details: false,
    entry(name, kind, range) {
      const container = containers[containers.length - 1];
      out.push({ name, kind, location: { uri: a.uri, range: toLspRange(a.lines, range) }, ...(container !== undefined ? { containerName: container } : {}) });
      last = name;
    },
    open() {
      containers.push(last);
    },
    close() {
      containers.pop();
    },
  });
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
