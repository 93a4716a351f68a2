// One phase, from its clauses to the pieces it lowers to.
//
// Each phase kind reads its clauses (which ones it takes is `PHASE_CLAUSES`, in
// phase-forms.ts), resolves its
// values and lowers to one or more pieces on the clock: most phases are one segment of
// their own shape; `onecycle` and `table` are sugar over several (see `lower.ts`). The
// shape's own module (`shapes/`) then knows everything else about each piece.

import type { Clause, ClauseKind, Expr, Phase, Range } from "@anneal/dsl";
import type { Reporter } from "../diagnostics/report.js";
import { rateAt, segmentEnd } from "../evaluate.js";
import type { RateValue, RuntimeRate, Shape, ShapeTicks, Sym, SymCond } from "../ir.js";
import { cond, dual, dualBin, either, runtimeRatePart, staticMessage, sym, type Dual, type Part } from "./runtime.js";
import { needsLogSpace } from "../shapes/exp.js";
import { shapeModule } from "../shapes/index.js";
import type { ShapeModule } from "../shapes/shape.js";
import { asNumber, asRate, asTicks, evalExpr, formatNumber as fmt, isSubnormal, LR_SYM, type Scope, type ValueContext } from "./values.js";
import type { ResolvedEnd, ResolvedPhase } from "./schedule.js";
import { lowerOneCycle, lowerTable, type Piece } from "./lower.js";
import { CLAUSE_WORD, PHASE_CLAUSES } from "./phase-forms.js";

/**
 * The largest restart multiplier. Larger ones mean nothing a run can reach (the third
 * cycle of `x 1000` is already a million times the first) and would overflow `mult ** k`
 * in the emitted Python, which raises where JavaScript gives Infinity.
 */
const MAX_RESTART_MULT = 1000;

export function checkClauses(ph: Phase, report: Reporter): void {
  const allowed = PHASE_CLAUSES[ph.type];
  // The clauses kept so far, searched in place: a phase has a few, and a Map per phase was a
  // tenth of what checking a file of many schedules allocated.
  const seen: Clause[] = [];
  for (const c of ph.clauses) {
    if (c.kind === "shape" && c.shape === "step" && ph.type === "warmup") {
      report.report("A201", c.range, "`step` is not a warmup shape (it takes `linear`, `cosine` or `exp`); to start a step decay write `-> step`", {
        fixes: [{ title: "Insert -> before step", edits: [{ range: { start: c.range.start, end: c.range.start }, newText: "-> " }] }],
      });
      continue;
    }
    if (!allowed.includes(c.kind)) {
      if (c.kind === "shape")
        report.report("A201", c.range, `\`${c.shape}\` after a \`${ph.keyword}\` phase reads as a shape, which only \`warmup\` takes; to start a new phase write \`-> ${c.shape}\``, {
          fixes: [{ title: `Insert -> before ${c.shape}`, edits: [{ range: { start: c.range.start, end: c.range.start }, newText: "-> " }] }],
        });
      else if (ph.type === "constant" && c.kind === "from")
        report.report("A201", c.range, "a `constant` phase takes its value with `at`, such as `constant 10k at 1e-5`", {
          fixes: [{ title: "Change `from` to `at`", edits: [{ range: { start: c.range.start, end: c.range.start + 4 }, newText: "at" }] }],
        });
      else
        report.report("A201", c.range, `\`${CLAUSE_WORD[c.kind]}\` does not apply to a \`${ph.keyword}\` phase; it takes ${allowed.map((k) => `\`${CLAUSE_WORD[k]}\``).join(", ")}`);
      continue;
    }
    const first = seenOf(seen, c.kind);
    if (first && first.kind === "shape" && c.kind === "shape")
      // `warmup 4% linear cosine`: the second shape word is the next phase, missing its arrow.
      report.report("A202", c.range, `a phase takes one shape, and \`${first.shape}\` is this one's; \`${c.shape}\` starts the next phase, so write \`-> ${c.shape}\``, {
        fixes: [{ title: `Insert -> before ${c.shape}`, edits: [{ range: { start: c.range.start, end: c.range.start }, newText: "-> " }] }],
      });
    else if (first) report.report("A202", c.range, `\`${CLAUSE_WORD[c.kind]}\` is given twice in this phase; keep one`);
    else seen.push(c);
  }
  const has = (k: ClauseKind) => seenOf(seen, k) !== undefined;
  if (ph.type === "poly" && !has("power")) report.report("A207", ph.keywordRange, "a `poly` phase needs its exponent: `poly power 2`");
  if (ph.type === "step") {
    if (!has("by")) report.report("A207", ph.keywordRange, "a `step` phase needs its factor: `step by 0.1 every 30 epochs`");
    if (!has("every") && !has("at")) report.report("A207", ph.keywordRange, "a `step` phase needs `every D` or `at D, D, ...`: `step by 0.1 every 30 epochs`");
    if (has("every") && has("at")) report.report("A209", seenOf(seen, "at")!.range, "a `step` phase takes `every` or `at`, not both");
  }
  if (ph.type === "exp") {
    if (!has("to") && !has("gamma")) report.report("A207", ph.keywordRange, "an `exp` phase needs `to V` (such as `to 1e-6`) or `gamma G per step`");
    if (has("to") && has("gamma")) report.report("A209", seenOf(seen, "gamma")!.range, "an `exp` phase takes `to` or `gamma`, not both");
  }
  if (ph.type === "constant") {
    const at = seenOf(seen, "at");
    if (at && at.kind === "at" && at.values.length > 1) report.report("A201", at.range, "a `constant` phase holds one value: `constant at 1e-5`");
  }
}

