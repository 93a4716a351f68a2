// Constant propagation over a script's model: what an expression is, as far as it can be
// known without running the script. Numbers carry where they came from: a multiple of a
// loader's length (`len(train_loader)`, the named unknown "steps per epoch"), and whether
// the names they were read through say epochs or steps. An expression that cannot be known
// is `unknown`, never a guess. Work is bounded by depth and by a per-script budget.

import { type Param, type PyModel, qualify, type Scope, scopeAt } from "./model.js";
import { callArgs, dottedParts, exprKids, type PyNode, isWithin, stringValue, textOf, walk } from "./syntax.js";

/** Which unit a count's names suggest; `undefined` when they say nothing. */
export type UnitHint = "epochs" | "steps" | undefined;

export interface NumValue {
  kind: "num";
  /** The number, or the coefficient of `len(loader)`; undefined when not known. */
  k: number | undefined;
  /** Set when the value is `k * len(loader)`: the text of the run-time count (`len(train_loader)`). */
  loader?: string;
  /** True when the value was rounded (`int()`, `//`) or mixes parts that cannot be kept exact. */
  inexact?: boolean;
  /** True when a loader length was divided by something (`len(loader) // accum`). */
  divided?: boolean;
  hint: UnitHint;
}

export type Value =
  | NumValue
  | { kind: "str"; s: string }
  | { kind: "bool"; b: boolean }
  | { kind: "none" }
  | { kind: "list"; items: PyNode[]; scope: Scope }
  | { kind: "dict"; entries: Map<string, PyNode>; scope: Scope }
  | { kind: "lambda"; node: PyNode }
  | { kind: "call"; node: PyNode; qualified: string }
  | { kind: "args" }
  | { kind: "instance"; cls: string; call: PyNode }
  | { kind: "unknown"; hint: UnitHint };

const MAX_DEPTH = 40;

export class Resolver {
  /** Evaluations left for this script; when it runs out every further answer is unknown. */
  private budget = 200_000;
  private depth = 0;
  /** Values by expression node: the analysis is flow-insensitive, so a node has one value. */
  private readonly cache = new Map<PyNode, Value>();
  private readonly lookups = new Map<Scope, Map<string, ReturnType<Resolver["lookupUncached"]>>>();

  constructor(readonly m: PyModel) {}

  /** The value of expression `n`, evaluated in the scope it appears in. */
  value(n: PyNode, scope?: Scope): Value {
    const cached = this.cache.get(n);
    if (cached) return cached;
    if (this.budget-- <= 0 || this.depth >= MAX_DEPTH) return UNKNOWN;
    this.depth++;
    try {
      // The scope is found (by climbing the parents) only for a value not yet known.
      const v = this.eval(n, scope ?? scopeAt(this.m, n));
      this.cache.set(n, v);
      return v;
    } finally {
      this.depth--;
    }
  }

  /** A number's value, or undefined when `n` is not a known plain number. */
  number(n: PyNode | undefined, scope?: Scope): number | undefined {
    if (!n) return undefined;
    const v = this.value(n, scope);
    return v.kind === "num" && v.loader === undefined ? v.k : v.kind === "bool" ? Number(v.b) : undefined;
  }

  private eval(n: PyNode, scope: Scope): Value {
    const py = this.m.py;
    switch (n.type) {
      case "Number": {
        const t = textOf(py, n).replace(/_/g, "");
        if (/[jJ]$/.test(t)) return UNKNOWN;
        const v = /^0[xob]/i.test(t) ? Number(t) : /^0\d/.test(t) ? NaN : Number(t.replace(/[lL]$/, ""));
        return Number.isFinite(v) ? { kind: "num", k: v, hint: undefined } : UNKNOWN;
      }
      case "String": {
        const s = stringValue(py, n);
        return s === undefined ? UNKNOWN : { kind: "str", s };
      }
      case "Boolean":
        return { kind: "bool", b: textOf(py, n) === "True" };
      case "None":
        return { kind: "none" };
      case "@specialize":
        return UNKNOWN;
      case "ParenthesizedExpression": {
        const inner = exprKids(n);
        return inner.length === 1 ? this.value(inner[0]!, scope) : UNKNOWN;
      }
      case "ArrayExpression":
      case "TupleExpression":
        return { kind: "list", items: exprKids(n), scope };
      case "DictionaryExpression":
        return this.dict(n, scope);
      case "LambdaExpression":
        return { kind: "lambda", node: n };
      case "VariableName":
        return this.name(textOf(py, n), scope, n);
      case "MemberExpression":
        return this.member(n, scope);
      case "UnaryExpression": {
        const [op, arg] = n.kids;
        if (!arg) return UNKNOWN;
        const v = this.value(arg, scope);
        const o = op ? textOf(py, op) : "";
        if (v.kind === "num" && o === "-") return { ...v, k: v.k === undefined ? undefined : -v.k };
        if (v.kind === "num" && o === "+") return v;
        if (o === "not" && v.kind === "bool") return { kind: "bool", b: !v.b };
        return UNKNOWN;
      }
      case "BinaryExpression":
        return this.binary(n, scope);
      case "ConditionalExpression": {
        const [a, , cond, , b] = n.kids;
        if (!a || !cond || !b) return UNKNOWN;
        const c = this.value(cond, scope);
        if (c.kind === "bool") return this.value(c.b ? a : b, scope);
        const va = this.value(a, scope);
        const vb = this.value(b, scope);
        return sameValue(va, vb) ? va : unknownLike(va, vb);
      }
      case "CallExpression":
        return this.call(n, scope);
      default:
        return UNKNOWN;
    }
  }

