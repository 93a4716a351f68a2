// The run-time program in Python: settings passed as keywords resolve a schedule's ticks
// in the generated module, and the checks that depend on them raise there.
//
// The checker built the program (check/runtime.ts) beside its own arithmetic; this file
// only spells it: the keyword prologue, the tick variables in the checker's order, each
// check as an `AnnealError` (a ValueError carrying the compiler's code and message) or an
// `AnnealWarning`, and the number formatting of the checker's messages (`formatNumber` in
// check/values.ts), so a message reads exactly as `anneal check` prints it.

import { runtimeProgram } from "../check/schedule.js";
import { HYPER_PARAMS, rateSyms, RUNTIME_KEYS, RUNTIME_OPTION, shapeTickSyms, type ChainTicks, type MessagePart, type RateValue, type RuntimeIR, type RuntimeKey, type RuntimeRate, type RuntimeSetting, type ScheduleIR, type Segment, type SegmentTicks, type ShapeTicks, type Sym, type SymCond } from "../ir.js";
import { lrAtRunTime, noPreviewAdvice } from "../check/runtime.js";
export { lrAtRunTime };
import type { Diagnostic, Range } from "@anneal/dsl";
import { CODES } from "../diagnostics/registry.js";
import type { Dialect } from "./dialect.js";
import { jsNumber, jsString, pyFloat, pyString } from "./escape.js";
import type { SpelledBounds, SpelledChain, SpelledRate } from "./formula.js";
import { restartCycleSource } from "../shapes/restarts.js";

/** The run-time section's own `_restart_cycle`, on plain floats, for the program's `cycle`. */
const RUNTIME_RESTART_CYCLE = "_settings_restart_cycle";

/** The run-time section's power, for the program's `pow`. */
const RUNTIME_POW = "_settings_pow";

/** A run-time expression in Python, with float arithmetic as the checker's doubles. */
export function pySym(s: Sym, d: Dialect): string {
  switch (s.k) {
    case "lit":
      return pyFloat(s.v);
    case "ref":
      return s.name;
    case "bin":
      return `(${pySym(s.a, d)} ${s.op} ${pySym(s.b, d)})`;
    case "fn": {
      const args = s.args.map((a) => pySym(a, d));
      if (s.fn === "round") return `${d.roundTicks}(${args[0]})`;
      if (s.fn === "ceil" || s.fn === "floor" || s.fn === "log10" || s.fn === "sqrt" || s.fn === "cos") return `math.${s.fn}(${args[0]})`;
      if (s.fn === "pow") return `${RUNTIME_POW}(${args[0]}, ${args[1]})`;
      if (s.fn === "below") return `(1.0 if ${args[0]} < ${args[1]} else 0.0)`;
      if (s.fn === "ifBelow") return `(${args[2]} if ${args[0]} < ${args[1]} else ${args[3]})`;
      // The plain-float `_restart_cycle` of the run-time section (a traced module's own is elementwise).
      if (s.fn === "cycle") return `${RUNTIME_RESTART_CYCLE}(${args.join(", ")})[0]`;
      return `${s.fn}(${args.join(", ")})`;
    }
    case "given":
      return `(${s.name} if ${s.name} is not None else ${pySym(s.else, d)})`;
  }
}

function pyCond(c: SymCond, d: Dialect): string {
  return c.op === "or" ? `(${pyCond(c.a, d)} or ${pyCond(c.b, d)})` : `${pySym(c.a, d)} ${c.op} ${pySym(c.b, d)}`;
}

function pyMessage(parts: MessagePart[], d: Dialect): string {
  // `repr` writes a float's shortest digits, as JavaScript's String does.
  return parts.map((p) => (typeof p === "string" ? pyString(p) : `${p.repr ? "repr" : "_fmt"}(${pySym(p.value, d)})`)).join(" + ");
}

/** The names of the tick variables a chain's bounds read, in order of first use. */
function chainRefs(t: ChainTicks, into: Set<string>): void {
  const visit = (s: Sym) => {
    if (s.k === "ref") into.add(s.name);
    else if (s.k === "bin") (visit(s.a), visit(s.b));
    else if (s.k === "fn") s.args.forEach(visit);
    else if (s.k === "given") visit(s.else);
  };
  for (const b of [...t.segments, ...(t.hold ? [t.hold] : [])]) {
    visit(b.start);
    visit(b.end);
    if (b.shape) shapeTickSyms(b.shape).forEach(visit);
    if (b.from) rateSyms(b.from).forEach(visit);
  }
  if (t.final) rateSyms(t.final).forEach(visit);
}

