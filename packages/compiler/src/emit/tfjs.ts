// The TF.js target: an ES module (and its `.d.ts`) for training with `@tensorflow/tfjs`.
//
// The module imports nothing, so it works with `@tensorflow/tfjs`, `tfjs-node` or any
// bundle. It exports the schedule's constants, `lrAt` in closed form (the evaluator's
// formulas, spelled by `formula.ts`), and `lrCallback`, a `model.fit` callback that sets
// the optimizer's learning rate before every batch (or every epoch on an epoch clock).
// tf.train's SGD and momentum optimizers cache the rate in a tensor, so the callback calls
// their `setLearningRate`; Adam, RMSProp, Adagrad, Adadelta and Adamax read the
// `learningRate` field at every update, so assigning it is enough (tfjs-core 4.22).

import { paramSchedule } from "../evaluate.js";
import { HYPER_PARAMS, type HyperParam, type ScheduleIR } from "../ir.js";
import { intLiteral, jsCommentText, jsLineComment, jsNumber, jsString } from "./escape.js";
import type { Dialect } from "./dialect.js";
import { helpersNeeded, lrAtBody } from "./formula.js";
import { countAtOrBelowSource } from "../shapes/multistep.js";
import { restartCycleSource } from "../shapes/restarts.js";
import { headerLines, type EmitOptions } from "./header.js";
import { scheduleFingerprint } from "./state.js";
import { JS_KEYS, jsRuntimeSection, KEYWORD_WORDS, runtimeOf, spelledChain, tickNames } from "./runtime.js";

const INDENT = "  ";

export const jsDialect: Dialect = {
  lang: "js",
  traced: false,
  roundTicks: "Math.round",
  num: jsNumber,
  cos: "Math.cos",
  sqrt: "Math.sqrt",
  floor: "Math.floor",
  pi: "Math.PI",
  exp: "Math.exp",
  min: "Math.min",
  max: "Math.max",
  pow: (base, exponent) => `${base} ** ${exponent}`,
  log: "Math.log",
  select: (cond, ifTrue, ifFalse) => `(${cond} ? ${ifTrue} : ${ifFalse})`,
  nan: "NaN",
  baseLr: "baseLr",
  assign: (name, expr) => `const ${name} = ${expr};`,
  reassign: (name, expr) => `${name} = ${expr};`,
  not: (cond) => `!(${cond})`,
  isNaN: (expr) => `Number.isNaN(${expr})`,
  assignCycle: (call) => `const [cycle, offset, length] = ${call};`,
  ret: (expr) => `return ${expr};`,
  firstCycleOr: (ifFirst, otherwise) => `cycle === 0 ? ${ifFirst} : ${otherwise}`,
  countAtOrBelow: (milestones, u) => `countAtOrBelow(${milestones}, ${u})`,
  restartCycle: (u, period, mult) => `restartCycle(${u}, ${period}, ${mult})`,
  list: (items) => `[${items.join(", ")}]`,
  comment: (text) => `// ${jsLineComment(text)}`,
  ifOpen: (cond) => `if (${cond}) {`,
  ifClose: "}",
};

function stepping(ir: ScheduleIR): string[] {
  return ir.clock === "epochs"
    ? ["Pass `lrCallback(model)` to `model.fit`: it sets the optimizer's rate before every epoch."]
    : ["Pass `lrCallback(model)` to `model.fit`: it sets the optimizer's rate before every batch."];
}

/** The header as a block comment. */
function blockComment(lines: string[]): string[] {
  return ["/*", ...lines.map((l) => (l === "" ? " *" : ` * ${jsCommentText(l)}`)), " */"];
}

function header(ir: ScheduleIR, opts: EmitOptions): string[] {
  return blockComment(headerLines(ir, opts, {
    target: "tfjs",
    stepping: stepping(ir),
    afterK: ir.clock === "epochs" ? "epochs" : "batches",
  }));
}

