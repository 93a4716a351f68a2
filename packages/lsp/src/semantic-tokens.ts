// Semantic tokens: the lexer's tokens, classified with the syntax tree's help where a word
// plays two roles (`step` is a phase and a unit, `cosine` a phase and a warmup shape,
// `total` a setting and a value), plus the comments.

import type { AnnealFile, Expr } from "@anneal/dsl";
import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver";
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

export function semanticTokens(a: Analysis): SemanticTokens {
  const r = roles(a.result.ast);
  const spans: { start: number; length: number; type: number; mods: number }[] = [];
  for (const t of a.tokens()) {
    const c = classify(t.tokenType.name, t.startOffset, r);
    if (!c) continue;
    const mods = c[1].reduce((m, x) => m | (1 << TOKEN_MODIFIERS.indexOf(x)), 0);
    spans.push({ start: t.startOffset, length: t.image.length, type: TOKEN_TYPES.indexOf(c[0]), mods });
  }
  for (const c of a.result.ast.comments) spans.push({ start: c.range.start, length: c.range.end - c.range.start, type: TOKEN_TYPES.indexOf("comment"), mods: 0 });
  spans.sort((x, y) => x.start - y.start);

  // LSP's relative encoding: line delta, start delta (on the same line), length, type, modifiers.
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const s of spans) {
    const p = a.lines.positionAt(s.start);
    data.push(p.line - line, p.line === line ? p.character - char : p.character, s.length, s.type, s.mods);
    line = p.line;
    char = p.character;
  }
  return { data };
}