/** Whether a statement of the program calls `fn`. */
function programCalls(rt: RuntimeIR, fn: string): boolean {
  const calls = (x: Sym): boolean => (x.k === "fn" ? x.fn === fn || x.args.some(calls) : x.k === "bin" ? calls(x.a) || calls(x.b) : x.k === "given" ? calls(x.else) : false);
  const condCalls = (c: SymCond): boolean => (c.op === "or" ? condCalls(c.a) || condCalls(c.b) : calls(c.a) || calls(c.b));
  return rt.program.some((st) => (st.kind === "let" ? calls(st.expr) : st.kind === "check" && (condCalls(st.when) || st.message.some((m) => typeof m !== "string" && calls(m.value)))));
}

/** Every variable the closed forms read: `total_ticks` first, then the bounds', then the bound peak `lr`. */
export function tickNames(rt: RuntimeIR): string[] {
  const names = new Set<string>(["total_ticks"]);
  if (lrAtRunTime(rt)) names.add("lr");
  chainRefs(rt.rate, names);
  for (const name of HYPER_PARAMS) if (rt.params?.[name]) chainRefs(rt.params[name]!, names);
  return [...names];
}

/**
 * A chain's segments with bounds spelled over the tick variables, and its hold when the
 * bound values may open one (a constant at the chain's end value).
 */
export function spelledChain(segments: Segment[], final: RateValue, t: ChainTicks, d: Dialect): SpelledChain {
  const spell = (x: Sym) => (d.lang === "js" ? jsSym(x) : pySym(x, d));
  const spellRate = (r: RuntimeRate): SpelledRate => ({ alpha: spell(r.alpha), of: r.of, ...(r.beta && r.to ? { beta: spell(r.beta), to: r.to } : {}) });
  const bounds = (b: SegmentTicks): SpelledBounds => {
    const start = spell(b.start);
    const end = spell(b.end);
    const literal = b.start.k === "lit" && b.end.k === "lit";
    const out: SpelledBounds = { start: b.start.k === "lit" ? String(b.start.v) : start, end: b.end.k === "lit" ? String(b.end.v) : end, len: literal ? d.num((b.end as { v: number }).v - (b.start as { v: number }).v) : b.start.k === "lit" && b.start.v === 0 ? end : `(${end} - ${start})` };
    // A shape's parameters computed at run time, as the names the shape's module reads.
    if (b.shape) {
      const params: NonNullable<SpelledBounds["params"]> = {};
      for (const [k, v] of Object.entries(b.shape) as [keyof ShapeTicks, Sym | Sym[]][]) params[k] = Array.isArray(v) ? d.list(v.map(spell)) : spell(v);
      out.params = params;
    }
    if (b.from) out.from = spellRate(b.from);
    return out;
  };
  const segs = [...segments];
  const spelled = t.segments.map(bounds);
  if (t.hold) {
    const last = segments[segments.length - 1]!;
    segs.push({ ...last, start: last.end, end: last.end, shape: { kind: "constant" }, from: final, to: final, phase: "hold", phaseIndex: -1 });
    spelled.push(bounds(t.hold));
  }
  return { segments: segs, bounds: spelled, ...(t.final ? { final: spellRate(t.final) } : {}) };
}

/**
 * The run-time part of an IR; one made without the checker (by hand, in a test) takes no
 * keywords and keeps its ticks.
 */
export function runtimeOf(ir: ScheduleIR): RuntimeIR {
  const kept = runtimeProgram(ir);
  if (kept) return kept;
  const lit = (v: number): Sym => ({ k: "lit", v });
  const chain = (segs: Segment[]): ChainTicks => ({ segments: segs.map((s) => ({ start: lit(s.start), end: lit(s.end) })) });
  const params: RuntimeIR["params"] = {};
  for (const name of HYPER_PARAMS) if (ir.params?.[name]) params[name] = chain(ir.params[name]!.segments);
  return {
    settings: RUNTIME_KEYS.map((key) => ({ key, bound: false, refused: "this module was generated without the schedule's source" })),
    program: [],
    total: lit(ir.total),
    rate: chain(ir.segments),
    params,
  };
}

/** A setting written `?` with no preview value: the generated code requires its keyword. */
export function requiredSetting(s: RuntimeSetting): boolean {
  return s.bound && s.value === undefined && !s.refused;
}