function constants(ir: ScheduleIR, opts: EmitOptions): string[] {
  const out = [
    `export const SCHEDULE = ${jsString(ir.name)};`,
    `export const SOURCE = ${opts.source === undefined ? "null" : jsString(opts.source)};`,
    '/** "steps": the rate changes before every batch; "epochs": before every epoch. */',
    `export const CLOCK = ${jsString(ir.clock)};`,
    `export const RELATIVE = ${ir.relative ? "true" : "false"};`,
  ];
  if (!ir.relative) out.push(`export const PEAK = ${jsNumber(ir.peak ?? 1)};`);
  out.push("/** A fingerprint of what decides the rates (state.ts, the PyTorch module's too): a callback's `state` carries it. */", `export const FINGERPRINT = ${jsString(scheduleFingerprint(ir))};`);
  return out;
}

/** What the past-end guard says after the count, from the clock: the usual cause. */
function pastEndWords(ir: ScheduleIR): string {
  return ir.clock === "epochs"
    ? "this schedule counts epochs: train for its total (model.fit's `epochs`), or write the total the run trains for"
    : "this schedule counts optimizer steps; if a batch is not one optimizer step, or the total was written in epochs, its total is too short: pass `total` or `stepsPerEpoch` to buildSchedule for the steps actually taken";
}

/**
 * `resumedStep(state, settings)`: the step of a state a callback's `state` gave, after
 * checking what made it as the PyTorch module's `load_state_dict` does: another spec, or
 * the same spec with other settings, warns once on the console, naming both.
 */
function resumeCheck(): string[] {
  const I = INDENT;
  return [
    "/** The step of a saved `lrCallback(...).state`; warns, naming both, when another spec or other settings made it. */",
    "function resumedStep(state, settings) {",
    `${I}if (state === null || typeof state !== "object" || !Number.isInteger(state.step) || state.step < 0) {`,
    `${I}${I}throw new TypeError("lrCallback: \`state\` is what a callback's \`state\` gave, with a whole \`step\` of 0 or more");`,
    `${I}}`,
    `${I}const specOf = (s) => \`schedule \${JSON.stringify(s.schedule)} of \${s.source ?? "an unnamed source"} (fingerprint \${s.fingerprint})\`;`,
    `${I}if (state.fingerprint !== FINGERPRINT) {`,
    `${I}${I}console.warn(\`lrCallback: this state was saved by \${specOf(state)}, and this callback follows \${specOf({ schedule: SCHEDULE, source: SOURCE, fingerprint: FINGERPRINT })}: the spec changed, so training continues on this spec's curve from the saved step\`);`,
    `${I}} else if (JSON.stringify(state.settings) !== JSON.stringify(settings)) {`,
    `${I}${I}console.warn(\`lrCallback: this state was saved with the settings \${JSON.stringify(state.settings)}, and this callback was built with \${JSON.stringify(settings)}; training continues on this callback's curve from the saved step\`);`,
    `${I}}`,
    `${I}return state.step;`,
    "}",
  ];
}

function helpers(ir: ScheduleIR): string[] {
  const need = helpersNeeded(ir);
  const out: string[] = [];
  if (need.restartCycle) out.push(...restartCycleSource(jsDialect, INDENT), "");
  if (need.countAtOrBelow) out.push(...countAtOrBelowSource(INDENT), "");
  return out;
}

