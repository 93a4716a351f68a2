// Plots never hang and never draw garbage: tick computation is bounded at the edges of the
// doubles (a top that overflowed to Infinity made the log axis loop for ever), a schedule
// whose rate leaves the finite numbers is refused with the tick where it does, and one
// plot overlays at most MAX_OVERLAID schedules. The renderers still return, bounded, for
// such schedules (the editor's preview draws what the server hands it).

import { describe, expect, test } from "vitest";
import { type CliIO, CliError, parseCommandArgs } from "../../src/cli/command.js";
import { plotCommand } from "../../src/cli/plot.js";
import { MAX_OVERLAID, undrawable } from "../../src/plot/drawable.js";
import { renderSvg } from "../../src/plot/svg.js";
import { renderTerminal } from "../../src/plot/terminal.js";
import { linearTicks, logTicks } from "../../src/plot/ticks.js";
import { schedule } from "./fixtures.js";

const EDGES = [0, 5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1, 1e300, 1.7976931348623157e308, Infinity, -Infinity, NaN, -1e308];

describe("tick loops are bounded for any pair of values", () => {
  test.each(EDGES)("from %s", (lo) => {
    for (const hi of EDGES) {
      for (const target of [1, 5, 1e6]) {
        expect(linearTicks(lo, hi, target).length).toBeLessThanOrEqual(1002);
        expect(logTicks(lo, hi, target).length).toBeLessThanOrEqual(1002);
      }
    }
  });
});

describe("a rate that is not finite", () => {
  const bad = (v: number, at = 5) =>
    schedule("blowup", 10, 1, [
      { start: 0, end: at, shape: { kind: "linear" }, from: 1, to: 1, phase: "linear" },
      { start: at, end: 10, shape: { kind: "constant" }, from: v, to: v, phase: "constant" },
    ], v);

  test.each([Infinity, -Infinity, NaN])("%s is refused with the step where it starts", (v) => {
    expect(undrawable([bad(v)])).toBe(
      `schedule 'blowup' cannot be drawn: its rate is ${String(v)} at step 5, and a plot needs finite values; see the rates with \`anneal eval --steps 5:8\``,
    );
  });

  test("the renderers still return, with a bounded output", () => {
    for (const v of [Infinity, NaN, 1.7976931348623157e308, 5e-324]) {
      for (const log of [false, true]) {
        expect(renderSvg([bad(v)], { log }).length).toBeLessThan(200_000);
        expect(renderTerminal([bad(v)], { log, columns: 80, rows: 10 }).length).toBeLessThan(20_000);
      }
    }
  });

  test("finite schedules at the edges are drawable", () => {
    expect(undrawable([bad(1e300), bad(0), bad(1e-300)])).toBeUndefined();
  });
});

function fakeIO(files: Record<string, string>) {
  const out: string[] = [];
  const io: CliIO = {
    stdout: (t) => void out.push(t),
    stderr: () => {},
    readText(path) {
      if (!Object.hasOwn(files, path)) throw new CliError(`${path}: no such file`);
      return files[path]!;
    },
    writeFiles() {
      throw new Error("nothing may be written");
    },
    isTTY: false,
  };
  return { io, out: () => out.join("") };
}

async function plot(argv: string[], files: Record<string, string>) {
  const f = fakeIO(files);
  try {
    return { code: await plotCommand.run(parseCommandArgs(plotCommand, argv), f.io), out: f.out() };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return { code: e.exitCode, message: e.message, out: f.out() };
  }
}

describe("anneal plot", () => {
  test(`more than ${MAX_OVERLAID} schedules: refused with a clear message, nothing drawn`, async () => {
    const many = Array.from({ length: MAX_OVERLAID + 1 }, (_, i) => `schedule s${i} { lr 1 total 10 cosine }`).join("\n");
    for (const argv of [["many.anneal"], ["many.anneal", "-o", "many.svg"]]) {
      const r = await plot(argv, { "many.anneal": many });
      expect(r).toMatchObject({ code: 1, out: "", message: `many.anneal: ${MAX_OVERLAID + 1} schedules are more than one plot overlays (at most ${MAX_OVERLAID}); choose some with --schedule NAME` });
    }
    const some = await plot(["many.anneal", "--schedule", "s1", "--schedule", "s64"], { "many.anneal": many });
    expect(some.code).toBe(0);
  });
});
