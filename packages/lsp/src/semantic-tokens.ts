// Semantic tokens: the lexer's tokens, classified with the syntax tree's help where a word
// plays two roles (`step` is a phase and a unit, `cosine` a phase and a warmup shape,
// `total` a setting and a value), plus the comments. A client may ask for a range, or for
// the change since its last result (one edit: what lies between the common start and end).

import type { AnnealFile, Expr, Range } from "@anneal/dsl";
import type { SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from "vscode-languageserver";
import { touches } from "./convert.js";
import type { Analysis } from "./documents.js";
import { forEachExpr, walkExpr } from "./syntax.js";

export const TOKEN_TYPES = ["keyword", "function", "enumMember", "type", "number", "variable", "namespace", "comment", "operator"] as const;
export const TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary"] as const;

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
type Modifier = (typeof TOKEN_MODIFIERS)[number];

const UNIT_TOKENS = new Set(["Kw_steps", "Kw_epochs", "Kw_epoch", "Kw_ep", "Kw_tokens", "Kw_token"]);
const OPERATORS = new Set(["Arrow", "Plus", "Minus", "Star", "Slash", "Equals", "Times", "PercentSign"]);

/** Where the syntax tree says each two-role word is used. */
interface Roles {
  phases: Set<number>;
  shapes: Set<number>;
  settings: Set<number>;
  units: Set<number>;
  letNames: Set<number>;
  scheduleNames: Set<number>;
}

function roles(ast: AnnealFile): Roles {
  const r: Roles = { phases: new Set(), shapes: new Set(), settings: new Set(), units: new Set(), letNames: new Set(), scheduleNames: new Set() };
  const visitItems = (items: AnnealFile["items"]) => {
    for (const i of items) {
      if (i.kind === "Setting") r.settings.add(i.keyRange.start);
      else if (i.kind === "Let" && i.name) r.letNames.add(i.name.range.start);
      else if (i.kind === "Chain")
        for (const p of i.phases) {
          r.phases.add(p.keywordRange.start);
          for (const c of p.clauses) {
            if (c.kind === "shape") r.shapes.add(c.range.start);
            if (c.kind === "gamma" && c.perRange) r.units.add(c.perRange.start);
          }
        }
      else if (i.kind === "Schedule") {
        if (i.name) r.scheduleNames.add(i.name.range.start);
        visitItems(i.body);
        visitItems(i.chains);
      }
    }
  };
  visitItems(ast.items);
  forEachExpr(ast, (root) =>
    walkExpr(root, (e: Expr) => {
      if (e.kind === "Quantity") r.units.add(e.unitRange.start);
    }),
  );
  return r;
}

function classify(tokenName: string, start: number, r: Roles): [TokenType, Modifier[]] | undefined {
  if (tokenName === "NumberLiteral") return ["number", []];
  if (tokenName === "Identifier") {
    if (r.letNames.has(start)) return ["variable", ["declaration", "readonly"]];
    if (r.scheduleNames.has(start)) return ["namespace", ["declaration"]];
    return ["variable", ["readonly"]];
  }
  if (OPERATORS.has(tokenName)) return ["operator", []];
  if (!tokenName.startsWith("Kw_")) return undefined;
  if (r.phases.has(start)) return ["function", []];
  if (r.shapes.has(start)) return ["enumMember", []];
  if (UNIT_TOKENS.has(tokenName) || r.units.has(start) || (tokenName === "Kw_step" && !r.phases.has(start))) return ["type", []];
  if (tokenName === "Kw_peak" || (tokenName === "Kw_total" && !r.settings.has(start))) return ["variable", ["readonly", "defaultLibrary"]];
  return ["keyword", []];
}

/** The tokens of the whole document, or of those that touch `within`. */
export function semanticTokens(a: Analysis, within?: Range): SemanticTokens {
  const r = roles(a.result.ast);
  const spans: { start: number; length: number; type: number; mods: number }[] = [];
  for (const t of a.tokens()) {
    if (within && (t.startOffset > within.end || t.startOffset + t.image.length < within.start)) continue;
    const c = classify(t.tokenType.name, t.startOffset, r);
    if (!c) continue;
    const mods = c[1].reduce((m, x) => m | (1 << TOKEN_MODIFIERS.indexOf(x)), 0);
    spans.push({ start: t.startOffset, length: t.image.length, type: TOKEN_TYPES.indexOf(c[0]), mods });
  }
  for (const c of a.result.ast.comments) if (!within || touches(c.range, within)) spans.push({ start: c.range.start, length: c.range.end - c.range.start, type: TOKEN_TYPES.indexOf("comment"), mods: 0 });
  spans.sort((x, y) => x.start - y.start);

  // LSP's relative encoding: line delta, start delta (on the same line), length, type, modifiers.
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const s of spans) {
    const p = a.lines.positionAt(s.start);
    // The length in the negotiated encoding's units: a token never spans lines.
    const length = a.lines.positionAt(s.start + s.length).character - p.character;
    data.push(p.line - line, p.line === line ? p.character - char : p.character, length, s.type, s.mods);
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
  private readonly last = new Map<string, { id: string; data: number[] }>();
  private next = 1;

  full(uri: string, tokens: SemanticTokens): SemanticTokens {
    const id = String(this.next++);
    this.last.set(uri, { id, data: tokens.data });
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

function sameToken(a: number[], i: number, b: number[], j: number): boolean {
  for (let k = 0; k < 5; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}