/** The settings of an IR that have no value here: written `?` with no preview. */
export function settingsWithoutValue(ir: ScheduleIR): RuntimeKey[] {
  return (ir.runtime?.settings ?? []).filter((s) => s.bound && s.value === undefined).map((s) => s.key);
}

/** What each keyword is, for docstrings and errors. */
export const KEYWORD_WORDS: Record<RuntimeKey, string> = {
  total: "the number of scheduler steps (ticks of the clock) in the schedule, as `--total`",
  steps_per_epoch: "optimizer steps in one epoch, as `--steps-per-epoch` (`len(train_loader)`, divided by the accumulation)",
  tokens_per_step: "tokens in one optimizer step, as `--tokens-per-step`",
  lr: "the peak learning rate, as `--lr`",
};

/**
 * The Python of the run-time part: the error and warning classes, the helpers, the
 * settings in force without keywords, and `resolve_settings`, which returns the tick
 * variables and the settings it used.
 */
export function pyRuntimeSection(ir: ScheduleIR, d: Dialect, I: string): string[] {
  const rt = runtimeOf(ir);
  const settings = rt.settings;
  const out: string[] = [
    "class AnnealError(ValueError):",
    `${I}"""A check of the schedule failed for the settings bound at run time; \`code\` is the compiler's."""`,
    "",
    `${I}def __init__(self, code, message):`,
    `${I}${I}super().__init__("%s: %s" % (code, message))`,
    `${I}${I}self.code = code`,
    `${I}${I}self.message = message`,
    "",
    "",
    "class AnnealWarning(UserWarning):",
    `${I}"""A warning of this schedule: a check that waited for the bound settings, a resume with`,
    `${I}other settings, or stepping far past the end. Silence it with`,
    `${I}\`warnings.filterwarnings("ignore", category=AnnealWarning)\`."""`,
    "",
    "",
    `def ${d.roundTicks}(x):`,
    `${I}"""A duration in whole ticks, as the compiler rounds it: halves toward +inf (JavaScript's Math.round)."""`,
    `${I}r = math.floor(x)`,
    `${I}return float(r + 1 if x - r >= 0.5 else r)`,
    "",
    "",
    "def _fmt(x):",
    `${I}"""A number as the compiler's messages write it: \`4,000\`, \`0.4\`, \`1.5e-4\`."""`,
    `${I}if not math.isfinite(x):`,
    `${I}${I}return "infinity" if x > 0 else "-infinity" if x < 0 else "NaN"`,
    `${I}if x == math.floor(x) and abs(x) < 1e21:`,
    `${I}${I}return "{:,}".format(int(x))`,
    `${I}# Six significant digits, halves away from zero (JavaScript's toPrecision(6)).`,
    `${I}q = decimal.Decimal(x)`,
    `${I}q = q.scaleb(5 - q.adjusted()).to_integral_value(decimal.ROUND_HALF_UP).scaleb(q.adjusted() - 5)`,
    `${I}r = float(q)`,
    `${I}if r != 0 and abs(r) < 1e-3:`,
    `${I}${I}sign, digits, exponent = decimal.Decimal(repr(abs(r))).normalize().as_tuple()`,
    `${I}${I}mantissa = str(digits[0]) + ("." + "".join(map(str, digits[1:])) if len(digits) > 1 else "")`,
    `${I}${I}e = len(digits) - 1 + exponent`,
    `${I}${I}return ("-" if r < 0 else "") + mantissa + "e" + ("-" if e < 0 else "+") + str(abs(e))`,
    `${I}s = repr(r)`,
    `${I}return s[:-2] if s.endswith(".0") else s`,
    "",
    "",
    "def _setting(name, value):",
    `${I}"""A keyword's value as a float: a finite real number, or an error naming the keyword."""`,
    `${I}if isinstance(value, bool) or not isinstance(value, numbers.Real):`,
    `${I}${I}raise TypeError("%s must be a number, not %s" % (name, type(value).__name__))`,
    `${I}value = float(value)`,
    `${I}if not math.isfinite(value):`,
    `${I}${I}raise AnnealError("A109", "\`%s\` is %r; every rate and duration must be finite" % (name, value))`,
    `${I}return value`,
    "",
    "",
    ...(programCalls(rt, "cycle") ? [...restartCycleSource(d, I, RUNTIME_RESTART_CYCLE), "", ""] : []),
    ...(programCalls(rt, "pow")
      ? [
          `def ${RUNTIME_POW}(x, y):`,
          `${I}"""x ** y as the compiler's doubles give it: infinity past the largest double, where Python raises."""`,
          `${I}try:`,
          `${I}${I}return x ** y`,
          `${I}except OverflowError:`,
          `${I}${I}return math.inf`,
          "",
          "",
        ]
      : []),
    "# The settings in force when no keyword is given: the file's values (a `?` setting's preview).",
    `SETTINGS = {${settings.map((s) => `${pyString(s.key)}: ${s.value === undefined ? "None" : pyFloat(s.value)}`).join(", ")}}`,
    "# The settings the file leaves to run time (written `?`).",
    `BOUND_AT_RUN_TIME = (${settings.filter((s) => s.bound).map((s) => pyString(s.key) + ",").join(" ")})`,
    "",
    "",
    `def resolve_settings(${settings.map((s) => `${s.key}=None`).join(", ")}):`,
    `${I}"""The schedule's ticks for these settings, checked as \`anneal check\` checks them.`,
    "",
    ...settings.map((s) => `${I}\`${s.key}\`: ${KEYWORD_WORDS[s.key]}${s.refused ? " (not accepted here: see the error)" : ""}.`),
    "",
    `${I}Returns the tick variables of the closed form and the settings used. A failed check`,
    `${I}raises AnnealError, a ValueError whose text is the compiler's code and message.`,
    `${I}"""`,
  ];
  // Which keywords the caller passed: a warning with only the file's values was `anneal check`'s to say.
  out.push(`${I}passed = {name for name, value in (${settings.map((s) => `(${pyString(s.key)}, ${s.key})`).join(", ")}) if value is not None}`);
  for (const s of settings) {
    if (s.refused) {
      out.push(`${I}if ${s.key} is not None:`, `${I}${I}raise TypeError(${pyString(`${s.key} cannot be passed to this module: ${s.refused}`)})`);
      if (s.key !== "total") out.push(`${I}${s.key} = SETTINGS[${pyString(s.key)}]`);
      continue;
    }
    if (requiredSetting(s)) {
      // Written `?` with no preview: there is no value to fall back on.
      out.push(`${I}if ${s.key} is None:`, `${I}${I}raise TypeError(${pyString(`the keyword \`${s.key}=\` is required: the schedule binds \`${s.key}\` at run time and gives no preview value; pass ${KEYWORD_WORDS[s.key]}`)})`);
      out.push(`${I}${s.key} = _setting(${pyString(s.key)}, ${s.key})`);
      continue;
    }
    out.push(`${I}if ${s.key} is not None:`, `${I}${I}${s.key} = _setting(${pyString(s.key)}, ${s.key})`);
    if (s.key !== "total") out.push(`${I}else:`, `${I}${I}${s.key} = SETTINGS[${pyString(s.key)}]`);
  }
  for (const st of rt.program) {
    if (st.kind === "let") out.push(`${I}${st.name} = ${pySym(st.expr, d)}`);
    else if (st.kind === "positive") out.push(`${I}if ${st.key} is not None and not ${st.key} > 0:`, `${I}${I}raise AnnealError(${pyString(st.code)}, ${pyString(st.message)})`);
    else if (st.severity === "error") out.push(`${I}if ${pyCond(st.when, d)}:`, `${I}${I}raise AnnealError(${pyString(st.code)}, ${pyMessage(st.message, d)})`);
    else out.push(`${I}if passed.intersection((${(st.keys ?? RUNTIME_KEYS).map((k) => pyString(k) + ",").join(" ")})) and ${pyCond(st.when, d)}:`, `${I}${I}warnings.warn("%s: %s" % (${pyString(st.code)}, ${pyMessage(st.message, d)}), AnnealWarning, stacklevel=3)`);
  }
  if (!rt.program.some((st) => st.kind === "let" && st.name === "total_ticks")) out.push(`${I}total_ticks = ${pySym(rt.total, d)}`);
  const names = tickNames(rt);
  const used = settings.map((s) => `${pyString(s.key)}: ${s.key === "total" ? "total_ticks" : s.key}`);
  out.push(`${I}ticks = {${names.map((n) => `${pyString(n)}: ${n}`).join(", ")}}`, `${I}return ticks, {${used.join(", ")}}`);
  return out;
}

/** The refusal of a target whose numbers need a setting the file gives no value (A406). */
function noValueDiagnostic(key: RuntimeKey, at: Range): Diagnostic {
  return {
    code: "A406",
    severity: CODES.A406.severity,
    range: at,
    message: `this target's output is made of numbers that depend on \`${key}\`, which is bound at run time with no preview value, so nothing is written; ${noPreviewAdvice(key)}, or use the \`pytorch\`, \`keras\` or \`optax\` target, which takes it as \`${key}=\``,
  };
}

