// Where schedulers and optimizers are stepped, relative to the loops around them: per
// batch (an inner loop over a loader, or a `while step < max_steps` loop), per epoch, in a
// helper called from such a loop, or under a gradient-accumulation gate
// (`if (i + 1) % accum == 0`). A call whose context cannot be told stays "unknown", and
// every check that needs the clock is then silent.

import type { PyModel } from "./model.js";
import { type SchedulerUse } from "./schedulers.js";
import { callArgs, dottedParts, exprKids, isWithin, type PyNode, textOf } from "./syntax.js";
import { type Resolver, unitOf, type Value } from "./values.js";

export type LoopKind = "epoch" | "batch" | "other";

export interface LoopInfo {
  node: PyNode;
  kind: LoopKind;
  /** How many times the loop runs, when it is `range(N)` or `while x < N`. */
  count?: Value;
  /** The loader a batch loop iterates, when it is a plain name (`train_loader`). */
  loader?: string;
}

export interface Context {
  /** Enclosing loops, innermost first, continuing through the call sites of helpers. */
  loops: LoopInfo[];
  /** The accumulation gate the call is under, if any. */
  gate?: { node: PyNode; factor: Value | undefined };
  /** True when some `if` (not an accumulation gate) guards the call inside its loop. */
  conditional: boolean;
  /** False when a helper on the way has no call site or several different ones. */
  known: boolean;
}

export type Clock = "batch" | "epoch" | "unknown";

export interface StepSite {
  call: PyNode;
  ctx: Context;
  /** The argument passed to `.step(...)`, if any (a metric for ReduceLROnPlateau, an epoch for timm). */
  arg?: PyNode;
  /** True for a timm scheduler, whose `.step(epoch)` and `.step_update(updates)` always take the position. */
  timm?: boolean;
  method: string;
}

const HELPER_DEPTH = 4;
/** A helper called from more places than this is treated as called from unknown places. */
const MAX_CALL_SITES = 8;

export function contextOf(m: PyModel, r: Resolver, node: PyNode, depth = 0): Context {
  const ctx: Context = { loops: [], conditional: false, known: true };
  let child = node;
  for (let x = node.parent; x; child = x, x = x.parent) {
    if (x.type === "ForStatement" || x.type === "WhileStatement") {
      // Only the loop's body counts: a call in the iterable runs once.
      if (child.type === "Body") ctx.loops.push(classifyLoop(m, r, x));
    } else if (x.type === "IfStatement" && child.type === "Body" && ctx.loops.length === 0) {
      const cond = conditionFor(x, child);
      const gate = cond ? accumulationGate(m, r, cond) : undefined;
      if (gate && !ctx.gate) ctx.gate = gate;
      else if (cond && !isNoneCheck(m, cond)) ctx.conditional = true;
      else if (!cond) ctx.conditional = true;
    } else if (x.type === "FunctionDefinition") {
      const nameNode = x.kids.find((k) => k.type === "VariableName");
      const name = nameNode ? textOf(m.py, nameNode) : "";
      const sites = (m.callSites.get(name) ?? []).filter((c) => !isWithin(c, x));
      if (sites.length === 0 || depth >= HELPER_DEPTH || sites.length > MAX_CALL_SITES) {
        ctx.known = sites.length === 0 && ctx.loops.length > 0 && depth < HELPER_DEPTH;
        return ctx;
      }
      const outer = sites.map((s) => contextOf(m, r, s, depth + 1));
      const first = outer[0]!;
      const same = outer.every((o) => o.known && o.loops.map((l) => l.kind).join() === first.loops.map((l) => l.kind).join());
      if (!same) {
        ctx.known = false;
        return ctx;
      }
      // A gate or condition around the helper's call matters only when no loop inside the
      // helper lies between it and the step (`if __name__ == "__main__": main()` does not).
      if (ctx.loops.length === 0) {
        if (!ctx.gate && first.gate) ctx.gate = first.gate;
        ctx.conditional ||= first.conditional;
      }
      ctx.loops.push(...first.loops);
      return ctx;
    } else if (x.type === "ClassDefinition" || x.type === "LambdaExpression") {
      ctx.known = false;
      return ctx;
    }
  }
  return ctx;
}


