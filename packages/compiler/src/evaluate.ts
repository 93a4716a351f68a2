// The evaluator: the learning rate at any tick, from the IR's closed-form segments.
//
// These formulas are the reference every other output is held to: the emitted PyTorch and
// TF.js code spell the same expressions in the same order, so they agree to the last bit
// floating point allows. Change one here and the emitters must change with it.
//
// Speed. `createEvaluator` binds each segment once into a `Piece`: its rates and the
// constants of its shape, with everything that does not depend on the tick computed ahead
// (`b - a`, tables of `a * factor ** k`, the start, length and top of every restart
// cycle). A subexpression of constants computed ahead is the same double, so `lrAt` and
// `fillExact` stay bit-identical to `shapeAt`. `fill` walks the schedule segment by segment
// with a tight loop per shape, and takes a faster route for long cosine, restart and
// geometric runs, each proven to stay within `FILL_TOLERANCE` (see `Evaluator.fill`): those
// routes are the functions named `fast...` below, each says why it is right, and
// `test/evaluate-fast.test.ts` holds each to its bound against the closed form.
// `docs/performance.md` has the measurements and the profile behind each choice.

import type { HyperParam, RateValue, ScheduleIR, Segment, Shape, ShapeKind } from "./ir.js";
import type { ShapeOf } from "./shapes/shape.js";
import { shapeModule } from "./shapes/index.js";
import { countAtOrBelow } from "./shapes/multistep.js";
import { cycleIndex, cycleLength, cycleStart, restartCycle } from "./shapes/restarts.js";

export { countAtOrBelow, restartCycle };

/**
 * How far `fill` may stray from `lrAt`, relative to the largest rate of the segment that
 * holds the tick (so never more than this times the schedule's peak).
 */
export const FILL_TOLERANCE = 1e-14;

export interface Evaluator {
  /** Number of ticks in the schedule; ticks at or past it hold `final`. */
  readonly total: number;
  /** The rate the last segment ends on, held for every tick at or past `total`. */
  readonly final: number;
  /** The rate at `step` (ticks before 0 read as 0; fractional ticks are allowed). */
  lrAt(step: number): number;
  /**
   * Writes the rates of ticks `start, start + 1, ...` into `out` and returns it. The
   * contract: every value is within `FILL_TOLERANCE` times the largest rate of its segment
   * of `lrAt` at the same tick. In practice the fast routes stay within 2e-15 of it; they
   * serve cosine, restart, `exp` and `gamma` runs longer than 256 ticks, and every other
   * value is `lrAt`'s bit for bit. Use it to plot, scan or sample; use `fillExact` where
   * values must match `lrAt` and the emitted code bit for bit (tables, exports).
   */
  fill(out: Float64Array, start?: number): Float64Array;
  /** As `fill`, but every value is `lrAt` of its tick, bit for bit. */
  fillExact(out: Float64Array, start?: number): Float64Array;
}

/** Binds a rate to a peak. */
export function rateAt(v: RateValue, peak: number): number {
  return v.scale === 0 ? v.abs : v.scale * peak + v.abs;
}

/** The rate of a segment's shape at offset `u = t - start` (0 <= u < end - start): its module's formula. */
export function shapeAt(shape: Shape, a: number, b: number, u: number, len: number): number {
  return shapeModule(shape).at(shape, a, b, u, len);
}

/**
 * Where a segment ends, as `alpha * a + beta * b`: the limit of its rate as t rises to
 * `end`. Continuous shapes end on `b` (exactly, not on `a + (b - a) * 1`); piecewise-constant
 * ones end on their last piece, so a milestone at the very end never takes effect; a
 * restart phase ends wherever its last cycle is cut (on `b` when the cycles fit exactly).
 */
export function endCoefficients(shape: Shape, len: number): { alpha: number; beta: number } {
  return shapeModule(shape).end(shape, len);
}