function seenOf(seen: readonly Clause[], kind: ClauseKind): Clause | undefined {
  for (const c of seen) if (c.kind === kind) return c;
  return undefined;
}

function clause<K extends ClauseKind>(ph: Phase, kind: K): Extract<Clause, { kind: K }> | undefined {
  // A loop, not `find` with a closure: this runs some ten times per phase.
  if (!PHASE_CLAUSES[ph.type].includes(kind)) return undefined;
  for (const c of ph.clauses) if (c.kind === kind) return c as Extract<Clause, { kind: K }>;
  return undefined;
}

export function resolvePhase(
  ph: Phase,
  index: number,
  start: number,
  len: number | undefined,
  prevEnd: RateValue,
  peakValue: RateValue,
  scope: Scope,
  cx: ValueContext,
  runtimeTicks: { start?: Sym | undefined; len?: Sym | undefined } = {},
): ResolvedPhase | undefined {
  const rate = (c: { value?: Expr } | undefined, what: string): RateValue | undefined | null => {
    if (!c) return null;
    if (!c.value) return undefined;
    return asRate(evalExpr(c.value, scope, cx), c.value, cx, what);
  };
  const num = (c: { value?: Expr } | undefined, what: string, allowPct = false): number | undefined | null => {
    if (!c) return null;
    if (!c.value) return undefined;
    return asNumber(evalExpr(c.value, scope, cx), c.value, cx, what, allowPct);
  };
  const first = index === 0;
  const fromC = ph.type === "constant" ? undefined : clause(ph, "from");
  const atC = ph.type === "constant" ? clause(ph, "at") : undefined;
  const explicitFrom = ph.type === "constant" ? atC !== undefined : fromC !== undefined;
  let fromV: RateValue | undefined | null = ph.type === "constant" ? (atC && atC.values[0] ? asRate(evalExpr(atC.values[0], scope, cx), atC.values[0], cx, "`at`") : atC ? undefined : null) : rate(fromC, "`from`");
  const toV = rate(clause(ph, "to"), "`to`");
  if (fromV === undefined || toV === undefined) return undefined;
  const zero: RateValue = { scale: 0, abs: 0 };
  const a: RateValue = fromV ?? (first ? (ph.type === "warmup" ? zero : peakValue) : prevEnd);
  let b: RateValue;
  let shape: Shape;
  /** The shape's parameters that the run-time program computes (a step decay's, in epochs on a step clock). */
  let runtimeShape: ShapeTicks | undefined;
  const end = start + (len ?? 0);
  const bad = (range: Range, msg: string) => {
    cx.report.report("A219", range, msg);
    return undefined;
  };
  switch (ph.type) {
    case "warmup": {
      b = toV ?? peakValue;
      const w = clause(ph, "shape")?.shape ?? "linear";
      // checkClauses reported a `step` shape already.
      if (w === "step") return undefined;
      const s = w;
      shape = { kind: s };
      if (s === "exp") {
        if (!positiveRate(a) || !positiveRate(b)) {
          cx.report.report("A208", clause(ph, "shape")!.range, "an `exp` warmup grows geometrically and cannot start at 0; give it a positive start, such as `from 1e-6`");
          return undefined;
        }
        if (denormalStart(ph, a, cx)) return undefined;
        shape = expShape(a, b, cx);
      }
      break;
    }
    case "constant":
      b = a;
      shape = { kind: "constant" };
      break;
    case "linear":
    case "cosine":
    case "sqrt": {
      b = toV ?? zero;
      shape = { kind: ph.type };
      const rc = clause(ph, "restart");
      if (ph.type === "cosine" && rc) {
        const r = restartShape(rc, scope, cx);
        if (!r) return undefined;
        shape = r.shape;
        if (r.period) runtimeShape = { period: r.period };
      }
      break;
    }
    case "exp": {
      const g = clause(ph, "gamma");
      if (g) {
        const gamma = num(g, "`gamma`");
        if (gamma === undefined || gamma === null) return undefined;
        if (!(gamma > 0)) return bad(g.value!.range, "`gamma` must be above 0: the rate is multiplied by it once per step or epoch");
        let per = 1;
        // The steps (or epochs) of one factor of gamma, when they depend on a setting: a
        // variable of the run-time program (a gamma above 1 has its largest rate, where it
        // ends, checked there too).
        const perAt = (s: Sym) => {
          if (cx.runtime) runtimeShape = { per: cx.runtime.name(s) };
        };
        if (g.per === "epoch" && cx.clock === "steps") {
          if (cx.stepsPerEpoch === undefined) {
            cx.report.report("A106", g.perRange ?? g.range, "`per epoch` on a schedule that steps per batch needs `steps_per_epoch`");
            return undefined;
          }
          per = cx.stepsPerEpoch;
          if (cx.speSym) perAt(cx.speSym);
        } else if (g.per === "step" && cx.clock === "epochs") {
          if (cx.stepsPerEpoch === undefined) {
            cx.report.report("A106", g.perRange ?? g.range, "`per step` on a schedule that steps per epoch needs `steps_per_epoch`");
            return undefined;
          }
          per = 1 / cx.stepsPerEpoch;
          if (cx.speSym) perAt({ k: "bin", op: "/", a: { k: "lit", v: 1 }, b: cx.speSym });
        }
        shape = { kind: "gamma", gamma, per };
        b = a;
      } else {
        if (!toV) return undefined;
        b = toV;
        if (denormalStart(ph, a, cx)) return undefined;
        shape = expShape(a, b, cx);
        if (!positiveRate(a) || !positiveRate(b)) {
          cx.report.report("A208", clause(ph, "to")?.value?.range ?? ph.keywordRange, `an \`exp\` phase interpolates geometrically and never reaches 0; decay to a small floor instead, such as \`to 1e-6\`, or use \`linear\` or \`cosine\` to reach 0`);
          return undefined;
        }
      }
      break;
    }
    case "poly": {
      b = toV ?? zero;
      const pc = clause(ph, "power");
      const p = num(pc, "`power`");
      if (p === undefined || p === null) return undefined;
      if (!(p > 0)) return bad(pc!.value!.range, "`power` must be above 0; `power 1` is linear, `power 2` quadratic");
      shape = { kind: "poly", power: p };
      break;
    }
    case "rsqrt": {
      const tc = clause(ph, "timescale");
      let tau = start;
      if (tc) {
        if (!tc.value) return undefined;
        // A timescale that depends on a setting is a variable of the run-time program.
        const rt = cx.runtime;
        const t = ticksOf(tc.value, scope, cx, "`timescale`", undefined, rt !== undefined);
        if (!t) return undefined;
        const tv = t.s && rt ? dual(t.ticks, rt.name(t.s)) : { v: t.ticks };
        const message = "`timescale` must be at least 1 step";
        if (checkNowAndLater(cx, "A219", tc.value.range, t.ticks < 1, cond("<", tv, { v: 1 }), [message])) return undefined;
        tau = t.ticks;
        if (tv.s) runtimeShape = { tau: tv.s };
      } else if (start === 0) {
        cx.report.report("A210", ph.keywordRange, "`rsqrt` takes its timescale from its start step, which is 0 here; give one, such as `rsqrt timescale 4000`", {
          fixes: [{ title: "Add a timescale", edits: [{ range: { start: ph.keywordRange.end, end: ph.keywordRange.end }, newText: " timescale 4000" }] }],
        });
        return undefined;
      }
      // The timescale is the phase's start, a tick variable when that depends on a setting.
      if (!tc && runtimeTicks.start && cx.runtime) runtimeShape = { tau: runtimeTicks.start };
      shape = { kind: "rsqrt", tau };
      b = a;
      break;
    }
    case "rex":
      b = toV ?? zero;
      shape = { kind: "rex" };
      break;
    case "onecycle":
    case "table":
      // Lowered below, once the length is known; `a` and `b` only stand in until then.
      b = toV ?? a;
      shape = { kind: "constant" };
      break;
    case "cyclic": {
      if (!fromV) {
        if (fromV === null) cx.report.report("A207", ph.keywordRange, "a `cyclic` phase needs its low rate, torch's base_lr: `cyclic from 1e-4 every 400`");
        return undefined;
      }
      b = toV ?? peakValue;
      const ev = clause(ph, "every");
      if (!ev || !ev.value) {
        if (!ev) cx.report.report("A207", ph.keywordRange, "a `cyclic` phase needs its cycle length: `cyclic from 1e-4 every 400`");
        return undefined;
      }
      // A cycle and its rise that depend on a setting (`every 4 epochs` with `steps_per_epoch ?`)
      // are variables of the run-time program, and their checks run there too.
      const rt = cx.runtime;
      const cyc = ticksOf(ev.value, scope, cx, "`every`", undefined, rt !== undefined);
      if (!cyc) return undefined;
      const T = cyc.s && rt ? dual(cyc.ticks, rt.name(cyc.s)) : { v: cyc.ticks };
      if (checkNowAndLater(cx, "A219", ev.value.range, cyc.ticks < 2, cond("<", T, { v: 2 }), ["a cycle must last at least 2 steps: one up, one down"])) return undefined;
      let up = cyc.ticks / 2;
      let upRt: { v: number; s?: Sym } = T.s ? { v: up, s: { k: "bin", op: "/", a: T.s, b: { k: "lit", v: 2 } } } : { v: up };
      const upC = clause(ph, "up");
      if (upC) {
        if (!upC.value) return undefined;
        const t = ticksOf(upC.value, scope, cx, "`up`", undefined, rt !== undefined);
        if (!t) return undefined;
        const u = t.s && rt ? dual(t.ticks, rt.name(t.s)) : { v: t.ticks };
        if (checkNowAndLater(cx, "A219", upC.value.range, !(t.ticks > 0 && t.ticks < cyc.ticks), either(cond("<=", u, { v: 0 }), cond(">=", u, T)), ["`up` must be above 0 and below the cycle's ", T, ` ${cx.clock}`])) return undefined;
        up = t.ticks;
        upRt = u;
      }
      const decay = num(clause(ph, "decay"), "`decay`", true);
      const g = num(clause(ph, "gamma"), "`gamma`");
      if (decay === undefined || g === undefined) return undefined;
      if (decay !== null && !(decay > 0 && decay <= 1)) return bad(clause(ph, "decay")!.value!.range, "`decay` scales each cycle's height and must be in (0, 1]; torch's triangular2 is `decay 0.5`");
      if (g !== null && !(g > 0 && g <= 1)) return bad(clause(ph, "gamma")!.value!.range, "`gamma` scales the height once per step and must be in (0, 1], such as `gamma 0.9995`");
      if (decay !== null && g !== null) {
        cx.report.report("A209", clause(ph, "gamma")!.range, "a `cyclic` phase takes `decay` (per cycle) or `gamma` (per step), not both");
        return undefined;
      }
      shape = { kind: "cyclic", cycle: cyc.ticks, up, decay: decay ?? 1, gamma: g ?? 1 };
      if (rt && (T.s || upRt.s)) runtimeShape = { cycle: T.s ?? { k: "lit", v: T.v }, ratio: rt.name({ k: "bin", op: "/", a: upRt.s ?? { k: "lit", v: upRt.v }, b: T.s ?? { k: "lit", v: T.v } }) };
      break;
    }
    case "step": {
      const f = num(clause(ph, "by"), "`by`");
      if (f === undefined || f === null) return undefined;
      if (!(f > 0)) return bad(clause(ph, "by")!.value!.range, "the factor of `step by F` must be above 0, such as `by 0.1`");
      const every = clause(ph, "every");
      const at = clause(ph, "at");
      // A decay's `every` and milestones that depend on a setting are tick variables of the
      // run-time program (a factor above 1 has its largest rate, where it ends, checked there too).
      const rt = cx.runtime;
      /** A check of a duration here, made again at run time when it depends on a setting. */
      const check = (code: "A219" | "A220", range: Range, failsNow: boolean, when: SymCond | undefined, message: string): boolean => checkNowAndLater(cx, code, range, failsNow, when, [message]);
      if (every) {
        if (!every.value) return undefined;
        const t = ticksOf(every.value, scope, cx, "`every`", undefined, rt !== undefined);
        if (!t) return undefined;
        const ev = t.s && rt ? dual(t.ticks, rt.name(t.s)) : { v: t.ticks };
        if (check("A219", every.value.range, t.ticks < 1, cond("<", ev, { v: 1 }), "`every` must be at least 1 step")) return undefined;
        shape = { kind: "step", factor: f, every: t.ticks };
        if (ev.s) runtimeShape = { every: ev.s };
      } else if (at) {
        const ms: number[] = [];
        const msSyms: Sym[] = [];
        let prev: { v: number; s?: Sym } = { v: 0 };
        for (const m of withListUnit(at.values)) {
          const t = ticksOf(m, scope, cx, "a milestone", at.values, rt !== undefined);
          if (!t) return undefined;
          const mv = t.s && rt ? dual(t.ticks, rt.name(t.s)) : { v: t.ticks };
          if (check("A220", m.range, t.ticks < 1, cond("<", mv, { v: 1 }), "a milestone must be at least 1 step into its phase")) return undefined;
          if (check("A220", m.range, t.ticks < prev.v, cond("<", mv, prev), "milestones must be in increasing order")) return undefined;
          prev = mv;
          ms.push(t.ticks);
          msSyms.push(mv.s ?? { k: "lit", v: t.ticks });
        }
        shape = { kind: "multistep", factor: f, milestones: ms };
        if (msSyms.some((x) => x.k !== "lit")) runtimeShape = { milestones: msSyms };
      } else return undefined;
      b = a;
      break;
    }
  }
  if (len === undefined) return undefined;
  const overC = clause(ph, "over");
  if (overC && overC.value && "span" in shape === false && (shape.kind === "linear" || shape.kind === "cosine" || shape.kind === "poly" || shape.kind === "sqrt" || shape.kind === "rex")) {
    // A span that depends on a setting (`over 110%`) is a tick variable of the run-time
    // program: the curve's progress and where it stops (the module's `runtimeEnd`) follow it.
    const t = ticksOf(overC.value, scope, cx, "`over`", undefined, cx.runtime !== undefined);
    if (!t) return undefined;
    const span = namedTicks(t, cx);
    if (checkNowAndLater(cx, "A219", overC.value.range, t.ticks < 1, cond("<", span, { v: 1 }), ["`over` must be at least 1 step"])) return undefined;
    shape = { ...shape, span: t.ticks };
    if (span.s) runtimeShape = { ...runtimeShape, span: span.s };
  }
  let pieces: Piece[] = [{ start, end, shape, from: a, to: b }];
  // The run-time program moves a phase and changes its length. A shape whose end depends
  // on its length or on a parameter computed at run time has that end computed by the
  // program too, from its module's `runtimeEnd`; a shape that more ticks raise (a factor,
  // gamma or cycle decay above 1) has its largest factor computed too (`runtimeGrow`), and
  // its largest rate is checked then. A `onecycle` or a `table` ends on a value its length
  // does not change (its pieces follow the length: oneCyclePieces, tablePieces).
  const mod = shapeModule(shape) as ShapeModule<Shape>;
  const moves = runtimeShape !== undefined || (runtimeTicks.len !== undefined && !lengthFreeEnd(shape));
  let runtimeEnd: ResolvedEnd | undefined;
  /** `grow` at run time, for a shape that more ticks raise. */
  let grown: Sym | undefined;
  if (cx.runtime && moves && mod.runtimeEnd && ph.type !== "onecycle" && ph.type !== "table" && (!growsWithTicks(shape) || mod.runtimeGrow)) {
    const rt = cx.runtime;
    const lenSym = runtimeTicks.len ?? { k: "lit", v: len };
    const e = mod.runtimeEnd(shape, runtimeShape ?? {}, lenSym, (x) => rt.name(x));
    runtimeEnd = { alpha: rt.name(e.alpha), ...(e.beta ? { beta: rt.name(e.beta) } : {}) };
    if (growsWithTicks(shape)) grown = rt.name(mod.runtimeGrow!(shape, runtimeShape ?? {}, lenSym));
  } else if (runtimeTicks.len && !lengthFreeEnd(shape))
    cx.runtime?.unresolved(ph.keywordRange, `the length of this \`${ph.keyword}\` phase`, runtimeTicks.len);
  if (ph.type === "onecycle" || ph.type === "table") {
    // Their pieces' bounds follow a length that depends on a setting (check/lower.ts); both end
    // on a value the length does not change (a `onecycle` on its `to`, a table on its last point).
    const phaseLen = dual(len, runtimeTicks.len);
    const lowered = ph.type === "onecycle" ? oneCyclePieces(ph, phaseLen, fromV, toV, peakValue, scope, cx) : tablePieces(ph, phaseLen, scope, cx);
    if (!lowered) return undefined;
    pieces = lowered.map((p) => ({ ...p, start: start + p.start, end: start + p.end }));
    shape = pieces[0]!.shape;
  }
  // Under `lr ? 3e-4` the rates are affine in the peak, which the generated code takes as
  // `lr=`: the largest rate is checked at the value given (the preview, or `--lr`), and again
  // when the scheduler is built, for the peak it is given.
  const boundPeak = cx.peakBound && typeof cx.peak === "number" ? cx.peak : undefined;
  for (const p of pieces) {
    const grows = clause(ph, "gamma")?.value ?? clause(ph, "by")?.value ?? clause(ph, "restart")?.decay ?? clause(ph, "decay")?.value;
    // A factor above 1 over a number of steps that depends on a setting: its largest rate,
    // from its largest factor and its end, is computed and checked by the program.
    const moved = grown && runtimeEnd ? { grown, end: runtimeEnd } : undefined;
    if ((boundPeak !== undefined || moved) && cx.runtime) {
      const top = boundPeak !== undefined ? boundTop(p.shape, p.from, p.to, p.end - p.start, boundPeak, moved) : grownTop(p.shape, p.from, p.to, p.end - p.start, moved!);
      const failsNow = !(top.v <= MAX_RATE);
      cx.runtime.check(cx.report, "A109", grows?.range ?? ph.keywordRange, failsNow, { op: ">", a: top.s, b: { k: "lit", v: MAX_RATE } }, [
        "this phase's rate reaches ",
        top,
        `${boundPeak === undefined && typeof cx.peak !== "number" ? " × the peak" : ""}, more than the ${fmt(MAX_RATE)} a learning rate may be${grows ? "; a factor above 1 compounds at every step, epoch or cycle" : ""}`,
      ]);
      if (failsNow) return undefined;
      continue;
    }
    const top = phaseTop(p.shape, p.from, p.to, p.end - p.start);
    if (!(top <= MAX_RATE)) {
      cx.report.report(
        "A109",
        grows?.range ?? ph.keywordRange,
        `this phase's rate reaches ${fmt(top)}${typeof cx.peak === "number" ? "" : " × the peak"}, more than the ${fmt(MAX_RATE)} a learning rate may be${grows ? "; a factor above 1 compounds at every step, epoch or cycle" : ""}`,
      );
      return undefined;
    }
  }
  const lastPiece = pieces[pieces.length - 1]!;
  return {
    phase: ph,
    index,
    start,
    end,
    from: pieces[0]!.from,
    to: lastPiece.to,
    endValue: segmentEnd(lastPiece),
    shape,
    pieces,
    explicitFrom,
    ...(first ? {} : { previousEnd: prevEnd }),
    ...(runtimeShape ? { runtimeShape } : {}),
    ...(runtimeEnd ? { runtimeEnd } : {}),
  };
}