/** The condition that guards `body` of an if statement (`if c:` or `elif c:`); undefined for `else`. */
function conditionFor(ifNode: PyNode, body: PyNode): PyNode | undefined {
  const i = ifNode.kids.indexOf(body);
  const kw = ifNode.kids[i - 2];
  return kw && (kw.type === "if" || kw.type === "elif") ? ifNode.kids[i - 1] : undefined;
}

function isNoneCheck(m: PyModel, cond: PyNode): boolean {
  const t = textOf(m.py, cond);
  return /\bis not None\b|^\s*[\w.]+\s*$|^not\s/.test(t) && !/step|epoch|iter/.test(t);
}

/** `(i + 1) % accum == 0`, `step % args.gradient_accumulation_steps == 0`, `accelerator.sync_gradients`. */
function accumulationGate(m: PyModel, r: Resolver, cond: PyNode): { node: PyNode; factor: Value | undefined } | undefined {
  const t = textOf(m.py, cond);
  if (/sync_gradients/.test(t)) return { node: cond, factor: undefined };
  if (cond.type !== "BinaryExpression") return undefined;
  const [lhs, op, rhs] = cond.kids;
  if (!lhs || !op || !rhs || !/^(==)$/.test(textOf(m.py, op)) || textOf(m.py, rhs).trim() !== "0") return undefined;
  if (lhs.type !== "BinaryExpression" || textOf(m.py, lhs.kids[1]!) !== "%") return undefined;
  const left = textOf(m.py, lhs.kids[0]!);
  const divisor = lhs.kids[2]!;
  const dt = textOf(m.py, divisor);
  // A modulo of the batch index by an accumulation count; `epoch % 10` is something else.
  if (/epoch/i.test(left) || !/accum|grad|update|^\d+$/i.test(dt)) return undefined;
  return { node: cond, factor: r.value(divisor) };
}

/**
 * Each loop's kind, once per script: every step call inside a loop (the optimizer's, the
 * scheduler's, through each helper's call sites) asks about the same loops.
 */
const loopKinds = new WeakMap<PyNode, LoopInfo>();

export function classifyLoop(m: PyModel, r: Resolver, loop: PyNode): LoopInfo {
  let info = loopKinds.get(loop);
  if (!info) {
    info = classifyLoopUncached(m, r, loop);
    loopKinds.set(loop, info);
  }
  return info;
}

function classifyLoopUncached(m: PyModel, r: Resolver, loop: PyNode): LoopInfo {
  const py = m.py;
  if (loop.type === "WhileStatement") {
    const cond = loop.kids[1];
    const t = cond ? textOf(py, cond) : "";
    let count: Value | undefined;
    if (cond?.type === "BinaryExpression" && /^<=?$/.test(textOf(py, cond.kids[1]!))) count = r.value(cond.kids[2]!);
    if (/epoch/i.test(t)) return { node: loop, kind: "epoch", ...(count ? { count } : {}) };
    if (/step|iter|update/i.test(t)) return { node: loop, kind: "batch", ...(count ? { count } : {}) };
    return { node: loop, kind: "other" };
  }
  const inAt = loop.kids.findIndex((k) => k.type === "in");
  const targets = loop.kids.slice(1, inAt).map((k) => textOf(py, k)).join(" ");
  const iterNode = loop.kids[inAt + 1];
  if (!iterNode) return { node: loop, kind: "other" };
  let iter: PyNode = iterNode;
  // Strip the wrappers training loops put around their iterables.
  for (let i = 0; i < 4 && iter.type === "CallExpression"; i++) {
    const parts = dottedParts(py, iter.kids[0]!);
    const last = parts?.at(-1);
    if (!last || !/^(enumerate|tqdm|trange|iter|zip|track|progress_bar|ProgressBar)$/.test(last)) break;
    const first: PyNode | undefined = callArgs(py, iter).positional[0];
    if (!first) break;
    if (last === "trange") return fromRange(m, r, loop, targets, iter);
    iter = first;
  }
  if (iter.type === "CallExpression" && dottedParts(py, iter.kids[0]!)?.join(".") === "range") return fromRange(m, r, loop, targets, iter);
  const it = textOf(py, iter);
  const v = r.value(iter);
  const isLoader = (v.kind === "call" && /DataLoader$|Loader$/.test(v.qualified)) || /loader|batches|\bdl\b|_dl$|data_iter|train_iter|dataloader/i.test(it) || /\bbatch/i.test(targets);
  if (isLoader) return { node: loop, kind: "batch", ...(iter.type === "VariableName" || iter.type === "MemberExpression" ? { loader: it } : {}) };
  return { node: loop, kind: "other" };
}