/** The rate value a segment ends on (see `endCoefficients`), in the affine form. */
export function segmentEnd(seg: Pick<Segment, "shape" | "from" | "to" | "start" | "end">): RateValue {
  const { alpha, beta } = endCoefficients(seg.shape, seg.end - seg.start);
  if (beta === 1 && alpha === 0) return { ...seg.to };
  if (alpha === 1 && beta === 0) return { ...seg.from };
  return {
    scale: alpha * seg.from.scale + beta * seg.to.scale,
    abs: alpha * seg.from.abs + beta * seg.to.abs,
  };
}

// ---------------------------------------------------------------------------------------
// Pieces: one segment bound to its rates, with its formula specialised.
//
// `lrAt` reads a piece's fields through one `switch` on a small integer: V8 inlines that
// into the caller, where a call through a per-segment closure is not inlined and added half
// the cost of a cosine rate (measured: bench `lrAt_vs_handwritten`). Runs, which loop over many ticks, are
// closures: their call is paid once per segment, not once per tick.

/** Writes the rates of the integer offsets `u0 .. u0 + n - 1` into `out[i .. i + n - 1]`. */
type Run = (out: Float64Array, i: number, u0: number, n: number) => void;

/** How a piece computes a rate; `Piece.at` switches on it. */
const enum Op {
  Constant,
  Linear,
  Cosine,
  /** `exp` and `gamma`: `a * ratio ** (u / per)`. */
  Geometric,
  Poly,
  Sqrt,
  Rsqrt,
  Step,
  Multistep,
  /** Restarts with cycles of one length (mult 1) that all start at `a` (decay 1). */
  Periodic,
  Restarts,
  /** Any other shape: its module's own `at`, through a call (see `FAST_OPS`). */
  Generic,
}

/** The ops `Piece.otherAt` computes. */
type OtherOp = Op.Geometric | Op.Poly | Op.Sqrt | Op.Rsqrt | Op.Multistep | Op.Restarts | Op.Generic;

function assertNever(x: never): never {
  throw new Error(`unhandled evaluator op ${String(x)}`);
}

/**
 * The shapes with a specialised op, and how each binds a piece. A shape without an entry
 * evaluates through its module (`Op.Generic`), which is exact and needs nothing here; an
 * entry is worth adding only where profiling shows the call.
 */
const FAST_OPS: { readonly [K in ShapeKind]?: (p: Piece, s: ShapeOf<K>) => Op | undefined } = {
  constant: () => Op.Constant,
  // An interpolation laid over another span, or starting part way, goes the generic route.
  linear: (_p, s) => (s.span === undefined ? Op.Linear : undefined),
  cosine: (_p, s) => (s.span === undefined ? Op.Cosine : undefined),
  exp: (p, s) => {
    if (s.logSpace) return undefined;
    p.ratio = p.b / p.a;
    p.per = p.len;
    return Op.Geometric;
  },
  gamma: (p, s) => {
    p.ratio = s.gamma;
    p.per = s.per;
    return Op.Geometric;
  },
  poly: (p, s) => {
    if (s.span !== undefined) return undefined;
    p.power = s.power;
    return Op.Poly;
  },
  sqrt: (_p, s) => (s.span === undefined ? Op.Sqrt : undefined),
  rsqrt: (p, s) => {
    p.tau = s.tau;
    return Op.Rsqrt;
  },
  step: (p, s) => {
    p.ratio = s.factor;
    p.per = s.every;
    p.rates = powerTable(p.a, s.factor, Math.ceil(p.len / s.every));
    return Op.Step;
  },
  multistep: (p, s) => {
    p.ratio = s.factor;
    p.milestones = s.milestones;
    p.rates = powerTable(p.a, s.factor, s.milestones.length);
    return Op.Multistep;
  },
  restarts: (p, s) => {
    if (s.limit !== undefined) return undefined;
    p.per = s.period;
    p.mult = s.mult;
    p.decay = s.decay;
    if (s.mult === 1 && s.decay === 1) return Op.Periodic;
    p.tableCycles();
    return Op.Restarts;
  },
};

const NO_RATES = new Float64Array(0);

