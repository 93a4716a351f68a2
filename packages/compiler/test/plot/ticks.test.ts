// Tick values and labels: engineering rates, k/M/B counts, 1-2-5 steps, log decades.

import { describe, expect, it } from "vitest";
import { formatCount, formatRate, linearTicks, logTicks, niceStep } from "../../src/plot/ticks.js";

describe("formatRate", () => {
  it.each([
    [0, "0"],
    [0.1, "0.1"],
    [0.05, "0.05"],
    [0.01, "0.01"],
    [1e-3, "1e-3"],
    [3e-4, "3e-4"],
    [3 * 1e-4, "3e-4"],
    [2.5e-5, "2.5e-5"],
    [6e-5, "6e-5"],
    [9.9996e-5, "1e-4"],
    [1, "1"],
    [2.5, "2.5"],
    [-3e-4, "-3e-4"],
    // The ends of the doubles: the largest, the smallest normal and the smallest denormal
    // (2^-1074, 4.9406564584124654e-324), whose power of ten is itself below the doubles.
    [1.7976931348623157e308, "1.8e308"],
    [2.2250738585072014e-308, "2.23e-308"],
    [1e-320, "1e-320"],
    [5e-324, "4.94e-324"],
  ])("%s -> %s", (v, label) => expect(formatRate(v)).toBe(label));
});

describe("formatCount", () => {
  it.each([
    [0, "0"],
    [500, "500"],
    [22.5, "22.5"],
    [2000, "2k"],
    [10_000, "10k"],
    [375e6, "375M"],
    [1.5e6, "1.5M"],
    [999_999, "1M"],
    [300e9, "300B"],
  ])("%s -> %s", (v, label) => expect(formatCount(v)).toBe(label));
});

describe("ticks", () => {
  it("steps by 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(90, 4)).toBe(20);
    expect(niceStep(3.4e-3, 4)).toBe(1e-3);
    expect(niceStep(1e6, 10)).toBe(1e5);
  });

  it("places linear ticks on clean multiples inside the range", () => {
    expect(linearTicks(0, 3.4e-3, 4)).toEqual([0, 1e-3, 2e-3, 3e-3]);
    expect(linearTicks(0, 90, 4)).toEqual([0, 20, 40, 60, 80]);
    expect(linearTicks(0, 300e9, 6)).toEqual([0, 50e9, 100e9, 150e9, 200e9, 250e9, 300e9]);
  });

  it("uses decades on a wide log axis and 1-2-5 on a narrow one", () => {
    expect(logTicks(1e-6, 1e-2, 8)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(logTicks(1e-9, 1e-1, 4)).toEqual([1e-9, 1e-7, 1e-5, 1e-3, 1e-1]);
    expect(logTicks(6e-5, 7e-4, 4)).toEqual([1e-4, 2e-4, 5e-4]);
  });
});
