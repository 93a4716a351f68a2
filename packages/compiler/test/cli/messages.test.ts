// What a person reads when they get a command line slightly wrong: did-you-mean for
// commands, options, targets and schedules; Anneal's own words for values that start with
// a dash; option diagnostics on the option; bad lint levels refused; -W error; colour by
// NO_COLOR and FORCE_COLOR; exit codes in every --help; plot zoom and several files.
import { describe, expect, test } from "vitest";
import type { CliIO } from "../../src/cli/command.js";
import { COMMANDS } from "../../src/cli/commands.js";
import { runCli } from "../../src/cli/main.js";
import { colorFromEnv } from "../../src/cli/render.js";
import { fakeIO } from "./fake-io.js";

const BERT = "schedule bert { lr 1e-4  total 1M steps  warmup 10k -> linear to 0 }\n";
const OPEN = "# a comment on the first line\nlr 1e-4\nwarmup 10k -> linear to 0\n";
const QUICK = "total 100k\nlr 3e-4\nwarmup 4% linear -> cosine to 1e-6 restart every 12k\n";
const WARN = "total 10k\nwarmup 30% -> cosine\n";

async function run(argv: string[], files: Record<string, string> = {}, extra: Partial<CliIO> = {}) {
  const f = fakeIO(files, extra);
  const code = await runCli(argv, f.io);
  return { code, out: f.out(), err: f.err(), written: f.written };
}

describe("did you mean", () => {
  test.each([
    [["chek", "x.anneal"], "anneal: unknown command 'chek' (did you mean 'check'?). Commands: check, eval, plot, emit, fmt, lint, import, lsp. Run 'anneal --help'.\n"],
    [["--hepl"], "anneal: unknown option '--hepl' (did you mean '--help'?). Commands: check, eval, plot, emit, fmt, lint, import, lsp. Run 'anneal --help'.\n"],
    [["check", "--formt", "json", "b.anneal"], "anneal check: unknown option '--formt'; did you mean '--format'? Run 'anneal check --help' for usage.\n"],
    [["emit", "pytroch", "b.anneal"], "anneal emit: unknown target 'pytroch' (did you mean 'pytorch'?); choose one of pytorch, pytorch-native, keras, optax, tfjs, tfjs-dts, json, csv\n"],
    [["eval", "b.anneal", "--schedule", "bret"], "b.anneal: no schedule named 'bret'; did you mean 'bert'?; it has 'bert'\n"],
    [["check", "b.anneal", "--format", "jsno"], "anneal check: --format must be text or json, not 'jsno'; did you mean 'json'?\n"],
  ])("%j", async (argv, line) => {
    const r = await run(argv, { "b.anneal": BERT });
    expect(r.code).toBe(2);
    expect(r.err).toBe(line);
  });
});

test("a value that starts with a dash gets Anneal's own message, not the argument parser's", async () => {
  const e = await run(["eval", "q.anneal", "--steps", "-3:2"], { "q.anneal": QUICK });
  expect([e.code, e.err]).toEqual([2, "--steps -3:2: steps count from 0, so a range cannot start or end below 0; write A:B with 0 <= A < B, such as 0:100\n"]);
  const p = await run(["plot", "q.anneal", "--steps", "-3:2"], { "q.anneal": QUICK });
  expect(p.code).toBe(2);
  expect(p.err).toMatch(/^--steps -3:2: steps count from 0/);
  // A negative override is read as the value, and the checker says what is wrong with it.
  const lr = await run(["check", "q.anneal", "--lr", "-1e-3"], { "q.anneal": QUICK });
  expect(lr.code).toBe(1);
  expect(lr.out).toMatch(/^--lr -1e-3: error A212 /);
  const missing = await run(["eval", "q.anneal", "--steps"], { "q.anneal": QUICK });
  expect([missing.code, missing.err]).toEqual([2, "anneal eval: --steps needs a value. Run 'anneal eval --help' for usage.\n"]);
});

test("--total 10q is shown on the option, never on the file's first line, and alone", async () => {
  const r = await run(["check", "bert.anneal", "--total", "10q"], { "bert.anneal": OPEN });
  expect(r.code).toBe(1);
  expect(r.out).toBe("--total 10q: error A112 `10q` is not a duration, such as `200k`, `90 epochs` or `300B tokens`\n   | --total 10q\n   |           ^\n\n1 file checked: 1 error\n");
});

test("an unknown lint code, or lowering an error, is exit 2 with one clear line", async () => {
  const a = await run(["check", "q.anneal", "--lint", "A999=off"], { "q.anneal": QUICK });
  expect([a.code, a.err, a.out]).toEqual([2, "--lint A999=off: there is no diagnostic A999 (the codes are listed in docs/diagnostics.md)\n", ""]);
  const b = await run(["check", "q.anneal", "--lint", "A204=off"], { "q.anneal": QUICK });
  expect([b.code, b.err]).toEqual([2, "--lint A204=off: A204 is an error, and errors cannot be silenced: a schedule with an error cannot be evaluated\n"]);
  const c = await run(["check", "q.anneal", "--lint", "A204=error"], { "q.anneal": QUICK });
  expect(c.code).toBe(0);
});