function callback(ir: ScheduleIR): string[] {
  const epochs = ir.clock === "epochs";
  const rate = ir.relative ? "lrAt(t, baseLr)" : "lrAt(t)";
  const lines = [
    "/**",
    ` * A \`model.fit\` callback that sets the optimizer's learning rate to \`lrAt\` before every ${epochs ? "epoch" : "batch"}.`,
    " *",
    " * `target` is the model being trained (its optimizer is used) or a tf.train optimizer.",
    epochs
      ? " * The epoch index comes from `model.fit`, so resuming with `initialEpoch` continues the schedule."
      : " * `options.initialStep` is the number of optimizer steps already taken, to resume a run; the",
  ];
  if (!epochs) lines.push(" * callback's `step` is the count to save with a checkpoint.");
  if (ir.relative) {
    lines.push(
      " * The schedule is relative: its base rate is `options.baseLr`, or else the optimizer's rate",
      " * when training begins (pass `baseLr` when resuming, since the optimizer then holds a scheduled rate).",
    );
  }
  lines.push(
    " */",
    "export function lrCallback(target, options = {}) {",
    `${INDENT}return DEFAULT.lrCallback(target, options);`,
    "}",
    "",
    ...resumeCheck(),
    "",
    "/** `lrCallback` over the closed forms of one set of settings (`buildSchedule`). */",
    "function callbackFor(forms, totalSteps, settings, target, options) {",
    `${INDENT}const { ${formNames(ir).join(", ")} } = forms;`,
    `${INDENT}if (target === null || typeof target !== "object") {`,
    `${INDENT}${INDENT}throw new TypeError("lrCallback(target): pass the model being trained or its optimizer");`,
    `${INDENT}}`,
    `${INDENT}if (options.state !== undefined && options.initialStep !== undefined) {`,
    `${INDENT}${INDENT}throw new TypeError("lrCallback: pass \`state\` (a saved callback's) or \`initialStep\`, not both");`,
    `${INDENT}}`,
    `${INDENT}let step = options.state !== undefined ? resumedStep(options.state, settings) : (options.initialStep ?? 0);`,
    `${INDENT}// Twice the total: past it, the loop most likely counts on another clock than the schedule's.`,
    `${INDENT}let warnAt = options.warnPastEnd === false ? Infinity : 2 * totalSteps;`,
  );
  if (ir.relative) lines.push(`${INDENT}let baseLr = options.baseLr;`);
  lines.push(
    `${INDENT}const optimizerOf = () => {`,
    `${INDENT}${INDENT}const optimizer = "optimizer" in target ? target.optimizer : target;`,
    `${INDENT}${INDENT}if (optimizer == null) throw new Error("lrCallback: the model has no optimizer; compile it before fit");`,
    `${INDENT}${INDENT}return optimizer;`,
    `${INDENT}};`,
    `${INDENT}const apply = (t) => {`,
    `${INDENT}${INDENT}if (t >= warnAt) {`,
    `${INDENT}${INDENT}${INDENT}warnAt = Infinity;`,
    `${INDENT}${INDENT}${INDENT}console.warn(\`lrCallback: ${epochs ? "epoch ${t} is" : "${t} batches are"} twice this schedule's total of \${totalSteps} ${ir.clock}; ${pastEndWords(ir).replace(/`/g, "\\`")} (\\\`warnPastEnd: false\\\` silences this)\`);`,
    `${INDENT}${INDENT}}`,
    `${INDENT}${INDENT}const optimizer = optimizerOf();`,
  );
  if (ir.relative) lines.push(`${INDENT}${INDENT}if (baseLr === undefined) baseLr = optimizer.learningRate;`);
  if (ir.params && HYPER_PARAMS.some((n) => ir.params?.[n] !== undefined)) {
    lines.splice(
      lines.indexOf(`${INDENT}const apply = (t) => {`),
      0,
      `${INDENT}// What the optimizer cannot be given is said once, on the console, not silently dropped.`,
      `${INDENT}const said = new Set();`,
      `${INDENT}const say = (name, why) => {`,
      `${INDENT}${INDENT}if (said.has(name)) return;`,
      `${INDENT}${INDENT}said.add(name);`,
      `${INDENT}${INDENT}console.warn(\`lrCallback: the schedule sets \${name}, but \${why}\`);`,
      `${INDENT}};`,
    );
    lines.push(...paramApply(ir, INDENT + INDENT));
  }
  lines.push(
    `${INDENT}${INDENT}const lr = ${rate};`,
    `${INDENT}${INDENT}// SGD and momentum keep the rate in a cached tensor that only setLearningRate refreshes.`,
    `${INDENT}${INDENT}if (typeof optimizer.setLearningRate === "function") optimizer.setLearningRate(lr);`,
    `${INDENT}${INDENT}else optimizer.learningRate = lr;`,
    `${INDENT}};`,
    `${INDENT}const noop = async () => {};`,
    `${INDENT}return {`,
    `${INDENT}${INDENT}get step() {`,
    `${INDENT}${INDENT}${INDENT}return step;`,
    `${INDENT}${INDENT}},`,
    `${INDENT}${INDENT}// What to save with a checkpoint and pass back as \`state\`: the step, and what made it.`,
    `${INDENT}${INDENT}get state() {`,
    `${INDENT}${INDENT}${INDENT}return { step, fingerprint: FINGERPRINT, schedule: SCHEDULE, source: SOURCE, settings: { ...settings } };`,
    `${INDENT}${INDENT}},`,
    `${INDENT}${INDENT}// setParams and setModel let the callback also sit after a tf.Callback in a callbacks array.`,
    `${INDENT}${INDENT}setParams() {},`,
    `${INDENT}${INDENT}setModel() {},`,
  );
  if (ir.relative) {
    lines.push(
      `${INDENT}${INDENT}async onTrainBegin() {`,
      `${INDENT}${INDENT}${INDENT}if (baseLr === undefined) baseLr = optimizerOf().learningRate;`,
      `${INDENT}${INDENT}},`,
    );
  } else {
    lines.push(`${INDENT}${INDENT}onTrainBegin: noop,`);
  }
  lines.push(`${INDENT}${INDENT}onTrainEnd: noop,`);
  if (epochs) {
    lines.push(
      `${INDENT}${INDENT}async onEpochBegin(epoch) {`,
      `${INDENT}${INDENT}${INDENT}step = epoch;`,
      `${INDENT}${INDENT}${INDENT}apply(step);`,
      `${INDENT}${INDENT}},`,
      `${INDENT}${INDENT}async onEpochEnd(epoch) {`,
      `${INDENT}${INDENT}${INDENT}step = epoch + 1;`,
      `${INDENT}${INDENT}},`,
      `${INDENT}${INDENT}onBatchBegin: noop,`,
      `${INDENT}${INDENT}onBatchEnd: noop,`,
    );
  } else {
    lines.push(
      `${INDENT}${INDENT}onEpochBegin: noop,`,
      `${INDENT}${INDENT}onEpochEnd: noop,`,
      `${INDENT}${INDENT}async onBatchBegin() {`,
      `${INDENT}${INDENT}${INDENT}apply(step);`,
      `${INDENT}${INDENT}},`,
      `${INDENT}${INDENT}async onBatchEnd() {`,
      `${INDENT}${INDENT}${INDENT}step += 1;`,
      `${INDENT}${INDENT}},`,
    );
  }
  lines.push(`${INDENT}};`, "}");
  return lines;
}