/**
 * A duration in any position but `total`: its clock ticks, recorded (values.ts) for the
 * lints and the editor. In a list the record also says where a unit for the whole list
 * goes, for A312's fix (lints/bare-duration.ts).
 */
function ticksOf(e: Expr, scope: Scope, cx: ValueContext, what: string, list?: Expr[], resolved = false): ReturnType<typeof asTicks> {
  const t = asTicks(evalExpr(e, scope, cx), e, cx, what);
  // Unless the caller makes it a variable of the run-time program (`resolved`).
  if (t?.s && !resolved) cx.runtime?.unresolved(e.range, what, t.s);
  const last = list && list.length > 1 ? list[list.length - 1] : undefined;
  const record = cx.durations?.[cx.durations.length - 1];
  if (t && last && record && record.range.start === e.range.start && record.range.end === e.range.end) record.listEnd = last.range.end;
  return t;
}

/**
 * A list of durations whose last item has a unit (`at 25, 55, 75 epochs`): the unit applies
 * to the whole list, as it reads, so the bare numbers before it take it too. Only a list
 * of bare numbers and one unit at its end reads that way.
 */
function withListUnit(list: Expr[]): Expr[] {
  const last = list[list.length - 1];
  if (!last || last.kind !== "Quantity") return list;
  // A list that writes units of its own (`at 30 steps, 45, 60 epochs`) says each item's
  // unit where it means one; its bare numbers stay clock ticks (and A312 says so).
  if (list.slice(0, -1).some((e) => e.kind !== "Number")) return list;
  return list.map((e) => (e.kind === "Number" ? { kind: "Quantity", range: e.range, value: e, unit: last.unit, unitRange: last.unitRange } : e));
}