test("-W error and --warnings-as-errors turn warnings into errors", async () => {
  const files = { "w.anneal": WARN };
  expect((await run(["check", "w.anneal"], files)).code).toBe(0);
  for (const flags of [["-W", "error"], ["--warnings-as-errors"], ["-Werror"]]) {
    const r = await run(["check", "w.anneal", ...flags], files);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^w\.anneal:2:8: error A305 /);
  }
  // eval refuses to print a schedule whose warnings are errors.
  expect((await run(["eval", "w.anneal", "-W", "error"], files)).code).toBe(1);
  const bad = await run(["check", "w.anneal", "-W", "loud"], files);
  expect([bad.code, bad.err]).toEqual([2, "anneal check: -W loud: the only level is 'error' (-W error treats warnings as errors)\n"]);
});

test("NO_COLOR and FORCE_COLOR", () => {
  expect(colorFromEnv({}, true)).toBe(true);
  expect(colorFromEnv({}, false)).toBe(false);
  expect(colorFromEnv({ NO_COLOR: "1" }, true)).toBe(false);
  // An empty NO_COLOR does not count (no-color.org).
  expect(colorFromEnv({ NO_COLOR: "" }, true)).toBe(true);
  expect(colorFromEnv({ FORCE_COLOR: "1" }, false)).toBe(true);
  expect(colorFromEnv({ FORCE_COLOR: "0" }, true)).toBe(false);
  expect(colorFromEnv({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(true);
});

test("the colour decision is the one commands use", async () => {
  const colored = await run(["check", "w.anneal"], { "w.anneal": WARN }, { color: true });
  expect(colored.out).toContain("\x1b[33m");
  const plain = await run(["check", "w.anneal"], { "w.anneal": WARN }, { isTTY: true, color: false });
  expect(plain.out).not.toContain("\x1b[");
});

test("every --help lists the exit codes", async () => {
  for (const argv of [["--help"], ...COMMANDS.map((c) => [c.name, "--help"])]) {
    const r = await run(argv);
    expect(r.code, argv.join(" ")).toBe(0);
    const section = r.out.slice(r.out.indexOf("Exit status:"));
    expect(section, argv.join(" ")).toMatch(/^Exit status:\n {2}0 {3}\S.*\n {2}1 {3}\S.*\n {2}2 {3}\S.*\n {2}70 {2}\S/);
  }
});

describe("anneal plot", () => {
  const axisLabels = (out: string) => {
    const lines = out.split("\n");
    const rule = lines.findIndex((l) => l.includes("└"));
    return lines[rule + 1]!.trim().split(/\s+/);
  };

  test("--steps A:B zooms: the x axis runs from A to B", async () => {
    const r = await run(["plot", "q.anneal", "--steps", "3k:5k", "--width", "60", "--height", "6"], { "q.anneal": QUICK });
    expect(r.code).toBe(0);
    const labels = axisLabels(r.out);
    expect(labels[0]).toBe("3k");
    expect(labels[labels.length - 1]).toBe("5k");
    const whole = await run(["plot", "q.anneal", "--width", "60", "--height", "6"], { "q.anneal": QUICK });
    expect(axisLabels(whole.out)[0]).toBe("0");
  });

  test("--steps zooms an SVG: the curve starts at the window's first step", async () => {
    const r = await run(["plot", "q.anneal", "--steps", "3k:5k", "-o", "z.svg"], { "q.anneal": QUICK });
    expect(r.code).toBe(0);
    const svg = r.written["z.svg"]!;
    const ticks = [...svg.matchAll(/class="xtick"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(ticks[0]).toBe("3k");
    expect(ticks[ticks.length - 1]).toBe("5k");
    // No "final" label: the zoom ends before total.
    expect(svg).not.toContain('class="final"');
  });

  test("several files are overlaid, each curve named after its file", async () => {
    const files = { "q.anneal": QUICK, "bert.anneal": BERT, "w.anneal": WARN };
    const r = await run(["plot", "q.anneal", "bert.anneal", "w.anneal", "-o", "all.svg"], files);
    expect(r.code).toBe(0);
    const names = [...r.written["all.svg"]!.matchAll(/data-schedule="([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(["q", "bert", "w"]);
  });

  test("one file with errors draws nothing, after every file's diagnostics", async () => {
    const r = await run(["plot", "bad.anneal", "q.anneal"], { "bad.anneal": "total 10k\nwarmup 1e-3 -> cosine\n", "q.anneal": QUICK });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^bad\.anneal:2:8: error A104 /);
  });
});

test("check --format json carries an option's diagnostic with its origin", async () => {
  const r = await run(["check", "b.anneal", "--total", "10q", "--format", "json"], { "b.anneal": OPEN });
  expect(r.code).toBe(1);
  const [file] = JSON.parse(r.out) as { file: string; diagnostics: { code: string; origin?: unknown }[] }[];
  expect(file!.diagnostics.map((d) => [d.code, d.origin])).toEqual([["A112", { option: "--total", text: "10q", range: { start: 2, end: 3 } }]]);
});