/** The ES module. */
export function emitTfjs(ir: ScheduleIR, opts: EmitOptions): string {
  const rt = runtimeOf(ir);
  const keys = rt.settings.filter((s) => !s.refused).map((s) => JS_KEYS[s.key]);
  const bound = rt.settings.filter((s) => s.bound && !s.refused).map((s) => JS_KEYS[s.key]);
  const I = INDENT;
  const params = formNames(ir).filter((n) => n !== "lrAt");
  return [
    ...header(ir, opts),
    "",
    ...constants(ir, opts),
    "",
    ...helpers(ir),
    ...jsRuntimeSection(ir, I),
    "",
    ...closedForms(ir),
    "",
    "/**",
    " * The schedule for these settings, resolved and checked once: `{ totalSteps, settings,",
    ` * ${formNames(ir).join(", ")}, lrCallback }\`. The settings are ${keys.length > 0 ? keys.map((k) => `\`${k}\``).join(", ") : "none (this module takes no settings)"}, as \`anneal eval\`'s`,
    " * flags; one not given keeps the file's value (`SETTINGS`). A failed check throws an",
    " * AnnealError with the compiler's code and message.",
    ...(bound.length > 0 ? [" *", ` *     const schedule = buildSchedule({ ${bound.map((k) => `${k}: ${EXAMPLE_VALUE[k]}`).join(", ")} });`, " *     await model.fit(xs, ys, { callbacks: [schedule.lrCallback(model)] });"] : []),
    " */",
    "export function buildSchedule(options = {}) {",
    `${I}const { ticks, settings } = resolveSettings(options);`,
    `${I}const forms = closedForms(${tickNames(rt).map((n) => `ticks.${n}`).join(", ")});`,
    `${I}return Object.freeze({ totalSteps: ticks.total_ticks, settings: Object.freeze(settings), ...forms, lrCallback: (target, callbackOptions = {}) => callbackFor(forms, ticks.total_ticks, settings, target, callbackOptions) });`,
    "}",
    "",
    "// The schedule with the file's settings, which the exports below are.",
    "const DEFAULT = buildSchedule();",
    "/** Ticks in the schedule (optimizer steps, or epochs on an epoch clock) with the file's settings; the rate holds from here on. */",
    "export const TOTAL_STEPS = DEFAULT.totalSteps;",
    ir.relative
      ? "/** The learning rate at `step` for an optimizer whose base rate is `baseLr`, with the file's settings. */"
      : "/** The learning rate at `step` (0 is the first step; past TOTAL_STEPS it holds), with the file's settings. */",
    "export const lrAt = DEFAULT.lrAt;",
    ...params.flatMap((n) => [`/** The scheduled ${JS_PARAM_NAME[n]} at \`step\` (past TOTAL_STEPS it holds), with the file's settings. */`, `export const ${n} = DEFAULT.${n};`]),
    "",
    ...callback(ir),
    "",
  ].join("\n");
}