/** A segment bound to its rates. Every field is set for every op so pieces share one layout. */
class Piece {
  op: Op = Op.Constant;
  shape: Shape;
  /** First tick of the segment. */
  start: number;
  /** First tick after the segment as lookups see it: the next segment's start, or `total`. */
  end = 0;
  len: number;
  a: number;
  b: number;
  /** `b - a`, as `shapeAt` computes it: hoisting a difference of constants keeps its double. */
  d: number;
  /** `a - b`, likewise. */
  h: number;
  /** `exp`: `b / a`; `gamma`: gamma; `step`, `multistep`: the factor. */
  ratio = 1;
  /** The divisor of the offset: `len` (exp), `per` (gamma), `every` (step), `period` (restarts). */
  per = 1;
  power = 1;
  tau = 1;
  mult = 1;
  decay = 1;
  /** `step` and `multistep`: `a * factor ** k` for small k, computed as `shapeAt` computes it. */
  rates: Float64Array = NO_RATES;
  milestones: readonly number[] = [];
  /**
   * Restarts: the first offset, length and top of every cycle (one more start than there
   * are cycles, so cycle k ends where cycle k + 1 starts), each computed as `restartCycle`
   * and `shapeAt` compute it; empty when the phase has more cycles than are worth a table.
   */
  cycleStarts: Float64Array = NO_RATES;
  cycleLengths: Float64Array = NO_RATES;
  cycleTops: Float64Array = NO_RATES;
  /** A run of exact rates: `at(u)` of each offset, bit for bit. */
  exact: Run;
  /** A run within `FILL_TOLERANCE` of `exact`; `exact` itself where nothing faster is proven. */
  fast: Run;

  constructor(shape: Shape, start: number, len: number, a: number, b: number) {
    this.start = start;
    this.len = len;
    this.a = a;
    this.b = b;
    this.d = b - a;
    this.h = a - b;
    this.shape = shape;
    const bind = FAST_OPS[shape.kind] as ((p: Piece, s: Shape) => Op | undefined) | undefined;
    this.op = bind?.(this, shape) ?? Op.Generic;
    [this.exact, this.fast] = runsFor(this);
  }

  /**
   * The rate at offset `u`: `shapeAt(shape, a, b, u, len)`, bit for bit. The common shapes
   * are here and the rest in `otherAt`, so that this stays small enough for V8 to inline
   * into `lrAt` (a call that is not inlined costs a third of a cosine rate).
   */
  at(u: number): number {
    switch (this.op) {
      case Op.Constant:
        return this.a;
      case Op.Linear:
        return this.a + this.d * (u / this.len);
      case Op.Cosine:
        return this.b + (this.h * (1 + Math.cos(Math.PI * (u / this.len)))) / 2;
      case Op.Periodic: {
        // restartCycle with mult 1 is {k: floor(u / period), start: k * period, len: period},
        // and the top of every cycle is `a` (`a * 1 ** k` is `a`), so `top - b` is `h`.
        const p = this.per;
        const k = Math.floor(u / p);
        return this.b + (this.h * (1 + Math.cos(Math.PI * ((u - k * p) / p)))) / 2;
      }
      case Op.Step:
        return this.stepRate(Math.floor(u / this.per));
      case Op.Geometric:
      case Op.Poly:
      case Op.Sqrt:
      case Op.Rsqrt:
      case Op.Multistep:
      case Op.Restarts:
      case Op.Generic:
        return this.otherAt(this.op, u);
      default:
        return assertNever(this.op);
    }
  }

