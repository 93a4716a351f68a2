// What a Python script binds, collected in one walk: imports (alias -> qualified name),
// assignments per scope, functions and their call sites, classes with their field defaults
// and `self.x` assignments, and argparse arguments with their defaults. The analysis is
// flow-insensitive on purpose: a name assigned once has that value everywhere; a name
// assigned several different ways, a loop variable or a parameter is unknown. That keeps
// every later answer either right or silent.

import { callArgs, dottedParts, exprKids, type ParsedPython, type PyNode, stringValue, textOf } from "./syntax.js";

export interface Scope {
  /** The FunctionDefinition or ClassDefinition node, or the Script for the module. */
  node: PyNode;
  parent: Scope | undefined;
  /** Each name's assigned value expressions; `undefined` entries mark a binding that has no single value. */
  names: Map<string, (PyNode | undefined)[]>;
  /** For a method, the class it belongs to. */
  cls?: ClassInfo;
  /** A function's parameters, in order. */
  params?: Param[];
}

export interface Param {
  name: string;
  /** Position among the positional parameters; undefined for keyword-only and `*args`. */
  index: number | undefined;
  default?: PyNode;
}

export interface ClassInfo {
  name: string;
  node: PyNode;
  /** Class-body field defaults (`epochs: int = 90` in a dataclass). */
  fields: Map<string, PyNode>;
  /** `self.attr = value` assignments in its methods. */
  selfAttrs: Map<string, (PyNode | undefined)[]>;
  bases: string[];
}

export interface PyModel {
  py: ParsedPython;
  module: Scope;
  /** The innermost scope of every function and class node. */
  scopes: Map<PyNode, Scope>;
  /** Alias -> dotted qualified name, from every import statement in the file. */
  imports: Map<string, string>;
  /** Function name -> definitions (a method and a function may share a name). */
  functions: Map<string, PyNode[]>;
  /** Function name -> call sites (`f(...)`, `self.f(...)`, `obj.f(...)`). */
  callSites: Map<string, PyNode[]>;
  classes: Map<string, ClassInfo>;
  /** argparse destination -> the `add_argument` call (its `default=` is the value). */
  argparse: Map<string, PyNode>;
  /** Every call expression, in source order. */
  calls: PyNode[];
}

/** The node types that bind names or are recorded; the walk skips the work for all others. */
const BINDING_TYPES = new Set([
  "ImportStatement",
  "FunctionDefinition",
  "ClassDefinition",
  "LambdaExpression",
  "AssignStatement",
  "UpdateStatement",
  "ForStatement",
  "ComprehensionExpression",
  "ArrayComprehensionExpression",
  "WithStatement",
  "TryStatement",
  "CallExpression",
]);

export function buildModel(py: ParsedPython): PyModel {
  const module: Scope = { node: py.root, parent: undefined, names: new Map() };
  const m: PyModel = {
    py,
    module,
    scopes: new Map([[py.root, module]]),
    imports: new Map(),
    functions: new Map(),
    callSites: new Map(),
    classes: new Map(),
    argparse: new Map(),
    calls: [],
  };
  // The walk carries each node's scope down with it (what `scopeAt` would find by climbing
  // the parents), so binding a name costs no climb.
  const stack: PyNode[] = [py.root];
  const scopes: Scope[] = [module];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const scope = scopes.pop()!;
    if (BINDING_TYPES.has(n.type)) bindNode(m, n, scope);
    const inner = n.type === "FunctionDefinition" || n.type === "ClassDefinition" || n.type === "LambdaExpression" ? (m.scopes.get(n) ?? scope) : scope;
    for (let i = n.kids.length - 1; i >= 0; i--) {
      stack.push(n.kids[i]!);
      scopes.push(inner);
    }
  }
  return m;
}

