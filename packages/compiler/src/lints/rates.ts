// How lints read a resolved phase: its rates compared at the schedule's real peak (or at a
// peak of 1 for a relative schedule) and equal up to rounding in the last bits, and its
// clauses by kind.

import type { ResolvedPhase, ResolvedSchedule } from "../check/schedule.js";
import { rateAt } from "../evaluate.js";
import type { RateValue, ShapeTicks } from "../ir.js";
import { dual, sym, type Dual } from "../check/runtime.js";
import type { Clause, ClauseKind, Range } from "@anneal/dsl";

/** A rate as a number: at the real peak, or as a multiple of it in a relative schedule. */
export function rateNumber(v: RateValue, s: ResolvedSchedule): number {
  return rateAt(v, s.peak ?? 1);
}

/** Equal up to a relative 1e-12, so `a + (b - a) * 1` and `b` count as one value. */
export function sameRate(x: number, y: number): boolean {
  return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}

/** The clause that states where a phase starts: `from`, or a constant's `at`. */
export function startClause(p: ResolvedPhase) {
  return p.phase.clauses.find((c) => c.kind === (p.phase.type === "constant" ? "at" : "from"));
}

export function startRange(p: ResolvedPhase): Range {
  return startClause(p)?.range ?? p.phase.keywordRange;
}

/** The phase's clause of one kind, typed as that kind. */
export function clauseOf<K extends ClauseKind>(p: ResolvedPhase, kind: K): Extract<Clause, { kind: K }> | undefined {
  return p.phase.clauses.find((c): c is Extract<Clause, { kind: K }> => c.kind === kind);
}

/**
 * A phase's bounds, from its first piece's start to its last piece's end, with their
 * run-time expressions where the program computes them (and its first piece's run-time
 * shape parameters); a schedule that records no run-time bounds has the file's values only.
 */
export function phaseBounds(s: ResolvedSchedule, p: ResolvedPhase): { start: Dual; end: Dual; len: Dual; shape?: ShapeTicks } {
  const segs = s.ir!.segments;
  const first = segs.findIndex((g) => g.phaseIndex === p.index);
  let lastPiece = first;
  while (segs[lastPiece + 1]?.phaseIndex === p.index) lastPiece++;
  const start = dual(p.start, s.ticks?.segments[first]?.start);
  const end = dual(p.end, s.ticks?.segments[lastPiece]?.end);
  const len = dual(end.v - start.v, start.s || end.s ? sym.bin("-", end.s ?? sym.lit(end.v), start.s ?? sym.lit(start.v)) : undefined);
  const shape = s.ticks?.segments[first]?.shape;
  return { start, end, len, ...(shape ? { shape } : {}) };
}