  private otherAt(op: OtherOp, u: number): number {
    switch (op) {
      case Op.Geometric:
        return this.a * this.ratio ** (u / this.per);
      case Op.Poly:
        return this.b + this.h * (1 - u / this.len) ** this.power;
      case Op.Sqrt:
        return this.b + this.h * (1 - Math.sqrt(u / this.len));
      case Op.Rsqrt:
        return this.a * Math.sqrt(this.tau / (this.tau + u));
      case Op.Multistep:
        return this.stepRate(countAtOrBelow(this.milestones, u));
      case Op.Restarts: {
        const starts = this.cycleStarts;
        if (starts.length === 0) {
          const k = cycleIndex(u, this.per, this.mult);
          const cs = cycleStart(k, this.per, this.mult);
          return this.b + ((this.topOf(k) - this.b) * (1 + Math.cos(Math.PI * ((u - cs) / cycleLength(k, this.per, this.mult))))) / 2;
        }
        // The same cycle `cycleIndex` finds: the k with starts[k] <= u < starts[k + 1]
        // (starts rise, so there is one), read from the table instead of logs and powers.
        let lo = 0;
        let hi = starts.length - 2;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid]! <= u) lo = mid;
          else hi = mid - 1;
        }
        return this.b + ((this.cycleTops[lo]! - this.b) * (1 + Math.cos(Math.PI * ((u - starts[lo]!) / this.cycleLengths[lo]!)))) / 2;
      }
      case Op.Generic:
        return shapeModule(this.shape).at(this.shape, this.a, this.b, u, this.len);
      default:
        return assertNever(op);
    }
  }

  /** `a * factor ** k` (`step`: k steps; `multistep`: k milestones passed), from the table when it holds k. */
  stepRate(k: number): number {
    return k >= 0 && k < this.rates.length ? this.rates[k]! : this.a * this.ratio ** k;
  }

  /** Fills the cycle tables when the phase has at most 4096 cycles (typically a handful). */
  tableCycles(): void {
    const { per: period, mult, len } = this;
    const last = cycleIndex(len, period, mult);
    if (!(last <= 4096)) return;
    this.cycleStarts = new Float64Array(last + 2);
    this.cycleLengths = new Float64Array(last + 1);
    this.cycleTops = new Float64Array(last + 1);
    for (let k = 0; k <= last; k++) {
      this.cycleStarts[k] = cycleStart(k, period, mult);
      this.cycleLengths[k] = cycleLength(k, period, mult);
      this.cycleTops[k] = this.topOf(k);
    }
    this.cycleStarts[last + 1] = cycleStart(last + 1, period, mult);
  }

  /** The first rate of SGDR cycle k: `a * decay ** k` (`a` itself in cycle 0). */
  topOf(k: number): number {
    return k === 0 ? this.a : this.a * this.decay ** k;
  }
}

/** `a * factor ** k` for `k <= count`, when `count` is small enough to table. */
function powerTable(a: number, factor: number, count: number): Float64Array {
  if (!(count >= 0 && count <= 4096)) return NO_RATES;
  const t = new Float64Array(count + 1);
  for (let k = 0; k <= count; k++) t[k] = a * factor ** k;
  return t;
}

// ---------------------------------------------------------------------------------------
// Runs: tight loops per shape, exact and fast.

/**
 * Ticks per anchor of the fast cosine and geometric runs: each block of this many ticks
 * starts from the exact formula, and the table the block steps through has this many rows.
 */
const BLOCK = 128;

/**
 * The longest run that stays exact in `fill`. Up to it the exact loop is as quick (a cosine
 * route pays two transcendental calls per block and, the first time, two per table row),
 * and short schedules, the ones people read value by value, and windows of a few hundred
 * ticks (a preview's column) get `lrAt`'s values.
 */
const SHORT_RUN = 2 * BLOCK;

/**
 * The largest |ln(end / start)| over a segment for which the fast geometric run is proven
 * within tolerance. The exponent of `a * r ** x` carries a relative rounding error of
 * 2^-53, which moves the value by |ln r| * x * 2^-53 relative, in `lrAt` as in the fast
 * run; together with a few roundings of the products the two differ by at most
 * (2 * |ln r| + 10) * 2^-53 relative, under 1e-14 while |ln r| <= 32 (a ratio of 8e13).
 */
const FAST_GEOMETRIC_MAX_LOG = 32;

/** Rows `cos(pi * j / len)` and `sin(pi * j / len)` for `j < BLOCK`. */
interface RotationTable {
  len: number;
  cos: Float64Array;
  sin: Float64Array;
}

function rotationTable(len: number): RotationTable {
  const cos = new Float64Array(BLOCK);
  const sin = new Float64Array(BLOCK);
  for (let j = 0; j < BLOCK; j++) {
    const x = Math.PI * (j / len);
    cos[j] = Math.cos(x);
    sin[j] = Math.sin(x);
  }
  return { len, cos, sin };
}

