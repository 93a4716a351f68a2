// The formatter. It re-prints the file's own tokens, in their own order, with canonical
// spacing and line breaks, so it cannot change meaning: the only rewrites are `→` to `->`
// and `−` to `-` (also inside a number's exponent), which the lexer reads identically. The tree only says where items start
// and which phase chains are broken across lines.
//
// Layout: one item per line; schedule bodies indented by two spaces; a phase chain stays on
// one line unless it is longer than 100 columns, was already broken at an arrow, or holds a
// comment, in which case every arrow starts a line. A table's points stay inside `{ ... }` on
// the phase's line unless the source breaks them, in which case each point starts a line one
// level deeper and `}` gets a line of its own. Comments stay where they were, at the end
// of a line or on their own; at most one blank line is kept between items. A file whose
// lines end in CRLF keeps CRLF.

import type { IToken } from "chevrotain";
import type { AnnealFile, Expr, PhaseChain } from "./ast.js";
import { parse, type ParseResult } from "./build-ast.js";
import { UNIT_WORDS } from "./tokens.js";
import { phaseExprs, walkExpr } from "./walk.js";

const MAX_WIDTH = 100;
const INDENT = "  ";

interface Piece {
  start: number;
  end: number;
  text: string;
  comment: boolean;
  tok?: IToken;
}

const NO_SPACE_BEFORE = new Set(["RParen", "Comma", "PercentSign", "Colon"]);
const OPERATOR_LIKE = new Set(["Plus", "Minus", "Star", "StarStar", "Slash", "LParen", "Comma", "Equals", "Arrow", "LCurly", "Colon", "Question"]);

function tokenName(t: IToken | undefined): string {
  return t?.tokenType?.name ?? "";
}

function canonical(t: IToken): string {
  if (tokenName(t) === "Arrow") return "->";
  if (tokenName(t) === "Minus") return "-";
  if (tokenName(t) === "NumberLiteral") return t.image.replace("\u2212", "-");
  return t.image;
}

/** Whether `cur` follows `prev` without a space. */
function glued(prev: IToken | undefined, beforePrev: IToken | undefined, cur: IToken, calls?: ReadonlySet<number>): boolean {
  if (!prev) return true;
  const p = tokenName(prev);
  const c = tokenName(cur);
  if (NO_SPACE_BEFORE.has(c)) return true;
  // A call's parenthesis follows its name (`sqrt(x)`); the phase `sqrt (1k)` keeps its space.
  if (c === "LParen" && calls?.has(prev.startOffset)) return true;
  if (p === "LParen") return true;
  if (p === "Times" && c === "NumberLiteral") return true;
  if (p === "Minus" && isUnaryMinus(beforePrev)) return true;
  return false;
}

function isUnaryMinus(before: IToken | undefined): boolean {
  if (!before) return true;
  const n = tokenName(before);
  if (OPERATOR_LIKE.has(n)) return true;
  // After a keyword that expects a value (`to -1`), but not after `peak`, `total` or a unit.
  if (n.startsWith("Kw_")) {
    const w = before.image;
    return w !== "peak" && w !== "total" && !UNIT_WORDS.includes(w);
  }
  return false;
}

function inlineWidth(tokens: IToken[], calls: ReadonlySet<number>): number {
  let w = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i > 0 && !glued(tokens[i - 1], tokens[i - 2], t, calls)) w += 1;
    w += tokenName(t) === "Arrow" ? 2 : t.image.length;
  }
  return w;
}

/**
 * Formats a file. Returns undefined when the file has syntax errors: a formatter that
 * guessed at broken text could lose what the user typed. A caller that already parsed this
 * text passes the result, so the file is parsed once.
 */
export function format(text: string, parsed: ParseResult = parse(text)): string | undefined {
  if (parsed.diagnostics.length > 0) return undefined;
  return formatParsed(text, parsed.ast, parsed.tokens);
}

