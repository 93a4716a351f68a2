// Which calls construct a learning-rate scheduler: every `torch.optim.lr_scheduler` class,
// Hugging Face's (and diffusers') `get_scheduler` and `get_*_schedule_with_warmup`, and
// timm's `CosineLRScheduler` and `create_scheduler(_v2)`, however they were imported. Each
// construction's arguments are bound to the parameter names of the library's signature, so
// later stages read `T_max` whether it was passed by position or by keyword.

import type { PyModel } from "./model.js";
import { qualify, scopeAt } from "./model.js";
import { callArgs, dottedParts, type PyNode, textOf } from "./syntax.js";

export type Library = "torch" | "hf" | "timm";

interface Signature {
  library: Library;
  /** Parameter names in positional order. */
  params: string[];
}

const TORCH = "torch";
const HF = "hf";

/** The signatures, as the libraries define them (torch 2.x; 1.13 has the same order). */
export const SIGNATURES: Record<string, Signature> = {
  LambdaLR: { library: TORCH, params: ["optimizer", "lr_lambda", "last_epoch"] },
  MultiplicativeLR: { library: TORCH, params: ["optimizer", "lr_lambda", "last_epoch"] },
  StepLR: { library: TORCH, params: ["optimizer", "step_size", "gamma", "last_epoch"] },
  MultiStepLR: { library: TORCH, params: ["optimizer", "milestones", "gamma", "last_epoch"] },
  ConstantLR: { library: TORCH, params: ["optimizer", "factor", "total_iters", "last_epoch"] },
  LinearLR: { library: TORCH, params: ["optimizer", "start_factor", "end_factor", "total_iters", "last_epoch"] },
  ExponentialLR: { library: TORCH, params: ["optimizer", "gamma", "last_epoch"] },
  SequentialLR: { library: TORCH, params: ["optimizer", "schedulers", "milestones", "last_epoch"] },
  PolynomialLR: { library: TORCH, params: ["optimizer", "total_iters", "power", "last_epoch"] },
  CosineAnnealingLR: { library: TORCH, params: ["optimizer", "T_max", "eta_min", "last_epoch"] },
  ChainedScheduler: { library: TORCH, params: ["schedulers", "optimizer"] },
  ReduceLROnPlateau: { library: TORCH, params: ["optimizer", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"] },
  CyclicLR: { library: TORCH, params: ["optimizer", "base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma", "scale_fn", "scale_mode"] },
  CosineAnnealingWarmRestarts: { library: TORCH, params: ["optimizer", "T_0", "T_mult", "eta_min", "last_epoch"] },
  OneCycleLR: {
    library: TORCH,
    params: ["optimizer", "max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy", "cycle_momentum", "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase"],
  },
  get_scheduler: { library: HF, params: ["name", "optimizer", "num_warmup_steps", "num_training_steps", "scheduler_specific_kwargs"] },
  get_constant_schedule: { library: HF, params: ["optimizer", "last_epoch"] },
  get_constant_schedule_with_warmup: { library: HF, params: ["optimizer", "num_warmup_steps", "last_epoch"] },
  get_linear_schedule_with_warmup: { library: HF, params: ["optimizer", "num_warmup_steps", "num_training_steps", "last_epoch"] },
  get_cosine_schedule_with_warmup: { library: HF, params: ["optimizer", "num_warmup_steps", "num_training_steps", "num_cycles", "last_epoch"] },
  get_cosine_with_hard_restarts_schedule_with_warmup: { library: HF, params: ["optimizer", "num_warmup_steps", "num_training_steps", "num_cycles", "last_epoch"] },
  get_polynomial_decay_schedule_with_warmup: { library: HF, params: ["optimizer", "num_warmup_steps", "num_training_steps", "lr_end", "power", "last_epoch"] },
  get_inverse_sqrt_schedule: { library: HF, params: ["optimizer", "num_warmup_steps", "timescale", "last_epoch"] },
  get_cosine_with_min_lr_schedule_with_warmup: { library: HF, params: ["optimizer", "num_warmup_steps", "num_training_steps", "num_cycles", "last_epoch", "min_lr", "min_lr_rate"] },
  get_wsd_schedule: { library: HF, params: ["optimizer", "num_warmup_steps", "num_decay_steps", "num_training_steps", "num_stable_steps"] },
  CosineLRScheduler: {
    library: "timm",
    params: ["optimizer", "t_initial", "lr_min", "cycle_mul", "cycle_decay", "cycle_limit", "warmup_t", "warmup_lr_init", "warmup_prefix", "t_in_epochs"],
  },
  create_scheduler: { library: "timm", params: ["args", "optimizer", "updates_per_epoch"] },
  create_scheduler_v2: { library: "timm", params: ["optimizer", "sched", "num_epochs", "decay_epochs", "decay_milestones", "cooldown_epochs", "patience_epochs", "decay_rate", "min_lr", "warmup_lr", "warmup_epochs"] },
};

/** The scheduler names `get_scheduler` accepts (transformers' `SchedulerType`). */
export const HF_SCHEDULER_NAMES = [
  "linear",
  "cosine",
  "cosine_with_restarts",
  "polynomial",
  "constant",
  "constant_with_warmup",
  "inverse_sqrt",
  "reduce_lr_on_plateau",
  "cosine_with_min_lr",
  "cosine_warmup_with_min_lr",
  "warmup_stable_decay",
];

export interface SchedulerUse {
  cls: string;
  library: Library;
  call: PyNode;
  /** The arguments bound to parameter names. */
  args: Map<string, PyNode>;
  /** True when `*args`/`**kwargs` may pass parameters the call does not show. */
  spread: boolean;
  /** What the construction is assigned to (`scheduler`, `self.sched`), if anything. */
  target?: string;
  /** The SequentialLR or ChainedScheduler this one is part of. */
  parent?: SchedulerUse;
}

/** The scheduler class a qualified callee name denotes, or undefined. */
export function schedulerClass(m: PyModel, qualified: string): string | undefined {
  const parts = qualified.split(".");
  const last = parts.at(-1)!;
  const sig = Object.hasOwn(SIGNATURES, last) ? SIGNATURES[last] : undefined;
  if (!sig) return undefined;
  const root = parts[0]!;
  if (parts.length === 1) {
    // A bare name: only through `from torch.optim.lr_scheduler import *` and the like.
    const star = [...m.imports.keys()].filter((k) => k.startsWith("*")).map((k) => m.imports.get(k)!);
    return star.some((mod) => libraryOf(mod.split(".")[0]!) === sig.library) ? last : undefined;
  }
  return libraryOf(root) === sig.library ? last : undefined;
}

function libraryOf(root: string): Library | undefined {
  if (root === "torch") return "torch";
  if (root === "transformers" || root === "diffusers") return "hf";
  if (root === "timm") return "timm";
  return undefined;
}

/** Every scheduler construction in the script, in source order. */
export function findSchedulers(m: PyModel): SchedulerUse[] {
  const py = m.py;
  const out: SchedulerUse[] = [];
  const byCall = new Map<PyNode, SchedulerUse>();
  for (const call of m.calls) {
    const callee = call.kids[0];
    // Only a callee whose last name is a scheduler's, or a bare name imported under an
    // alias (`CosineAnnealingLR as Cosine`), can construct one: look at that name before
    // building the dotted parts and the qualified name of every call.
    const last = callee?.type === "MemberExpression" ? callee.kids[2] : callee;
    if (!last || (last.type !== "VariableName" && last.type !== "PropertyName")) continue;
    const name = textOf(py, last);
    if (!Object.hasOwn(SIGNATURES, name) && !(last === callee && m.imports.has(name))) continue;
    const parts = dottedParts(py, callee!);
    if (!parts) continue;
    const qualified = qualify(m, parts);
    const cls = schedulerClass(m, qualified);
    if (!cls) continue;
    const sig = SIGNATURES[cls]!;
    const a = callArgs(py, call);
    const args = new Map<string, PyNode>();
    a.positional.forEach((p, i) => {
      const name = sig.params[i];
      if (name) args.set(name, p);
    });
    for (const [k, v] of a.keywords) args.set(k, v.value);
    const use: SchedulerUse = { cls, library: sig.library, call, args, spread: a.spread };
    const stmt = call.parent;
    if (stmt?.type === "AssignStatement" && stmt.kids.filter((k) => k.type === "AssignOp").length === 1 && stmt.kids.at(-1) === call) {
      const t = stmt.kids[0]!;
      if (t.type === "VariableName" || t.type === "MemberExpression") use.target = textOf(py, t);
    }
    out.push(use);
    byCall.set(call, use);
  }
  return out;
}

/** The scope a construction's arguments are evaluated in. */
export function argScope(m: PyModel, use: SchedulerUse) {
  return scopeAt(m, use.call);
}