/**
 * Exact cosine rates `b + (h * (1 + cos(pi * (u - cs) / len))) / 2` for the integer offsets
 * `u = u0 .. u0 + n - 1`, where `h = top - b` and `cs` is the first offset of the cosine
 * (0 for a cosine segment, the cycle start inside a restart phase). The subtraction
 * `u - cs` is spelled as `shapeAt` spells it, so each value is `shapeAt`'s.
 */
function exactCosineRun(out: Float64Array, i: number, u0: number, n: number, b: number, h: number, cs: number, len: number): void {
  for (let j = 0; j < n; j++) out[i + j] = b + (h * (1 + Math.cos(Math.PI * ((u0 + j - cs) / len)))) / 2;
}

/**
 * The same rates by angle addition. Every BLOCK ticks the angle `x0` is computed as the
 * exact formula computes it and `cos x0`, `sin x0` are evaluated; inside the block
 * `cos(x0 + pi j / len) = cos x0 cos(pi j / len) - sin x0 sin(pi j / len)`, with the second
 * factors read from the table, and the rate is `mid + (h / 2) cos(...)` with `mid = b + h / 2`
 * (the formula's `b + h (1 + cos) / 2`, regrouped so a tick costs two products and two sums).
 * Nothing is carried from one tick to the next, so no error accumulates: the cosine is off
 * by the rounding of two table rows, two anchor values, two products and a difference, a
 * few units of 2^-53 (the angle `lrAt` passes to the cosine carries a rounding of the same
 * size), and the rate by `|h| / 2` times that plus the roundings of `mid` and of the sum:
 * under 1e-15 of the segment's largest rate, a tenth of FILL_TOLERANCE.
 */
function fastCosineRun(out: Float64Array, i: number, u0: number, n: number, b: number, h: number, cs: number, table: RotationTable): void {
  const len = table.len;
  const tc = table.cos;
  const ts = table.sin;
  const half = h * 0.5;
  const mid = b + half;
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const x0 = Math.PI * ((u0 + j0 - cs) / len);
    const hc = half * Math.cos(x0);
    const hs = half * Math.sin(x0);
    const m = Math.min(BLOCK, n - j0);
    const o = i + j0;
    for (let j = 0; j < m; j++) out[o + j] = mid + (hc * tc[j]! - hs * ts[j]!);
  }
}

/**
 * Geometric rates `a * r ** ((u0 + j) / per)` by blocks: each block starts from the exact
 * formula (so its first tick is `lrAt`'s value bit for bit) and multiplies by the table
 * row `r ** (j / per)`; as for the cosine, nothing is carried from tick to tick. The error
 * bound is FAST_GEOMETRIC_MAX_LOG's.
 */
function fastGeometricRun(out: Float64Array, i: number, u0: number, n: number, a: number, r: number, per: number, rows: Float64Array): void {
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const anchor = a * r ** ((u0 + j0) / per);
    const m = Math.min(BLOCK, n - j0);
    const o = i + j0;
    for (let j = 0; j < m; j++) out[o + j] = anchor * rows[j]!;
  }
}

function geometricRows(r: number, per: number): Float64Array {
  const rows = new Float64Array(BLOCK);
  for (let j = 0; j < BLOCK; j++) rows[j] = r ** (j / per);
  return rows;
}

/**
 * Runs of a piecewise-constant shape. `pieceOf(u)` is the index of the piece that holds
 * offset `u` and must be non-decreasing in `u`; `valueOf(k)` is that piece's rate; and
 * `nextStart(k)` is a guess at the first offset of piece `k + 1` (a product that can round
 * either way). A run ends where `pieceOf` itself says the piece changes: the guess is moved
 * down until its last offset is in piece k, so every offset gets the piece `at` gives it
 * (monotony makes the offsets between agree too), and up while the piece goes on, which
 * only saves starting a new run.
 */
