// Go to definition, find references, highlights and rename for names defined with `let`.
//
// Scopes follow the language: a schedule block's own `let`s, then the file's top-level
// ones, so a block's `let warm` shadows a top-level `warm` inside that block only.
// Expressions at the top level (settings, `let`s, the top-level chain) see the top scope.
// Within one scope the first definition counts (a second one is an A102 error).

import { KEYWORDS, type Let, parse, type Range, type Schedule } from "@anneal/dsl";
import { type DocumentHighlight, DocumentHighlightKind, ErrorCodes, type Location, ResponseError, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import { toLspRange } from "./convert.js";
import type { Analysis } from "./documents.js";
import { forEachExpr, inside, type Owner, walkExpr } from "./syntax.js";

export interface Binding {
  name: string;
  decl: Let;
  nameRange: Range;
  owner: Owner;
}

interface Reference {
  name: string;
  range: Range;
  owner: Owner;
  binding: Binding | undefined;
}

export class NameTable {
  readonly top = new Map<string, Binding>();
  readonly blocks = new Map<Schedule, Map<string, Binding>>();
  readonly refs: Reference[] = [];

  constructor(a: Analysis) {
    const define = (scope: Map<string, Binding>, l: Let, owner: Owner) => {
      if (l.name && !scope.has(l.name.name)) scope.set(l.name.name, { name: l.name.name, decl: l, nameRange: l.name.range, owner });
    };
    for (const item of a.result.ast.items) {
      if (item.kind === "Let") define(this.top, item, undefined);
      if (item.kind === "Schedule") {
        const scope = new Map<string, Binding>();
        for (const b of item.body) if (b.kind === "Let") define(scope, b, item);
        this.blocks.set(item, scope);
      }
    }
    forEachExpr(a.result.ast, (root, owner) =>
      walkExpr(root, (e) => {
        if (e.kind === "Name") this.refs.push({ name: e.name, range: e.range, owner, binding: this.lookup(e.name, owner) });
      }),
    );
  }

  lookup(name: string, owner: Owner): Binding | undefined {
    return (owner ? this.blocks.get(owner)?.get(name) : undefined) ?? this.top.get(name);
  }

  bindings(): Binding[] {
    return [...this.top.values(), ...[...this.blocks.values()].flatMap((m) => [...m.values()])];
  }

  /** The binding whose definition or a reference to which lies under `offset`, with that range. */
  at(offset: number): { binding: Binding; range: Range } | undefined {
    for (const b of this.bindings()) if (inside(b.nameRange, offset)) return { binding: b, range: b.nameRange };
    for (const r of this.refs) if (r.binding && inside(r.range, offset)) return { binding: r.binding, range: r.range };
    return undefined;
  }

  referencesOf(b: Binding): Range[] {
    return this.refs.filter((r) => r.binding === b).map((r) => r.range);
  }
}

function location(a: Analysis, r: Range): Location {
  return { uri: a.uri, range: toLspRange(a.lines, r) };
}

export function definition(a: Analysis, offset: number): Location | null {
  const hit = new NameTable(a).at(offset);
  return hit ? location(a, hit.binding.nameRange) : null;
}

export function references(a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const table = new NameTable(a);
  const hit = table.at(offset);
  if (!hit) return [];
  const ranges = [...(includeDeclaration ? [hit.binding.nameRange] : []), ...table.referencesOf(hit.binding)];
  return ranges.sort((x, y) => x.start - y.start).map((r) => location(a, r));
}

/** Document highlights: the definition (written) and every use (read) of the name under the cursor. */
export function highlights(a: Analysis, offset: number): DocumentHighlight[] {
  const table = new NameTable(a);
  const hit = table.at(offset);
  if (!hit) return [];
  return [
    { range: toLspRange(a.lines, hit.binding.nameRange), kind: DocumentHighlightKind.Write },
    ...table.referencesOf(hit.binding).map((r) => ({ range: toLspRange(a.lines, r), kind: DocumentHighlightKind.Read })),
  ];
}

export function prepareRename(a: Analysis, offset: number): { range: ReturnType<typeof toLspRange>; placeholder: string } {
  const hit = new NameTable(a).at(offset);
  if (!hit) throw new ResponseError(ErrorCodes.InvalidRequest, "only names defined with `let` can be renamed");
  return { range: toLspRange(a.lines, hit.range), placeholder: hit.binding.name };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function rename(a: Analysis, offset: number, newName: string): WorkspaceEdit {
  const table = new NameTable(a);
  const hit = table.at(offset);
  if (!hit) throw new ResponseError(ErrorCodes.InvalidRequest, "only names defined with `let` can be renamed");
  const b = hit.binding;
  if (!IDENTIFIER.test(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is not a name: use letters, digits and _, not starting with a digit`);
  if (KEYWORDS.includes(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is a keyword of the language; choose another name`);
  // The lexer has the last word: `x2` reads as the multiplier `x` and the number 2.
  const tokens = parse(newName).tokens;
  if (tokens.length !== 1 || tokens[0]!.image !== newName || tokens[0]!.tokenType.name !== "Identifier") {
    const read = tokens.map((t) => `\`${t.image}\``).join(" then ");
    throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` would not read as one name (the language reads ${read}); choose a name such as \`${newName.replace(/^x(?=\d)/, "x_")}\``);
  }
  if (newName !== b.name) {
    const own = b.owner ? table.blocks.get(b.owner) : table.top;
    if (own?.has(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is already defined in this scope`);
    const refs = table.refs.filter((r) => r.binding === b);
    // A top-level name renamed to one that a block defines would be hidden in that block.
    for (const r of refs)
      if (!b.owner && r.owner && table.blocks.get(r.owner)?.has(newName))
        throw new ResponseError(ErrorCodes.InvalidParams, `schedule \`${r.owner.name?.name ?? ""}\` defines its own \`${newName}\`, which would hide the renamed name there`);
    // A block's name renamed to a top-level one would capture the block's uses of that one.
    if (b.owner && table.refs.some((r) => r.owner === b.owner && r.name === newName && r.binding && !r.binding.owner))
      throw new ResponseError(ErrorCodes.InvalidParams, `this schedule already uses the top-level \`${newName}\`; renaming would make those uses refer to this name`);
  }
  const edits: TextEdit[] = [b.nameRange, ...table.referencesOf(b)].map((r) => ({ range: toLspRange(a.lines, r), newText: newName }));
  return { changes: { [a.uri]: edits } };
}