/** Records what one binding node binds, in the scope it appears in. */
function bindNode(m: PyModel, n: PyNode, scope: Scope): void {
  const py = m.py;
  switch (n.type) {
    case "ImportStatement":
      readImport(py, n, m.imports);
      break;
    case "FunctionDefinition":
    case "ClassDefinition": {
      const nameNode = n.kids.find((k) => k.type === "VariableName");
      const name = nameNode ? textOf(py, nameNode) : "";
      const inner: Scope = { node: n, parent: scope, names: new Map(), cls: scope.cls };
      if (n.type === "ClassDefinition") {
        const bases = n.kids.find((k) => k.type === "ArgList");
        const info: ClassInfo = {
          name,
          node: n,
          fields: new Map(),
          selfAttrs: new Map(),
          bases: bases ? exprKids(bases).map((b) => textOf(py, b)) : [],
        };
        m.classes.set(name, info);
        inner.cls = info;
      } else {
        push(m.functions, name, n);
        bind(scope, name, undefined);
        inner.params = readParams(py, n.kids.find((k) => k.type === "ParamList"));
        for (const p of inner.params) bind(inner, p.name, undefined);
      }
      m.scopes.set(n, inner);
      break;
    }
    case "LambdaExpression": {
      const inner: Scope = { node: n, parent: scope, names: new Map(), cls: scope.cls };
      const params = n.kids.find((k) => k.type === "ParamList");
      for (const k of params?.kids ?? []) if (k.type === "VariableName") bind(inner, textOf(py, k), undefined);
      m.scopes.set(n, inner);
      break;
    }
    case "AssignStatement":
      readAssign(m, scope, n);
      break;
    case "UpdateStatement": {
      const target = n.kids[0];
      if (target) bindTarget(m, scope, target, undefined);
      break;
    }
    case "ForStatement":
    case "ComprehensionExpression":
    case "ArrayComprehensionExpression": {
      const inAt = n.kids.findIndex((k) => k.type === "in");
      for (const k of n.kids.slice(0, Math.max(0, inAt))) if (k.type !== "for") bindTarget(m, scope, k, undefined);
      break;
    }
    case "WithStatement":
    case "TryStatement": {
      n.kids.forEach((k, i) => {
        if (k.type === "as" && n.kids[i + 1]) bindTarget(m, scope, n.kids[i + 1]!, undefined);
      });
      break;
    }
    case "CallExpression": {
      m.calls.push(n);
      const callee = n.kids[0];
      if (callee?.type === "VariableName") push(m.callSites, textOf(py, callee), n);
      else if (callee?.type === "MemberExpression") {
        const prop = callee.kids[2];
        if (prop?.type === "PropertyName") {
          const name = textOf(py, prop);
          push(m.callSites, name, n);
          if (name === "add_argument") readArgparse(py, n, m.argparse);
        }
      }
      break;
    }
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const l = map.get(k);
  if (l) l.push(v);
  else map.set(k, [v]);
}

/** The scope a node is evaluated in (a function's body sees the function's own scope). */
export function scopeAt(m: PyModel, n: PyNode): Scope {
  for (let x: PyNode | undefined = n; x; x = x.parent) {
    const s = m.scopes.get(x);
    if (s) return s;
  }
  return m.module;
}

function bind(scope: Scope, name: string, value: PyNode | undefined): void {
  push(scope.names, name, value);
}

function bindTarget(m: PyModel, scope: Scope, target: PyNode, value: PyNode | undefined): void {
  if (target.type === "VariableName") bind(scope, textOf(m.py, target), value);
  else if (target.type === "MemberExpression") {
    const parts = dottedParts(m.py, target);
    if (parts && parts.length === 2 && parts[0] === "self" && scope.cls) push(scope.cls.selfAttrs, parts[1]!, value);
  } else if (target.type === "TupleExpression" || target.type === "ParenthesizedExpression" || target.type === "ArrayExpression") {
    for (const k of exprKids(target)) bindTarget(m, scope, k, undefined);
  }
}

function readParams(py: ParsedPython, list: PyNode | undefined): Param[] {
  const out: Param[] = [];
  let index = 0;
  let keywordOnly = false;
  const ks = list?.kids ?? [];
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (k.type === "*" || k.type === "**") {
      // `*args` and `**kwargs` take no single value; a bare `*` starts keyword-only ones.
      if (ks[i + 1]?.type === "VariableName") out.push({ name: textOf(py, ks[++i]!), index: undefined });
      keywordOnly = true;
      continue;
    }
    if (k.type !== "VariableName") continue;
    const p: Param = { name: textOf(py, k), index: keywordOnly ? undefined : index++ };
    let j = i + 1;
    if (ks[j]?.type === "TypeDef") j++;
    if (ks[j]?.type === "AssignOp" && ks[j + 1]) p.default = ks[j + 1]!;
    out.push(p);
  }
  return out;
}