function constantRuns(pieceOf: (u: number) => number, valueOf: (k: number) => number, nextStart: (k: number) => number): Run {
  return (out, i, u0, n) => {
    const end = u0 + n;
    let u = u0;
    while (u < end) {
      const k = pieceOf(u);
      // A guess that is not a number above u (NaN, or behind) starts the search at u + 1.
      const guess = Math.ceil(nextStart(k));
      let next = guess > u + 1 ? Math.min(end, guess) : u + 1;
      while (next > u + 1 && pieceOf(next - 1) !== k) next--;
      while (next < end && pieceOf(next) === k) next++;
      out.fill(valueOf(k), i + (u - u0), i + (next - u0));
      u = next;
    }
  };
}

// Each loop below is a function of its own that takes every constant as a parameter. A
// loop inside a closure reads the captured constants from the closure's context on every
// tick, and once two segments share that closure's code (two linear phases, say) V8 can
// no longer fold them: the same loop ran twice as slow (bench `fill_vs_bandwidth`).

function linearRun(out: Float64Array, i: number, u0: number, n: number, a: number, d: number, len: number): void {
  for (let j = 0; j < n; j++) out[i + j] = a + d * ((u0 + j) / len);
}

function geometricRun(out: Float64Array, i: number, u0: number, n: number, a: number, r: number, per: number): void {
  for (let j = 0; j < n; j++) out[i + j] = a * r ** ((u0 + j) / per);
}

function polyRun(out: Float64Array, i: number, u0: number, n: number, b: number, h: number, len: number, power: number): void {
  for (let j = 0; j < n; j++) out[i + j] = b + h * (1 - (u0 + j) / len) ** power;
}

function sqrtRun(out: Float64Array, i: number, u0: number, n: number, b: number, h: number, len: number): void {
  for (let j = 0; j < n; j++) out[i + j] = b + h * (1 - Math.sqrt((u0 + j) / len));
}

function rsqrtRun(out: Float64Array, i: number, u0: number, n: number, a: number, tau: number): void {
  for (let j = 0; j < n; j++) out[i + j] = a * Math.sqrt(tau / (tau + (u0 + j)));
}

/** The exact and the fast run of a piece. */
function runsFor(p: Piece): [Run, Run] {
  const { a, b, d, h, len } = p;
  switch (p.op) {
    case Op.Constant: {
      const run: Run = (out, i, _u0, n) => void out.fill(a, i, i + n);
      return [run, run];
    }
    case Op.Linear: {
      // Exact in `fill` too: the division per tick costs about 5% over a multiplication by
      // the reciprocal, and the run already writes at 0.6 of the speed of a plain write
      // loop (bench `fill_vs_bandwidth`), so an approximation would buy little.
      const run: Run = (out, i, u0, n) => linearRun(out, i, u0, n, a, d, len);
      return [run, run];
    }
    case Op.Cosine: {
      let table: RotationTable | undefined;
      const exact: Run = (out, i, u0, n) => exactCosineRun(out, i, u0, n, b, h, 0, len);
      const fast: Run = (out, i, u0, n) => {
        if (n <= SHORT_RUN) return exactCosineRun(out, i, u0, n, b, h, 0, len);
        table ??= rotationTable(len);
        fastCosineRun(out, i, u0, n, b, h, 0, table);
      };
      return [exact, fast];
    }
    case Op.Geometric: {
      const { ratio: r, per } = p;
      // |ln| of the segment's end-to-start ratio: the exponent runs over [0, len / per].
      const provable = Math.abs(Math.log(r)) * (len / per) <= FAST_GEOMETRIC_MAX_LOG;
      let rows: Float64Array | undefined;
      const exact: Run = (out, i, u0, n) => geometricRun(out, i, u0, n, a, r, per);
      const fast: Run = (out, i, u0, n) => {
        if (!provable || n <= SHORT_RUN) return geometricRun(out, i, u0, n, a, r, per);
        rows ??= geometricRows(r, per);
        fastGeometricRun(out, i, u0, n, a, r, per, rows);
      };
      return [exact, fast];
    }
    case Op.Poly: {
      const power = p.power;
      const run: Run = (out, i, u0, n) => polyRun(out, i, u0, n, b, h, len, power);
      return [run, run];
    }
    case Op.Sqrt: {
      const run: Run = (out, i, u0, n) => sqrtRun(out, i, u0, n, b, h, len);
      return [run, run];
    }
    case Op.Rsqrt: {
      const tau = p.tau;
      const run: Run = (out, i, u0, n) => rsqrtRun(out, i, u0, n, a, tau);
      return [run, run];
    }
    case Op.Step: {
      const every = p.per;
      const run = constantRuns(
        (u) => Math.floor(u / every),
        (k) => p.stepRate(k),
        (k) => (k + 1) * every,
      );
      return [run, run];
    }
    case Op.Multistep: {
      const ms = p.milestones;
      // Offsets below milestone number c (the first one above u) share u's count.
      const run = constantRuns(
        (u) => countAtOrBelow(ms, u),
        (c) => p.stepRate(c),
        (c) => (c < ms.length ? ms[c]! : Infinity),
      );
      return [run, run];
    }
    case Op.Periodic:
    case Op.Restarts:
      return [restartRuns(p, false), restartRuns(p, true)];
    case Op.Generic: {
      // Exact and fast alike: the module's formula, tick by tick.
      const run: Run = (out, i, u0, n) => {
        for (let j = 0; j < n; j++) out[i + j] = p.at(u0 + j);
      };
      return [run, run];
    }
    default:
      return assertNever(p.op);
  }
}