/** The fraction a percent is (`30%` is 0.3), or undefined for any other expression. */
function percentFraction(e: Expr, scope: Scope, cx: ValueContext): number | undefined {
  if (e.kind !== "Percent") return undefined;
  const v = evalExpr(e.value, scope, cx);
  return v && v.t === "num" ? v.v / 100 : undefined;
}

/**
 * A check of a phase made again at run time when its outcome depends on a setting (`when`),
 * else reported now when it fails; returns whether it fails now.
 */
function checkNowAndLater(cx: ValueContext, code: "A206" | "A219" | "A220" | "A230", range: Range, failsNow: boolean, when: SymCond | undefined, parts: Part[]): boolean {
  if (cx.runtime) return cx.runtime.check(cx.report, code, range, failsNow, when, parts);
  if (failsNow) cx.report.report(code, range, staticMessage(parts));
  return failsNow;
}

/** A duration's ticks as a dual, its expression a variable of the run-time program. */
function namedTicks(t: { ticks: number; s?: Sym }, cx: ValueContext): Dual {
  return t.s && cx.runtime ? dual(t.ticks, cx.runtime.name(t.s)) : { v: t.ticks };
}

/**
 * `onecycle`: its values with torch's defaults, lowered (check/lower.ts). Its length and
 * `up` may depend on a setting: the pieces then carry their bounds, spans and shifts as
 * run-time expressions, and the check of `up` runs again when the scheduler is built.
 */
