// The Keras target: a Keras 3 `LearningRateSchedule` for one schedule.
//
// The rate is computed with `keras.ops` in the expression form of the formulas
// (`traced.ts`), so it runs eagerly and inside any backend's compiled graph (JAX's jit,
// TensorFlow's tf.function, torch). The class is registered serializable under a name
// that carries the spec's fingerprint, so a model saved to `.keras` loads back with the
// same schedule, and `keras.optimizers.schedules.serialize`/`deserialize` round-trip.
// Keras counts optimizer updates; an epoch-clock schedule takes `steps_per_epoch` and reads
// the epoch as `floor(step / steps_per_epoch)`.

import type { ScheduleIR } from "../ir.js";
import { pascalIdentifier, pyString } from "./escape.js";
import { runtimeOf } from "./runtime.js";
import type { EmitOptions } from "./header.js";
import { scheduleFingerprint } from "./state.js";
import { HYPER_PARAMS } from "../ir.js";
import { INDENT, TRACED_PARAM_WORDS, tracedDocstring, tracedModuleHead, tracedSettingChecks, tracedSettings } from "./traced.js";

export function emitKeras(ir: ScheduleIR, opts: EmitOptions): string {
  const cls = pascalIdentifier(ir.name === "default" ? "" : ir.name, "Schedule");
  const params = tracedSettings(ir);
  const traced = params.map(([n]) => n);
  // The settings bound at run time are constructor arguments too (None: the file's value);
  // an epoch clock's `steps_per_epoch` is one already, and serves both.
  const keys = runtimeOf(ir).settings.map((s) => s.key).filter((k) => !traced.includes(k));
  const names = [...traced, ...keys];
  const epochs = ir.clock === "epochs";
  const call = `build_schedule(${[...traced, ...runtimeOf(ir).settings.filter((s) => s.bound).map((s) => s.key)].map((n) => `${n}=...`).join(", ")})`;
  const usage = [
    "",
    "Usage (any Keras 3 backend):",
    "",
    `    optimizer = keras.optimizers.AdamW(learning_rate=${call})`,
    "    model.compile(optimizer=optimizer, loss=...)",
    "",
    "The schedule's state is the optimizer's own step count, so a model saved to `.keras` and",
    "loaded back resumes on the same curve. The class is registered as",
    `\`anneal>${cls}_${scheduleFingerprint(ir)}\`: a file saved with another spec does not load silently with this one.`,
  ];
  const stepping = [
    epochs
      ? "Keras calls the schedule with the optimizer's update count; the epoch is that count over `steps_per_epoch`."
      : "Keras calls the schedule with the optimizer's update count before every update.",
  ];
  const I = INDENT;
  const stepLine = epochs ? [`${I}${I}step = ops.floor(step / self.steps_per_epoch)`] : [];
  const rate = ir.relative ? 'self._forms["lr_at"](step, self.base_lr, integer_count)' : 'self._forms["lr_at"](step, integer_count=integer_count)';
  const init = [
    `${I}def __init__(self${traced.map((n) => `, ${n}`).join("")}${keys.length > 0 ? `, ${keys.map((k) => `${k}=None`).join(", ")}` : ""}):`,
    `${I}${I}super().__init__()`,
  ];
  init.push(...tracedSettingChecks(ir, I + I, "self."));
  // Resolved here, in plain Python: the ticks are constants of the traced graph, and the
  // arguments as given go into the config, so a loaded model resolves them the same way.
  for (const k of keys) init.push(`${I}${I}self.${k} = ${k}`);
  init.push(
    `${I}${I}ticks, self.settings = resolve_settings(${runtimeOf(ir).settings.map((s) => `${s.key}=${keys.includes(s.key) || (traced.includes(s.key) && !s.refused) ? s.key : "None"}`).join(", ")})`,
    `${I}${I}self._forms = _closed_forms(**ticks)`,
  );
  const lines = [
    tracedDocstring(ir, opts, "keras", stepping, "optimizer updates", usage),
    "",
    ...tracedModuleHead(ir, opts, ["import keras", "from keras import ops"], "ops"),
    `@keras.saving.register_keras_serializable(package="anneal", name=${pyString(`${cls}_${scheduleFingerprint(ir)}`)})`,
    `class ${cls}(keras.optimizers.schedules.LearningRateSchedule):`,
    `${I}"""The schedule ${pyString(ir.name)} as a Keras LearningRateSchedule, built from keras.ops."""`,
    "",
    ...init,
    "",
    `${I}def _tick(self, step):`,
    `${I}${I}"""The schedule's tick at the optimizer's update count \`step\`, and whether that count is an integer."""`,
    `${I}${I}step = ops.convert_to_tensor(step)`,
    `${I}${I}# The optimizer's update count is an integer, which is never NaN: decided while tracing.`,
    `${I}${I}integer_count = keras.backend.is_int_dtype(step.dtype)`,
    `${I}${I}step = ops.cast(step, keras.config.floatx())`,
    ...stepLine,
    `${I}${I}return step, integer_count`,
    "",
    `${I}def __call__(self, step):`,
    `${I}${I}step, integer_count = self._tick(step)`,
    `${I}${I}return ${rate}`,
    ...HYPER_PARAMS.filter((n) => ir.params?.[n]).flatMap((n) => [
      "",
      `${I}def ${n}_at(self, step):`,
      `${I}${I}"""${TRACED_PARAM_WORDS[n].charAt(0).toUpperCase()}${TRACED_PARAM_WORDS[n].slice(1)} at the optimizer's update count \`step\`, from keras.ops."""`,
      `${I}${I}step, integer_count = self._tick(step)`,
      `${I}${I}return self._forms[${pyString(`${n}_at`)}](step, integer_count=integer_count)`,
    ]),
    "",
    `${I}def get_config(self):`,
    `${I}${I}return {${names.map((n) => `${pyString(n)}: self.${n}`).join(", ")}}`,
    "",
    `${I}@classmethod`,
    `${I}def from_config(cls, config):`,
    `${I}${I}return cls(**config)`,
    "",
    "",
    "def build_schedule(**settings):",
    `${I}"""The schedule as a \`${cls}\`: pass it as an optimizer's \`learning_rate\`.`,
    ...params.map(([n, w]) => `${I}\`${n}\`: ${w}.`),
    `${I}"""`,
    `${I}return ${cls}(**settings)`,
    "",
  ];
  return lines.join("\n");
}
