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
import { pyStateHelpers } from "./state.js";
import { intLiteral, pascalIdentifier, pyComment, pyDocstring, pyFloat, pyString } from "./escape.js";
import type { Dialect } from "./dialect.js";
import { helpersNeeded, lrAtBody } from "./formula.js";
import { restartCycleSource } from "../shapes/restarts.js";
import { headerLines, tickNoun, type EmitOptions } from "./header.js";

const INDENT = "    ";

export const pythonDialect: Dialect = {
  lang: "python",
  traced: false,
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
  const out = [
    `SCHEDULE = ${pyString(ir.name)}`,
    `SOURCE = ${opts.source === undefined ? "None" : pyString(opts.source)}`,
    `# Scheduler steps in the schedule (one per ${pyComment(tickNoun(ir))}); the rate holds from here on.`,
    `TOTAL_STEPS = ${intLiteral(ir.total)}`,
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
    out.push(`${I}if "betas" in group:`, `${I}${INDENT}group["betas"] = (momentum_at(step), *group["betas"][1:])`, `${I}else:`, `${I}${INDENT}group["momentum"] = momentum_at(step)`);
  }
  if (has("beta2")) out.push(`${I}group["betas"] = (group["betas"][0], beta2_at(step), *group["betas"][2:])`);
  if (has("weight_decay")) out.push(`${I}group["weight_decay"] = weight_decay_at(step)`);
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

/** The default target: the closed-form scheduler. */
export function emitPytorch(ir: ScheduleIR, opts: EmitOptions): string {
  const cls = pascalIdentifier(ir.name === "default" ? "" : ir.name, "LR");
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
    "    scheduler = build_scheduler(optimizer)",
    ...(ir.clock === "epochs"
      ? ["    for epoch in range(TOTAL_STEPS):", "        train_one_epoch(model, optimizer)", "        scheduler.step()"]
      : ["    for batch in data:", "        ...", "        optimizer.step()", "        scheduler.step()"]),
    "",
    "Resume: save `optimizer.state_dict()` and `scheduler.state_dict()`; later build a new",
    "optimizer and scheduler, load both, and stepping continues with the same rates.",
    "With Lightning, return `lightning_scheduler_config(optimizer)` as the `lr_scheduler` of",
    "`configure_optimizers`; it sets the interval from the schedule's clock.",
  ];
  const lines = [
    pyModuleDocstring(ir, opts, "pytorch", usage),
    "",
    ...pyImports(ir),
    "",
    "import torch",
    "",
    ...pyConstants(ir, opts),
    "",
    "",
    ...pyClosedForm(ir),
    "",
    "",
    ...pyStateHelpers(ir, INDENT),
    "",
    "",
    "# torch 2.x names the base class LRScheduler; torch 1.13 only has _LRScheduler.",
    "_SchedulerBase = getattr(torch.optim.lr_scheduler, \"LRScheduler\", None) or torch.optim.lr_scheduler._LRScheduler",
    "",
    "",
    `class ${cls}(_SchedulerBase):`,
    `${INDENT}"""Sets every parameter group's rate to \`lr_at\` of the step count, in closed form.`,
    "",
    `${INDENT}Each rate is computed from \`last_epoch\` alone, never from the previous rate, so`,
    `${INDENT}loading a \`state_dict\` resumes exactly where the saved run was.`,
    `${INDENT}"""`,
    "",
    `${INDENT}def __init__(self, optimizer, last_epoch=-1):`,
    ...paramChecks(ir, INDENT + INDENT),
    `${INDENT}${INDENT}super().__init__(optimizer, last_epoch)`,
    "",
    `${INDENT}def _rates(self, step):`,
    ...(ir.params && HYPER_PARAMS.some((n) => ir.params?.[n]) ? [`${INDENT}${INDENT}# The hyperparameters beside the rate follow the same step, as OneCycleLR's momentum does.`, ...paramStatements(ir, INDENT + INDENT)] : []),
    ...rates,
    "",
    `${INDENT}def get_lr(self):`,
    `${INDENT}${INDENT}return self._rates(self.last_epoch)`,
    "",
    `${INDENT}def _get_closed_form_lr(self):`,
    `${INDENT}${INDENT}return self._rates(self.last_epoch)`,
    "",
    `${INDENT}def state_dict(self):`,
    `${INDENT}${INDENT}state = super().state_dict()`,
    `${INDENT}${INDENT}state[_STATE_KEY] = _stamp("closed-form")`,
    `${INDENT}${INDENT}return state`,
    "",
    `${INDENT}def load_state_dict(self, state_dict):`,
    `${INDENT}${INDENT}# State from an edited spec resumes on this spec's curve: a rate depends on the step alone.`,
    `${INDENT}${INDENT}_checked_state(state_dict, "closed-form")`,
    `${INDENT}${INDENT}super().load_state_dict({k: v for k, v in state_dict.items() if k != _STATE_KEY})`,
    `${INDENT}${INDENT}# Also put the restored step's rates back on the optimizer, so resuming works`,
    `${INDENT}${INDENT}# whether or not the optimizer's own state was loaded after this scheduler was built.`,
    `${INDENT}${INDENT}rates = self._rates(self.last_epoch)`,
    `${INDENT}${INDENT}for group, rate in zip(self.optimizer.param_groups, rates):`,
    `${INDENT}${INDENT}${INDENT}if isinstance(group["lr"], torch.Tensor):`,
    `${INDENT}${INDENT}${INDENT}${INDENT}group["lr"].fill_(rate)`,
    `${INDENT}${INDENT}${INDENT}else:`,
    `${INDENT}${INDENT}${INDENT}${INDENT}group["lr"] = rate`,
    `${INDENT}${INDENT}self._last_lr = [group["lr"] for group in self.optimizer.param_groups]`,
    "",
    "",
    "def build_scheduler(optimizer, last_epoch=-1):",
    `${INDENT}"""A scheduler for \`optimizer\` that follows this schedule.`,
    "",
    `${INDENT}Construction sets the rate of step 0; each \`scheduler.step()\` moves to the next step.`,
    `${INDENT}\`last_epoch=k\` follows torch's convention: the scheduler starts at step k + 1 and`,
    `${INDENT}needs each group's \`initial_lr\` (prefer loading a \`state_dict\` to resume).`,
    `${INDENT}"""`,
    `${INDENT}return ${cls}(optimizer, last_epoch)`,
    "",
    "",
    "def lightning_scheduler_config(optimizer):",
    `${INDENT}"""The \`lr_scheduler\` entry of a LightningModule's \`configure_optimizers\`:`,
    "",
    `${INDENT}${INDENT}return {"optimizer": optimizer, "lr_scheduler": lightning_scheduler_config(optimizer)}`,
    "",
    `${INDENT}Lightning then steps the scheduler once per ${ir.clock === "epochs" ? "epoch" : "optimizer step"} (\`interval\` follows CLOCK).`,
    `${INDENT}"""`,
    `${INDENT}return {"scheduler": build_scheduler(optimizer), "interval": ${pyString(ir.clock === "epochs" ? "epoch" : "step")}, "frequency": 1}`,
    "",
  ];
  return lines.join("\n");
}