function formatParsed(text: string, ast: AnnealFile, tokens: IToken[]): string {
  // Where items start, and at which depth.
  const itemDepth = new Map<number, number>();
  const chains: PhaseChain[] = [];
  const exprs: Expr[] = [];
  for (const item of ast.items) {
    itemDepth.set(item.range.start, 0);
    if (item.kind === "Chain") chains.push(item);
    else if (item.kind === "Schedule") {
      for (const b of item.body) {
        itemDepth.set(b.range.start, 1);
        if (b.value) exprs.push(b.value);
      }
      for (const c of item.chains) {
        itemDepth.set(c.range.start, 1);
        chains.push(c);
      }
    } else if (item.value) exprs.push(item.value);
  }
  // Where calls' names are, and the tables' braces and points.
  const calls = new Set<number>();
  const tableOpen = new Map<number, { broken: boolean }>();
  const tableClose = new Set<number>();
  const pointStart = new Set<number>();
  for (const c of chains)
    for (const ph of c.phases) {
      for (const e of phaseExprs(ph)) exprs.push(e);
      for (const cl of ph.clauses) {
        if (cl.kind !== "points" || !cl.close) continue;
        const broken = /[\r\n]/.test(text.slice(cl.open.end, cl.close.start));
        tableOpen.set(cl.open.start, { broken });
        tableClose.add(cl.close.start);
        if (broken) for (const p of cl.points) pointStart.add(p.range.start);
      }
    }
  for (const root of exprs)
    walkExpr(root, (e) => {
      if (e.kind === "Call") calls.add(e.fnRange.start);
    });
  // Which arrows start a line.
  const brokenArrows = new Set<number>();
  for (const c of chains) {
    const depth = itemDepth.get(c.range.start) ?? 0;
    // Binary searches, not scans: scanning every token and comment once per chain (and
    // once per arrow below) made a file of thousands of schedules or phases quadratic.
    const inner = tokens.slice(firstAtOrAfter(tokens, c.range.start, tokenStart), firstAtOrAfter(tokens, c.range.end, tokenStart));
    const nextComment = ast.comments[firstAtOrAfter(ast.comments, c.range.start + 1, (cm) => cm.range.start)];
    const hasComment = nextComment !== undefined && nextComment.range.start < c.range.end;
    const brokenInSource = c.arrows.some(
      (a) => /[\r\n]/.test(text.slice(prevTokenEnd(tokens, a.start), a.start)) || /^[ \t]*(#[^\n]*)?[\r\n]/.test(text.slice(a.end)),
    );
    if (hasComment || brokenInSource || depth * INDENT.length + inlineWidth(inner, calls) > MAX_WIDTH)
      for (const a of c.arrows) brokenArrows.add(a.start);
  }

  const pieces: Piece[] = [
    ...tokens.map((t) => ({ start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1, text: canonical(t), comment: false, tok: t })),
    ...ast.comments.map((c) => ({ start: c.range.start, end: c.range.end, text: c.text.replace(/\s+$/, ""), comment: true })),
  ].sort((a, b) => a.start - b.start);

  const lines: string[] = [];
  let line = "";
  let depth = 0;
  let prevTok: IToken | undefined;
  let prevPrevTok: IToken | undefined;
  let prevEnd = 0;
  let mustBreak = false;
  // Inside a broken table: the depth to return to at its `}`.
  const tableDepths: { restore: number; indent: number }[] = [];
  const eol = /^[^\n]*\r\n/.test(text) ? "\r\n" : "\n";

  const flush = () => {
    if (line.trim() !== "") lines.push(line.replace(/\s+$/, ""));
    line = "";
  };
  const newline = (indent: number, keepBlank: boolean) => {
    flush();
    if (keepBlank && lines.length > 0 && lines[lines.length - 1] !== "" && !lines[lines.length - 1]!.endsWith("{")) lines.push("");
    line = INDENT.repeat(indent);
  };
  const blankBefore = (start: number) => (text.slice(prevEnd, start).match(/\r\n|\r|\n/g)?.length ?? 0) >= 2;

  for (const p of pieces) {
    if (p.comment) {
      const sameLine = prevEnd > 0 && !/[\r\n]/.test(text.slice(prevEnd, p.start)) && line.trim() !== "";
      if (sameLine) {
        line += `  ${p.text}`;
        mustBreak = true;
      } else {
        newline(depth, blankBefore(p.start));
        line += p.text;
        mustBreak = false;
        flush();
        line = INDENT.repeat(depth);
      }
      prevEnd = p.end;
      continue;
    }
    const t = p.tok!;
    const name = tokenName(t);
    const itemAt = itemDepth.get(p.start);
    const table = name === "LCurly" ? tableOpen.get(p.start) : undefined;
    if (name === "RCurly" && tableClose.has(p.start)) {
      const outer = table === undefined ? tableDepths.pop() : undefined;
      if (outer) {
        depth = outer.restore;
        newline(outer.indent, false);
        line += "}";
      } else {
        if (line.trim() !== "") line += " ";
        line += "}";
      }
      mustBreak = false;
    } else if (table) {
      if (line.trim() !== "" && !line.endsWith(" ")) line += " ";
      line += "{";
      if (table.broken) {
        const indent = indentOf(line);
        tableDepths.push({ restore: depth, indent });
        depth = indent + 1;
      }
      mustBreak = false;
    } else if (pointStart.has(p.start)) {
      newline(depth, false);
      line += p.text;
      mustBreak = false;
    } else if (name === "RCurly") {
      depth = Math.max(0, depth - 1);
      newline(depth, false);
      line += "}";
      mustBreak = false;
    } else if (itemAt !== undefined) {
      depth = itemAt;
      newline(depth, blankBefore(p.start));
      line += p.text;
      mustBreak = false;
    } else if (name === "Arrow" && brokenArrows.has(p.start)) {
      newline(depth + 1, false);
      line += p.text;
      mustBreak = false;
    } else if (mustBreak) {
      // A trailing comment ended the line in the middle of an item: continue below it.
      newline(depth + 1, false);
      line += p.text;
      mustBreak = false;
    } else {
      if (line.trim() !== "" && !glued(prevTok, prevPrevTok, t, calls)) line += " ";
      line += p.text;
      if (name === "LCurly") depth++;
      mustBreak = false;
    }
    prevPrevTok = prevTok;
    prevTok = t;
    prevEnd = p.end;
  }
  flush();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.length === 0 ? "" : `${lines.join(eol)}${eol}`;
}

/** The indentation level of a line being built. */
function indentOf(line: string): number {
  return Math.floor((line.length - line.trimStart().length) / INDENT.length);
}

function prevTokenEnd(tokens: IToken[], offset: number): number {
  const before = tokens[firstAtOrAfter(tokens, offset, tokenStart) - 1];
  return before ? (before.endOffset ?? before.startOffset) + 1 : 0;
}

function tokenStart(t: IToken): number {
  return t.startOffset;
}

/** The index of the first element that starts at or after `offset`, in a list sorted by start. */
function firstAtOrAfter<T>(list: readonly T[], offset: number, start: (x: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (start(list[mid]!) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
