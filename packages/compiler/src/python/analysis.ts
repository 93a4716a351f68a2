// One script's facts, computed once and read by both the lints and the importer: the
// scheduler constructions, where each is stepped (and so its clock), the optimizer steps,
// the Lightning `configure_optimizers` configuration and Hugging Face `Trainer` hand-offs.

import { buildModel, type PyModel } from "./model.js";
import { findSchedulers, type SchedulerUse } from "./schedulers.js";
import { type Clock, clockOf, type StepSite, stepCalls } from "./stepping.js";
import { exprKids, type ParsedPython, type PyNode, textOf, walk } from "./syntax.js";
import { Resolver, type Value } from "./values.js";

export interface LightningConfig {
  /** The `lr_scheduler` dict, when the scheduler was given in one. */
  dict?: Extract<Value, { kind: "dict" }>;
  interval?: string;
  intervalNode?: PyNode;
  /** Lightning steps the scheduler every `frequency` intervals (1 by default). */
  frequency?: number;
  monitor: boolean;
  /** The node of the returned configuration, for locating diagnostics. */
  node: PyNode;
}

export interface SchedulerFacts {
  use: SchedulerUse;
  sites: StepSite[];
  clock: Clock;
  /** Where the clock came from, for the importer's comments. */
  clockSource?: PyNode;
  lightning?: LightningConfig;
  /** True when something other than a `.step()` call uses the scheduler (returned, passed on). */
  handedOff: boolean;
  children: SchedulerFacts[];
}

export interface Analysis {
  py: ParsedPython;
  m: PyModel;
  r: Resolver;
  schedulers: SchedulerFacts[];
  optimizerSteps: StepSite[];
}

export function analyse(py: ParsedPython): Analysis {
  const m = buildModel(py);
  const r = new Resolver(m);
  const uses = findSchedulers(m);
  const byCall = new Map<PyNode, SchedulerUse>(uses.map((u) => [u.call, u]));
  const facts = new Map<SchedulerUse, SchedulerFacts>(uses.map((u) => [u, { use: u, sites: [], clock: "unknown", handedOff: false, children: [] }]));
  const byTarget = new Map<string, SchedulerUse[]>();
  for (const u of uses) {
    if (!u.target) continue;
    const list = byTarget.get(u.target);
    if (list) list.push(u);
    else byTarget.set(u.target, [u]);
  }

  /** The construction a value or a receiver's text denotes. */
  const useOf = (v: Value, text?: string): SchedulerUse | undefined => {
    if (v.kind === "call") {
      const u = byCall.get(v.node);
      if (u) return u;
    }
    const t = text !== undefined ? byTarget.get(text) : undefined;
    return t && t.length === 1 ? t[0] : undefined;
  };

  // SequentialLR and ChainedScheduler children.
  for (const u of uses) {
    if (u.cls !== "SequentialLR" && u.cls !== "ChainedScheduler") continue;
    const list = u.args.get("schedulers");
    const lv = list ? r.value(list) : undefined;
    if (lv?.kind !== "list") continue;
    for (const item of lv.items) {
      const child = useOf(r.value(item, lv.scope), textOf(py, item));
      if (child && !child.parent) {
        child.parent = u;
        facts.get(u)!.children.push(facts.get(child)!);
      }
    }
  }

  const optimizerSteps: StepSite[] = [];
  for (const { site, receiver, receiverNode } of stepCalls(m, r)) {
    const text = textOf(py, receiverNode);
    const u = useOf(receiver, text);
    if (u) {
      if (u.library === "timm") site.timm = true;
      facts.get(u)!.sites.push(site);
      continue;
    }
    if (isOptimizer(receiver, text) || isScaler(receiver, text)) optimizerSteps.push(site);
  }

  for (const f of facts.values()) {
    f.clock = clockOf(f.sites);
    if (f.sites.length > 0) f.clockSource = f.sites[0]!.call;
  }

  readLightning(py, m, r, useOf, facts);
  readTrainer(py, m, r, useOf, facts);
  markHandedOff(py, facts);

  return { py, m, r, schedulers: uses.map((u) => facts.get(u)!), optimizerSteps };
}

function isOptimizer(v: Value, text: string): boolean {
  if (v.kind === "call") return /^torch\.optim\.(?!lr_scheduler)|AdamW$|Adafactor$|^bitsandbytes|^apex|create_optimizer/.test(v.qualified);
  return /^(self\.)?(optim|optimizer|opt|optimiser)\w*$/i.test(text);
}

function isScaler(v: Value, text: string): boolean {
  if (v.kind === "call") return /GradScaler$/.test(v.qualified);
  return /^(self\.)?\w*scaler$/i.test(text);
}

