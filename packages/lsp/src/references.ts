// Go to definition, find references, highlights and rename for names defined with `let`.
//
// Which definition a name refers to is the compiler's binder's answer (`compile()`'s
// `names`: each definition with every reference to it), the very scopes the checker
// evaluates in, so the editor and the checker cannot disagree. The server resolves nothing
// itself; it only checks that a rename keeps every reference pointing where it did.

import type { CompileResult } from "@anneal/compiler";
import { KEYWORDS, parse, type Range, type Schedule } from "@anneal/dsl";
import { type DocumentHighlight, DocumentHighlightKind, ErrorCodes, type Location, ResponseError, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import { toLspRange } from "./convert.js";
import type { Analysis } from "./documents.js";
import { inside } from "./syntax.js";

type NameBinding = CompileResult["names"][number];

/** The `let` whose definition or a use of which lies under `offset`, with that range. */
function at(a: Analysis, offset: number): { binding: NameBinding; range: Range } | undefined {
  for (const b of a.result.names) {
    if (b.kind !== "let") continue;
    if (inside(b.declaration, offset)) return { binding: b, range: b.declaration };
    for (const r of b.references) if (inside(r, offset)) return { binding: b, range: r };
  }
  return undefined;
}

/** The schedule block a range lies in, or undefined at the top level. */
function blockOf(a: Analysis, r: Range): Schedule | undefined {
  for (const item of a.result.ast.items) if (item.kind === "Schedule" && item.range.start <= r.start && r.end <= item.range.end) return item;
  return undefined;
}

function location(a: Analysis, r: Range): Location {
  return { uri: a.uri, range: toLspRange(a.lines, r) };
}

export function definition(a: Analysis, offset: number): Location | null {
  const hit = at(a, offset);
  return hit ? location(a, hit.binding.declaration) : null;
}

export function references(a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const hit = at(a, offset);
  if (!hit) return [];
  const ranges = [...(includeDeclaration ? [hit.binding.declaration] : []), ...hit.binding.references];
  return ranges.sort((x, y) => x.start - y.start).map((r) => location(a, r));
}

/** Document highlights: the definition (written) and every use (read) of the name under the cursor. */
export function highlights(a: Analysis, offset: number): DocumentHighlight[] {
  const hit = at(a, offset);
  if (!hit) return [];
  return [
    { range: toLspRange(a.lines, hit.binding.declaration), kind: DocumentHighlightKind.Write },
    ...hit.binding.references.map((r) => ({ range: toLspRange(a.lines, r), kind: DocumentHighlightKind.Read })),
  ];
}

export function prepareRename(a: Analysis, offset: number): { range: ReturnType<typeof toLspRange>; placeholder: string } {
  const hit = at(a, offset);
  if (!hit) throw new ResponseError(ErrorCodes.InvalidRequest, "only names defined with `let` can be renamed");
  return { range: toLspRange(a.lines, hit.range), placeholder: hit.binding.name };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function rename(a: Analysis, offset: number, newName: string): WorkspaceEdit {
  const hit = at(a, offset);
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
    const lets = a.result.names.filter((n) => n.kind === "let" && n.name === newName);
    if (lets.some((n) => n.owner === b.owner)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is already defined in this scope`);
    // A top-level name renamed to one that a block defines would be hidden in that block.
    if (!b.owner)
      for (const r of b.references) {
        const block = blockOf(a, r);
        if (block && lets.some((n) => n.owner === block))
          throw new ResponseError(ErrorCodes.InvalidParams, `schedule \`${block.name?.name ?? ""}\` defines its own \`${newName}\`, which would hide the renamed name there`);
      }
    // A block's name renamed to a top-level one would capture the block's uses of that one.
    const block = b.owner;
    if (block && lets.some((n) => !n.owner && n.references.some((r) => blockOf(a, r) === block)))
      throw new ResponseError(ErrorCodes.InvalidParams, `this schedule already uses the top-level \`${newName}\`; renaming would make those uses refer to this name`);
  }
  const edits: TextEdit[] = [b.declaration, ...b.references].map((r) => ({ range: toLspRange(a.lines, r), newText: newName }));
  return { changes: { [a.uri]: edits } };
}