/** The name of the value the usage example passes for each option (`buildSchedule({ total: totalSteps })`). */
const EXAMPLE_VALUE: Record<string, string> = { total: "totalSteps", stepsPerEpoch: "batchesPerEpoch", tokensPerStep: "tokens", lr: "peakLr" };

/** The JavaScript name of a hyperparameter's closed form: `momentumAt`, `beta2At`, `weightDecayAt`. */
const JS_PARAM: Record<HyperParam, string> = { momentum: "momentumAt", beta2: "beta2At", weight_decay: "weightDecayAt" };
const JS_PARAM_NAME: Record<string, HyperParam> = Object.fromEntries(HYPER_PARAMS.map((n) => [JS_PARAM[n], n]));

/** The closed forms of the module, by their JavaScript names: `lrAt`, then each scheduled hyperparameter's. */
function formNames(ir: ScheduleIR): string[] {
  return ["lrAt", ...HYPER_PARAMS.filter((n) => ir.params?.[n] !== undefined).map((n) => JS_PARAM[n])];
}

/**
 * `closedForms(ticks...)`: `lrAt` and each hyperparameter's closed form over the resolved
 * tick variables (`resolveSettings`), so a schedule resolves once and every call reads constants.
 */
function closedForms(ir: ScheduleIR): string[] {
  const rt = runtimeOf(ir);
  const I = INDENT;
  const nest = (lines: string[]) => lines.map((l) => (l === "" ? l : I + l));
  const params = ir.relative ? "step, baseLr" : "step";
  const out = [
    "// The closed forms for resolved ticks (`resolveSettings`).",
    `function closedForms(${tickNames(rt).join(", ")}) {`,
    ...nest([`function lrAt(${params}) {`, ...lrAtBody(ir, jsDialect, INDENT, "total_ticks", spelledChain(ir.segments, ir.final, rt.rate, jsDialect)), "}"]),
  ];
  for (const name of HYPER_PARAMS) {
    const p = paramSchedule(ir, name);
    const t = rt.params?.[name];
    if (!p || !t) continue;
    out.push(...nest([`function ${JS_PARAM[name]}(step) {`, ...lrAtBody(p, jsDialect, INDENT, "total_ticks", spelledChain(p.segments, p.final, t, jsDialect)), "}"]));
  }
  out.push(`${I}return { ${formNames(ir).join(", ")} };`, "}");
  return out;
}

