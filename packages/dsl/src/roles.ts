// What each token of a file is, for semantic highlighting: the lexer's category says most
// of it, and the tree says the rest where one word plays several parts (`step` the phase,
// the unit or a table's shape; `sqrt` the phase or the function; `total` the setting or
// the value; `lr` the setting or a chain's label; `x` and `three phase`, which are names to
// the lexer). One pass over the tokens and one over the tree.

import type { TokenType } from "chevrotain";
import type { AnnealFile, Expr, PhaseChain } from "./ast.js";
import type { ParseResult } from "./build-ast.js";
import type { Range } from "./diagnostic.js";
import * as T from "./tokens.js";
import { phaseExprs, walkExpr } from "./walk.js";

export type TokenRole =
  /** `schedule`, `let`. */
  | "keyword"
  /** A setting's key: `lr`, `total`, `steps_per_epoch`, `tokens_per_step`, `clock`. */
  | "setting"
  /** A chain's label before its colon: `momentum:`, `lr:`. */
  | "label"
  /** A phase kind: `warmup`, `cosine`, `onecycle`, ... */
  | "phase"
  /** A shape word: `linear`, `cosine`, `exp` after a phase, `step` in a table. */
  | "shape"
  /** A clause word: `from`, `to`, `restart`, `every`, `x`, `decay`, `limit`, `three phase`, ... */
  | "clause"
  /** A unit: `steps`, `epochs`, `tokens` (after a value, or after `per`/`clock`). */
  | "unit"
  /** `peak` and `total` as values. */
  | "builtin"
  /** `sqrt`, `min`, `max` called. */
  | "function"
  | "number"
  /** A `let` name or a schedule name; `declaration` says where it is defined. */
  | "name"
  | "operator"
  | "punctuation"
  | "comment";

export interface RoleToken {
  range: Range;
  role: TokenRole;
  /** Set on a name where it is defined (`let NAME`, `schedule NAME`). */
  declaration?: true;
}

/** The role a token's type gives it, before the tree is asked. */
function roleOfType(type: TokenType): TokenRole {
  // As chevrotain's `tokenMatcher`: the type itself, or one in the category.
  const is = (cat: TokenType) => type === cat || (cat as { categoryMatchesMap?: Record<number, boolean> }).categoryMatchesMap?.[type.tokenTypeIdx!] === true;
  if (type === T.NumberLiteral) return "number";
  if (type === T.Identifier) return "name";
  if (type === T.Comment) return "comment";
  if (type === T.Peak) return "builtin";
  if (type === T.Schedule || type === T.Let) return "keyword";
  if (is(T.SettingKeyword)) return "setting";
  if (is(T.PhaseKeyword)) return "phase";
  if (is(T.UnitKeyword)) return "unit";
  if (is(T.TargetKeyword)) return "label";
  if (is(T.FunctionKeyword)) return "function";
  if (type.name.startsWith("Kw_")) return "clause";
  if ([T.Plus, T.Minus, T.Star, T.StarStar, T.Slash, T.Arrow, T.Equals, T.Question, T.Times, T.PercentSign].includes(type)) return "operator";
  return "punctuation";
}

/** Every role, by its code in a `RoleTable`. */
export const TOKEN_ROLES: readonly TokenRole[] = ["keyword", "setting", "label", "phase", "shape", "clause", "unit", "builtin", "function", "number", "name", "operator", "punctuation", "comment"];
const CODE = new Map<TokenRole, number>(TOKEN_ROLES.map((r, i) => [r, i]));
/** Per token type index, the code of the role its type gives it. */
const CODE_OF_TYPE = new Uint8Array(Math.max(...T.allTokens.map((t) => t.tokenTypeIdx!)) + 1);
for (const t of T.allTokens) CODE_OF_TYPE[t.tokenTypeIdx!] = CODE.get(roleOfType(t))!;
/** The bit of a code that marks a name where it is defined. */
export const DECLARATION = 0x80;

/**
 * Every token and comment of a parsed file with its role, in source order, as columns: a
 * start, an end and a code (`TOKEN_ROLES[code & ~DECLARATION]`) per token, 9 bytes where a
 * `RoleToken` and its range took about 90 (21 MB in a file of 25,000 schedules).
 */
export interface RoleTable {
  length: number;
  starts: Int32Array;
  ends: Int32Array;
  codes: Uint8Array;
}

/** The table of a file with no tokens. */
export const NO_ROLES: RoleTable = Object.freeze({ length: 0, starts: new Int32Array(0), ends: new Int32Array(0), codes: new Uint8Array(0) });