function oneCyclePieces(ph: Phase, len: Dual, fromV: RateValue | null, toV: RateValue | null, peakValue: RateValue, scope: Scope, cx: ValueContext): Piece[] | undefined {
  const rateOf = (k: "via", what: string): RateValue | undefined | null => {
    const c = clause(ph, k);
    if (!c) return null;
    return c.value ? asRate(evalExpr(c.value, scope, cx), c.value, cx, what) : undefined;
  };
  const viaV = rateOf("via", "`via`");
  if (viaV === undefined) return undefined;
  const via = viaV ?? peakValue;
  const scaled = (v: RateValue, by: number): RateValue => ({ scale: v.scale / by, abs: v.abs / by });
  // torch: initial_lr = max_lr / div_factor (25), min_lr = initial_lr / final_div_factor (1e4).
  const from = fromV ?? scaled(via, 25);
  const to = toV ?? scaled(from, 1e4);
  const one: Dual = { v: 1 };
  // pct_start: a percent of `up` is a fraction of this phase, as torch's is of total_steps.
  let upEnd = dualBin("-", dualBin("*", { v: 0.3 }, len), one);
  const upC = clause(ph, "up");
  if (upC) {
    if (!upC.value) return undefined;
    const f = percentFraction(upC.value, scope, cx);
    if (f !== undefined) upEnd = dualBin("-", dualBin("*", { v: f }, len), one);
    else {
      const t = ticksOf(upC.value, scope, cx, "`up`", undefined, true);
      if (!t) return undefined;
      upEnd = dualBin("-", namedTicks(t, cx), one);
    }
  }
  upEnd = namedTicks({ ticks: upEnd.v, ...(upEnd.s ? { s: upEnd.s } : {}) }, cx);
  const threePhase = clause(ph, "threePhase") !== undefined;
  const limit = threePhase ? dualBin("/", dualBin("-", len, one), { v: 2 }) : dualBin("-", len, one);
  const failsNow = !(upEnd.v > 0 && upEnd.v < limit.v);
  const when = either(cond("<=", upEnd, { v: 0 }), cond(">=", upEnd, limit));
  const parts: Part[] = [
    `the rise of a \`onecycle\` must end after step 0 and before ${threePhase ? "the middle of" : "the end of"} the phase (`,
    len,
    ` ${cx.clock}); torch's OneCycleLR divides by its length. Give an \`up\` such as \`up 30%\``,
  ];
  if (checkNowAndLater(cx, "A219", upC?.value?.range ?? ph.keywordRange, failsNow, when, parts)) return undefined;
  const shapeWord = clause(ph, "shape")?.shape ?? "cosine";
  if (shapeWord !== "cosine" && shapeWord !== "linear") {
    cx.report.report("A201", clause(ph, "shape")!.range, "a `onecycle` anneals by `cosine` (torch's default) or `linear`");
    return undefined;
  }
  const rt = cx.runtime;
  const lowered = lowerOneCycle({ len, upEnd, from, via, to, anneal: shapeWord, threePhase }, rt ? (x) => rt.name(x) : undefined);
  if (lowered.vanished) rt?.unresolved(ph.keywordRange, "the middle piece of this three-phase `onecycle`, which holds no whole step at the file's length,", lowered.vanished);
  return lowered.pieces;
}

