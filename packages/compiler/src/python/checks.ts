// The checks `anneal lint` runs over a script's analysis, one small function per mistake.
// Each speaks only when the script says enough to be sure: an unknown clock, an unknown
// value or an unknown loop is silence, never a guess.

import type { Fix } from "@anneal/dsl";
import type { Reporter } from "../diagnostics/report.js";
import type { Analysis, SchedulerFacts } from "./analysis.js";
import { HF_SCHEDULER_NAMES } from "./schedulers.js";
import { type Clock, loopsOf, type StepSite } from "./stepping.js";
import { callArgs, dottedParts, type PyNode, textOf } from "./syntax.js";
import { type NumValue, unitOf, type Value } from "./values.js";

type Check = (a: Analysis, f: SchedulerFacts, report: Reporter) => void;

/** The arguments that give a scheduler's length, in ticks of its `.step()`. */
const LENGTH_PARAMS: Record<string, string[]> = {
  CosineAnnealingLR: ["T_max"],
  CosineAnnealingWarmRestarts: ["T_0"],
  StepLR: ["step_size"],
  MultiStepLR: ["milestones"],
  LinearLR: ["total_iters"],
  ConstantLR: ["total_iters"],
  PolynomialLR: ["total_iters"],
  OneCycleLR: ["total_steps"],
  CyclicLR: ["step_size_up"],
  CosineLRScheduler: ["t_initial"],
};

const HF_LENGTH_PARAMS = ["num_training_steps"];

/** The clock a scheduler runs on: its own, or its SequentialLR's. */
export function effectiveClock(a: Analysis, f: SchedulerFacts): Clock {
  if (f.use.parent) {
    const p = a.schedulers.find((x) => x.use === f.use.parent);
    return p ? effectiveClock(a, p) : "unknown";
  }
  return f.clock;
}

function sitesOf(a: Analysis, f: SchedulerFacts): StepSite[] {
  if (f.use.parent) {
    const p = a.schedulers.find((x) => x.use === f.use.parent);
    return p ? sitesOf(a, p) : [];
  }
  return f.sites;
}

/** The value a length argument counts in: the first milestone for a list. */
function lengthValue(a: Analysis, node: PyNode): { value: Value; node: PyNode } {
  const v = a.r.value(node);
  if (v.kind === "list") {
    const first = v.items[0];
    return first ? { value: a.r.value(first, v.scope), node: first } : { value: v, node };
  }
  return { value: v, node };
}

function lengthArgs(f: SchedulerFacts): [string, PyNode][] {
  const names = f.use.library === "hf" ? HF_LENGTH_PARAMS : (LENGTH_PARAMS[f.use.cls] ?? []);
  if (f.use.cls === "CosineLRScheduler" && !f.use.args.has("t_in_epochs")) return [];
  return names.flatMap((n) => (f.use.args.has(n) ? [[n, f.use.args.get(n)!] as [string, PyNode]] : []));
}

/** Whether an expression binds tighter than `*` as written (a name, attribute, subscript or call). */
function isSimple(text: string): boolean {
  return /^[\w.]+(\[[^\]]*\]|\([^()]*\))?$/.test(text);
}

function replaceFix(title: string, node: PyNode, newText: string): Fix {
  return { title, edits: [{ range: { start: node.from, end: node.to }, newText }] };
}

const epochsPerBatch: Check = (a, f, report) => {
  if (effectiveClock(a, f) !== "batch") return;
  const sites = sitesOf(a, f);
  const { batch } = sites[0] ? loopsOf(sites[0]) : {};
  for (const [name, node] of lengthArgs(f)) {
    const { value, node: at } = lengthValue(a, node);
    if (unitOf(value) !== "epochs") continue;
    const text = textOf(a.py, at);
    const gated = sites.some((s) => s.ctx.gate);
    const fixes = batch?.loader && !gated ? [replaceFix(`multiply by len(${batch.loader})`, at, `${isSimple(text) ? text : `(${text})`} * len(${batch.loader})`)] : [];
    const per = f.lightning ? `Lightning steps it every optimizer step (\`"interval": "step"\`)` : "the scheduler is stepped once per batch";
    const steps = f.lightning ? "self.trainer.estimated_stepping_batches" : `${isSimple(text) ? text : `(${text})`} * len(${batch?.loader ?? "train_loader"})`;
    if (f.use.library === "hf") {
      report.report("A503", { start: at.from, end: at.to }, `${name}=${text} is a number of epochs, but ${per}; num_training_steps counts optimizer steps: pass ${text} * len(${batch?.loader ?? "train_dataloader"})`, { fixes });
    } else {
      report.report("A501", { start: at.from, end: at.to }, `${name}=${text} is a number of epochs, but ${per}, so the schedule ends after ${text} batches; write ${steps}, or step it once per epoch`, { fixes });
    }
  }
};