/** The refusals of a table or typings target (no settings taken) for settings the file gives no value: A406 each. */
export function noValueDiagnostics(ir: ScheduleIR): Diagnostic[] {
  return (ir.runtime?.settings ?? []).filter((s) => s.bound && s.at && s.value === undefined).map((s) => noValueDiagnostic(s.key, s.at!));
}

/** The imports the run-time section needs. */
export const RUNTIME_IMPORTS = ["import decimal", "import numbers", "import warnings"];

/**
 * What a code target says about the settings bound at run time: every code target takes
 * them, and refuses a `?` setting it cannot resolve (A404, with no output).
 */
export function runtimeDiagnostics(ir: ScheduleIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ir.runtime?.settings ?? []) {
    if (s.bound && s.at && s.refused)
      out.push({ code: "A404", severity: CODES.A404.severity, range: s.refusedAt ?? s.at, message: `\`${s.key}\` is bound at run time, but ${s.refused}` });
  }
  return out;
}

// The run-time program in JavaScript (the tfjs target): the same program, spelled with the
// same double operations. Its keywords are an options object's camel-case fields; inside,
// the settings keep their Python names, so the program's `given` reads one name in both.

/** The options field of each setting in JavaScript: its name in `compile()`'s overrides. */
export const JS_KEYS: Record<RuntimeKey, string> = RUNTIME_OPTION;