/**
 * `table`: its points, resolved and checked, lowered (check/lower.ts). A point whose offset
 * depends on a setting is a tick variable of the run-time program, and the checks that read
 * it run again when the scheduler is built; the last piece ends where the phase does.
 */
function tablePieces(ph: Phase, len: Dual, scope: Scope, cx: ValueContext): Piece[] | undefined {
  const pc = clause(ph, "points");
  if (!pc) {
    cx.report.report("A207", ph.keywordRange, "a `table` phase needs its points: `table linear { 0: 1e-3, 10k: 5e-4 }`");
    return undefined;
  }
  const offsets: Dual[] = [];
  const values: RateValue[] = [];
  for (const pt of pc.points) {
    if (!pt.at || !pt.value) return undefined;
    const t = ticksOf(pt.at, scope, cx, "a table point", undefined, true);
    if (!t) return undefined;
    const v = asRate(evalExpr(pt.value, scope, cx), pt.value, cx, "a table value");
    if (!v) return undefined;
    const at = namedTicks(t, cx);
    const prev = offsets[offsets.length - 1];
    const zero: Dual = { v: 0 };
    if (prev === undefined) {
      const off = either(cond("<", at, zero), cond(">", at, zero));
      if (checkNowAndLater(cx, "A230", pt.at.range, at.v !== 0, off, ["a table's first point is where its phase starts, offset 0; add a point `0: V` before it"])) return undefined;
    } else if (checkNowAndLater(cx, "A230", pt.at.range, !(at.v > prev.v), cond("<=", at, prev), ["table points must rise: this one is at ", at, ` ${cx.clock}, not after the one before (`, prev, ")"])) return undefined;
    if (checkNowAndLater(cx, "A230", pt.at.range, at.v >= len.v, cond(">=", at, len), ["this point is ", at, ` ${cx.clock} into a phase of `, len, ", so it is never reached; points count from the phase's start"])) return undefined;
    offsets.push(at);
    values.push(v);
  }
  if (offsets.length === 0) {
    cx.report.report("A207", pc.range, "this table has no points; write them as `{ 0: 1e-3, 10k: 5e-4 }`");
    return undefined;
  }
  const interp = clause(ph, "shape")?.shape ?? "linear";
  if (interp === "exp") {
    cx.report.report("A201", clause(ph, "shape")!.range, "a table goes between its points by `step`, `linear` or `cosine`");
    return undefined;
  }
  return lowerTable({ offsets, values, interp, len });
}



