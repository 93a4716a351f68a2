// What a shape is: everything the rest of the compiler needs to know about one kind of
// segment, in one place.
//
// Each file beside this one holds one shape: its reference formula (the evaluator's
// definition of the rate), the value it ends on, the jumps and turning points the plots
// need, how far it can grow above its start, the expression the emitters spell, and its
// PyTorch built-in. `index.ts` collects them in one table keyed by the shape kind, so a
// kind without a module, or a module without a piece, is a type error.

import { bin, call, lit, type Progress, type Segment, type Shape, type ShapeKind, type ShapeTicks, type Sym } from "../ir.js";
import type { Dialect } from "../emit/dialect.js";
import type { NativeContext, NativeMapping } from "../emit/native-context.js";

export type ShapeOf<K extends ShapeKind> = Extract<Shape, { kind: K }>;

/** The names the emitted statements read: the segment's start and end rates, and the offset. */
export interface EmitNames {
  /** The start rate (`from`). */
  a: string;
  /** The end rate (`to`); only bound when the module says it `usesB`. */
  b: string;
  /** The offset from the segment start, `t - start`. */
  u: string;
  /** The segment's length in ticks, as a literal. */
  len: string;
  /**
   * Parameters the generated code computes at run time (`ShapeTicks`), as the names of
   * their variables (a list's name for milestones); a parameter not here is the shape's number.
   */
  params?: { [K in keyof ShapeTicks]?: string };
}

/** A formula spelled in a target language: local bindings, then the rate. */
export interface Spelled {
  /** Statements that bind locals, in order (built with the dialect's `assign`). */
  statements: string[];
  /** The rate, as an expression over `EmitNames` and the locals. */
  value: string;
}

/** Where a segment's rate jumps, for the plots' vertical edges. */
export interface Jumps<S extends Shape> {
  /** True when this instance has any jump at all. */
  has(s: S): boolean;
  /**
   * The first jump offsets `u` with `lo < u < hi` and `0 < u < len`, ascending, at most `max`.
   * O(answer) work, never O(len).
   */
  between(s: S, len: number, lo: number, hi: number, max: number): number[];
  /** The last jump offset with `lo < u < hi` and `0 < u < len`, in O(log) work. */
  lastBetween(s: S, len: number, lo: number, hi: number): number | undefined;
  /** The limit of the rate as the offset rises to `u`: the value just before a jump there. */
  leftLimit(s: S, a: number, b: number, u: number, len: number): number;
}

/** Which emitted helper functions a formula calls. */
export type Helper = "restartCycle" | "countAtOrBelow";

export interface ShapeModule<S extends Shape> {
  /** What the phase does, for docs and hovers: `b + (a - b) (1 + cos(pi p)) / 2`. */
  readonly formula: string;
  /** The reference rate at offset `u` (0 <= u < len). Every other output is held to it. */
  at(s: S, a: number, b: number, u: number, len: number): number;
  /**
   * Where the segment ends, as `alpha * a + beta * b`: the limit of the rate as the offset
   * rises to `len` (a piecewise-constant shape ends on its last piece).
   */
  end(s: S, len: number): { alpha: number; beta: number };
  /**
   * The largest factor the rate reaches over the start `a` (1 when it never rises above its
   * two ends): with the ends, a bound on every value, checked against the largest rate.
   */
  grow(s: S, len: number): number;
  /** The jumps inside the segment; undefined for a continuous shape. */
  readonly jumps: Jumps<S> | undefined;
  /**
   * Offsets in `(lo, hi)` at which, with their left limits and the window's ends, the rate
   * over the window `[lo, hi]` reaches its smallest and largest values: its turning points
   * and the jumps that stand for all others. A bounded list, whatever the window.
   */
  critical(s: S, len: number, lo: number, hi: number): number[];
  /** True when the formula reads `b`. */
  readonly usesB: boolean;
  /** The emitted helpers the formula calls. */
  readonly helpers: readonly Helper[];
  /** The formula spelled in a dialect; the same operations in the same order as `at`. */
  spell(s: S, n: EmitNames, d: Dialect): Spelled;
  /** torch's built-in scheduler for this segment, or why none is exact. */
  native(s: S, seg: Segment, cx: NativeContext): NativeMapping;
  /**
   * For a shape whose end depends on a length or a parameter computed at run time: `end`'s
   * `alpha` and `beta` (0 when absent) as run-time expressions over those parameters (`p`,
   * the shape's numbers where absent) and the length `len`, in the same operations as `end`;
   * `name` binds a subexpression to a variable of the program, for one read several times.
   */
  runtimeEnd?(s: S, p: ShapeTicks, len: Sym, name: (x: Sym) => Sym): { alpha: Sym; beta?: Sym };
  /**
   * `grow` over the same run-time parameters and length, in the same operations, for a
   * shape whose largest factor moves with them (a factor, gamma or cycle decay above 1).
   */
  runtimeGrow?(s: S, p: ShapeTicks, len: Sym): Sym;
}

