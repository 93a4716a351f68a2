// The default PyTorch target: one self-contained Python module per schedule.
//
// The module needs only `math` and `torch` (no Anneal at run time) and runs on torch 1.13
// and 2.x. It exposes the schedule's constants, `lr_at` in closed form (the evaluator's
// formulas, spelled by `formula.ts`), and `build_scheduler`, whose scheduler computes every
// rate from the closed form of its step count. Nothing is recursive, so a scheduler
// restored from a `state_dict` continues exactly as an uninterrupted run would, and
// relative schedules scale each parameter group's own base rate.

import { paramSchedule } from "../evaluate.js";
import { HYPER_PARAMS, type HyperParam, type ScheduleIR } from "../ir.js";
import { pyPastEndWarning, pyStateHelpers } from "./state.js";
import { intLiteral, pascalIdentifier, pyComment, pyDocstring, pyFloat, pyString } from "./escape.js";
import type { Dialect } from "./dialect.js";
import { helpersNeeded, lrAtBody } from "./formula.js";
import { restartCycleSource } from "../shapes/restarts.js";
import { headerLines, tickNoun, type EmitOptions } from "./header.js";
import { pyRuntimeSection, RUNTIME_IMPORTS, runtimeOf, settingsWithoutValue, spelledChain, tickNames } from "./runtime.js";

const INDENT = "    ";

export const pythonDialect: Dialect = {
  lang: "python",
  traced: false,
  roundTicks: "_round_ticks",
  num: pyFloat,
  cos: "math.cos",
  sqrt: "math.sqrt",
  floor: "math.floor",
  pi: "math.pi",
  exp: "math.exp",
  min: "min",
  max: "max",
  pow: (base, exponent) => `${base} ** ${exponent}`,
  log: "math.log",
  select: (cond, ifTrue, ifFalse) => `(${ifTrue} if ${cond} else ${ifFalse})`,
  nan: "math.nan",
  baseLr: "base_lr",
  assign: (name, expr) => `${name} = ${expr}`,
  reassign: (name, expr) => `${name} = ${expr}`,
  not: (cond) => `not ${cond}`,
  isNaN: (expr) => `${expr} != ${expr}`,
  assignCycle: (call) => `cycle, offset, length = ${call}`,
  ret: (expr) => `return ${expr}`,
  firstCycleOr: (ifFirst, otherwise) => `${ifFirst} if cycle == 0 else ${otherwise}`,
  countAtOrBelow: (milestones, u) => `bisect_right(${milestones}, ${u})`,
  restartCycle: (u, period, mult) => `_restart_cycle(${u}, ${period}, ${mult})`,
  list: (items) => `[${items.join(", ")}]`,
  comment: (text) => `# ${pyComment(text)}`,
  ifOpen: (cond) => `if ${cond}:`,
  ifClose: undefined,
};

/** The stepping sentences of the header, for a torch scheduler. */
export function torchStepping(ir: ScheduleIR): string[] {
  return ir.clock === "epochs"
    ? ["Call `scheduler.step()` once per epoch, at the end of the epoch."]
    : ["Call `scheduler.step()` once per optimizer step, right after `optimizer.step()`."];
}

/** The module docstring. */
export function pyModuleDocstring(ir: ScheduleIR, opts: EmitOptions, target: string, extra: string[]): string {
  const lines = headerLines(ir, opts, {
    target,
    stepping: torchStepping(ir),
    afterK: "calls of `scheduler.step()`",
  });
  return pyDocstring([...lines, ...extra].join("\n") + "\n");
}

/** `import` lines for the helpers the closed form uses. */
export function pyImports(ir: ScheduleIR): string[] {
  const out = ["import math"];
  if (helpersNeeded(ir).countAtOrBelow) out.push("from bisect import bisect_right");
  return out;
}

