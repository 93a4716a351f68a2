// The optax target: a pure `schedule(count)` in jax.numpy for one schedule.
//
// optax calls a schedule with the update count (an integer array) and jit-compiles it with
// the update, so the rate is computed in the expression form of the formulas (`traced.ts`):
// no Python branch on a value (the one branch is on the count's dtype, fixed while
// tracing: an integer count needs no NaN guard). It computes in JAX's default float (float32, or float64
// with `jax_enable_x64`). `make_schedule(**settings)` returns a schedule; the module also
// binds `schedule` itself when nothing needs to be given (an absolute, step-clock schedule).

import type { ScheduleIR } from "../ir.js";
import type { EmitOptions } from "./header.js";
import { runtimeOf } from "./runtime.js";
import { HYPER_PARAMS, type HyperParam } from "../ir.js";
import { pyString } from "./escape.js";
import { INDENT, TRACED_PARAM_WORDS, tracedDocstring, tracedModuleHead, tracedSettingChecks, tracedSettings } from "./traced.js";

export function emitOptax(ir: ScheduleIR, opts: EmitOptions): string {
  const I = INDENT;
  const params = tracedSettings(ir);
  const names = params.map(([n]) => n);
  // The settings bound at run time, as `build_scheduler` of the PyTorch module takes them;
  // an epoch clock's `steps_per_epoch` is already a parameter, and serves both.
  const keys = runtimeOf(ir).settings.map((s) => s.key).filter((k) => !names.includes(k));
  const bound = names.length === 0 && !runtimeOf(ir).settings.some((s) => s.bound);
  const make = `make_schedule(${names.map((n) => `${n}=...`).join(", ")})`;
  const usage = [
    "",
    "Usage:",
    "",
    `    optimizer = optax.adamw(learning_rate=${bound ? "schedule" : make})`,
    `    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=${bound ? "schedule" : make}${optaxParamArgs(ir)})`,
    "",
    "The rate depends on optax's update count alone, which the optimizer state holds, so",
    "restoring the state resumes on the same curve.",
  ];
  const stepping = [
    ir.clock === "epochs"
      ? "optax calls the schedule with the update count; the epoch is that count over `steps_per_epoch`."
      : "optax calls the schedule with the update count, once per update.",
  ];
  const resolve = (given: string[]) =>
    `${I}ticks, _settings = resolve_settings(${runtimeOf(ir).settings.map((s) => `${s.key}=${keys.includes(s.key) || (given.includes(s.key) && !s.refused) ? s.key : "None"}`).join(", ")})`;
  const signature = (given: string[]) => [...given, ...(keys.length > 0 ? ["*", ...keys.map((k) => `${k}=None`)] : [])].join(", ");
  const epochs = ir.clock === "epochs";
  const lines = [
    tracedDocstring(ir, opts, "optax", stepping, "updates", usage),
    "",
    ...tracedModuleHead(ir, opts, ["import jax.numpy as jnp"], "jnp"),
    "def _schedule_of(form, args, steps_per_epoch=None):",
    `${I}"""\`schedule(count)\`: the closed form \`form\` at optax's update count."""`,
    "",
    `${I}def schedule(count):`,
    `${I}${I}count = jnp.asarray(count)`,
    `${I}${I}# optax's count is an integer, which is never NaN: decided here, while tracing.`,
    `${I}${I}integer_count = jnp.issubdtype(count.dtype, jnp.integer)`,
    `${I}${I}# JAX's default float: float32, or float64 under jax_enable_x64.`,
    `${I}${I}step = count.astype(jnp.result_type(float))`,
    `${I}${I}if steps_per_epoch is not None:`,
    `${I}${I}${I}step = jnp.floor(step / steps_per_epoch)`,
    `${I}${I}return form(step, *args, integer_count=integer_count)`,
    "",
    `${I}return schedule`,
    "",
    "",
    `def make_schedule(${signature(names)}):`,
    `${I}"""An optax schedule: \`schedule(count)\` is the rate after \`count\` updates.`,
    ...params.map(([n, w]) => `${I}\`${n}\`: ${w}.`),
    `${I}The settings bound at run time are \`resolve_settings\`'s keywords; they are resolved`,
    `${I}here, in plain Python, and are constants of the traced schedule.`,
    `${I}"""`,
    ...tracedSettingChecks(ir, I),
    resolve(names),
    `${I}return _schedule_of(_closed_forms(**ticks)["lr_at"], (${ir.relative ? "base_lr," : ""})${epochs ? ", steps_per_epoch" : ""})`,
    "",
  ];
  // Each hyperparameter chain as a schedule of its own, for optax.inject_hyperparams.
  const given = epochs ? ["steps_per_epoch"] : [];
  for (const name of HYPER_PARAMS) {
    if (!ir.params?.[name]) continue;
    lines.push(
      "",
      `def make_${name}_schedule(${signature(given)}):`,
      `${I}"""\`schedule(count)\`: ${TRACED_PARAM_WORDS[name]} after \`count\` updates, for`,
      `${I}\`optax.inject_hyperparams\`. The settings are \`make_schedule\`'s."""`,
      ...tracedSettingChecks(ir, I, "", given),
      resolve(given),
      `${I}return _schedule_of(_closed_forms(**ticks)[${pyString(`${name}_at`)}], ()${epochs ? ", steps_per_epoch" : ""})`,
      "",
    );
  }
  if (bound) lines.push("", "schedule = make_schedule()", "");
  return lines.join("\n");
}

/** optax's names for the hyperparameters a schedule sets, as `inject_hyperparams` arguments. */
const OPTAX_ARG: Record<HyperParam, string> = { momentum: "b1", beta2: "b2", weight_decay: "weight_decay" };

function optaxParamArgs(ir: ScheduleIR): string {
  const epochs = ir.clock === "epochs" ? "steps_per_epoch=..." : "";
  return HYPER_PARAMS.filter((n) => ir.params?.[n]).map((n) => `, ${OPTAX_ARG[n]}=make_${n}_schedule(${epochs})`).join("");
}