/** Runs of an SGDR restart phase: cycle by cycle, each a cosine from the cycle's top to `b`. */
function restartRuns(p: Piece, fast: boolean): Run {
  const { b, per: period, mult } = p;
  // One table per cycle length, kept for the next fill (plots and previews fill the same
  // schedule again and again); a bounded number, since a multiplier just above 1 makes
  // every cycle a new length.
  const tables = new Map<number, RotationTable>();
  const tableFor = (len: number) => {
    let t = tables.get(len);
    if (t === undefined) {
      if (tables.size >= 64) tables.clear();
      t = rotationTable(len);
      tables.set(len, t);
    }
    return t;
  };
  return (out, i, u0, n) => {
    const end = u0 + n;
    let u = u0;
    let k = cycleIndex(u, period, mult);
    while (u < end) {
      // `cycleIndex` returns the k with cycleStart(k) <= u < cycleStart(k + 1), so the
      // offsets of cycle k are those below the start of cycle k + 1, and this walk gives
      // every offset the cycle `at` gives it.
      const cs = cycleStart(k, period, mult);
      const stop = Math.min(end, Math.ceil(cycleStart(k + 1, period, mult)));
      if (stop > u) {
        const cl = cycleLength(k, period, mult);
        const h = p.topOf(k) - b;
        if (fast && stop - u > SHORT_RUN) fastCosineRun(out, i + (u - u0), u, stop - u, b, h, cs, tableFor(cl));
        else exactCosineRun(out, i + (u - u0), u, stop - u, b, h, cs, cl);
        u = stop;
      }
      k++;
    }
  };
}

// ---------------------------------------------------------------------------------------
// The evaluator.

class ScheduleEvaluator implements Evaluator {
  readonly total: number;
  readonly final: number;
  private readonly pieces: Piece[];
  /** Segment starts, then `total`: segment k holds ticks in [bounds[k], bounds[k + 1]). */
  private readonly bounds: Float64Array;
  private readonly first: number;
  /** True when runs may assume integer ticks that count up from 0 to `total` without gaps. */
  private readonly runnable: boolean;
  /** The segment of the last lookup, by index and as a piece: sequential reads find it again at once. */
  private cursor = 0;
  private current: Piece;

  constructor(ir: ScheduleIR, peak: number) {
    const segs = ir.segments;
    this.total = ir.total;
    this.final = rateAt(ir.final, peak);
    this.pieces = segs.map((s) => new Piece(s.shape, s.start, s.end - s.start, rateAt(s.from, peak), rateAt(s.to, peak)));
    this.bounds = new Float64Array(segs.length + 1);
    segs.forEach((s, k) => (this.bounds[k] = s.start));
    this.bounds[segs.length] = ir.total;
    this.pieces.forEach((p, k) => (p.end = this.bounds[k + 1]!));
    // With no segment at all, a piece whose window is empty sends every tick the long way.
    this.current = this.pieces[0] ?? new Piece({ kind: "constant" }, 0, 1, this.final, this.final);
    this.first = this.pieces.length > 0 ? this.pieces[0]!.at(0 - this.pieces[0]!.start) : this.final;
    this.runnable =
      segs.length > 0 &&
      Number.isSafeInteger(ir.total) &&
      segs[0]!.start === 0 &&
      segs[segs.length - 1]!.end === ir.total &&
      segs.every((s, k) => Number.isSafeInteger(s.start) && s.end > s.start && (k === 0 || segs[k - 1]!.end === s.start));
  }