/**
 * The callback's statements that set the scheduled hyperparameters tf.train's optimizers
 * read at every update: Adam-family `beta1` (momentum) and `beta2`. tfjs 4.22's momentum
 * optimizer caches its momentum in a tensor at construction (its `setMomentum` does not
 * reach it), and no tf.train optimizer has weight decay, so those are said once, not set.
 */
function paramApply(ir: ScheduleIR, indent: string): string[] {
  const has = (n: HyperParam) => ir.params?.[n] !== undefined;
  const out: string[] = [];
  if (has("momentum")) {
    out.push(
      `${indent}if ("beta1" in optimizer) optimizer.beta1 = momentumAt(t);`,
      `${indent}else say("momentum", "this optimizer keeps its momentum fixed (tfjs caches it at construction); use tf.train.adam, whose beta1 the schedule sets, or drop the momentum chain");`,
    );
  }
  if (has("beta2")) out.push(`${indent}if ("beta2" in optimizer) optimizer.beta2 = beta2At(t);`, `${indent}else say("beta2", "this optimizer has no beta2; use tf.train.adam");`);
  if (has("weight_decay")) out.push(`${indent}say("weight_decay", "tf.train optimizers have no weight decay; weightDecayAt(step) gives the scheduled value for a regularizer of your own");`);
  return out;
}