const stepsPerEpoch: Check = (a, f, report) => {
  if (effectiveClock(a, f) !== "epoch") return;
  for (const [name, node] of lengthArgs(f)) {
    const { value, node: at } = lengthValue(a, node);
    if (value.kind !== "num" || value.loader === undefined) continue;
    const text = textOf(a.py, at);
    report.report("A502", { start: at.from, end: at.to }, `${name}=${text} counts batches (${value.loader}), but the scheduler is stepped once per epoch, so it covers only a fraction of its length; give ${name} in epochs, or step the scheduler once per batch`);
  }
};

const accumulation: Check = (a, f, report) => {
  if (effectiveClock(a, f) !== "batch") return;
  const gate = sitesOf(a, f).find((s) => s.ctx.gate)?.ctx.gate;
  if (!gate) return;
  const factor = gate.factor;
  if (factor?.kind === "num" && factor.k === 1 && factor.loader === undefined) return;
  const params = [...lengthArgs(f).map(([n]) => n), ...(f.use.cls === "OneCycleLR" ? ["steps_per_epoch"] : [])];
  const divisor = gate.node.type === "BinaryExpression" ? gate.node.kids[0]?.kids[2] : undefined;
  const dt = divisor ? textOf(a.py, divisor) : "accumulation_steps";
  for (const name of params) {
    const node = f.use.args.get(name);
    if (!node) continue;
    const { value, node: at } = lengthValue(a, node);
    if (value.kind !== "num" || value.loader === undefined || value.divided) continue;
    const text = textOf(a.py, at);
    const fixes = divisor ? [replaceFix(`divide by ${dt}`, at, `${isSimple(text) || /^len\(/.test(text) ? text : `(${text})`} // ${isSimple(dt) ? dt : `(${dt})`}`)] : [];
    report.report("A504", { start: at.from, end: at.to }, `${name}=${text} counts every batch, but the scheduler is stepped once per ${dt} batches (gradient accumulation), so it reaches only part of its length; divide by ${dt}`, { fixes });
  }
};

const sequentialMilestones: Check = (a, f, report) => {
  if (f.use.cls !== "SequentialLR") return;
  const first = f.children[0];
  const ms = f.use.args.get("milestones");
  if (!first || !ms || (first.use.cls !== "LinearLR" && first.use.cls !== "ConstantLR") || first.use.spread) return;
  const msv = a.r.value(ms);
  if (msv.kind !== "list" || msv.items.length === 0) return;
  const m0 = msv.items[0]!;
  const mv = a.r.value(m0, msv.scope);
  const ti = first.use.args.get("total_iters");
  const tv: Value = ti ? a.r.value(ti) : { kind: "num", k: 5, hint: undefined };
  if (!sameCount(mv, tv)) return;
  const warm = ti ? textOf(a.py, ti) : "5 (the default)";
  report.report("A505", { start: m0.from, end: m0.to }, `the first milestone, ${textOf(a.py, m0)}, differs from the warmup's total_iters=${warm}, so the ${first.use.cls} is ${lessThan(mv, tv) ? "cut short and the rate jumps" : "over early and holds"}; make the milestone ${ti ? textOf(a.py, ti) : "5"}`, {
    fixes: [replaceFix(`use ${ti ? textOf(a.py, ti) : "5"}`, m0, ti ? textOf(a.py, ti) : "5")],
  });
};

/** True when two counts are both known and differ (same loader factor, different values). */
function sameCount(x: Value, y: Value): boolean {
  if (x.kind !== "num" || y.kind !== "num" || x.k === undefined || y.k === undefined || x.inexact || y.inexact) return false;
  return x.loader === y.loader && x.k !== y.k;
}