/** A run-time expression in JavaScript. */
export function jsSym(s: Sym): string {
  switch (s.k) {
    case "lit":
      return jsNumber(s.v);
    case "ref":
      return s.name;
    case "bin":
      return `(${jsSym(s.a)} ${s.op} ${jsSym(s.b)})`;
    case "fn": {
      const args = s.args.map(jsSym);
      if (s.fn === "pow") return `(${args[0]} ** ${args[1]})`;
      if (s.fn === "below") return `(${args[0]} < ${args[1]} ? 1 : 0)`;
      if (s.fn === "ifBelow") return `(${args[0]} < ${args[1]} ? ${args[2]} : ${args[3]})`;
      // The module's `restartCycle`, which a restart phase's formula calls too.
      if (s.fn === "cycle") return `restartCycle(${args.join(", ")})[0]`;
      return `Math.${s.fn}(${args.join(", ")})`;
    }
    case "given":
      return `(${s.name} !== null ? ${s.name} : ${jsSym(s.else)})`;
  }
}

function jsCond(c: SymCond): string {
  return c.op === "or" ? `(${jsCond(c.a)} || ${jsCond(c.b)})` : `${jsSym(c.a)} ${c.op} ${jsSym(c.b)}`;
}

function jsMessage(parts: MessagePart[]): string {
  return parts.map((p) => (typeof p === "string" ? jsString(p) : `${p.repr ? "String" : "fmt"}(${jsSym(p.value)})`)).join(" + ");
}

/**
 * The JavaScript of the run-time part: `AnnealError`, the number formatting of the
 * checker's messages, `SETTINGS`, `BOUND_AT_RUN_TIME` and `resolveSettings(options)`, which
 * returns `{ ticks, settings }`. Statements are indented by `I`.
 */