/** The module constants every PyTorch output defines. */
export function pyConstants(ir: ScheduleIR, opts: EmitOptions): string[] {
  // A setting written `?` with no preview leaves the length to the keywords.
  const unknown = settingsWithoutValue(ir);
  const out = [
    `SCHEDULE = ${pyString(ir.name)}`,
    `SOURCE = ${opts.source === undefined ? "None" : pyString(opts.source)}`,
    ...(unknown.length > 0
      ? [`# Scheduler steps in the schedule: known only when it is built, from ${unknown.map((k) => `\`${k}=\``).join(" and ")} (\`scheduler.total_steps\`).`, "TOTAL_STEPS = None"]
      : [`# Scheduler steps in the schedule (one per ${pyComment(tickNoun(ir))}); the rate holds from here on.`, `TOTAL_STEPS = ${intLiteral(ir.total)}`]),
    `# "steps": step the scheduler once per optimizer step; "epochs": once per epoch.`,
    `CLOCK = ${pyString(ir.clock)}`,
    `RELATIVE = ${ir.relative ? "True" : "False"}`,
  ];
  if (!ir.relative) out.push(`PEAK = ${pyFloat(ir.peak ?? 1)}`);
  return out;
}

/** `_restart_cycle` (when used) and `lr_at`, the closed form of the schedule. */
export function pyClosedForm(ir: ScheduleIR): string[] {
  const out: string[] = [];
  if (helpersNeeded(ir).restartCycle) out.push(...restartCycleSource(pythonDialect, INDENT), "", "");
  const params = ir.relative ? "step, base_lr" : "step";
  const doc = ir.relative
    ? "The learning rate at `step` for a parameter group whose base rate is `base_lr`."
    : "The learning rate at `step` (0 is the first step; past TOTAL_STEPS it holds).";
  out.push(`def lr_at(${params}):`, `${INDENT}"""${doc}"""`, ...lrAtBody(ir, pythonDialect, INDENT, "TOTAL_STEPS"));
  for (const name of HYPER_PARAMS) {
    const p = paramSchedule(ir, name);
    if (!p) continue;
    out.push("", "", `def ${name}_at(step):`, `${INDENT}"""The ${PARAM_WORDS[name]} at \`step\` (past TOTAL_STEPS it holds)."""`, ...lrAtBody(p, pythonDialect, INDENT, "TOTAL_STEPS"));
  }
  return out;
}

/** What each hyperparameter is, in the words of torch's optimizers. */
const PARAM_WORDS: Record<HyperParam, string> = {
  momentum: "momentum (SGD's `momentum`, or `betas[0]` for optimizers with betas)",
  beta2: "second beta (`betas[1]`)",
  weight_decay: "weight decay",
};

/**
 * The scheduler's statements that set each group's hyperparameters for `step`, as torch's
 * OneCycleLR sets momentum: `betas[0]` where the optimizer has betas, else `momentum`.
 */
function paramStatements(ir: ScheduleIR, indent: string): string[] {
  const out: string[] = [];
  const has = (n: HyperParam) => ir.params?.[n] !== undefined;
  if (!ir.params || !HYPER_PARAMS.some(has)) return out;
  out.push(`${indent}for group in self.optimizer.param_groups:`);
  const I = indent + INDENT;
  if (has("momentum")) {
    out.push(`${I}if "betas" in group:`, `${I}${INDENT}group["betas"] = (self._momentum_at(step), *group["betas"][1:])`, `${I}else:`, `${I}${INDENT}group["momentum"] = self._momentum_at(step)`);
  }
  if (has("beta2")) out.push(`${I}group["betas"] = (group["betas"][0], self._beta2_at(step), *group["betas"][2:])`);
  if (has("weight_decay")) out.push(`${I}group["weight_decay"] = self._weight_decay_at(step)`);
  return out;
}

/** The check at construction that the optimizer has the hyperparameters the schedule sets. */
function paramChecks(ir: ScheduleIR, indent: string): string[] {
  const out: string[] = [];
  const checks: [HyperParam, string, string][] = [
    ["momentum", '"momentum" not in optimizer.defaults and "betas" not in optimizer.defaults', "this schedule sets momentum, and the optimizer has neither `momentum` nor `betas`"],
    ["beta2", '"betas" not in optimizer.defaults', "this schedule sets beta2, and the optimizer has no `betas`"],
    ["weight_decay", '"weight_decay" not in optimizer.defaults', "this schedule sets weight_decay, and the optimizer has none"],
  ];
  for (const [name, cond, message] of checks) {
    if (ir.params?.[name] === undefined) continue;
    out.push(`${indent}if ${cond}:`, `${indent}${INDENT}raise ValueError(${pyString(message)})`);
  }
  return out;
}

/** The forms the scheduler and the module functions read, one per chain: `lr_at`, `momentum_at`, ... */
function formNames(ir: ScheduleIR): string[] {
  return ["lr_at", ...HYPER_PARAMS.filter((n) => ir.params?.[n] !== undefined).map((n) => `${n}_at`)];
}

