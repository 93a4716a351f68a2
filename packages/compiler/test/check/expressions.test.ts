// The built-in functions and `**` in expressions: their values against the arithmetic
// written out here (Python's rules for `**`), and their errors with exact ranges.
import { describe, expect, test } from "vitest";
import { compile } from "../../src/index.js";
import { checkAnnotated } from "./annotated.js";

function peakOf(lrExpr: string): number | undefined {
  const r = compile(`lr ${lrExpr}\ntotal 100\ncosine`);
  expect(r.diagnostics.filter((d) => d.severity === "error"), r.diagnostics.map((d) => d.message).join("\n")).toEqual([]);
  return r.schedules[0]!.ir!.peak;
}

function warmupTicks(durationExpr: string, total = "1000"): number {
  const r = compile(`lr 0.1\ntotal ${total}\nwarmup ${durationExpr} -> cosine`);
  expect(r.diagnostics.filter((d) => d.severity === "error"), r.diagnostics.map((d) => d.message).join("\n")).toEqual([]);
  const p = r.schedules[0]!.phases[0]!;
  return p.end - p.start;
}

describe("values", () => {
  test("Noam's peak, as the paper writes it: d_model^-0.5 * warmup^-0.5 scaled by 2", () => {
    expect(peakOf("2 / sqrt(256 * 8000)")).toBe(2 / Math.sqrt(256 * 8000));
    expect(peakOf("2 * 256 ** -0.5 * 8000 ** -0.5")).toBe(2 * 256 ** -0.5 * 8000 ** -0.5);
  });

  test("`**` is right-associative and binds tighter than a sign on its left", () => {
    // In Python, -2 ** 2 == -4, 2 ** 3 ** 2 == 512 and 2 ** -1 == 0.5.
    expect(peakOf("-(-2 ** 2) / 400")).toBe(4 / 400);
    expect(peakOf("2 ** 3 ** 2 / 1e4")).toBe(512 / 1e4);
    expect(peakOf("2 ** -1")).toBe(0.5);
  });

  test("min and max pick among values of one type", () => {
    expect(peakOf("min(3e-4, 1e-3, 2e-4 * 2)")).toBe(3e-4);
    expect(peakOf("max(3e-4, 1e-3)")).toBe(1e-3);
    // A percent beside a duration is a percent of `total`, as in `+`.
    expect(warmupTicks("max(10 steps, 5%)")).toBe(50);
    expect(warmupTicks("min(10 steps, 5%)")).toBe(10);
    // Durations in different units compare in clock ticks.
    expect(compile("lr 0.1\ntotal 10 epochs\nsteps_per_epoch 100\nclock steps\nwarmup min(2 epochs, 150 steps) -> cosine").schedules[0]!.phases[0]!.end).toBe(150);
  });

  test("a rate written as -0 is 0, so no output shows a signed zero", () => {
    for (const text of ["lr 0.1\ntotal 10\nlinear from -0 to 0.1", "lr 0.1\ntotal 10\nlinear from 0.1 to -(0)", "total 10\nlinear from -0 * 1 to 50%"]) {
      const ir = compile(text).schedules[0]!.ir!;
      for (const s of ir.segments) for (const v of [s.from, s.to]) expect(Object.is(v.abs, -0) || Object.is(v.scale, -0), text).toBe(false);
    }
  });

  test("a function in a `let` and in a total", () => {
    expect(compile("let w = sqrt(16)\nlr 0.1\ntotal w * 25\nwarmup w -> cosine").schedules[0]!.ir!.total).toBe(100);
  });
});

describe("errors", () => {
  test.each([
    [
      "the square root of a negative number",
      `
lr sqrt(-1)
        ^^ A109 error: the square root of a negative number (-1) is not a real number
total 100
cosine
`,
    ],
    [
      "zero to a negative power",
      `
lr 0 ** -1
   ^^^^^^^ A109 error: 0 to a negative power is infinite (a division by zero)
total 100
cosine
`,
    ],
    [
      "a negative number to a fractional power",
      `
lr (-8) ** 0.5
   ^^^^^^^^^^^ A109 error: a negative number to a fractional power is not a real number (\`(-8) ** 0.5\`)
total 100
cosine
`,
    ],
    [
      "a power too large",
      `
lr 10 ** 400
   ^^^^^^^^^ A109 error: this power is too large for a double-precision number; every rate and duration must be finite
total 100
cosine
`,
    ],
    [
      "a power of a duration",
      `
lr 0.1
total 100
warmup 10 steps ** 2 -> cosine
       ^^^^^^^^ A110 error: \`**\` raises a plain number to a plain power, but this is a duration in steps; write the number itself, such as \`2 ** 10\`
`,
    ],
    [
      "sqrt of a rate",
      `
lr 0.1
total 100
warmup 10 -> cosine to sqrt(peak)
                            ^^^^ A110 error: \`sqrt\` takes a plain number, but this is a learning rate; write the number itself, such as \`sqrt(256 * 8000)\`
`,
    ],
    [
      "wrong number of arguments",
      `
lr min(1e-3)
   ^^^^^^^^^ A111 error: \`min(a, b)\` takes two or more values, but one is given here
total 100
cosine
`,
    ],
    [
      "sqrt takes one argument",
      `
lr sqrt(1, 2)
   ^^^^^^^^^^ A111 error: \`sqrt(x)\` takes one value, but 2 are given here
total 100
cosine
`,
    ],
    [
      "min of a number and a percent",
      `
lr 0.1
total 100
warmup min(10, 5%) -> cosine
       ^^^^^^^^^^^ A111 error: \`min\` compares values of one kind, not a number and a percent
`,
    ],
  ])("%s", (_name, src) => void checkAnnotated(src));

  test("the messages say what to write", () => {
    const msg = (text: string) => compile(text).diagnostics[0]!.message;
    expect(msg("lr sqrt(-4)\ntotal 10\ncosine")).toBe("the square root of a negative number (-4) is not a real number");
    expect(msg("lr min(1e-3)\ntotal 10\ncosine")).toBe("`min(a, b)` takes two or more values, but one is given here");
  });
});