/**
 * The largest rate a phase may reach. The formulas compute with values up to twice a rate
 * (`(a - b) * (1 + cos(...))`), so rates near the largest double (1.8e308) evaluated to
 * Infinity; and a growing phase (`exp gamma 1.1` over 100k steps, `step by 10`, restarts
 * with `decay 10`) reached Infinity from an ordinary start, silently.
 */
const MAX_RATE = 1e300;

/**
 * The largest rate over a phase, as the larger of its scale (a multiple of a relative
 * schedule's peak) and its absolute part. Every shape lies between its start and end values
 * and its start times the largest factor its module's `grow` gives.
 */
function phaseTop(shape: Shape, a: RateValue, b: RateValue, len: number): number {
  const grow = shapeModule(shape).grow(shape, len);
  const end = topEnd(shape, a, b, len);
  // A zero part stays zero, although 0 times an infinite factor is NaN.
  const times = (x: number) => (x === 0 ? 0 : x * grow);
  const top = Math.max(times(a.scale), times(a.abs), b.scale, b.abs, end.scale, end.abs);
  // From finite rates a NaN comes only from an overflow (infinity minus infinity in a
  // shape's formula): the rate is past every bound.
  return Number.isNaN(top) ? Infinity : top;
}

/**
 * Where a phase ends, for its largest rate: a part that is 0 at both ends stays 0, although
 * 0 times a factor that overflowed to infinity is NaN.
 */
function topEnd(shape: Shape, a: RateValue, b: RateValue, len: number): RateValue {
  const end = segmentEnd({ shape, from: a, to: b, start: 0, end: len });
  return { scale: a.scale === 0 && b.scale === 0 ? 0 : end.scale, abs: a.abs === 0 && b.abs === 0 ? 0 : end.abs };
}

/**
 * `phaseTop` of a phase whose rates are affine in a peak bound at run time: its value at
 * `peak`, and the same arithmetic over the run-time `lr`. A start of 0 stays 0 at any peak.
 */
function boundTop(shape: Shape, a: RateValue, b: RateValue, len: number, peak: number, moved?: { grown: Sym; end: ResolvedEnd }): { v: number; s: Sym } {
  const grow = shapeModule(shape).grow(shape, len);
  const end = topEnd(shape, a, b, len);
  const atLr = (x: RateValue): Sym => ({ k: "bin", op: "+", a: { k: "bin", op: "*", a: { k: "lit", v: x.scale }, b: LR_SYM }, b: { k: "lit", v: x.abs } });
  const startZero = a.scale === 0 && a.abs === 0;
  // Over a run-time length (`growsWithTicks`), the largest factor and the end are the program's.
  const endLr: Sym = moved ? sym.bin("+", sym.bin("*", moved.end.alpha, atLr(a)), sym.bin("*", moved.end.beta ?? sym.lit(0), atLr(b))) : atLr(end);
  const growLr = (x: Sym): Sym => (moved ? sym.bin("*", x, moved.grown) : grow === 1 ? x : sym.bin("*", x, sym.lit(grow)));
  const terms: Sym[] = [...(startZero ? [] : [growLr(atLr(a))]), atLr(b), endLr];
  const startV = startZero ? 0 : grow === 1 ? rateAt(a, peak) : rateAt(a, peak) * grow;
  return { v: Math.max(startV, rateAt(b, peak), rateAt(end, peak)), s: { k: "fn", fn: "max", args: terms } };
}

/**
 * `phaseTop` of a shape that more ticks raise, over a run-time length (`growsWithTicks`):
 * its value for the file's length, and over the run-time one its start times the program's
 * largest factor, its target, and the program's end, part by part.
 */
function grownTop(shape: Shape, a: RateValue, b: RateValue, len: number, moved: { grown: Sym; end: ResolvedEnd }): { v: number; s: Sym } {
  const times = (x: number): Sym => (x === 0 ? sym.lit(0) : sym.bin("*", sym.lit(x), moved.grown));
  const rate: RuntimeRate = { alpha: moved.end.alpha, of: a, ...(moved.end.beta ? { beta: moved.end.beta, to: b } : {}) };
  const endPart = (k: "scale" | "abs"): Sym => (a[k] === 0 && b[k] === 0 ? sym.lit(0) : runtimeRatePart(rate, k));
  return { v: phaseTop(shape, a, b, len), s: { k: "fn", fn: "max", args: [times(a.scale), times(a.abs), sym.lit(b.scale), sym.lit(b.abs), endPart("scale"), endPart("abs")] } };
}