  private dict(n: PyNode, scope: Scope): Value {
    const entries = new Map<string, PyNode>();
    const ks = n.kids;
    for (let i = 0; i < ks.length; i++) {
      if (ks[i + 1]?.type === ":" && ks[i + 2]) {
        const key = stringValue(this.m.py, ks[i]!);
        if (key === undefined) return UNKNOWN;
        entries.set(key, ks[i + 2]!);
        i += 2;
      } else if (ks[i]!.type === "**") return UNKNOWN;
    }
    return { kind: "dict", entries, scope };
  }

  /** Looks a name up from `scope` outwards; class bodies are not visible from their methods. */
  lookup(name: string, scope: Scope): { value: PyNode | undefined; scope: Scope; count: number } | undefined {
    let byName = this.lookups.get(scope);
    if (!byName) this.lookups.set(scope, (byName = new Map()));
    if (byName.has(name)) return byName.get(name);
    const found = this.lookupUncached(name, scope);
    byName.set(name, found);
    return found;
  }

  private lookupUncached(name: string, scope: Scope): { value: PyNode | undefined; scope: Scope; count: number } | undefined {
    let s: Scope | undefined = scope;
    let first = true;
    while (s) {
      if (first || s.node.type !== "ClassDefinition") {
        const vals = s.names.get(name);
        if (vals) {
          // One value when every assignment writes the same expression.
          const first = vals[0];
          const text = first ? textOf(this.m.py, first) : undefined;
          const single = first && vals.every((v) => v !== undefined && (v === first || textOf(this.m.py, v) === text)) ? first : undefined;
          return { value: single, scope: s, count: vals.length };
        }
      }
      first = false;
      s = s.parent;
    }
    return undefined;
  }

  private name(name: string, scope: Scope, at: PyNode): Value {
    const found = this.lookup(name, scope);
    const hint = hintOf(name);
    if (!found) {
      if (this.m.imports.has(name)) return { kind: "call", node: at, qualified: qualify(this.m, [name]) };
      if (name === "True" || name === "False") return { kind: "bool", b: name === "True" };
      if (name === "None") return { kind: "none" };
      return { kind: "unknown", hint };
    }
    if (!found.value) {
      const p = found.count === 1 ? found.scope.params?.find((x) => x.name === name) : undefined;
      const bound = p ? this.parameter(found.scope, p) : undefined;
      return bound ? this.withHint(bound, name) : { kind: "unknown", hint };
    }
    const v = this.value(found.value, found.scope);
    if (v.kind === "num" && v.hint === undefined && v.loader === undefined) return { ...v, hint };
    if (v.kind === "unknown" && v.hint === undefined) return { kind: "unknown", hint };
    return v;
  }

  /**
   * A parameter's value: the argument its function's only call site passes (or the
   * default it leaves), evaluated where the call is. With several call sites it is unknown.
   */
  private parameter(fnScope: Scope, p: Param): Value | undefined {
    const fn = fnScope.node;
    const nameNode = fn.kids.find((k) => k.type === "VariableName");
    if (!nameNode) return undefined;
    const sites = (this.m.callSites.get(textOf(this.m.py, nameNode)) ?? []).filter((c) => !isWithin(c, fn));
    if (sites.length !== 1 || (this.m.functions.get(textOf(this.m.py, nameNode))?.length ?? 0) !== 1) return undefined;
    const site = sites[0]!;
    const args = callArgs(this.m.py, site);
    if (args.spread) return undefined;
    const method = fnScope.parent?.node.type === "ClassDefinition";
    const kw = args.keywords.get(p.name);
    const pos = p.index === undefined ? undefined : args.positional[p.index - (method ? 1 : 0)];
    const arg = kw?.value ?? pos;
    if (arg) return this.value(arg, scopeAt(this.m, site));
    return p.default ? this.value(p.default, fnScope.parent ?? this.m.module) : undefined;
  }

