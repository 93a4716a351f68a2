// Files at the edges of the double range: every phase kind, with denormals, signed zeros,
// values near 1e±300 and ratios that span the whole range written in each of its value
// positions (`from`, `to`, `via`, `at`, `lr`, table points), factors (`gamma`, `by`,
// `decay`, `x`, `power`), timescales, `over`, `up`, `every` and `limit`. Unlike
// `programs.ts`, these files need not check clean: the property is that each one is either
// refused with located errors or gives finite rates everywhere.

import fc from "fast-check";

/** Rates: zeros, denormals, the ends of the normal range, and ratios across the whole range. */
export const EXTREME_RATES = [
  "0",
  "-0",
  "0.0",
  "-(0)",
  "5e-324",
  "1e-320",
  "2.2250738585072014e-308",
  "2.2250738585072009e-308",
  "1e-307",
  "1e-300",
  "1e-200",
  "1e-160 * 1e-160",
  "1e-30",
  "1e-6",
  "0.5",
  "1",
  "1e30",
  "1e200",
  "1e300",
  "1.0000000000000001e300",
  "1e301",
  "1e308",
  "1.7976931348623157e308",
  "1e300 * 10",
  "1e-300%",
  "1e-290%",
  "100%",
  "1e300%",
  "peak * 1e-300",
  "peak / 1e300",
  "peak * 5e-324",
  "peak - peak",
];

/** Multipliers: `gamma`, `by`, `decay`, the restart `x`, `power`. */
export const EXTREME_FACTORS = ["0", "-0", "5e-324", "1e-300", "1e-30", "0.1", "0.5", "0.9999999999999999", "1", "1.0000000000000002", "1.5", "2", "1000", "1001", "1e30", "1e300", "1e308"];

/** Ordinary values beside them, so that most files have one or two extreme values and check clean. */
const PLAIN_RATES = ["1e-4", "0.1", "10%", "peak", "1e-6"];
const PLAIN_FACTORS = ["0.5", "0.9", "2"];

/** Peaks: the `lr` setting, or none for a schedule relative to the optimizer's rate. */
const PEAKS = [undefined, undefined, "1", "0.1", "1", "1e-300", "1e-307", "2.2250738585072014e-308", "5e-324", "1e300", "1e301", "1.7976931348623157e308", "0", "-0"];

/** Totals: a handful of ticks, a few thousand, and up to the largest exact count. */
const TOTALS = [1, 2, 3, 10, 97, 1000, 4096, 1_000_000, 2 ** 40, 2 ** 53 - 1];

type Draw = <T>(arb: fc.Arbitrary<T>) => T;

/** A duration inside a phase of `len` ticks: one tick, a part, the whole, or past it. */
function duration(draw: Draw, len: number): string {
  const n = draw(fc.constantFrom(1, 2, Math.max(1, Math.floor(len / 3)), Math.max(1, len - 1), len, len + 1, 2 ** 53 - 1));
  return String(n);
}

