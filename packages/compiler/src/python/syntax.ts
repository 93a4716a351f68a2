// The Python front end of `anneal lint` and `anneal import`: `@lezer/python` parses the
// script (pure JavaScript, linear, with error recovery), and this file copies its tree into
// small plain nodes the later stages walk with ordinary recursion. The copy is made with
// lezer's iterative cursor and stops descending at MAX_DEPTH, so no later recursion can
// overflow the stack however deeply the input nests.

import { parser } from "@lezer/python";

export interface PyNode {
  /** The lezer node name: `CallExpression`, `VariableName`, `Body`, `⚠` for an error. */
  type: string;
  from: number;
  to: number;
  kids: PyNode[];
  parent: PyNode | undefined;
}

/**
 * The children of every leaf: one shared, frozen empty list. Most nodes are tokens, and an
 * empty array of their own for each was a third of the copy's allocations.
 */
const NO_KIDS: PyNode[] = Object.freeze([]) as unknown as PyNode[];

/** How deep the copied tree goes; deeper content is left out (and never analysed). */
export const MAX_DEPTH = 120;

export interface ParsedPython {
  root: PyNode;
  text: string;
  /** The first place the parser had to recover from a syntax error, if any. */
  firstError: number | undefined;
  /** True when some nesting was deeper than MAX_DEPTH and left out. */
  truncated: boolean;
}

export function parsePython(text: string): ParsedPython {
  const tree = parser.parse(text);
  const root: PyNode = { type: "Script", from: 0, to: text.length, kids: [], parent: undefined };
  const stack: PyNode[] = [];
  let firstError: number | undefined;
  let truncated = false;
  tree.iterate({
    enter(n) {
      if (n.type.isError && firstError === undefined) firstError = n.from;
      if (stack.length === 0) {
        stack.push(root);
        return true;
      }
      if (stack.length >= MAX_DEPTH) {
        truncated = true;
        return false;
      }
      const parent = stack[stack.length - 1]!;
      const node: PyNode = { type: n.type.isError ? "⚠" : n.name, from: n.from, to: n.to, kids: NO_KIDS, parent };
      if (parent.kids === NO_KIDS) parent.kids = [node];
      else parent.kids.push(node);
      stack.push(node);
      return true;
    },
    leave() {
      stack.pop();
    },
  });
  return { root, text, firstError, truncated };
}

/** The source text of a node. */
export function textOf(p: ParsedPython, n: PyNode): string {
  return p.text.slice(n.from, n.to);
}

/** Node types that are punctuation or keywords rather than expressions. */
const TOKENS = new Set(["(", ")", "[", "]", "{", "}", ",", ":", ".", "=", "AssignOp", "if", "else", "lambda", "*", "**", "for", "in", "async", "await", "not", "and", "or", "is", "Comment"]);

/** The expression children of a node, without punctuation and keywords. */
export function exprKids(n: PyNode): PyNode[] {
  return n.kids.filter((k) => !TOKENS.has(k.type));
}

export interface CallArgs {
  positional: PyNode[];
  keywords: Map<string, { name: PyNode; value: PyNode }>;
  /** True when the call spreads `*args` or `**kwargs`, so unseen arguments may be passed. */
  spread: boolean;
}

/** The arguments of a `CallExpression` (or of a class's base list). */
export function callArgs(p: ParsedPython, call: PyNode): CallArgs {
  const list = call.kids.find((k) => k.type === "ArgList");
  const out: CallArgs = { positional: [], keywords: new Map(), spread: false };
  if (!list) return out;
  const ks = list.kids;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (k.type === "(" || k.type === ")" || k.type === "," || k.type === "Comment") continue;
    if (k.type === "*" || k.type === "**") {
      out.spread = true;
      i++;
      continue;
    }
    if (k.type === "VariableName" && ks[i + 1]?.type === "AssignOp" && ks[i + 2]) {
      out.keywords.set(textOf(p, k), { name: k, value: ks[i + 2]! });
      i += 2;
      continue;
    }
    if (k.type === "ComprehensionExpression" || k.type === "for") {
      out.spread = true;
      continue;
    }
    out.positional.push(k);
  }
  return out;
}

/** The callee of a call expression. */
export function calleeOf(call: PyNode): PyNode | undefined {
  return call.kids[0];
}

/**
 * A dotted name (`a.b.c`) as its parts, or undefined when the expression is anything else
 * (a call, a subscript, a string).
 */
export function dottedParts(p: ParsedPython, n: PyNode): string[] | undefined {
  if (n.type === "VariableName") return [textOf(p, n)];
  if (n.type === "MemberExpression") {
    const [base, dot, prop] = n.kids;
    if (dot?.type !== "." || prop?.type !== "PropertyName" || !base) return undefined;
    const head = dottedParts(p, base);
    return head ? [...head, textOf(p, prop)] : undefined;
  }
  return undefined;
}

/** Walks every node under `n` (depth first, in source order), without recursion. */
export function walk(n: PyNode, visit: (n: PyNode) => boolean | void): void {
  const stack: PyNode[] = [n];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (visit(x) === false) continue;
    for (let i = x.kids.length - 1; i >= 0; i--) stack.push(x.kids[i]!);
  }
}

/** The string value of a plain string literal (`"cosine"`, `'step'`), or undefined. */
export function stringValue(p: ParsedPython, n: PyNode): string | undefined {
  if (n.type !== "String") return undefined;
  const t = textOf(p, n);
  const m = /^([rRbBuU]?)('''|"""|'|")([\s\S]*)\2$/.exec(t);
  if (!m || /[bB]/.test(m[1]!)) return undefined;
  return m[3]!.includes("\\") && !/[rR]/.test(m[1]!) ? undefined : m[3];
}

/** Whether `n` lies inside `ancestor` (or is it). */
export function isWithin(n: PyNode, ancestor: PyNode): boolean {
  for (let x: PyNode | undefined = n; x; x = x.parent) if (x === ancestor) return true;
  return false;
}