  /** The value a function of the script returns, when it has exactly one `return EXPR`. */
  private returned(fn: PyNode): Value {
    const returns: PyNode[] = [];
    walk(fn, (x) => {
      if (x !== fn && (x.type === "FunctionDefinition" || x.type === "ClassDefinition" || x.type === "LambdaExpression")) return false;
      if (x.type === "ReturnStatement") returns.push(x);
    });
    const exprs = returns.length === 1 ? exprKids(returns[0]!).filter((k) => k.type !== "return") : [];
    return exprs.length === 1 ? this.value(exprs[0]!, this.m.scopes.get(fn) ?? this.m.module) : UNKNOWN;
  }

  private member(n: PyNode, scope: Scope): Value {
    const py = this.m.py;
    const [base, dot, prop] = n.kids;
    if (!base) return UNKNOWN;
    if (dot?.type === "[") {
      // `cfg["epochs"]` on a dict literal.
      const key = prop ? stringValue(py, prop) : undefined;
      const b = this.value(base, scope);
      if (key !== undefined && b.kind === "dict") {
        const e = b.entries.get(key);
        return e ? this.withHint(this.value(e, b.scope), key) : { kind: "unknown", hint: hintOf(key) };
      }
      if (prop && b.kind === "list") {
        const i = this.number(prop, scope);
        const item = i !== undefined && Number.isInteger(i) ? b.items.at(i) : undefined;
        return item ? this.value(item, b.scope) : UNKNOWN;
      }
      return { kind: "unknown", hint: key ? hintOf(key) : undefined };
    }
    if (prop?.type !== "PropertyName") return UNKNOWN;
    const attr = textOf(py, prop);
    const parts = dottedParts(py, n);
    // Lightning's `self.trainer.estimated_stepping_batches` counts optimizer steps.
    if (parts && parts.at(-1) === "estimated_stepping_batches") return { kind: "num", k: undefined, hint: "steps" };
    if (parts && parts[0] === "self" && parts.length === 2 && scope.cls) {
      const vals = scope.cls.selfAttrs.get(attr);
      const single = vals && vals.length === 1 ? vals[0] : undefined;
      if (single) return this.withHint(this.value(single, scopeAt(this.m, single)), attr);
      return { kind: "unknown", hint: hintOf(attr) };
    }
    const b = this.value(base, scope);
    if (b.kind === "args" || (b.kind === "unknown" && this.m.argparse.has(attr) && isArgsName(parts?.[0]))) return this.argparseDefault(attr);
    if (b.kind === "instance") {
      const cls = this.m.classes.get(b.cls);
      const kw = callArgs(py, b.call).keywords.get(attr);
      if (kw) return this.withHint(this.value(kw.value, scopeAt(this.m, b.call)), attr);
      const field = cls?.fields.get(attr);
      if (field) return this.withHint(this.value(field, this.m.scopes.get(cls!.node)!), attr);
      return { kind: "unknown", hint: hintOf(attr) };
    }
    if (b.kind === "dict") {
      const e = b.entries.get(attr);
      return e ? this.withHint(this.value(e, b.scope), attr) : { kind: "unknown", hint: hintOf(attr) };
    }
    if (b.kind === "call") return { kind: "call", node: n, qualified: `${b.qualified}.${attr}` };
    return { kind: "unknown", hint: hintOf(attr) };
  }

  private withHint(v: Value, name: string): Value {
    if (v.kind === "num" && v.hint === undefined && v.loader === undefined) return { ...v, hint: hintOf(name) };
    if (v.kind === "unknown" && v.hint === undefined) return { kind: "unknown", hint: hintOf(name) };
    return v;
  }

  private argparseDefault(dest: string): Value {
    const call = this.m.argparse.get(dest);
    const hint = hintOf(dest);
    if (!call || call.type !== "CallExpression") return { kind: "unknown", hint };
    const d = callArgs(this.m.py, call).keywords.get("default");
    if (!d) return { kind: "unknown", hint };
    return this.withHint(this.value(d.value, scopeAt(this.m, call)), dest);
  }