/** One phase of `span` ticks, its duration written unless it is the one that takes what remains. */
function phaseText(draw: Draw, kind: string, span: number, written: boolean): string {
  const len = written ? span : undefined;
  const rate = () => draw(fc.oneof(fc.constantFrom(...EXTREME_RATES), fc.constantFrom(...PLAIN_RATES)));
  const factor = () => draw(fc.oneof(fc.constantFrom(...EXTREME_FACTORS), fc.constantFrom(...PLAIN_FACTORS)));
  const maybe = (text: () => string) => (draw(fc.boolean()) ? [text()] : []);
  const d = len === undefined ? "" : ` ${len}`;
  const parts: string[] = [];
  switch (kind) {
    case "warmup": {
      const shape = draw(fc.constantFrom("", " linear", " cosine", " exp"));
      parts.push(`warmup${d}${shape}`, ...maybe(() => `from ${rate()}`), ...maybe(() => `to ${rate()}`));
      break;
    }
    case "constant":
      parts.push(`constant${d}`, ...maybe(() => `at ${rate()}`));
      break;
    case "linear":
    case "cosine":
    case "sqrt":
    case "rex":
      parts.push(`${kind}${d}`, ...maybe(() => `from ${rate()}`), ...maybe(() => `to ${rate()}`), ...maybe(() => `over ${duration(draw, span)}`));
      if (kind === "cosine" && draw(fc.boolean())) {
        let r = `restart every ${duration(draw, span)}`;
        if (draw(fc.boolean())) r += ` x ${factor()}`;
        if (draw(fc.boolean())) r += ` decay ${factor()}`;
        if (draw(fc.boolean())) r += ` limit ${draw(fc.constantFrom("1", "2", "3", "1000", "1e300"))}`;
        parts.push(r);
      }
      break;
    case "exp":
      if (draw(fc.boolean())) parts.push(`exp${d}`, ...maybe(() => `from ${rate()}`), `to ${rate()}`);
      else parts.push(`exp${d}`, `gamma ${factor()}${draw(fc.constantFrom("", "", " per epoch", " per step"))}`, ...maybe(() => `from ${rate()}`));
      break;
    case "poly":
      parts.push(`poly${d}`, `power ${factor()}`, ...maybe(() => `from ${rate()}`), ...maybe(() => `to ${rate()}`), ...maybe(() => `over ${duration(draw, span)}`));
      break;
    case "rsqrt":
      parts.push(`rsqrt${d}`, `timescale ${duration(draw, span)}`, ...maybe(() => `from ${rate()}`));
      break;
    case "step":
      parts.push(`step${d}`, `by ${factor()}`, ...maybe(() => `from ${rate()}`));
      if (draw(fc.boolean())) parts.push(`every ${duration(draw, span)}`);
      else parts.push(`at ${[duration(draw, span), duration(draw, span)].sort((x, y) => Number(x) - Number(y)).join(", ")}`);
      break;
    case "onecycle":
      parts.push(`onecycle${d}`, ...maybe(() => `up ${duration(draw, span)}`), ...maybe(() => `from ${rate()}`), ...maybe(() => `via ${rate()}`), ...maybe(() => `to ${rate()}`));
      if (draw(fc.boolean())) parts.push(draw(fc.constantFrom("linear", "cosine")));
      if (draw(fc.boolean())) parts.push("three phase");
      break;
    case "cyclic":
      parts.push(`cyclic${d}`, `from ${rate()}`, ...maybe(() => `to ${rate()}`), `every ${duration(draw, span)}`, ...maybe(() => `up ${duration(draw, span)}`));
      if (draw(fc.boolean())) parts.push(draw(fc.boolean()) ? `decay ${factor()}` : `gamma ${factor()}`);
      break;
    case "table": {
      const shape = draw(fc.constantFrom("", " step", " linear", " cosine"));
      const offsets = [...new Set([0, ...draw(fc.array(fc.constantFrom(1, Math.floor(span / 2), span - 1, span), { maxLength: 3 }))])].filter((o) => o >= 0).sort((x, y) => x - y);
      parts.push(`table${d}${shape} { ${offsets.map((o) => `${o}: ${rate()}`).join(", ")} }`);
      break;
    }
  }
  return parts.join(" ");
}

export const EXTREME_KINDS = ["warmup", "constant", "linear", "cosine", "exp", "poly", "sqrt", "rsqrt", "step", "onecycle", "cyclic", "rex", "table"];

/** A whole file: a clock, an optional `lr`, and a chain of one to three phases. */
export const extremeProgram: fc.Arbitrary<string> = fc.gen().map((g) => {
  const draw: Draw = (arb) => g(() => arb);
  const total = draw(fc.constantFrom(...TOTALS));
  const peak = draw(fc.constantFrom(...PEAKS));
  const n = draw(fc.integer({ min: 1, max: 3 }));
  const kinds = draw(fc.array(fc.constantFrom(...EXTREME_KINDS), { minLength: n, maxLength: n }));
  // The last phase takes what remains; the others split the rest evenly.
  const each = Math.max(1, Math.floor(total / n));
  // A step clock, or epochs stepped per batch (so `per epoch` and `per step` scale `gamma`).
  const lines = draw(fc.boolean()) ? [`total ${total}`] : [`total ${total} epochs`, `steps_per_epoch ${draw(fc.constantFrom("1", "3", "1000"))}`, `clock epochs`];
  if (peak !== undefined) lines.push(`lr ${peak}`);
  lines.push(kinds.map((k, i) => phaseText(draw, k, i === n - 1 ? Math.max(1, total - (n - 1) * each) : each, i < n - 1)).join(" -> "));
  // A hyperparameter chain beside the rate, its values plain numbers at the same extremes.
  if (draw(fc.boolean())) {
    const value = () => draw(fc.oneof(fc.constantFrom(...EXTREME_FACTORS), fc.constantFrom("0.9", "0.95", "0.05")));
    const name = draw(fc.constantFrom("momentum", "beta2", "weight_decay"));
    lines.push(`${name}: ${draw(fc.constantFrom("cosine", "linear", "exp"))} from ${value()} to ${value()}`);
  }
  return lines.join("\n") + "\n";
});