/**
 * An `exp` shape between two positive rates, in log space when their ratio is not a normal
 * double (shapes/exp.ts). A relative schedule's ratio is read at a base rate of 1: for rates
 * that only scale with the base it is the same at every base.
 */
function expShape(a: RateValue, b: RateValue, cx: ValueContext): Shape {
  const peak = typeof cx.peak === "number" ? cx.peak : 1;
  return needsLogSpace(rateAt(a, peak), rateAt(b, peak)) ? { kind: "exp", logSpace: true } : { kind: "exp" };
}

/**
 * Reports (A119) an `exp` phase that continues from a rate below the normal doubles, where a
 * factor such as `step by 1e-320` left the previous phase. Its logarithm and its ratio to the
 * end have no precision left, and a relative schedule's start, times a base rate below 1,
 * rounds to 0, from which no exponential rises. A written `from` was refused already.
 */
function denormalStart(ph: Phase, a: RateValue, cx: ValueContext): boolean {
  if (!isSubnormal(a.scale) && !isSubnormal(a.abs)) return false;
  const value = isSubnormal(a.abs) ? a.abs : a.scale;
  cx.report.report(
    "A119",
    clause(ph, "from")?.value?.range ?? ph.keywordRange,
    `this \`${ph.type}\` phase starts where the previous phase ended, at ${String(value)}${a.scale !== 0 && !isSubnormal(a.abs) ? " × the peak" : ""}, below the smallest normal double (about 2.2e-308), and an exponential cannot start there; give it a start of at least 1e-307, such as \`from 1e-6\``,
  );
  return true;
}

/** Whether more ticks raise a shape's largest rate: a step or gamma factor, or a restart cycle decay, above 1. */
export function growsWithTicks(shape: Shape): boolean {
  return ((shape.kind === "step" || shape.kind === "multistep") && shape.factor > 1) || (shape.kind === "gamma" && shape.gamma > 1) || (shape.kind === "restarts" && shape.decay > 1);
}

/** Whether a shape's end does not depend on its length: a constant, `exp ... to`, an interpolation that completes. */
export function lengthFreeEnd(shape: Shape): boolean {
  switch (shape.kind) {
    case "constant":
    case "exp":
      return true;
    case "linear":
    case "cosine":
    case "poly":
    case "sqrt":
    case "rex":
      return shape.span === undefined && shape.shift === undefined;
    default:
      return false;
  }
}

function positiveRate(v: RateValue): boolean {
  return v.scale >= 0 && v.abs >= 0 && v.scale + v.abs > 0;
}

/**
 * A restart clause's shape, and its first period as a tick variable of the run-time program
 * when that depends on a setting (`restart every 2 epochs` with `steps_per_epoch ?`).
 */
function restartShape(rc: Extract<Clause, { kind: "restart" }>, scope: Scope, cx: ValueContext): { shape: Shape; period?: Sym } | undefined {
  if (!rc.every) return undefined;
  const every = rc.every;
  const t = ticksOf(every, scope, cx, "`restart every`", undefined, true);
  if (!t) return undefined;
  const rt = cx.runtime;
  const pv = t.s && rt ? dual(t.ticks, rt.name(t.s)) : { v: t.ticks };
  const periodMessage = "a restart period must be at least 1 step";
  if (checkNowAndLater(cx, "A206", every.range, t.ticks < 1, cond("<", pv, { v: 1 }), [periodMessage])) return undefined;
  let mult = 1;
  if (rc.mult) {
    const m = asNumber(evalExpr(rc.mult, scope, cx), rc.mult, cx, "the restart multiplier");
    if (m === undefined) return undefined;
    if (!(m >= 1 && m <= MAX_RESTART_MULT)) {
      cx.report.report(
        "A219",
        rc.multRange ?? rc.mult.range,
        m < 1 ? "the restart multiplier must be at least 1: cycles that shrink would never end" : `the restart multiplier must be at most ${MAX_RESTART_MULT}: the third cycle would already be ${fmt(m * m)} times the first`,
      );
      return undefined;
    }
    mult = m;
  }
  let decay = 1;
  if (rc.decay) {
    const d = asNumber(evalExpr(rc.decay, scope, cx), rc.decay, cx, "`decay`", true);
    if (d === undefined) return undefined;
    if (!(d > 0)) {
      cx.report.report("A219", rc.decay.range, "`decay` must be above 0: each cycle starts at the previous cycle's start times this factor");
      return undefined;
    }
    decay = d;
  }
  let limit: number | undefined;
  if (rc.limit) {
    const n = asNumber(evalExpr(rc.limit, scope, cx), rc.limit, cx, "`limit`");
    if (n === undefined) return undefined;
    if (!(Number.isInteger(n) && n >= 1)) {
      cx.report.report("A219", rc.limit.range, "`limit` counts whole cycles and must be at least 1, such as `limit 3`");
      return undefined;
    }
    limit = n;
  }
  // A period that moves with a setting is a tick variable of the program (a cycle decay
  // above 1 has its largest rate, a cycle's top, checked there: `runtimeGrow`).
  return { shape: { kind: "restarts", period: t.ticks, mult, decay, ...(limit !== undefined ? { limit } : {}) }, ...(pv.s ? { period: pv.s } : {}) };
}