  /** The segment that holds tick t: the last one that starts at or before it (the first for t < 0). */
  private segmentIndex(t: number): number {
    const bounds = this.bounds;
    const c = this.cursor;
    if (t >= bounds[c]! && t < bounds[c + 1]!) return c;
    let lo = 0;
    let hi = bounds.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    this.cursor = lo;
    return lo;
  }

  lrAt(step: number): number {
    // The common case first, in two comparisons: a tick inside the segment of the last
    // lookup. NaN, ticks before 0 and ticks at or past `total` all fail them (the last
    // segment ends at `total`), so they reach `lrAtElsewhere` with every other tick.
    // Reading the bounds from the piece itself rather than from `bounds[cursor]` saves
    // a tenth of a cosine rate (bench `lrAt_vs_handwritten`).
    const p = this.current;
    if (step >= p.start && step < p.end) return p.at(step - p.start);
    return this.lrAtElsewhere(step);
  }

  private lrAtElsewhere(step: number): number {
    if (!(step >= 0)) return Number.isNaN(step) ? NaN : this.first;
    if (step >= this.total) return this.final;
    const p = this.pieces[this.segmentIndex(step)]!;
    this.current = p;
    return p.at(step - p.start);
  }

  fill(out: Float64Array, start = 0): Float64Array {
    return this.write(out, start, true);
  }

  fillExact(out: Float64Array, start = 0): Float64Array {
    return this.write(out, start, false);
  }

  private write(out: Float64Array, start: number, fast: boolean): Float64Array {
    const n = out.length;
    // A NaN start reads past the end (as it always has); a fractional one tick by tick.
    if (Number.isNaN(start)) return out.fill(this.final);
    if (!this.runnable || !Number.isSafeInteger(start) || !Number.isSafeInteger(start + n)) {
      for (let i = 0; i < n; i++) out[i] = this.lrAt(start + i);
      return out;
    }
    // Ticks before 0 read as tick 0.
    let i = Math.min(n, Math.max(0, -start));
    out.fill(this.first, 0, i);
    const stopAll = Math.max(i, Math.min(n, this.total - start));
    if (i < stopAll) {
      let k = this.segmentIndex(start + i);
      while (i < stopAll) {
        const p = this.pieces[k]!;
        const stop = Math.min(stopAll, this.bounds[k + 1]! - start);
        (fast ? p.fast : p.exact)(out, i, start + i - p.start, stop - i);
        i = stop;
        k++;
      }
    }
    out.fill(this.final, i);
    return out;
  }
}

/**
 * An evaluator for a schedule. `peak` binds a relative schedule to a base rate (default 1,
 * so values read as multipliers of the optimizer's rate); an absolute schedule ignores it.
 */
export function createEvaluator(ir: ScheduleIR, peak?: number): Evaluator {
  return new ScheduleEvaluator(ir, ir.relative ? (peak ?? 1) : (ir.peak ?? 1));
}

/** The schedule of one hyperparameter beside the learning rate, as a schedule of its own: plain values. */
export function paramSchedule(ir: ScheduleIR, name: HyperParam): ScheduleIR | undefined {
  const p = ir.params?.[name];
  if (!p) return undefined;
  const { params: _params, ...rest } = ir;
  return { ...rest, name: `${ir.name}.${name}`, segments: p.segments, final: p.final, relative: false, peak: 1, valueName: name };
}

/** An evaluator of one hyperparameter's chain, or undefined when the schedule has none. */
export function createParamEvaluator(ir: ScheduleIR, name: HyperParam): Evaluator | undefined {
  const s = paramSchedule(ir, name);
  return s && createEvaluator(s);
}