/** The builders of run-time expressions (ir.ts), for the shapes' `runtimeEnd` and `runtimeGrow`. */
export { bin, call, lit } from "../ir.js";

/** The offsets of `jumps` that bound a window: its first and last jump. */
export function firstAndLastJump<S extends Shape>(j: Jumps<S>, s: S, len: number, lo: number, hi: number): number[] {
  const out: number[] = [];
  if (!j.has(s)) return out;
  const first = j.between(s, len, lo, hi, 1)[0];
  const last = j.lastBetween(s, len, lo, hi);
  if (first !== undefined) out.push(first);
  if (last !== undefined && last !== first) out.push(last);
  return out;
}

/** `critical` of a shape that is monotone over its whole segment. */
export const monotone = (): number[] => [];

/** The progress of an interpolating shape at offset `u` (see `Progress` in ir.ts). */
export function progressAt(s: Progress, u: number, len: number): number {
  return s.span === undefined ? u / len : Math.min(1, (u + (s.shift ?? 0)) / s.span);
}

/** `progressAt`, spelled: the same operations in the same order. */
export function spellProgress(s: Progress, n: EmitNames, d: Dialect): string {
  // A span and shift the run-time program computes are read by name (`n.params`).
  const span = n.params?.span ?? (s.span === undefined ? undefined : d.num(s.span));
  if (span === undefined) return `${n.u} / ${n.len}`;
  const shift = n.params?.shift ?? (s.shift === undefined || s.shift === 0 ? undefined : d.num(s.shift));
  const shifted = shift === undefined ? n.u : `(${n.u} + ${shift})`;
  return `${d.min}(${d.num(1)}, ${shifted} / ${span})`;
}

/**
 * Where an interpolation ends, given the weight of `a` at progress p (`1 - p` for a line):
 * on `b` when its curve is complete at the segment's end, else part way.
 */
export function interpolationEnd(s: Progress, len: number, weightOfA: (p: number) => number): { alpha: number; beta: number } {
  const p = progressAt(s, len, len);
  if (s.span === undefined || p >= 1) return { alpha: 0, beta: 1 };
  const alpha = weightOfA(p);
  return { alpha, beta: 1 - alpha };
}

/**
 * `interpolationEnd` over a span, shift or length the run-time program computes (`p`, the
 * shape's numbers where absent): the same operations, with the weight of `a` spelled as a
 * run-time expression of the progress.
 */
export function runtimeInterpolationEnd(s: Progress, p: ShapeTicks, len: Sym, name: (x: Sym) => Sym, weightOfA: (p: Sym) => Sym): { alpha: Sym; beta: Sym } {
  const span = p.span ?? (s.span === undefined ? undefined : lit(s.span));
  if (span === undefined) return { alpha: lit(0), beta: lit(1) };
  // `u + 0` is `u` exactly: a shift of 0 is left out, as `spellProgress` leaves it.
  const shift = p.shift ?? (s.shift === undefined || s.shift === 0 ? undefined : lit(s.shift));
  const progress = name(call("min", lit(1), bin("/", shift ? bin("+", len, shift) : len, span)));
  const w = name(weightOfA(progress));
  const below = (x: Sym, y: Sym): Sym => call("ifBelow", progress, lit(1), x, y);
  return { alpha: below(w, lit(0)), beta: below(bin("-", lit(1), w), lit(1)) };
}

/**
 * The pieces every monotone, continuous interpolation from `a` to `b` shares: it never
 * leaves its two ends, has no jump and no turning point inside.
 */
export const INTERPOLATION = {
  grow: () => 1,
  jumps: undefined,
  critical: monotone,
  usesB: true,
  helpers: [],
} as const;