/** The `.d.ts` that types the module for TypeScript users. */
export function emitTfjsDts(ir: ScheduleIR, opts: EmitOptions): string {
  const lrAt = ir.relative
    ? "export declare function lrAt(step: number, baseLr: number): number;"
    : "export declare function lrAt(step: number): number;";
  const lines = [
    ...header(ir, opts),
    "",
    "export declare const SCHEDULE: string;",
    "export declare const SOURCE: string | null;",
    "export declare const TOTAL_STEPS: number;",
    "export declare const FINGERPRINT: string;",
    `export declare const CLOCK: ${jsString(ir.clock)};`,
    `export declare const RELATIVE: ${ir.relative ? "true" : "false"};`,
  ];
  if (!ir.relative) lines.push("export declare const PEAK: number;");
  lines.push(lrAt);
  for (const name of HYPER_PARAMS) if (ir.params?.[name]) lines.push(`export declare function ${JS_PARAM[name]}(step: number): number;`);
  const rt = runtimeOf(ir);
  const taken = rt.settings.filter((s) => !s.refused);
  lines.push(
    "",
    "/** A check of the schedule failed for the settings given; `code` is the compiler's (`A205`). */",
    "export declare class AnnealError extends Error {",
    `${INDENT}readonly code: string;`,
    `${INDENT}/** The compiler's message, without the code. */`,
    `${INDENT}readonly detail: string;`,
    "}",
    "",
    "/** The settings bound when the schedule is built, as `anneal eval`'s flags; one left out keeps the file's value. */",
    "export interface ScheduleSettings {",
    ...taken.flatMap((s) => [`${INDENT}/** ${KEYWORD_WORDS[s.key].charAt(0).toUpperCase()}${KEYWORD_WORDS[s.key].slice(1)}. */`, `${INDENT}${JS_KEYS[s.key]}?: number;`]),
    "}",
    "",
    "/** The settings as resolved: the total in ticks, and each other setting (null when the file has none). */",
    "export interface ResolvedSettings {",
    ...rt.settings.map((s) => `${INDENT}readonly ${JS_KEYS[s.key]}: ${s.key === "total" ? "number" : "number | null"};`),
    "}",
    "",
    "export declare const SETTINGS: Readonly<Record<" + rt.settings.map((s) => jsString(JS_KEYS[s.key])).join(" | ") + ", number | null>>;",
    "export declare const BOUND_AT_RUN_TIME: readonly string[];",
    "export declare function resolveSettings(settings?: ScheduleSettings): { ticks: Record<string, number>; settings: ResolvedSettings };",
    "",
    "/** One schedule, resolved for its settings. */",
    "export interface Schedule {",
    `${INDENT}readonly totalSteps: number;`,
    `${INDENT}readonly settings: ResolvedSettings;`,
    `${INDENT}${lrAt.replace("export declare function ", "")}`,
    ...HYPER_PARAMS.filter((n) => ir.params?.[n]).map((n) => `${INDENT}${JS_PARAM[n]}(step: number): number;`),
    `${INDENT}lrCallback(target: object, options?: LrCallbackOptions): LrCallback;`,
    "}",
    "",
    "/** The schedule for these settings; throws an AnnealError when a check fails. */",
    "export declare function buildSchedule(settings?: ScheduleSettings): Schedule;",
  );
  lines.push(
    "",
    "export interface LrCallbackOptions {",
    ir.clock === "epochs"
      ? `${INDENT}/** Unused on this epoch clock: model.fit's \`initialEpoch\` resumes the schedule. */`
      : `${INDENT}/** Optimizer steps already taken, when resuming a run (default 0). */`,
    `${INDENT}initialStep?: number;`,
    `${INDENT}/** A saved callback's \`state\`, to resume from: its step, checked against this spec and these settings (a difference warns, naming both). */`,
    `${INDENT}state?: LrCallbackState;`,
    `${INDENT}/** Warn once when the count reaches twice the total (default true). */`,
    `${INDENT}warnPastEnd?: boolean;`,
  );
  if (ir.relative) {
    lines.push(`${INDENT}/** The base rate; default: the optimizer's rate when training begins. */`, `${INDENT}baseLr?: number;`);
  }
  lines.push(
    "}",
    "",
    "/** What a callback saves with a checkpoint: JSON-safe, passed back as `state`. */",
    "export interface LrCallbackState {",
    `${INDENT}readonly step: number;`,
    `${INDENT}readonly fingerprint: string;`,
    `${INDENT}readonly schedule: string;`,
    `${INDENT}readonly source: string | null;`,
    `${INDENT}readonly settings: ResolvedSettings;`,
    "}",
    "",
    "/** Usable as `callbacks` of `model.fit` (a CustomCallbackArgs, or next to a tf.Callback). */",
    "export interface LrCallback {",
    `${INDENT}/** Ticks taken so far: save it with a checkpoint and pass it back as \`initialStep\`. */`,
    `${INDENT}readonly step: number;`,
    `${INDENT}/** The step and what made it (spec fingerprint, settings): save it and pass it back as \`state\`. */`,
    `${INDENT}readonly state: LrCallbackState;`,
    `${INDENT}setParams(params: unknown): void;`,
    `${INDENT}setModel(model: unknown): void;`,
    `${INDENT}onTrainBegin(logs?: unknown): Promise<void>;`,
    `${INDENT}onTrainEnd(logs?: unknown): Promise<void>;`,
    `${INDENT}onEpochBegin(epoch: number, logs?: unknown): Promise<void>;`,
    `${INDENT}onEpochEnd(epoch: number, logs?: unknown): Promise<void>;`,
    `${INDENT}onBatchBegin(batch: number, logs?: unknown): Promise<void>;`,
    `${INDENT}onBatchEnd(batch: number, logs?: unknown): Promise<void>;`,
    "}",
    "",
    "/** `target`: the tf.LayersModel being trained, or a tf.train optimizer. */",
    "export declare function lrCallback(target: object, options?: LrCallbackOptions): LrCallback;",
    "",
  );
  return lines.join("\n");
}