/**
 * `_closed_forms(ticks...)`: the closed forms over the resolved tick variables, as
 * closures, so a scheduler resolves its settings once and every step reads constants.
 */
export function pyRuntimeClosedForm(ir: ScheduleIR): string[] {
  const rt = runtimeOf(ir);
  const d = pythonDialect;
  const I = INDENT;
  const out: string[] = [];
  if (helpersNeeded(ir).restartCycle) out.push(...restartCycleSource(pythonDialect, INDENT), "", "");
  const nest = (lines: string[]) => lines.map((l) => (l === "" ? l : I + l));
  const names = tickNames(rt);
  out.push(
    `def _closed_forms(${names.join(", ")}):`,
    `${I}"""The schedule's closed forms for resolved ticks (\`resolve_settings\`): \`lr_at\` and each hyperparameter's."""`,
  );
  const params = ir.relative ? "step, base_lr" : "step";
  out.push(...nest([`def lr_at(${params}):`, ...lrAtBody(ir, d, I, "total_ticks", spelledChain(ir.segments, ir.final, rt.rate, d))]));
  for (const name of HYPER_PARAMS) {
    const p = paramSchedule(ir, name);
    const t = rt.params?.[name];
    if (!p || !t) continue;
    out.push("", ...nest([`def ${name}_at(step):`, ...lrAtBody(p, d, I, "total_ticks", spelledChain(p.segments, p.final, t, d))]));
  }
  out.push("", `${I}return {${formNames(ir).map((n) => `${pyString(n)}: ${n}`).join(", ")}}`);
  const keys = rt.settings.map((s) => s.key);
  const kw = keys.map((k) => `${k}=None`).join(", ");
  const pass = keys.map((k) => `${k}=${k}`).join(", ");
  out.push(
    "",
    "",
    "# Resolved forms by settings, so repeated calls of `lr_at` resolve once.",
    "_FORMS = {}",
    "",
    "",
    `def _forms(${kw}):`,
    `${I}key = (${keys.join(", ")})`,
    `${I}try:`,
    `${I}${I}return _FORMS[key]`,
    `${I}except (KeyError, TypeError):`,
    `${I}${I}pass`,
    `${I}ticks, settings = resolve_settings(${pass})`,
    `${I}forms = _closed_forms(**ticks)`,
    `${I}forms["settings"] = settings`,
    `${I}forms["total_steps"] = int(ticks["total_ticks"])`,
    `${I}try:`,
    `${I}${I}if len(_FORMS) < 64:`,
    `${I}${I}${I}_FORMS[key] = forms`,
    `${I}except TypeError:`,
    `${I}${I}pass`,
    `${I}return forms`,
    "",
    "",
    `def lr_at(${params}, *, ${kw}):`,
    `${I}"""${ir.relative ? "The learning rate at `step` for a parameter group whose base rate is `base_lr`" : "The learning rate at `step` (0 is the first step; past the total it holds)"}, for the settings given (see \`resolve_settings\`)."""`,
    `${I}return _forms(${pass})["lr_at"](${params})`,
  );
  for (const name of HYPER_PARAMS) {
    if (!rt.params?.[name]) continue;
    out.push(
      "",
      "",
      `def ${name}_at(step, *, ${kw}):`,
      `${I}"""The ${PARAM_WORDS[name]} at \`step\` (past the total it holds), for the settings given."""`,
      `${I}return _forms(${pass})["${name}_at"](step)`,
    );
  }
  return out;
}