function lessThan(x: Value, y: Value): boolean {
  return x.kind === "num" && y.kind === "num" && (x.k ?? 0) < (y.k ?? 0);
}

const byLoop = new WeakMap<Analysis, Map<PyNode, StepSite[]>>();

/** The optimizer steps whose innermost loop is the site's own, indexed once per analysis. */
function optimizerStepsIn(a: Analysis, s: StepSite): StepSite[] {
  let index = byLoop.get(a);
  if (!index) {
    index = new Map();
    for (const o of a.optimizerSteps) {
      const l = o.ctx.loops[0]?.node;
      if (!l) continue;
      const list = index.get(l);
      if (list) list.push(o);
      else index.set(l, [o]);
    }
    byLoop.set(a, index);
  }
  const loop = s.ctx.loops[0]?.node;
  return loop ? (index.get(loop) ?? []) : [];
}

function sameBlockLoop(s: StepSite, o: StepSite): boolean {
  const ls = s.ctx.loops[0]?.node;
  return ls !== undefined && ls === o.ctx.loops[0]?.node && s.ctx.known && o.ctx.known;
}

const beforeOptimizer: Check = (a, f, report) => {
  if (f.use.cls === "ReduceLROnPlateau" || f.use.library === "timm") return;
  for (const s of f.sites) {
    if (s.ctx.conditional) continue;
    const inLoop = optimizerStepsIn(a, s);
    const later = inLoop.find((o) => sameBlockLoop(s, o) && o.call.from > s.call.from && !o.ctx.conditional && (o.ctx.gate?.node === s.ctx.gate?.node || !s.ctx.gate));
    if (!later || inLoop.some((o) => sameBlockLoop(s, o) && o.call.from < s.call.from)) continue;
    report.report("A506", { start: s.call.from, end: s.call.to }, `${textOf(a.py, s.call)} comes before ${textOf(a.py, later.call)} in the same loop; step the scheduler after the optimizer, or the schedule's first rate is skipped`, {
      related: [{ message: "the optimizer is stepped here", range: { start: later.call.from, end: later.call.to } }],
    });
  }
};

const twice: Check = (a, f, report) => {
  const plain = f.sites.filter((s) => s.ctx.known && !s.ctx.conditional && s.ctx.loops.length > 0 && s.method === "step");
  for (let i = 1; i < plain.length; i++) {
    const prev = plain.slice(0, i).find((p) => p.ctx.loops[0]!.node === plain[i]!.ctx.loops[0]!.node && p.ctx.gate?.node === plain[i]!.ctx.gate?.node);
    if (!prev) continue;
    const s = plain[i]!;
    report.report("A507", { start: s.call.from, end: s.call.to }, `${textOf(a.py, s.call)} is called a second time in the same loop iteration, so the schedule runs twice as fast; keep one call`, {
      related: [{ message: "first call", range: { start: prev.call.from, end: prev.call.to } }],
    });
  }
};

const linearDefault: Check = (a, f, report) => {
  if ((f.use.cls !== "LinearLR" && f.use.cls !== "ConstantLR") || f.use.spread || f.use.args.has("total_iters")) return;
  if (effectiveClock(a, f) !== "batch") return;
  const callee = f.use.call.kids[0]!;
  const factor = f.use.cls === "LinearLR" ? "start_factor" : "factor";
  const fText = f.use.args.has(factor) ? "" : `${factor}=1/3 and `;
  report.report("A508", { start: callee.from, end: callee.to }, `${f.use.cls} without total_iters uses the default ${fText}total_iters=5, a warmup of 5 batches here; pass the warmup's length: total_iters=warmup_steps`);
};