  private binary(n: PyNode, scope: Scope): Value {
    const [a, op, b] = n.kids;
    if (!a || !op || !b) return UNKNOWN;
    const o = textOf(this.m.py, op);
    const va = this.value(a, scope);
    const vb = this.value(b, scope);
    if (op.type === "CompareOp" || o === "and" || o === "or") {
      if (va.kind === "num" && vb.kind === "num" && va.k !== undefined && vb.k !== undefined && !va.loader && !vb.loader) {
        const x = va.k;
        const y = vb.k;
        const r = o === "<" ? x < y : o === "<=" ? x <= y : o === ">" ? x > y : o === ">=" ? x >= y : o === "==" ? x === y : o === "!=" ? x !== y : undefined;
        return r === undefined ? UNKNOWN : { kind: "bool", b: r };
      }
      return UNKNOWN;
    }
    if (va.kind !== "num" || vb.kind !== "num") return unknownLike(va, vb);
    // `len(loader) // accum` is itself the run-time count of optimizer steps per epoch.
    if ((o === "//" || o === "/") && va.loader !== undefined && va.k === 1 && !va.inexact && vb.loader === undefined) {
      return { kind: "num", k: 1, loader: textOf(this.m.py, n), divided: true, inexact: o === "/", hint: "steps" };
    }
    return arith(o, va, vb);
  }

  private call(n: PyNode, scope: Scope): Value {
    const py = this.m.py;
    const callee = n.kids[0];
    if (!callee) return UNKNOWN;
    const parts = dottedParts(py, callee);
    const args = callArgs(py, n);
    const fname = parts?.join(".");
    const local = parts && parts.length === 1 ? this.lookup(parts[0]!, scope) : undefined;
    if (fname === "len" && !local && args.positional.length === 1) {
      return { kind: "num", k: 1, loader: textOf(py, n), hint: "steps" };
    }
    if ((fname === "int" || fname === "round" || fname === "math.floor" || fname === "math.ceil" || fname === "float") && !local && args.positional.length === 1) {
      const v = this.value(args.positional[0]!, scope);
      if (v.kind !== "num") return v.kind === "unknown" ? v : UNKNOWN;
      if (fname === "float") return v;
      if (v.loader !== undefined && v.divided && v.k === 1) return { kind: "num", k: 1, loader: textOf(py, n), divided: true, hint: "steps" };
      if (v.loader !== undefined) return { ...v, inexact: true };
      const f = fname === "int" ? Math.trunc : fname === "round" ? roundHalfEven : fname === "math.floor" ? Math.floor : Math.ceil;
      return { ...v, k: v.k === undefined ? undefined : f(v.k) };
    }
    if ((fname === "min" || fname === "max") && !local && args.positional.length >= 2) {
      const vs = args.positional.map((p) => this.value(p, scope));
      if (vs.every((v): v is NumValue => v.kind === "num" && v.k !== undefined && v.loader === undefined)) {
        const ks = vs.map((v) => v.k!);
        return { kind: "num", k: fname === "min" ? Math.min(...ks) : Math.max(...ks), hint: vs.map((v) => v.hint).find((h) => h !== undefined) };
      }
      return UNKNOWN;
    }
    if (parts && parts.at(-1) === "parse_args") return { kind: "args" };
    if (fname === "dict" && !local && args.positional.length === 0 && !args.spread) {
      return { kind: "dict", entries: new Map([...args.keywords].map(([k, v]) => [k, v.value])), scope };
    }
    const defs = parts && parts.length === 1 ? this.m.functions.get(parts[0]!) : undefined;
    if (defs && defs.length === 1 && local && local.count === 1 && !local.value) return this.returned(defs[0]!);
    if (parts && parts.at(-1) === "get" && args.positional.length >= 1 && callee.type === "MemberExpression") {
      // `cfg.get("epochs", 90)`: the dict's entry, else the default given.
      const b = this.value(callee.kids[0]!, scope);
      const key = stringValue(py, args.positional[0]!);
      if (b.kind === "dict" && key !== undefined) {
        const e = b.entries.get(key);
        if (e) return this.withHint(this.value(e, b.scope), key);
        const d = args.positional[1];
        return d ? this.withHint(this.value(d, scope), key) : { kind: "none" };
      }
      return { kind: "unknown", hint: key ? hintOf(key) : undefined };
    }
    if (parts && parts.length === 1 && this.m.classes.has(parts[0]!) && !local?.value) {
      return { kind: "instance", cls: parts[0]!, call: n };
    }
    if (parts) return { kind: "call", node: n, qualified: qualify(this.m, parts) };
    return UNKNOWN;
  }
}


