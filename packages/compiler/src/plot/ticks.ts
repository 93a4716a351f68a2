// Axis ticks and the way numbers are written on them.
//
// Rates are written the way a paper's appendix writes them (`3e-4`, `0.1`), durations with
// the magnitude suffixes of the language itself (`10k`, `1.5M`, `300B`), so a label can be
// pasted back into a schedule. Ticks fall on 1, 2 and 5 times a power of ten, or on whole
// decades of a log axis.

export interface Tick {
  value: number;
  label: string;
}

/** Rounds away binary noise (`3 * 1e-4` is `0.00030000000000000003`) to `digits` digits. */
function clean(v: number, digits: number): number {
  return Number.parseFloat(v.toPrecision(digits));
}

/** A learning rate in engineering form: `0`, `0.1`, `0.05`, `3e-4`, `2.5e-5`, `1.5e+4`. */
export function formatRate(v: number, digits = 3): string {
  if (v === 0 || !Number.isFinite(v)) return v === 0 ? "0" : String(v);
  const a = Math.abs(v);
  const sign = v < 0 ? "-" : "";
  if (a >= 0.01 && a < 1e4) return sign + String(clean(a, digits));
  let e = Math.floor(Math.log10(a));
  // Below 1e-300 the power of ten itself leaves the normal doubles (10 ** -324 is 0, and a
  // mantissa divided by it is Infinity): scale the value up first, as an exact power of ten.
  let m = clean(e < -300 ? (a * 1e300) / 10 ** (e + 300) : a / 10 ** e, digits);
  // Rounding the mantissa can carry into the next power (9.996e-5 -> 10e-5).
  if (m >= 10) {
    m = clean(m / 10, digits);
    e += 1;
  }
  return `${sign}${m}e${e}`;
}

const SUFFIXES: ReadonlyArray<[number, string]> = [
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

/** A count of steps, epochs or tokens with the language's suffixes: `500`, `10k`, `1.5M`. */
export function formatCount(v: number, digits = 3): string {
  if (v === 0 || !Number.isFinite(v)) return v === 0 ? "0" : String(v);
  const a = Math.abs(v);
  const sign = v < 0 ? "-" : "";
  for (const [size, suffix] of SUFFIXES) {
    // 999.9k reads better as 1M: switch up when rounding would reach the next unit.
    if (clean(a, digits) >= size) return `${sign}${clean(a / size, digits)}${suffix}`;
  }
  return sign + String(clean(a, digits));
}

/**
 * The tick spacing of about `target` intervals over `span`: 1, 2 or 5 times a power of 10,
 * whichever is nearest on a log scale to the exact spacing (the rule d3's ticks use).
 */
export function niceStep(span: number, target: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const error = raw / mag;
  const m = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return m * mag;
}

/** More ticks than any axis asks for: a bound on the loops, whatever the input. */
const MAX_TICKS = 1000;

/** Evenly spaced values in [lo, hi] on multiples of a nice step, about `target` intervals. */
export function linearTicks(lo: number, hi: number, target: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const step = niceStep(hi - lo, target);
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  // A span at the edges of the doubles (an overflowing or subnormal step) can give no
  // sensible count; the loop below then must not run for ever.
  if (!(step > 0) || !Number.isFinite(first) || !Number.isFinite(last) || last - first > MAX_TICKS) return [lo, hi];
  for (let i = first; i <= last; i++) out.push(clean(i * step, 12));
  return out;
}

/**
 * Ticks of a log axis over [lo, hi] (both positive): whole decades, thinned to about
 * `target` when the range is wide, or with 2 and 5 in between when it spans less than two.
 */
export function logTicks(lo: number, hi: number, target: number): number[] {
  // A top that overflowed to Infinity once made the decade loop below endless.
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return [];
  const e0 = Math.ceil(Math.log10(lo) - 1e-9);
  const e1 = Math.floor(Math.log10(hi) + 1e-9);
  const decades = e1 - e0 + 1;
  if (decades < 2) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = clean(m * 10 ** e, 12);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  }
  const every = Math.max(1, Math.round(decades / Math.max(1, target)));
  const out: number[] = [];
  for (let e = e0; e <= e1; e++) if ((e - e0) % every === 0) out.push(clean(10 ** e, 12));
  return out;
}