const pastTmax: Check = (a, f, report) => {
  if (f.use.cls !== "CosineAnnealingLR" || f.use.parent || f.sites.length === 0) return;
  const tnode = f.use.args.get("T_max");
  if (!tnode) return;
  const t = a.r.value(tnode);
  if (t.kind !== "num" || t.k === undefined || t.inexact) return;
  const clock = f.clock;
  // T_max in epochs on a per-batch clock is A501's mistake; this would only repeat it.
  if (clock === "batch" && unitOf(t) === "epochs") return;
  const { batch, epoch } = loopsOf(f.sites[0]!);
  let runs: NumValue | undefined;
  let boundNode: PyNode | undefined;
  let rises = false;
  if (clock === "epoch" && epoch?.count?.kind === "num" && epoch.count.k !== undefined && epoch.count.loader === undefined && t.loader === undefined) {
    runs = epoch.count;
    rises = epoch.count.k - 1 > t.k;
  } else if (clock === "batch" && batch?.count?.kind === "num" && batch.count.k !== undefined && !batch.count.inexact && batch.count.loader === t.loader && !f.sites[0]!.ctx.gate) {
    runs = batch.count;
    rises = batch.count.k - 1 > t.k;
  } else if (clock === "batch" && t.loader !== undefined && epoch?.count?.kind === "num" && epoch.count.k !== undefined && epoch.count.loader === undefined && batch?.loader !== undefined && `len(${batch.loader})` === t.loader && !f.sites[0]!.ctx.gate) {
    runs = epoch.count;
    rises = epoch.count.k > t.k;
  }
  if (!runs || !rises) return;
  const loop = clock === "epoch" || t.loader !== undefined ? epoch : batch;
  boundNode = loop ? boundOf(a.py, loop.node) : undefined;
  const bound = boundNode ? textOf(a.py, boundNode) : String(runs.k);
  const newText = t.loader !== undefined ? `${isSimple(bound) ? bound : `(${bound})`} * ${t.loader}` : bound;
  report.report("A509", { start: tnode.from, end: tnode.to }, `the loop steps this cosine ${t.loader !== undefined ? `${runs.k} epochs of batches` : `${runs.k} times`}, past T_max=${textOf(a.py, tnode)}, where CosineAnnealingLR rises again; set T_max=${newText}`, {
    fixes: [replaceFix(`set T_max to ${newText}`, tnode, newText)],
  });
};

/** The bound expression of `range(N)` (or `range(0, N)`, `trange(N)`) or of `while x < N`. */
function boundOf(py: Analysis["py"], loop: PyNode): PyNode | undefined {
  if (loop.type === "WhileStatement") {
    const c = loop.kids[1];
    return c?.type === "BinaryExpression" ? c.kids[2] : undefined;
  }
  const inAt = loop.kids.findIndex((k) => k.type === "in");
  let it = loop.kids[inAt + 1];
  for (let i = 0; i < 4 && it?.type === "CallExpression"; i++) {
    const name = dottedParts(py, it.kids[0]!)?.at(-1);
    const args = callArgs(py, it).positional;
    if (name === "range" || name === "trange") return args.length === 1 ? args[0] : args.length === 2 ? args[1] : undefined;
    if (!name || !/^(enumerate|tqdm|iter|zip)$/.test(name)) return undefined;
    it = args[0];
  }
  return undefined;
}

const plateauMetric: Check = (a, f, report) => {
  if (f.use.cls !== "ReduceLROnPlateau") return;
  for (const s of f.sites) {
    if (s.method !== "step" || s.arg) continue;
    report.report("A510", { start: s.call.from, end: s.call.to }, `ReduceLROnPlateau.step() needs the monitored metric and raises a TypeError without it; pass it: ${textOf(a.py, s.call).replace(/\(\s*\)$/, "(val_loss)")}`);
  }
};

const lightningConfig: Check = (a, f, report) => {
  const l = f.lightning;
  if (!l) return;
  if (f.use.cls === "ReduceLROnPlateau" && !l.monitor) {
    report.report("A511", { start: l.node.from, end: l.node.to }, `Lightning needs "monitor" to step ReduceLROnPlateau and raises a MisconfigurationException without it; add "monitor": "val_loss" to the lr_scheduler dict`);
  }
  if (l.intervalNode && l.interval !== undefined && l.interval !== "step" && l.interval !== "epoch") {
    const best = /step|batch|iter/i.test(l.interval) ? "step" : "epoch";
    const q = textOf(a.py, l.intervalNode)[0] === "'" ? "'" : '"';
    report.report("A512", { start: l.intervalNode.from, end: l.intervalNode.to }, `"interval" must be "step" or "epoch", not "${l.interval}"; Lightning raises a MisconfigurationException`, {
      fixes: [replaceFix(`use "${best}"`, l.intervalNode, `${q}${best}${q}`)],
    });
  }
};

