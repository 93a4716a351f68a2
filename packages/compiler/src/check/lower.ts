// Phases that are sugar over several segments: `onecycle` and `table`.
//
// Each returns its pieces on the phase's own clock (offsets from the phase start), every
// one an ordinary segment of an existing shape, so the evaluator, the emitters and the
// plots need nothing new for them. The arithmetic runs on duals (check/runtime.ts): where
// the phase's length or a point depends on a setting, each piece also carries its bounds
// and its progress span and shift as run-time expressions, from the same operations.

import type { RateValue, Shape, ShapeTicks, Sym } from "../ir.js";
import { dualBin, dualFn, type Dual } from "./runtime.js";

/** One segment of a lowered phase, at offsets from the phase's start. */
export interface Piece {
  start: number;
  end: number;
  shape: Shape;
  from: RateValue;
  to: RateValue;
  /** Set when the piece's bounds or its shape's parameters depend on a setting: them, as the run-time program computes them (offsets from the phase's start). */
  ticks?: PieceTicks;
}

export interface PieceTicks {
  start: Sym;
  end: Sym;
  shape?: ShapeTicks;
}

const lit = (v: number): Sym => ({ k: "lit", v });
const ONE: Dual = { v: 1 };

/** The run-time part of a piece whose bounds or parameters move, or nothing. */
function pieceTicks(start: Dual, end: Dual, shape: ShapeTicks): { ticks?: PieceTicks } {
  if (!start.s && !end.s && Object.keys(shape).length === 0) return {};
  return { ticks: { start: start.s ?? lit(start.v), end: end.s ?? lit(end.v), ...(Object.keys(shape).length > 0 ? { shape } : {}) } };
}

export interface OneCycle {
  /** The phase's length in ticks (torch's total_steps). */
  len: Dual;
  /** Where the rise ends, as torch computes it: `float(pct_start * total_steps) - 1`. */
  upEnd: Dual;
  from: RateValue;
  via: RateValue;
  to: RateValue;
  anneal: "cosine" | "linear";
  threePhase: boolean;
}

/**
 * torch's OneCycleLR. Its phases end at fractional steps (`pct_start * total_steps - 1`,
 * then `2 * pct_start * total_steps - 2` with three phases, then `total_steps - 1`); step s
 * belongs to the first phase whose end is at or above s, and inside a phase the progress is
 * `(s - start) / (end - start)`. Each phase is therefore a segment over the whole steps it
 * holds, whose curve is laid over `end - start` and begins `first step - start` into it.
 * The last phase reaches its end value exactly at `len - 1`, which then holds.
 *
 * The middle phase of three holds no whole step when the rise ends before 0.5. A piece
 * empty for the file's length is left out; one that depends on a setting is kept at run
 * time even when bound values empty it (its start and end are then equal, and no tick
 * selects it). `vanished` is set when a piece the file's length leaves out depends on a
 * setting, which the run-time program cannot add back.
 */
export function lowerOneCycle(oc: OneCycle, name: (s: Sym) => Sym = (s) => s): { pieces: Piece[]; vanished?: Sym } {
  const named = (d: Dual): Dual => (d.s ? { v: d.v, s: name(d.s) } : d);
  // torch writes the second end of three as `2 * pct * total - 2`, which is 2 * upEnd.
  const last = named(dualBin("-", oc.len, ONE));
  const ends = oc.threePhase ? [oc.upEnd, named(dualBin("*", { v: 2 }, oc.upEnd)), last] : [oc.upEnd, last];
  const values = oc.threePhase ? [oc.from, oc.via, oc.from, oc.to] : [oc.from, oc.via, oc.to];
  const pieces: Piece[] = [];
  let vanished: Sym | undefined;
  let prevEnd: Dual = { v: 0 };
  let first: Dual = { v: 0 };
  for (const [i, end] of ends.entries()) {
    const stop = i === ends.length - 1 ? oc.len : named(dualBin("+", dualFn("floor", end), ONE));
    const span = named(dualBin("-", end, prevEnd));
    const shift = named(dualBin("-", first, prevEnd));
    const moving: ShapeTicks = { ...(span.s ? { span: span.s } : {}), ...(shift.s ? { shift: shift.s } : {}) };
    if (stop.v > first.v) {
      pieces.push({ start: first.v, end: stop.v, shape: { kind: oc.anneal, span: span.v, shift: shift.v }, from: values[i]!, to: values[i + 1]!, ...pieceTicks(first, stop, moving) });
    } else if (stop.s) vanished = stop.s;
    prevEnd = end;
    if (i < ends.length - 1) first = named(dualFn("max", first, stop));
  }
  return vanished ? { pieces, vanished } : { pieces };
}

/** A table's points, on the phase clock: offsets rising from 0, and the rate at each. */
export interface TablePoints {
  offsets: Dual[];
  values: RateValue[];
  interp: "step" | "linear" | "cosine";
  len: Dual;
}

/**
 * A table: between two points the rate holds (`step`), goes straight (`linear`) or along
 * half a cosine (`cosine`); after the last point it holds until the phase ends.
 */
export function lowerTable(t: TablePoints): Piece[] {
  const pieces: Piece[] = [];
  const n = t.offsets.length;
  for (let i = 0; i < n; i++) {
    const start = t.offsets[i]!;
    const end = i + 1 < n ? t.offsets[i + 1]! : t.len;
    if (!(end.v > start.v)) continue;
    const from = t.values[i]!;
    const to = i + 1 < n ? t.values[i + 1]! : from;
    const kind = i + 1 < n && t.interp !== "step" ? t.interp : "constant";
    pieces.push({ start: start.v, end: end.v, shape: { kind }, from, to: kind === "constant" ? from : to, ...pieceTicks(start, end, {}) });
  }
  return pieces;
}
