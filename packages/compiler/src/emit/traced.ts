// What the traced targets (Keras and optax) share: the dialect that spells the evaluator's
// formulas over keras.ops or jax.numpy arrays, and the Python that opens both modules.
//
// A traced rate is computed inside a compiled graph (XLA under `jax.jit`, a tf.function),
// where Python cannot branch on a value. The formulas are the shapes' own (`spell`), in
// the expression form of `lrAtTracedBody`: every segment computed, `where` selecting. The
// dialect differs from Python's only in names: `ns.cos` for `math.cos`, `ns.where` for a
// conditional expression, and so on, so the operations and their order are the same.

import { paramSchedule } from "../evaluate.js";
import { HYPER_PARAMS, type HyperParam, type ScheduleIR } from "../ir.js";
import { tracedCountAtOrBelowSource } from "../shapes/multistep.js";
import { tracedRestartCycleSource } from "../shapes/restarts.js";
import type { Dialect } from "./dialect.js";
import { pyDocstring, pyString } from "./escape.js";
import { helpersNeeded, lrAtTracedBody } from "./formula.js";
import { headerLines, type EmitOptions } from "./header.js";
import { pyConstants, pythonDialect } from "./pytorch.js";
import { pyRuntimeSection, RUNTIME_IMPORTS, runtimeOf, spelledChain, tickNames } from "./runtime.js";

export const INDENT = "    ";

/** The dialect over the array namespace `ns` (`ops` for keras.ops, `jnp` for jax.numpy). */
export function tracedDialect(ns: string): Dialect {
  return {
    ...pythonDialect,
    traced: true,
    cos: `${ns}.cos`,
    sqrt: `${ns}.sqrt`,
    floor: `${ns}.floor`,
    exp: `${ns}.exp`,
    min: `${ns}.minimum`,
    max: `${ns}.maximum`,
    // A rate's log goes through `_log`, which takes the log of a constant in double
    // precision: a rate such as 1e-300 is below float32's range, and its log is not.
    log: "_log",
    // A constant base to a large power (exp_range's gamma ** u over thousands of steps)
    // loses its float32 rounding u times over; `_pow` takes the base's log in double precision.
    pow: (base, exponent) => `_pow(${base}, ${exponent})`,
    select: (cond, ifTrue, ifFalse) => `${ns}.where(${cond}, ${ifTrue}, ${ifFalse})`,
    not: (cond) => `${ns}.logical_not(${cond})`,
    isNaN: (expr) => `${ns}.isnan(${expr})`,
    firstCycleOr: (ifFirst, otherwise) => `${ns}.where(cycle == 0, ${ifFirst}, ${otherwise})`,
    countAtOrBelow: (milestones, u) => `_count_at_or_below(${milestones}, ${u})`,
    restartCycle: (u, period, mult, len) => `_restart_cycle(${u}, ${period}, ${mult}, ${len})`,
  };
}

/** The module docstring of a traced target. */
export function tracedDocstring(ir: ScheduleIR, opts: EmitOptions, target: string, stepping: string[], afterK: string, extra: string[]): string {
  const lines = headerLines(ir, opts, { target, stepping, afterK });
  const notes: string[] = [];
  if (ir.params !== undefined && Object.keys(ir.params).length > 0) {
    notes.push(
      "",
      `This schedule also sets ${Object.keys(ir.params).join(", ")}; each has a schedule of its own here, beside`,
      "the learning rate's (see below).",
    );
  }
  return pyDocstring([...lines, ...notes, ...extra].join("\n") + "\n");
}

/**
 * A traced module up to its framework's part: the imports (`imports`, the framework's own),
 * the constants every Python target defines, the run-time section (`resolve_settings`) and
 * the closed form over namespace `ns`.
 */
export function tracedModuleHead(ir: ScheduleIR, opts: EmitOptions, imports: string[], ns: string): string[] {
  return [
    "import math",
    ...RUNTIME_IMPORTS,
    "",
    ...imports,
    "",
    ...pyConstants(ir, opts),
    "",
    "",
    ...pyRuntimeSection(ir, pythonDialect, INDENT),
    "",
    "",
    ...tracedClosedForm(ir, ns),
    "",
    "",
  ];
}

/**
 * The helpers and `_closed_form(ticks...)`, which returns `lr_at(step[, base_lr],
 * integer_count=False)` over arrays of namespace `ns`: elementwise, so it takes one step
 * or an array of them. The tick variables are the ones `resolve_settings` gives, as plain
 * Python floats: constants of the traced graph. `integer_count` says, while tracing, that
 * the step came from an integer count, which is never NaN, so the NaN guard is left out.
 */
