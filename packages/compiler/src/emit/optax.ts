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
import { INDENT, tracedDocstring, tracedModuleHead, tracedSettingChecks, tracedSettings } from "./traced.js";

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
    `    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=${bound ? "schedule" : make})`,
    "",
    "The rate depends on optax's update count alone, which the optimizer state holds, so",
    "restoring the state resumes on the same curve.",
  ];
  const stepping = [
    ir.clock === "epochs"
      ? "optax calls the schedule with the update count; the epoch is that count over `steps_per_epoch`."
      : "optax calls the schedule with the update count, once per update.",
  ];
  const lines = [
    tracedDocstring(ir, opts, "optax", stepping, "updates", usage),
    "",
    ...tracedModuleHead(ir, opts, ["import jax.numpy as jnp"], "jnp"),
    `def make_schedule(${[...names, ...(keys.length > 0 ? ["*", ...keys.map((k) => `${k}=None`)] : [])].join(", ")}):`,
    `${I}"""An optax schedule: \`schedule(count)\` is the rate after \`count\` updates.`,
    ...params.map(([n, w]) => `${I}\`${n}\`: ${w}.`),
    `${I}The settings bound at run time are \`resolve_settings\`'s keywords; they are resolved`,
    `${I}here, in plain Python, and are constants of the traced schedule.`,
    `${I}"""`,
    ...tracedSettingChecks(ir, I),
    `${I}ticks, _settings = resolve_settings(${runtimeOf(ir).settings.map((s) => `${s.key}=${keys.includes(s.key) || (names.includes(s.key) && !s.refused) ? s.key : "None"}`).join(", ")})`,
    `${I}lr_at = _closed_form(**ticks)`,
    "",
    `${I}def schedule(count):`,
    `${I}${I}count = jnp.asarray(count)`,
    `${I}${I}# optax's count is an integer, which is never NaN: decided here, while tracing.`,
    `${I}${I}integer_count = jnp.issubdtype(count.dtype, jnp.integer)`,
    `${I}${I}# JAX's default float: float32, or float64 under jax_enable_x64.`,
    `${I}${I}step = count.astype(jnp.result_type(float))`,
    ...(ir.clock === "epochs" ? [`${I}${I}step = jnp.floor(step / steps_per_epoch)`] : []),
    `${I}${I}return ${ir.relative ? "lr_at(step, base_lr, integer_count)" : "lr_at(step, integer_count=integer_count)"}`,
    "",
    `${I}return schedule`,
    "",
  ];
  if (bound) lines.push("", "schedule = make_schedule()", "");
  return lines.join("\n");
}