export function jsRuntimeSection(ir: ScheduleIR, I: string): string[] {
  const rt = runtimeOf(ir);
  const settings = rt.settings;
  const out: string[] = [
    "/** A check of the schedule failed for the settings given; `code` is the compiler's. */",
    "export class AnnealError extends Error {",
    `${I}constructor(code, message) {`,
    `${I}${I}super(\`\${code}: \${message}\`);`,
    `${I}${I}this.name = "AnnealError";`,
    `${I}${I}this.code = code;`,
    `${I}${I}this.detail = message;`,
    `${I}}`,
    "}",
    "",
    "// A number as the compiler's messages write it (check/values.ts): `4,000`, `0.4`, `1.5e-4`.",
    "function fmt(x) {",
    `${I}if (!Number.isFinite(x)) return x > 0 ? "infinity" : x < 0 ? "-infinity" : "NaN";`,
    `${I}if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toLocaleString("en-US");`,
    `${I}const r = Number(x.toPrecision(6));`,
    `${I}return r !== 0 && Math.abs(r) < 1e-3 ? r.toExponential() : String(r);`,
    "}",
    "",
    "// A setting's value: a finite number, or an error naming the option.",
    "function setting(name, value) {",
    `${I}if (typeof value !== "number") throw new TypeError(\`\${name} must be a number, not \${value === null ? "null" : typeof value}\`);`,
    `${I}if (!Number.isFinite(value)) throw new AnnealError("A109", \`\\\`\${name}\\\` is \${value}; every rate and duration must be finite\`);`,
    `${I}return value;`,
    "}",
    "",
    "/** The settings in force when no option is given: the file's values (a `?` setting's preview). */",
    `export const SETTINGS = Object.freeze({ ${settings.map((s) => `${JS_KEYS[s.key]}: ${s.value === undefined ? "null" : jsNumber(s.value)}`).join(", ")} });`,
    "/** The settings the file leaves to run time (written `?`). */",
    `export const BOUND_AT_RUN_TIME = Object.freeze([${settings.filter((s) => s.bound).map((s) => jsString(JS_KEYS[s.key])).join(", ")}]);`,
    "",
    "/**",
    " * The schedule's ticks for these settings, checked as `anneal check` checks them.",
    " *",
    ...settings.map((s) => ` * \`${JS_KEYS[s.key]}\`: ${KEYWORD_WORDS[s.key]}${s.refused ? " (not accepted here: see the error)" : ""}.`),
    " *",
    " * Returns the tick variables of the closed form and the settings used. A failed check",
    " * throws an AnnealError, whose message is the compiler's code and message.",
    " */",
    `export function resolveSettings(options = {}) {`,
    `${I}if (options === null || typeof options !== "object") throw new TypeError("the settings must be an object such as { ${settings.filter((s) => !s.refused).map((s) => `${JS_KEYS[s.key]}: ...`).join(", ")} }");`,
    `${I}const known = [${settings.map((s) => jsString(JS_KEYS[s.key])).join(", ")}];`,
    `${I}for (const name of Object.keys(options)) {`,
    `${I}${I}if (!known.includes(name)) throw new TypeError(\`unknown setting \${name}; the settings are \${known.join(", ")}\`);`,
    `${I}}`,
  ];
  for (const s of settings) {
    const field = `options.${JS_KEYS[s.key]}`;
    if (s.refused) {
      out.push(`${I}if (${field} !== undefined && ${field} !== null) throw new TypeError(${jsString(`${JS_KEYS[s.key]} cannot be passed to this module: ${s.refused}`)});`);
      out.push(`${I}const ${s.key} = ${s.key === "total" ? "null" : `SETTINGS.${JS_KEYS[s.key]}`};`);
      continue;
    }
    out.push(
      `${I}const ${s.key} = ${field} !== undefined && ${field} !== null ? setting(${jsString(JS_KEYS[s.key])}, ${field}) : ${s.key === "total" ? "null" : `SETTINGS.${JS_KEYS[s.key]}`};`,
    );
  }
  for (const st of rt.program) {
    if (st.kind === "let") out.push(`${I}const ${st.name} = ${jsSym(st.expr)};`);
    else if (st.kind === "positive") out.push(`${I}if (${st.key} !== null && !(${st.key} > 0)) throw new AnnealError(${jsString(st.code)}, ${jsString(st.message)});`);
    else if (st.severity === "error") out.push(`${I}if (${jsCond(st.when)}) throw new AnnealError(${jsString(st.code)}, ${jsMessage(st.message)});`);
    else {
      // As in Python: with the file's own values `anneal check` has said it; warn for passed ones.
      const passed = (st.keys ?? RUNTIME_KEYS).filter((k) => settings.some((s) => s.key === k && !s.refused)).map((k) => `options.${JS_KEYS[k]} != null`);
      if (passed.length > 0) out.push(`${I}if ((${passed.join(" || ")}) && ${jsCond(st.when)}) console.warn(${jsString(`${st.code}: `)} + ${jsMessage(st.message)});`);
    }
  }
  if (!rt.program.some((st) => st.kind === "let" && st.name === "total_ticks")) out.push(`${I}const total_ticks = ${jsSym(rt.total)};`);
  const names = tickNames(rt);
  const used = settings.map((s) => `${JS_KEYS[s.key]}: ${s.key === "total" ? "total_ticks" : s.key}`);
  out.push(`${I}return { ticks: { ${names.join(", ")} }, settings: { ${used.join(", ")} } };`, "}");
  return out;
}