/** Every token and comment of a parsed file with its role, in source order. */
export function tokenRoles(parsed: ParseResult): RoleToken[] {
  return roleTokens(roleTable(parsed));
}

/** The table as a list of objects. */
export function roleTokens(t: RoleTable): RoleToken[] {
  const out: RoleToken[] = new Array(t.length);
  for (let k = 0; k < t.length; k++) {
    const code = t.codes[k]!;
    out[k] = { range: { start: t.starts[k]!, end: t.ends[k]! }, role: TOKEN_ROLES[code & ~DECLARATION]!, ...(code & DECLARATION ? { declaration: true as const } : {}) };
  }
  return out;
}

/** Every token and comment of a parsed file with its role, in source order, as columns (see `RoleTable`). */
export function roleTable(parsed: ParseResult): RoleTable {
  // The lexer's columns when the parse has them: the token objects need not be made.
  const columns = parsed.columns;
  const tokens = columns ? undefined : parsed.tokens;
  const count = columns ? columns.length : tokens!.length;
  const startOf = columns ? (i: number) => columns.starts[i]! : (i: number) => tokens![i]!.startOffset;
  const endOf = columns ? (i: number) => columns.ends[i]! : (i: number) => tokens![i]!.endOffset! + 1;
  const typeOf = columns ? (i: number) => columns.types[i]! : (i: number) => tokens![i]!.tokenTypeIdx;
  const comments = parsed.ast.comments;
  const n = count + comments.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const codes = new Uint8Array(n);
  // Tokens and comments merged by start, each token with the role its type gives it.
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (j >= comments.length || (i < count && startOf(i) < comments[j]!.range.start)) {
      starts[k] = startOf(i);
      ends[k] = endOf(i);
      codes[k] = CODE_OF_TYPE[typeOf(i)]!;
      i++;
    } else {
      const c = comments[j++]!;
      starts[k] = c.range.start;
      ends[k] = c.range.end;
      codes[k] = CODE.get("comment")!;
    }
  }
  // The tokens are in source order, so the one starting at an offset is found by binary
  // search; a map from every start held a second entry per token (225,000 in a 1 MB file).
  const at = (start: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = starts[mid]!;
      if (s === start) return mid;
      if (s < start) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const set = (r: Range | undefined, role: TokenRole, declaration = false) => {
    const k = r ? at(r.start) : -1;
    if (k < 0) return;
    codes[k] = CODE.get(role)! | (declaration || codes[k]! & DECLARATION ? DECLARATION : 0);
  };
  const expr = (root: Expr | undefined) =>
    walkExpr(root, (e) => {
      if (e.kind === "Peak" || e.kind === "Total") set(e.range, "builtin");
      else if (e.kind === "Call") set(e.fnRange, "function");
      else if (e.kind === "Quantity") set(e.unitRange, "unit");
      else if (e.kind === "Name") set(e.range, "name");
    });
  visit(parsed.ast, set, expr);
  return { length: n, starts, ends, codes };
}

function visit(ast: AnnealFile, set: (r: Range | undefined, role: TokenRole, declaration?: boolean) => void, expr: (e: Expr | undefined) => void): void {
  const chain = (c: PhaseChain) => {
    if (c.target) set(c.target.range, "label");
    for (const p of c.phases) {
      set(p.keywordRange, "phase");
      for (const e of phaseExprs(p)) expr(e);
      for (const cl of p.clauses) {
        if (cl.kind === "shape") set(cl.range, "shape");
        else if (cl.kind === "threePhase") {
          set(cl.range, "clause");
          // The second word starts after the first and its spaces.
          set({ start: cl.range.end - "phase".length, end: cl.range.end }, "clause");
        } else if (cl.kind === "restart" && cl.multRange) set(cl.multRange, "clause");
        // `gamma 0.95 per step`: the word after `per` is a unit, not the phase `step`.
        else if (cl.kind === "gamma" && cl.perRange) set(cl.perRange, "unit");
      }
    }
  };
  for (const item of ast.items) {
    if (item.kind === "Chain") chain(item);
    else if (item.kind === "Let") {
      set(item.name?.range, "name", true);
      expr(item.value);
    } else if (item.kind === "Setting") {
      set(item.keyRange, "setting");
      expr(item.value);
    } else {
      set(item.name?.range, "name", true);
      for (const b of item.body) {
        if (b.kind === "Let") set(b.name?.range, "name", true);
        else set(b.keyRange, "setting");
        expr(b.value);
      }
      for (const c of item.chains) chain(c);
    }
  }
}