const hfName: Check = (a, f, report) => {
  if (f.use.cls !== "get_scheduler") return;
  const n = f.use.args.get("name");
  const v = n ? a.r.value(n) : undefined;
  if (!n || v?.kind !== "str" || HF_SCHEDULER_NAMES.includes(v.s)) return;
  const best = closest(v.s, HF_SCHEDULER_NAMES);
  const q = textOf(a.py, n)[0] === "'" ? "'" : '"';
  report.report("A513", { start: n.from, end: n.to }, `get_scheduler has no scheduler named "${v.s}" and raises a ValueError; ${best ? `did you mean "${best}"?` : `use one of ${HF_SCHEDULER_NAMES.join(", ")}`}`, {
    ...(best && n.type === "String" ? { fixes: [replaceFix(`use "${best}"`, n, `${q}${best}${q}`)] } : {}),
  });
};

const warmupTooLong: Check = (a, f, report) => {
  const [w, t] = f.use.library === "hf" ? ["num_warmup_steps", "num_training_steps"] : f.use.cls === "CosineLRScheduler" ? ["warmup_t", "t_initial"] : [];
  if (!w || !t) return;
  const wn = f.use.args.get(w);
  const tn = f.use.args.get(t);
  if (!wn || !tn) return;
  const wv = a.r.value(wn);
  const tv = a.r.value(tn);
  // A warmup in steps against a total in epochs is A503's mistake, not this one.
  if (unitOf(tv) === "epochs" && unitOf(wv) !== "epochs") return;
  if (wv.kind !== "num" || tv.kind !== "num" || wv.k === undefined || tv.k === undefined || wv.loader !== tv.loader || wv.inexact || tv.inexact || wv.k < tv.k) return;
  report.report("A514", { start: wn.from, end: wn.to }, `the warmup (${w}=${textOf(a.py, wn)}) is at least as long as the schedule (${t}=${textOf(a.py, tn)}), so the rate never decays; check that the two are not swapped or in different units`);
};

const accumulationMismatch: Check = (a, f, report) => {
  for (const s of f.sites) {
    if (s.ctx.gate || s.ctx.conditional || !s.ctx.known) continue;
    const gated = optimizerStepsIn(a, s).find((o) => o.ctx.gate && s.ctx.loops[0]?.kind === "batch");
    if (!gated) continue;
    report.report("A515", { start: s.call.from, end: s.call.to }, `the scheduler is stepped on every batch but the optimizer only when ${textOf(a.py, gated.ctx.gate!.node)}, so the schedule runs ahead of training; step the scheduler under the same condition`, {
      related: [{ message: "the optimizer is stepped here", range: { start: gated.call.from, end: gated.call.to } }],
    });
  }
};

const neverStepped: Check = (a, f, report) => {
  if (f.sites.length > 0 || f.handedOff || !f.use.target || f.use.parent) return;
  report.report("A516", { start: f.use.call.from, end: f.use.call.kids[0]!.to }, `${f.use.target} is never stepped, returned or passed on, so the rate never changes; call ${f.use.target}.step() in the training loop`);
};

const CHECKS: Check[] = [
  epochsPerBatch,
  stepsPerEpoch,
  accumulation,
  sequentialMilestones,
  beforeOptimizer,
  twice,
  linearDefault,
  pastTmax,
  plateauMetric,
  lightningConfig,
  hfName,
  warmupTooLong,
  accumulationMismatch,
  neverStepped,
];

export function runChecks(a: Analysis, report: Reporter): void {
  if (a.py.firstError !== undefined) {
    const start = a.py.firstError;
    const nl = a.py.text.indexOf("\n", start);
    report.report("A500", { start, end: Math.max(start, nl < 0 ? a.py.text.length : nl) }, "this line does not parse as Python; the lint read around it, so a scheduler here may be missed");
  }
  for (const f of a.schedulers) for (const c of CHECKS) c(a, f, report);
}

/** The candidate within edit distance 3 of `word`, if there is one. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
