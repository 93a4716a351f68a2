// Axis arithmetic and number formatting for the preview: nice tick values on linear and
// logarithmic axes, step counts written the way Anneal writes them (`10k`, `1.5M`), and
// rates written compactly (`3e-4`, `0.05`).

/** A "nice" tick spacing (1, 2 or 5 times a power of ten) giving about `count` ticks. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  // toPrecision drops the noise of the power of ten (5 * 1e-5 is 0.000049999999999999996).
  return Number(((f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag).toPrecision(12));
}

/** Tick values from `lo` to `hi` inclusive on a linear axis, about `count` of them. */
export function linearTicks(lo: number, hi: number, count: number): number[] {
  const step = niceStep(hi - lo, count);
  const ticks: number[] = [];
  // An integer index times the step keeps rounding error from accumulating; toPrecision
  // then drops the last-bit noise (3 * 1e-4 is 0.00030000000000000003).
  const end = Math.floor(hi / step + 1e-9);
  for (let i = Math.ceil(lo / step - 1e-9); i <= end; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/**
 * Tick values between 10**lo and 10**hi on a log axis: every decade (every second or third
 * when there are many), with 2 and 5 in between when there are few, and never more than
 * `maxTicks` when that can be helped.
 */
export function logTicks(lo: number, hi: number, maxTicks = Infinity): number[] {
  const first = Math.ceil(lo - 1e-9);
  const last = Math.floor(hi + 1e-9);
  const decades = last - first;
  const ticks: number[] = [];
  const stride = Math.max(1, Math.ceil(decades / 6));
  for (let e = first; e <= last; e += stride) ticks.push(Number(`1e${e}`));
  if (decades <= 2 && (decades + 1) * 3 <= maxTicks) {
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      for (const m of [2, 5]) {
        const v = Number(`${m}e${e}`);
        const l = Math.log10(v);
        if (l >= lo - 1e-9 && l <= hi + 1e-9) ticks.push(v);
      }
    }
    ticks.sort((a, b) => a - b);
  }
  return ticks;
}

/** A count the way Anneal writes magnitudes: 950, 10k, 1.5M, 300B. */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  const short = (v: number, suffix: string) => `${Number(v.toPrecision(4))}${suffix}`;
  if (a >= 1e9) return short(n / 1e9, "B");
  if (a >= 1e6) return short(n / 1e6, "M");
  if (a >= 1e4 || (a >= 1e3 && Number.isInteger(n / 100))) return short(n / 1e3, "k");
  return String(Number(n.toPrecision(6)));
}

/** A whole number with thousands separators: 12,345. */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** A rate with `digits` significant digits: 0.05, 0.1, 3e-4, 2.999e-4. */
export function formatRate(v: number, digits = 4): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(digits)));
  const [mantissa, exponent] = v.toExponential(digits - 1).split("e");
  return `${Number(mantissa)}e${Number(exponent)}`;
}