/** Lightning's `configure_optimizers` return values: the scheduler's interval and monitor. */
function readLightning(py: ParsedPython, m: PyModel, r: Resolver, useOf: (v: Value, t?: string) => SchedulerUse | undefined, facts: Map<SchedulerUse, SchedulerFacts>): void {
  for (const fn of m.functions.get("configure_optimizers") ?? []) {
    walk(fn, (n) => {
      if (n.type === "FunctionDefinition" && n !== fn) return false;
      if (n.type !== "ReturnStatement") return;
      const vals = exprKids(n).filter((k) => k.type !== "return");
      const top = vals.length === 1 ? r.value(vals[0]!) : { kind: "list" as const, items: vals, scope: r.m.module };
      const configs: { sched: PyNode; dict?: Extract<Value, { kind: "dict" }>; outer?: Extract<Value, { kind: "dict" }> }[] = [];
      const readEntry = (node: PyNode, v: Value, outer?: Extract<Value, { kind: "dict" }>) => {
        if (v.kind === "dict") {
          const s = v.entries.get("scheduler");
          if (s) configs.push({ sched: s, dict: v, ...(outer ? { outer } : {}) });
        } else configs.push({ sched: node, ...(outer ? { outer } : {}) });
      };
      if (top.kind === "dict") {
        const ls = top.entries.get("lr_scheduler");
        if (ls) readEntry(ls, r.value(ls, top.scope), top);
      } else if (top.kind === "list" && top.items.length === 2) {
        const second = r.value(top.items[1]!, top.scope);
        if (second.kind === "list") for (const it of second.items) readEntry(it, r.value(it, second.scope));
      }
      for (const c of configs) {
        const u = useOf(r.value(c.sched), textOf(py, c.sched));
        if (!u) continue;
        const f = facts.get(u)!;
        const iv = c.dict?.entries.get("interval");
        const ivv = iv ? r.value(iv, c.dict!.scope) : undefined;
        const interval = ivv?.kind === "str" ? ivv.s : iv ? undefined : "epoch";
        const monitor = Boolean(c.dict?.entries.has("monitor") || c.outer?.entries.has("monitor"));
        const fq = c.dict?.entries.get("frequency");
        const frequency = fq ? r.number(fq, c.dict!.scope) : 1;
        f.lightning = {
          ...(c.dict ? { dict: c.dict } : {}),
          ...(interval !== undefined ? { interval } : {}),
          ...(iv ? { intervalNode: iv } : {}),
          ...(frequency !== undefined ? { frequency } : {}),
          monitor,
          node: c.dict ? vals[0]! : c.sched,
        };
        f.handedOff = true;
        if (f.sites.length === 0) {
          // Every N intervals is a clock of its own, which no check assumes.
          f.clock = frequency !== 1 ? "unknown" : interval === "step" ? "batch" : interval === "epoch" ? "epoch" : "unknown";
          f.clockSource = iv ?? c.sched;
        }
      }
    });
  }
}

/** `Trainer(..., optimizers=(optimizer, scheduler))`: stepped once per optimizer step. */
function readTrainer(py: ParsedPython, m: PyModel, r: Resolver, useOf: (v: Value, t?: string) => SchedulerUse | undefined, facts: Map<SchedulerUse, SchedulerFacts>): void {
  for (const call of m.calls) {
    const callee = call.kids[0];
    // Read the callee's last letters in place: slicing the text of every call adds up.
    if (!callee || !py.text.endsWith("Trainer", callee.to)) continue;
    const v = r.value(callee);
    if (v.kind !== "call" || !/^transformers\..*Trainer$/.test(v.qualified)) continue;
    const list = call.kids.find((k) => k.type === "ArgList");
    const ks = list?.kids ?? [];
    const i = ks.findIndex((k, j) => k.type === "VariableName" && textOf(py, k) === "optimizers" && ks[j + 1]?.type === "AssignOp");
    const val = i >= 0 ? ks[i + 2] : undefined;
    const lv = val ? r.value(val) : undefined;
    if (lv?.kind !== "list" || lv.items.length !== 2) continue;
    const u = useOf(r.value(lv.items[1]!, lv.scope), textOf(py, lv.items[1]!));
    if (!u) continue;
    const f = facts.get(u)!;
    f.handedOff = true;
    if (f.sites.length === 0) {
      f.clock = "batch";
      f.clockSource = call;
    }
  }
}

/** Whether each assigned scheduler is used anywhere but its own assignment and `.step()`. */
function markHandedOff(py: ParsedPython, facts: Map<SchedulerUse, SchedulerFacts>): void {
  const targets = new Map<string, SchedulerFacts>();
  for (const f of facts.values()) {
    if (f.use.parent) f.handedOff = true;
    if (!f.use.target) f.handedOff = true;
    else if (!f.handedOff) targets.set(f.use.target.replace(/^self\./, ""), f);
  }
  if (targets.size === 0) return;
  // Only a name as long as some target can be one: most names are not sliced at all.
  const lengths = new Set([...targets.keys()].map((t) => t.length));
  walk(py.root, (n) => {
    if ((n.type !== "VariableName" && n.type !== "PropertyName") || !lengths.has(n.to - n.from)) return;
    const f = targets.get(textOf(py, n));
    if (!f) return;
    // The assignment's own target, and the receiver of a `.step()` call, do not count.
    const member = n.type === "PropertyName" ? n.parent : n;
    const stmt = member?.parent;
    if (stmt?.type === "AssignStatement" && stmt.kids[0] === member) return;
    if (member?.parent?.type === "MemberExpression" && member.parent.kids[0] === member) {
      const prop = member.parent.kids[2];
      if (prop && /^step(_update)?$/.test(textOf(py, prop))) return;
    }
    f.handedOff = true;
  });
}
