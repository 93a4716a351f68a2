// Semantic tokens: the compiler's tokens with their roles (`compile()`'s `tokens`, read off
// the same parse: `step` as a phase or a unit, `cosine` as a phase or a warmup shape, `total`
// as a setting or a value), drawn with LSP's standard token types. A client may ask for a range, or for
// the change since its last result (one edit: what lies between the common start and end).

import { DECLARATION, type Range, TOKEN_ROLES } from "@anneal/dsl";
import type { SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from "vscode-languageserver";
import { touches, Utf8LineIndex } from "./convert.js";
import type { Analysis } from "./documents.js";

export const TOKEN_TYPES = ["keyword", "function", "enumMember", "type", "number", "variable", "namespace", "comment", "operator", "property"] as const;
export const TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary"] as const;

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
type Modifier = (typeof TOKEN_MODIFIERS)[number];
type Role = Analysis["result"]["tokens"][number]["role"];

/** How each of the compiler's token roles is drawn; punctuation is left to the grammar. */
const BY_ROLE: Partial<Record<Role, [TokenType, Modifier[]]>> = {
  keyword: ["keyword", []],
  setting: ["keyword", []],
  label: ["property", []],
  phase: ["function", []],
  shape: ["enumMember", []],
  clause: ["keyword", []],
  unit: ["type", []],
  builtin: ["variable", ["readonly", "defaultLibrary"]],
  function: ["function", ["defaultLibrary"]],
  number: ["number", []],
  name: ["variable", ["readonly"]],
  comment: ["comment", []],
  operator: ["operator", []],
};

/** Each modifier list of BY_ROLE as LSP's bit set, computed once. */
const ENCODED = new Map<Role | "scheduleDeclaration" | "letDeclaration", [type: number, mods: number]>();
const encode = (c: [TokenType, Modifier[]]): [number, number] => [TOKEN_TYPES.indexOf(c[0]), c[1].reduce((m, x) => m | (1 << TOKEN_MODIFIERS.indexOf(x)), 0)];
for (const [role, c] of Object.entries(BY_ROLE) as [Role, [TokenType, Modifier[]]][]) ENCODED.set(role, encode(c));
ENCODED.set("scheduleDeclaration", encode(["namespace", ["declaration"]]));
ENCODED.set("letDeclaration", encode(["variable", ["declaration", "readonly"]]));

/**
 * Per role code of the compiler's role table (`RoleTable`, declaration bit included), the
 * type and modifiers drawn, or undefined for what is left to the grammar.
 */
const BY_CODE: ([type: number, mods: number] | undefined)[] = [];
for (const [code, role] of TOKEN_ROLES.entries()) {
  BY_CODE[code] = ENCODED.get(role);
  BY_CODE[code | DECLARATION] = ENCODED.get(role);
}

/** The tokens of the whole document, or of those that touch `within`. */
export function semanticTokens(a: Analysis, within?: Range): SemanticTokens {
  // Schedule names are the one kind of name drawn apart from `let`s.
  const schedules = new Set<number>();
  for (const n of a.result.names) if (n.kind === "schedule") schedules.add(n.declaration.start);
  const utf8 = a.lines instanceof Utf8LineIndex;
  const { starts, ends, codes, length: n } = a.result.roles;
  const NAME = TOKEN_ROLES.indexOf("name");
  // The tokens drawn, from the role table's columns (a file of 25,000 schedules has 225,000).
  const drawn = (k: number) => BY_CODE[codes[k]!] !== undefined && (!within || touches({ start: starts[k]!, end: ends[k]! }, within));
  let count = 0;
  for (let k = 0; k < n; k++) if (drawn(k)) count++;
  // LSP's relative encoding: line delta, start delta (on the same line), length, type,
  // modifiers, written into an array of the answer's size.
  const data: number[] = new Array(count * 5);
  let w = 0;
  let line = 0;
  let char = 0;
  for (let k = 0; k < n; k++) {
    if (!drawn(k)) continue;
    const code = codes[k]!;
    const start = starts[k]!;
    const end = ends[k]!;
    let c = BY_CODE[code]!;
    if (code === (NAME | DECLARATION)) c = ENCODED.get(schedules.has(start) ? "scheduleDeclaration" : "letDeclaration")!;
    const p = a.lines.positionAt(start);
    // The length in the negotiated encoding's units (a token never spans lines); in UTF-16
    // that is the offsets' difference, without a second lookup.
    const length = utf8 ? a.lines.positionAt(end).character - p.character : end - start;
    data[w++] = p.line - line;
    data[w++] = p.line === line ? p.character - char : p.character;
    data[w++] = length;
    data[w++] = c[0];
    data[w++] = c[1];
    line = p.line;
    char = p.character;
  }
  return { data };
}

/**
 * The last full result sent per document, so a delta request can answer with the part that
 * changed. Result ids count up per server; an id the server no longer holds gets a full answer.
 */
export class SemanticTokensCache {
  // Held as 32-bit integers (every number is a line, a column, a length or a small code):
  // half the memory of the array the answer is sent as, for as long as the document is open.
  private readonly last = new Map<string, { id: string; data: Uint32Array }>();
  private next = 1;

  full(uri: string, tokens: SemanticTokens): SemanticTokens {
    const id = String(this.next++);
    this.last.set(uri, { id, data: Uint32Array.from(tokens.data) });
    return { resultId: id, data: tokens.data };
  }

  delta(uri: string, previousResultId: string, tokens: SemanticTokens): SemanticTokens | SemanticTokensDelta {
    const prev = this.last.get(uri);
    const answer = this.full(uri, tokens);
    if (!prev || prev.id !== previousResultId) return answer;
    const a = prev.data;
    const b = tokens.data;
    // Whole tokens of five numbers each, so an edit never splits one.
    let head = 0;
    while (head + 5 <= a.length && head + 5 <= b.length && sameToken(a, head, b, head)) head += 5;
    let tail = 0;
    while (tail + 5 <= a.length - head && tail + 5 <= b.length - head && sameToken(a, a.length - tail - 5, b, b.length - tail - 5)) tail += 5;
    const edits = head === a.length && head === b.length ? [] : [{ start: head, deleteCount: a.length - head - tail, data: b.slice(head, b.length - tail) }];
    return { resultId: answer.resultId!, edits };
  }

  drop(uri: string): void {
    this.last.delete(uri);
  }
}

function sameToken(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): boolean {
  for (let k = 0; k < 5; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}