function readAssign(m: PyModel, scope: Scope, n: PyNode): void {
  // `a = b = value`, `a, b = x, y`, and `epochs: int = 90`; only a single target with a
  // single value gets that value, everything else is bound without one.
  const groups: PyNode[][] = [[]];
  for (const k of n.kids) {
    if (k.type === "AssignOp") groups.push([]);
    else if (k.type !== "TypeDef") groups[groups.length - 1]!.push(k);
  }
  const valueGroup = groups[groups.length - 1]!;
  const single = valueGroup.length === 1 ? valueGroup[0] : undefined;
  if (groups.length === 1) {
    // An annotation without a value (`epochs: int`): a dataclass field with no default.
    return;
  }
  for (const g of groups.slice(0, -1)) {
    const targets = g.filter((k) => k.type !== ",");
    const value = targets.length === 1 ? single : undefined;
    for (const t of targets) {
      if (scope.node.type === "ClassDefinition" && scope.cls && t.type === "VariableName" && value) scope.cls.fields.set(textOf(m.py, t), value);
      else bindTarget(m, scope, t, value);
    }
  }
}

function readImport(py: ParsedPython, n: PyNode, out: Map<string, string>): void {
  // `import a.b.c [as x]`, `from a.b import c [as d], e`; relative imports keep their dots.
  const ks = n.kids;
  if (ks[0]?.type === "from") {
    const impAt = ks.findIndex((k) => k.type === "import");
    const mod = ks
      .slice(1, impAt)
      .map((k) => textOf(py, k))
      .join("");
    for (let i = impAt + 1; i < ks.length; i++) {
      const k = ks[i]!;
      if (k.type === "*") out.set(`*${mod}`, mod);
      if (k.type !== "VariableName") continue;
      const name = textOf(py, k);
      if (ks[i + 1]?.type === "as" && ks[i + 2]?.type === "VariableName") {
        out.set(textOf(py, ks[i + 2]!), `${mod}.${name}`);
        i += 2;
      } else out.set(name, `${mod}.${name}`);
    }
    return;
  }
  // `import a.b as c, d`: each comma-separated dotted name.
  let parts: string[] = [];
  const flush = (alias?: string) => {
    if (parts.length === 0) return;
    if (alias) out.set(alias, parts.join("."));
    else out.set(parts[0]!, parts[0]!);
    parts = [];
  };
  for (let i = 1; i < ks.length; i++) {
    const k = ks[i]!;
    if (k.type === "VariableName") parts.push(textOf(py, k));
    else if (k.type === "as" && ks[i + 1]?.type === "VariableName") {
      flush(textOf(py, ks[i + 1]!));
      i++;
    } else if (k.type === ",") flush();
  }
  flush();
}

function readArgparse(py: ParsedPython, call: PyNode, out: Map<string, PyNode>): void {
  const args = callArgs(py, call);
  const dest = args.keywords.get("dest");
  let name = dest ? stringValue(py, dest.value) : undefined;
  if (name === undefined) {
    const flags = args.positional.map((p) => stringValue(py, p)).filter((s): s is string => s !== undefined);
    const long = flags.find((f) => f.startsWith("--")) ?? flags.find((f) => !f.startsWith("-"));
    if (long === undefined) return;
    name = long.replace(/^-+/, "").replace(/-/g, "_");
  }
  // The same destination defined twice (two parsers) has no single default.
  if (out.has(name)) out.set(name, call.kids[0]!);
  else out.set(name, call);
}

/** The qualified name a dotted callee refers to, through the file's imports. */
export function qualify(m: PyModel, parts: string[]): string {
  const head = m.imports.get(parts[0]!);
  return head ? [head, ...parts.slice(1)].join(".") : parts.join(".");
}