export const UNKNOWN: Value = { kind: "unknown", hint: undefined };

function isArgsName(name: string | undefined): boolean {
  return name !== undefined && /^(args|opt|opts|options|hparams|flags|config|cfg|a)$/i.test(name);
}

/**
 * What a variable, attribute or key name says about the unit of the count it holds, read
 * from its last unit word: `lr_step_epochs` is epochs, `epoch_steps` steps, and in
 * `steps_per_epoch` the words before `per` count.
 */
/**
 * The unit a name suggests, remembered: the same few names (`epochs`, `args.steps`) are
 * asked about at every use, and splitting them into words takes several regexps. The
 * memory is dropped when it grows past a bound, so a long-lived server cannot fill it.
 */
const hints = new Map<string, UnitHint>();

export function hintOf(name: string): UnitHint {
  const known = hints.get(name);
  if (known !== undefined || hints.has(name)) return known;
  if (hints.size >= 4096) hints.clear();
  const hint = hintOfUncached(name);
  hints.set(name, hint);
  return hint;
}

function hintOfUncached(name: string): UnitHint {
  let words = name
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w !== "");
  const per = words.indexOf("per");
  if (per > 0) words = words.slice(0, per);
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    if (/^(steps?|iters?|iterations?|batch(es)?|updates?|its)$/.test(w) || /steps$|iters$/.test(w)) return "steps";
    if (/^(epochs?|eps?|nepochs?)$/.test(w) || /epochs?$/.test(w)) return "epochs";
  }
  return undefined;
}

/** The unit a count is in, by its loader factor first and its names second. */
export function unitOf(v: Value): UnitHint {
  if (v.kind === "num") return v.loader !== undefined ? "steps" : v.hint;
  if (v.kind === "unknown") return v.hint;
  return undefined;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function sameValue(a: Value, b: Value): boolean {
  return a.kind === "num" && b.kind === "num" && a.k === b.k && a.loader === b.loader;
}

function unknownLike(a: Value, b: Value): Value {
  const h = unitOf(a) ?? unitOf(b);
  return { kind: "unknown", hint: h };
}

function arith(o: string, a: NumValue, b: NumValue): Value {
  const both = a.k !== undefined && b.k !== undefined;
  const hint = a.hint === "steps" || b.hint === "steps" ? "steps" : (a.hint ?? b.hint);
  switch (o) {
    case "*": {
      if (a.loader !== undefined && b.loader !== undefined) return { kind: "num", k: undefined, hint: "steps", inexact: true };
      const loader = a.loader ?? b.loader;
      return { kind: "num", k: both ? a.k! * b.k! : undefined, ...(loader !== undefined ? { loader } : {}), inexact: a.inexact || b.inexact, divided: a.divided || b.divided, hint };
    }
    case "/":
    case "//": {
      if (b.loader !== undefined) return { kind: "num", k: undefined, hint: undefined, inexact: true };
      const floor = o === "//";
      if (a.loader !== undefined) {
        return { kind: "num", k: both && b.k !== 0 ? a.k! / b.k! : undefined, loader: a.loader, inexact: a.inexact || floor || b.k === undefined, divided: true, hint: a.hint };
      }
      if (!both || b.k === 0) return { kind: "num", k: undefined, hint };
      const q = a.k! / b.k!;
      return { kind: "num", k: floor ? Math.floor(q) : q, hint };
    }
    case "+":
    case "-": {
      const s = o === "+" ? 1 : -1;
      if (a.loader === b.loader) {
        return { kind: "num", k: both ? a.k! + s * b.k! : undefined, ...(a.loader !== undefined ? { loader: a.loader } : {}), inexact: a.inexact || b.inexact, divided: a.divided || b.divided, hint };
      }
      return { kind: "num", k: undefined, loader: a.loader ?? b.loader, inexact: true, hint: "steps" };
    }
    case "**":
      if (a.loader !== undefined || b.loader !== undefined || !both) return { kind: "num", k: undefined, hint: undefined };
      return { kind: "num", k: a.k! ** b.k!, hint: undefined };
    case "%":
      if (a.loader !== undefined || b.loader !== undefined || !both || b.k === 0) return { kind: "num", k: undefined, hint: undefined };
      return { kind: "num", k: ((a.k! % b.k!) + b.k!) % b.k!, hint: undefined };
    default:
      return { kind: "unknown", hint: undefined };
  }
}