/** The default target: the closed-form scheduler. */
export function emitPytorch(ir: ScheduleIR, opts: EmitOptions): string {
  const cls = pascalIdentifier(ir.name === "default" ? "" : ir.name, "LR");
  const rt = runtimeOf(ir);
  const keys = rt.settings.filter((s) => !s.refused).map((s) => s.key);
  const allKeys = rt.settings.map((s) => s.key);
  const kw = allKeys.map((k) => `${k}=None`).join(", ");
  const pass = allKeys.map((k) => `${k}=${k}`).join(", ");
  const bound = rt.settings.filter((s) => s.bound).map((s) => s.key);
  const required = settingsWithoutValue(ir);
  const example = bound.length > 0 ? bound.map((k) => `${k}=${k === "steps_per_epoch" ? "len(train_loader)" : k === "total" ? "args.max_steps" : "..."}`).join(", ") : "";
  const rates = ir.relative
    ? [`${INDENT}${INDENT}return [lr_at(step, base_lr) for base_lr in self.base_lrs]`]
    : [
        `${INDENT}${INDENT}rate = lr_at(step)`,
        `${INDENT}${INDENT}return [rate for _ in self.optimizer.param_groups]`,
      ];
  const usage = [
    "",
    "Usage:",
    "",
    "    optimizer = torch.optim.SGD(model.parameters(), lr=...)",
    `    scheduler = build_scheduler(optimizer${example ? ", " + example : ""})`,
    ...(ir.clock === "epochs"
      ? ["    for epoch in range(scheduler.total_steps):", "        train_one_epoch(model, optimizer)", "        scheduler.step()"]
      : ["    for batch in data:", "        ...", "        optimizer.step()", "        scheduler.step()"]),
    "",
    `Settings bound at run time: ${keys.length > 0 ? keys.map((k) => `\`${k}\``).join(", ") : "none"} may be passed as keywords to`,
    "build_scheduler, lr_at and lightning_scheduler_config, as `anneal eval` takes them as flags;",
    `${bound.length > 0 ? `the file leaves ${bound.map((k) => `\`${k}\``).join(", ")} to run time (${required.length > 0 ? `${required.map((k) => `\`${k}=\``).join(" and ")} must be passed: no preview value` : "its preview is used when not passed"}).` : "without them the file's values hold."}`,
    "A check that fails for the bound values raises AnnealError (a ValueError with the",
    "compiler's code and message); its warnings are AnnealWarning.",
    "",
    "Resume: save `optimizer.state_dict()` and `scheduler.state_dict()`; later build a new",
    "optimizer and scheduler, load both, and stepping continues with the same rates.",
    "Loading a state saved by another spec or with other settings warns, naming both.",
    "Stepping past twice the total warns once (AnnealWarning; `warn_past_end=False` silences it).",
    "With Lightning, return `lightning_scheduler_config(optimizer)` as the `lr_scheduler` of",
    "`configure_optimizers`; it sets the interval from the schedule's clock.",
  ];
  const I = INDENT;
  const forms = formNames(ir);
  const lines = [
    pyModuleDocstring(ir, opts, "pytorch", usage),
    "",
    ...pyImports(ir),
    ...RUNTIME_IMPORTS,
    "",
    "import torch",
    "",
    ...pyConstants(ir, opts),
    "",
    "",
    ...pyRuntimeSection(ir, pythonDialect, I),
    "",
    "",
    ...pyRuntimeClosedForm(ir),
    "",
    "",
    ...pyStateHelpers(ir, INDENT),
    "",
    "",
    ...pyPastEndWarning(ir, INDENT),
    "",
    "",
    "# What a state_dict leaves out: the resolved forms and settings belong to this scheduler.",
    `_OWN = (${[...forms.map((f) => `"_${f}"`), '"settings"', '"total_steps"', '"_warn_at"'].join(", ")})`,
    "",
    "",
    "# torch 2.x names the base class LRScheduler; torch 1.13 only has _LRScheduler.",
    "_SchedulerBase = getattr(torch.optim.lr_scheduler, \"LRScheduler\", None) or torch.optim.lr_scheduler._LRScheduler",
    "",
    "",
    `class ${cls}(_SchedulerBase):`,
    `${I}"""Sets every parameter group's rate to \`lr_at\` of the step count, in closed form.`,
    "",
    `${I}Each rate is computed from \`last_epoch\` alone, never from the previous rate, so`,
    `${I}loading a \`state_dict\` resumes exactly where the saved run was. The settings are`,
    `${I}resolved once, here; \`settings\` and \`total_steps\` say what they resolved to.`,
    `${I}"""`,
    "",
    `${I}def __init__(self, optimizer, last_epoch=-1, *, ${kw}, warn_past_end=True):`,
    ...paramChecks(ir, I + I),
    `${I}${I}forms = _forms(${pass})`,
    ...forms.map((f) => `${I}${I}self._${f} = forms["${f}"]`),
    `${I}${I}self.settings = forms["settings"]`,
    `${I}${I}self.total_steps = forms["total_steps"]`,
    `${I}${I}# Twice the total: past it, the loop most likely steps on another clock than the schedule's.`,
    `${I}${I}self._warn_at = 2 * self.total_steps if warn_past_end else math.inf`,
    `${I}${I}super().__init__(optimizer, last_epoch)`,
    "",
    `${I}def _rates(self, step):`,
    `${I}${I}if step >= self._warn_at:`,
    `${I}${I}${I}self._past_end(step)`,
    ...(ir.params && HYPER_PARAMS.some((n) => ir.params?.[n]) ? [`${I}${I}# The hyperparameters beside the rate follow the same step, as OneCycleLR's momentum does.`, ...paramStatements(ir, I + I)] : []),
    ...rates.map((l) => l.replace("lr_at(", "self._lr_at(")),
    "",
    `${I}def _past_end(self, step):`,
    `${I}${I}self._warn_at = math.inf`,
    `${I}${I}_warn_past_end(step, self.total_steps, 5)`,
    "",
    `${I}def get_lr(self):`,
    `${I}${I}return self._rates(self.last_epoch)`,
    "",
    `${I}def _get_closed_form_lr(self):`,
    `${I}${I}return self._rates(self.last_epoch)`,
    "",
    `${I}def state_dict(self):`,
    `${I}${I}state = {k: v for k, v in super().state_dict().items() if k not in _OWN}`,
    `${I}${I}state[_STATE_KEY] = dict(_stamp("closed-form"), settings=dict(self.settings))`,
    `${I}${I}return state`,
    "",
    `${I}def load_state_dict(self, state_dict):`,
    `${I}${I}# State from an edited spec resumes on this spec's curve: a rate depends on the step alone.`,
    `${I}${I}same_spec = _checked_state(state_dict, "closed-form")`,
    `${I}${I}# Another spec's state warned already, naming both specs; the same spec's state with`,
    `${I}${I}# other settings (another total, another loader length) warns naming both settings.`,
    `${I}${I}if same_spec:`,
    `${I}${I}${I}_checked_settings(state_dict, self.settings)`,
    `${I}${I}super().load_state_dict({k: v for k, v in state_dict.items() if k != _STATE_KEY and k not in _OWN})`,
    `${I}${I}# Also put the restored step's rates back on the optimizer, so resuming works`,
    `${I}${I}# whether or not the optimizer's own state was loaded after this scheduler was built.`,
    `${I}${I}rates = self._rates(self.last_epoch)`,
    `${I}${I}for group, rate in zip(self.optimizer.param_groups, rates):`,
    `${I}${I}${I}if isinstance(group["lr"], torch.Tensor):`,
    `${I}${I}${I}${I}group["lr"].fill_(rate)`,
    `${I}${I}${I}else:`,
    `${I}${I}${I}${I}group["lr"] = rate`,
    `${I}${I}self._last_lr = [group["lr"] for group in self.optimizer.param_groups]`,
    "",
    "",
    `def build_scheduler(optimizer, last_epoch=-1, *, ${kw}, warn_past_end=True):`,
    `${I}"""A scheduler for \`optimizer\` that follows this schedule.`,
    "",
    `${I}Construction sets the rate of step 0; each \`scheduler.step()\` moves to the next step.`,
    `${I}\`last_epoch=k\` follows torch's convention: the scheduler starts at step k + 1 and`,
    `${I}needs each group's \`initial_lr\` (prefer loading a \`state_dict\` to resume). The`,
    `${I}settings keywords are those of \`resolve_settings\`.`,
    `${I}"""`,
    `${I}return ${cls}(optimizer, last_epoch, ${pass}, warn_past_end=warn_past_end)`,
    "",
    "",
    "def lightning_scheduler_config(optimizer, **settings):",
    `${I}"""The \`lr_scheduler\` entry of a LightningModule's \`configure_optimizers\`:`,
    "",
    `${I}${I}return {"optimizer": optimizer, "lr_scheduler": lightning_scheduler_config(optimizer)}`,
    "",
    `${I}Lightning then steps the scheduler once per ${ir.clock === "epochs" ? "epoch" : "optimizer step"} (\`interval\` follows CLOCK).`,
    `${I}\`settings\` are \`build_scheduler\`'s keywords.`,
    `${I}"""`,
    `${I}return {"scheduler": build_scheduler(optimizer, **settings), "interval": ${pyString(ir.clock === "epochs" ? "epoch" : "step")}, "frequency": 1}`,
    "",
  ];
  return lines.join("\n");
}