export function tracedClosedForm(ir: ScheduleIR, ns: string): string[] {
  const d = tracedDialect(ns);
  const rt = runtimeOf(ir);
  const body = lrAtTracedBody(ir, d, INDENT, "total_ticks", spelledChain(ir.segments, ir.final, rt.rate, pythonDialect), "integer_count");
  // Each hyperparameter chain (`momentum:`, ...) in the same expression form, as `momentum_at`.
  const paramBodies: [string, string[]][] = [];
  for (const name of HYPER_PARAMS) {
    const p = paramSchedule(ir, name);
    const t = rt.params?.[name];
    if (p && t) paramBodies.push([name, lrAtTracedBody(p, d, INDENT, "total_ticks", spelledChain(p.segments, p.final, t, pythonDialect), "integer_count")]);
  }
  const all = [...body, ...paramBodies.flatMap(([, b]) => b)];
  const out: string[] = [];
  const need = helpersNeeded(ir);
  if (need.restartCycle) out.push(...tracedRestartCycleSource(ns, INDENT), "", "");
  if (need.countAtOrBelow) out.push(...tracedCountAtOrBelowSource(ns, INDENT), "", "");
  if (all.some((l) => l.includes("_pow("))) {
    out.push(
      "def _pow(base, exponent):",
      `${INDENT}"""\`base ** exponent\` for a positive constant base, through its log in double precision."""`,
      `${INDENT}return ${ns}.exp(math.log(base) * exponent)`,
      "",
      "",
    );
  }
  if (all.some((l) => l.includes("_log("))) {
    out.push(
      "def _log(x):",
      `${INDENT}"""The log of a rate: of a constant in double precision, else elementwise."""`,
      `${INDENT}return math.log(x) if isinstance(x, float) else ${ns}.log(x)`,
      "",
      "",
    );
  }
  const params = ir.relative ? "step, base_lr" : "step";
  const doc = ir.relative
    ? "the learning rate at `step` (a float array) for a base rate of `base_lr`, elementwise"
    : "the learning rate at `step` (a float array; 0 is the first step), elementwise";
  const nest = (lines: string[]) => lines.map((l) => (l === "" ? l : INDENT + l));
  out.push(
    `def _closed_forms(${tickNames(rt).join(", ")}):`,
    `${INDENT}"""The closed forms for resolved ticks (\`resolve_settings\`), by name: \`lr_at(${params}, integer_count=False)\`,`,
    `${INDENT}${doc}, and each hyperparameter's (\`momentum_at(step, integer_count=False)\`, ...)."""`,
    "",
    ...nest([`def lr_at(${params}, integer_count=False):`, ...body]),
  );
  for (const [name, b] of paramBodies) out.push("", ...nest([`def ${name}_at(step, integer_count=False):`, ...b]));
  out.push("", `${INDENT}return {${tracedFormNames(ir).map((n) => `${pyString(n)}: ${n}`).join(", ")}}`);
  return out;
}

/** The closed forms a traced module carries: `lr_at`, then `momentum_at` and the others it schedules. */
export function tracedFormNames(ir: ScheduleIR): string[] {
  return ["lr_at", ...HYPER_PARAMS.filter((n) => ir.params?.[n] !== undefined).map((n) => `${n}_at`)];
}

/** What each hyperparameter is, for the traced modules' docstrings. */
export const TRACED_PARAM_WORDS: Record<HyperParam, string> = {
  momentum: "the momentum (SGD's `momentum`, or the first beta: optax's `b1`, Keras's `beta_1`)",
  beta2: "the second beta (optax's `b2`, Keras's `beta_2`)",
  weight_decay: "the weight decay",
};

/**
 * What a traced module takes when it is built, as `(name, what it is)`: the base rate of a
 * relative schedule, and the updates per epoch of an epoch-clock schedule (both frameworks
 * count optimizer updates, and the epoch is that count over `steps_per_epoch`).
 */
export function tracedSettings(ir: ScheduleIR): [string, string][] {
  const out: [string, string][] = [];
  if (ir.relative) out.push(["base_lr", "the base learning rate that the relative schedule scales"]);
  if (ir.clock === "epochs") out.push(["steps_per_epoch", "the number of optimizer updates in one epoch, since the schedule counts epochs"]);
  return out;
}

/**
 * Statements (at `indent`) that raise ValueError unless each setting (of `only`, when given)
 * is a positive number; `target` prefixes a name.
 */
export function tracedSettingChecks(ir: ScheduleIR, indent: string, target = "", only?: string[]): string[] {
  const out: string[] = [];
  for (const [n, what] of tracedSettings(ir)) {
    if (only && !only.includes(n)) continue;
    out.push(
      `${indent}if not (isinstance(${n}, numbers.Real) and ${n} > 0):`,
      `${indent}${INDENT}raise ValueError(${pyString(`${n} must be a positive number, ${what}`)} + f"; got {${n}!r}")`,
      `${indent}${target}${n} = float(${n})`,
    );
  }
  return out;
}
