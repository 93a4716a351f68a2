// The run-time program: how the generated code resolves a schedule's ticks from the
// settings its caller binds (`build_scheduler(optimizer, total=..., steps_per_epoch=...)`).
//
// The checker computes every duration with the file's values (a `?` setting's preview) and,
// beside each one that depends on a setting, the same arithmetic as an expression (`Sym`,
// values.ts). This recorder turns those expressions into straight-line statements of named
// tick variables, in the checker's order, and records each check whose outcome depends on
// them with its code and message parts, so the generated code raises what `anneal check`
// would report for the bound values. Constructs whose dependence the program does not
// resolve are noted; the emitters refuse the keywords they depend on (A404).

import type { Range } from "@anneal/dsl";
import { CODES } from "../diagnostics/registry.js";
import type { Reporter } from "../diagnostics/report.js";
import type { MessagePart, RuntimeIR, RuntimeKey, RuntimeRate, RuntimeSetting, RuntimeStatement, Sym, SymCond } from "../ir.js";
import { bin, lit, RUNTIME_KEYS } from "../ir.js";
import { formatNumber } from "./values.js";

/** A value in a message: the file's number, and its run-time expression when it depends on a setting. */
export type Part = string | { v: number; s?: Sym; repr?: true };

/** A construct that depends on a setting in a way the run-time program does not resolve. */
export interface Unresolved {
  range: Range;
  what: string;
  keys: RuntimeKey[];
}

export class RuntimeRecorder {
  readonly program: RuntimeStatement[] = [];
  readonly settings = new Map<RuntimeKey, RuntimeSetting>();
  readonly unresolvedList: Unresolved[] = [];
  /**
   * The settings written `?` with no preview value. The checker works with stand-ins for
   * them, so a check whose outcome depends on one is not made now (nor reported): it waits
   * for run time, and the tools that need values have none (`ResolvedSchedule.pending`).
   */
  readonly pending = new Set<RuntimeKey>();
  private count = 0;
  private readonly deps = new Map<string, Set<RuntimeKey>>();

  /** A variable holding `s` (or `s` itself when it is a literal or a name already). */
  name(s: Sym, hint?: string): Sym {
    if (s.k === "lit" || s.k === "ref") return s;
    const name = hint ?? `k${++this.count}`;
    this.deps.set(name, this.depsOf(s));
    this.program.push({ kind: "let", name, expr: s });
    return { k: "ref", name };
  }

  /** The settings an expression reads. */
  depsOf(s: Sym, into = new Set<RuntimeKey>()): Set<RuntimeKey> {
    // Expressions share subexpressions; each is visited once.
    const seen = new Set<Sym>();
    const visit = (x: Sym) => {
      if (seen.has(x)) return;
      seen.add(x);
      this.depsInto(x, into, visit);
    };
    visit(s);
    return into;
  }

  private depsInto(s: Sym, into: Set<RuntimeKey>, visit: (x: Sym) => void): void {
    switch (s.k) {
      case "lit":
        break;
      case "ref":
        if ((RUNTIME_KEYS as readonly string[]).includes(s.name)) into.add(s.name as RuntimeKey);
        for (const k of this.deps.get(s.name) ?? []) into.add(k);
        break;
      case "bin":
        visit(s.a);
        visit(s.b);
        break;
      case "fn":
        for (const a of s.args) visit(a);
        break;
      case "given":
        into.add(s.name);
        visit(s.else);
        break;
    }
  }

  /** Whether `s` reads a setting that has no preview value. */
  readsPending(s: Sym): boolean {
    if (this.pending.size === 0) return false;
    for (const k of this.depsOf(s)) if (this.pending.has(k)) return true;
    return false;
  }

  /** The settings a condition reads. */
  condDeps(c: SymCond, into = new Set<RuntimeKey>()): Set<RuntimeKey> {
    if (c.op === "or") {
      this.condDeps(c.a, into);
      this.condDeps(c.b, into);
    } else {
      this.depsOf(c.a, into);
      this.depsOf(c.b, into);
    }
    return into;
  }

  /** Notes that `what` at `range` depends on a setting through `s`, which the program does not resolve. */
  unresolved(range: Range, what: string, s: Sym): void {
    const keys = [...this.depsOf(s)];
    if (keys.length > 0) this.unresolvedList.push({ range, what, keys });
  }

  /**
   * A check of the checker: reports it now when the file's values fail it, and records it
   * for the run-time program when its outcome depends on a setting (`when` is then the
   * failing condition over the run-time expressions). Returns whether it fails now. A
   * check that reads a setting without a preview value waits for run time: it is recorded,
   * not reported, and passes here.
   */
  check(report: Reporter, code: keyof typeof CODES, range: Range, failsNow: boolean, when: SymCond | undefined, parts: Part[], related?: Parameters<Reporter["report"]>[3]): boolean {
    if (when) {
      const severity = CODES[code].severity;
      if (severity === "error") this.program.push({ kind: "check", code, severity, when, message: runtimeMessage(parts) });
      else if (severity === "warning") this.program.push({ kind: "check", code, severity, when, message: runtimeMessage(parts), keys: [...this.condDeps(when)] });
      if (this.pending.size > 0) for (const k of this.condDeps(when)) if (this.pending.has(k)) return false;
    }
    if (failsNow) report.report(code, range, staticMessage(parts), related);
    return failsNow;
  }