function fromRange(m: PyModel, r: Resolver, loop: PyNode, targets: string, call: PyNode): LoopInfo {
  const a = callArgs(m.py, call).positional;
  let count: Value | undefined;
  if (a.length === 1) count = r.value(a[0]!);
  else if (a.length === 2) {
    const lo = r.number(a[0]);
    const hi = r.value(a[1]!);
    count = lo === 0 ? hi : lo !== undefined && hi.kind === "num" && hi.k !== undefined && hi.loader === undefined ? { ...hi, k: hi.k - lo } : undefined;
  }
  const unit = count ? unitOf(count) : undefined;
  if (/epoch|^ep\b/i.test(targets) || (unit === "epochs" && !/step|iter|batch/i.test(targets))) return { node: loop, kind: "epoch", ...(count ? { count } : {}) };
  if (/step|iter|batch|update/i.test(targets) || unit === "steps") {
    const m1 = count?.kind === "num" && count.k === 1 ? /^len\((.*)\)$/s.exec(count.loader ?? "") : null;
    const loader = m1 ? m1[1] : undefined;
    return { node: loop, kind: "batch", ...(count ? { count } : {}), ...(loader ? { loader } : {}) };
  }
  return { node: loop, kind: "other" };
}

/** The clock a set of step sites implies: all per batch, all per epoch, or unknown. */
export function clockOf(sites: StepSite[]): Clock {
  if (sites.length === 0) return "unknown";
  const clocks = sites.map((s) => siteClock(s));
  return clocks.every((c) => c === clocks[0]) ? clocks[0]! : "unknown";
}

export function siteClock(s: StepSite): Clock {
  if (!s.ctx.known || s.ctx.conditional) return "unknown";
  // `scheduler.step(epoch + i / iters)` sets the position itself (torch's documented way to
  // step CosineAnnealingWarmRestarts per batch in epochs), so where it is called says nothing.
  if (s.arg && s.method === "step" && !s.timm) return "unknown";
  const inner = s.ctx.loops.find((l) => l.kind !== "other");
  if (!inner) return "unknown";
  // A loop of unknown kind inside the epoch loop may be the batch loop under another name.
  const innerIdx = s.ctx.loops.indexOf(inner);
  if (inner.kind === "epoch" && innerIdx > 0) return "unknown";
  return inner.kind === "epoch" ? "epoch" : "batch";
}

/** The loops of a batch-clocked site: the batch loop and the epoch loop around it. */
export function loopsOf(s: StepSite): { batch?: LoopInfo; epoch?: LoopInfo } {
  const batch = s.ctx.loops.find((l) => l.kind === "batch");
  const epoch = s.ctx.loops.find((l) => l.kind === "epoch");
  return { ...(batch ? { batch } : {}), ...(epoch ? { epoch } : {}) };
}

/** Every `X.step(...)` / `X.step_update(...)` call, with the receiver's value. */
export function stepCalls(m: PyModel, r: Resolver): { site: StepSite; receiver: Value; receiverNode: PyNode }[] {
  const out: { site: StepSite; receiver: Value; receiverNode: PyNode }[] = [];
  for (const call of m.calls) {
    const callee = call.kids[0];
    if (callee?.type !== "MemberExpression") continue;
    const prop = callee.kids[2];
    const method = prop?.type === "PropertyName" ? textOf(m.py, prop) : "";
    if (method !== "step" && method !== "step_update") continue;
    const recv = callee.kids[0]!;
    const a = exprKids(call.kids.find((k) => k.type === "ArgList") ?? call);
    out.push({
      site: { call, ctx: contextOf(m, r, call), method, ...(a[0] ? { arg: a[0] } : {}) },
      receiver: r.value(recv),
      receiverNode: recv,
    });
  }
  return out;
}

/** The scheduler a receiver value denotes. */
export function schedulerOf(v: Value, byCall: Map<PyNode, SchedulerUse>): SchedulerUse | undefined {
  return v.kind === "call" ? byCall.get(v.node) : undefined;
}