  /** The IR's run-time part, once the schedule's ticks are all named. */
  finish(total: Sym, rate: RuntimeIR["rate"], params: RuntimeIR["params"]): RuntimeIR {
    const refused = new Map<RuntimeKey, Unresolved>();
    for (const u of this.unresolvedList) for (const k of u.keys) if (!refused.has(k)) refused.set(k, u);
    const settings = RUNTIME_KEYS.map((key): RuntimeSetting => {
      const s = this.settings.get(key) ?? { key, bound: false };
      const u = refused.get(key);
      if (!u) return s;
      const why =
        key === "lr"
          ? `${u.what} depends on the peak's value, and the generated code takes \`lr\` only where each rate is a multiple of the peak plus a constant; write \`lr\` without \`?\` (\`lr 3e-4\`), or write the rates so that no choice depends on the peak, and emit again`
          : `${u.what} depends on \`${key}\`, and the generated code does not compute this at run time; write \`${key}\` in the file and emit again`;
      return { ...s, refused: why, refusedAt: u.range };
    });
    return { settings, program: this.program, total, rate, ...(params ? { params } : {}) };
  }
}

/** A value to write after a setting's `?`, and the flag that gives one, for the advice on a setting without a preview. */
const PREVIEW_EXAMPLE: Record<RuntimeKey, { value: string; flag: string }> = {
  total: { value: "100k", flag: "--total" },
  steps_per_epoch: { value: "500", flag: "--steps-per-epoch" },
  tokens_per_step: { value: "0.5M", flag: "--tokens-per-step" },
  lr: { value: "3e-4", flag: "--lr" },
};

/**
 * What to do about a setting written `?` with no preview value, where a tool needs its
 * value (eval, plot, a table, a target that does not take it): the one wording, which the
 * checker's note (A241), the CLI and the emitters share.
 */
export function noPreviewAdvice(key: RuntimeKey): string {
  const e = PREVIEW_EXAMPLE[key];
  return `write a preview value after the \`?\` (\`${key} ? ${e.value}\`), or give the value with \`${e.flag} ${e.value}\``;
}

/** Whether the generated code takes the peak as `lr=`: the file writes `lr ?`, and nothing keeps it from being taken. */
export function lrAtRunTime(rt: RuntimeIR | undefined): boolean {
  return rt?.settings.some((s) => s.key === "lr" && s.bound && !s.refused) ?? false;
}

/** How the file writes a setting (the Python keyword and the file's word are the same). */
export function settingWord(k: RuntimeKey): string {
  return k;
}

/** `a op b` over run-time expressions, naming neither (the builders of ir.ts). */
export const sym = { lit, bin };

/** One part of a rate the run-time program computes, as `segmentEnd` combines it: `alpha * of[k] + beta * to[k]`. */
export function runtimeRatePart(r: RuntimeRate, k: "scale" | "abs"): Sym {
  const a = sym.bin("*", r.alpha, sym.lit(r.of[k]));
  return r.beta && r.to ? sym.bin("+", a, sym.bin("*", r.beta, sym.lit(r.to[k]))) : a;
}

/** A number of the checker and, when it depends on a setting, the same arithmetic over the run-time settings. */
export type Dual = { v: number; s?: Sym };

/**
 * `a op b` on duals: the checker's double operation on the numbers, and the same operation
 * over the run-time expressions when either side depends on a setting (`x - 0` is `x`, and
 * `0 + x` is `x` exactly, so a sum starts from its first term).
 */
export function dualBin(op: "+" | "-" | "*" | "/", a: Dual, b: Dual): Dual {
  if (op === "-" && b.v === 0 && !b.s) return a;
  if (op === "+" && a.v === 0 && !a.s && b.s) return b;
  const v = op === "+" ? a.v + b.v : op === "-" ? a.v - b.v : op === "*" ? a.v * b.v : a.v / b.v;
  return a.s || b.s ? { v, s: sym.bin(op, a.s ?? sym.lit(a.v), b.s ?? sym.lit(b.v)) } : { v };
}

/** `Math.floor` and `Math.max` on duals, as `dualBin`. */
export function dualFn(fn: "floor" | "max", ...args: Dual[]): Dual {
  const v = fn === "floor" ? Math.floor(args[0]!.v) : Math.max(...args.map((a) => a.v));
  return args.some((a) => a.s) ? { v, s: { k: "fn", fn, args: args.map((a) => a.s ?? sym.lit(a.v)) } } : { v };
}

/** A value and its run-time expression, which it carries only when that reads a setting (not a literal). */
export function dual(v: number, s: Sym | undefined): Dual {
  return s && s.k !== "lit" ? { v, s } : { v };
}

/** A comparison that depends on a setting, or undefined when neither side does. */
export function cond(op: "<" | "<=" | ">" | ">=", a: { v: number; s?: Sym }, b: { v: number; s?: Sym }): SymCond | undefined {
  if (!a.s && !b.s) return undefined;
  return { op, a: a.s ?? sym.lit(a.v), b: b.s ?? sym.lit(b.v) };
}

export function either(a: SymCond | undefined, b: SymCond | undefined): SymCond | undefined {
  return a && b ? { op: "or", a, b } : (a ?? b);
}

/** The message as the checker reports it, with the file's values. */
export function staticMessage(parts: Part[]): string {
  return parts.map((p) => (typeof p === "string" ? p : p.repr ? String(p.v) : formatNumber(p.v))).join("");
}

function runtimeMessage(parts: Part[]): MessagePart[] {
  return parts.map((p) => (typeof p === "string" ? p : { value: p.s ?? sym.lit(p.v), ...(p.repr ? { repr: true as const } : {}) }));
}
