// Options are their own source: a diagnostic about a command-line override, an editor
// default or a lint level points into the option's own text, and nothing that depends on a
// bad option is reported on top of it.
import { expect, test } from "vitest";
import { compile } from "../../src/index.js";
import { Reporter } from "../../src/diagnostics/report.js";
import { runLints, type Lint } from "../../src/lints/index.js";
import type { ResolvedSchedule } from "../../src/check/schedule.js";

const brief = (r: ReturnType<typeof compile>) => r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range, ...(d.origin ? { origin: d.origin } : {}) }));

test("--total 10q: one A112 on the option, under the `q`, and no missing total on top", () => {
  const r = compile("# a comment on the first line\nwarmup 1k -> cosine\n", { overrides: { total: "10q" } });
  expect(brief(r)).toEqual([
    {
      code: "A112",
      severity: "error",
      message: "`10q` is not a duration, such as `200k`, `90 epochs` or `300B tokens`",
      range: { start: 0, end: 0 },
      origin: { option: "--total", text: "10q", range: { start: 2, end: 3 } },
    },
  ]);
});

test("--lr abc: the unknown name is on the option, and says what an option may hold", () => {
  const r = compile("total 10k\ncosine\n", { overrides: { lr: "abc" } });
  expect(brief(r)).toEqual([
    {
      code: "A101",
      severity: "error",
      message: "unknown name `abc`; an option is written as in a file, such as `3e-4`, `200k` or `90 epochs`, and can only name the file's own `let`s",
      range: { start: 0, end: 0 },
      origin: { option: "--lr", text: "abc", range: { start: 0, end: 3 } },
    },
  ]);
});

test("an option may name the file's own lets", () => {
  const r = compile("let run = 20k\nwarmup 1k -> cosine\n", { overrides: { total: "2 * run" } });
  expect(r.diagnostics).toEqual([]);
  expect(r.schedules[0]!.ir!.total).toBe(40_000);
});

test("a bad --steps-per-epoch is one error, not one per epoch duration", () => {
  const r = compile("total 90 epochs\nclock steps\nwarmup 5 epochs -> cosine\n", { overrides: { stepsPerEpoch: "five" } });
  expect(r.diagnostics.map((d) => [d.code, d.origin?.option])).toEqual([["A101", "--steps-per-epoch"]]);
});

test("an editor default is named as the setting it is", () => {
  const r = compile("warmup 1k -> cosine\n", { defaults: { total: "1e-3" } });
  expect(r.diagnostics.map((d) => [d.code, d.origin])).toEqual([["A104", { option: "anneal.defaults.total", text: "1e-3", range: { start: 0, end: 4 } }]]);
});

test("an empty option is refused on the option", () => {
  const r = compile("warmup 1k -> cosine\n", { overrides: { total: "" } });
  expect(r.diagnostics.map((d) => [d.code, d.message, d.origin?.option])).toEqual([["A112", "an empty value is not a duration, such as `200k`, `90 epochs` or `300B tokens`", "--total"]]);
});

test("durations written in an option are not annotated in the file", () => {
  const r = compile("warmup 1k -> cosine\n", { overrides: { total: "20k" } });
  expect(r.schedules[0]!.durations.map((d) => d.range)).toEqual([{ start: 7, end: 9 }]);
});

test("lint levels: an unknown code or lowering an error is A114 on the option, and is ignored", () => {
  const r = compile("total 10k\nwarmup 1e-3 -> cosine\n", { lint: { A999: "off", A104: "off", A305: "loud" as "off" } });
  expect(r.diagnostics.map((d) => [d.code, d.severity, d.message, d.origin?.option, d.origin?.text])).toEqual([
    ["A114", "warning", "there is no diagnostic A999 (the codes are listed in docs/diagnostics.md); this setting is ignored", "--lint", "A999=off"],
    ["A114", "warning", "A104 is an error, and errors cannot be silenced: a schedule with an error cannot be evaluated; this setting is ignored", "--lint", "A104=off"],
    ["A114", "warning", "`loud` is not a level; use off, hint, info, warning or error; this setting is ignored", "--lint", "A305=loud"],
    ["A104", "error", "`0.001` looks like a learning rate, not a duration: `warmup` needs steps (`2k`), a percent of total (`4%`) or a unit (`3 epochs`)", undefined, undefined],
  ]);
  // The ignored level leaves the warning as it was.
  const loud = compile("total 10k\nwarmup 30% -> cosine\n", { lint: { A305: "loud" as "off" } });
  expect(loud.diagnostics.map((d) => [d.code, d.severity])).toEqual([
    ["A114", "warning"],
    ["A305", "warning"],
  ]);
  const editor = compile("total 10k\ncosine\n", { lint: { A3O5: "off" }, optionNames: "settings" });
  expect(editor.diagnostics.map((d) => [d.message, d.origin])).toEqual([
    ["there is no diagnostic A3O5; did you mean A305? (the codes are listed in docs/diagnostics.md); this setting is ignored", { option: "anneal.lint.A3O5", text: "off", range: { start: 0, end: 3 } }],
  ]);
});

test("A316 on an override total sits on the option, with fixes after the file's steps_per_epoch", () => {
  const r = compile("steps_per_epoch 500\nlr 0.1\nwarmup 5 epochs -> cosine\n", { overrides: { total: "90 epochs" } });
  expect(r.diagnostics.map((d) => [d.code, d.origin?.option, d.fixes?.map((f) => f.edits)])).toEqual([
    [
      "A316",
      "--total",
      [
        [{ range: { start: 19, end: 19 }, newText: " clock steps" }],
        [{ range: { start: 19, end: 19 }, newText: " clock epochs" }],
      ],
    ],
  ]);
});

test("a lint that throws becomes A000 naming it, and the other lints still run", () => {
  const report = new Reporter(100);
  const schedule = { source: { nameRange: { start: 3, end: 9 } } } as unknown as ResolvedSchedule;
  const broken: Lint = { name: "broken", codes: ["A305"], check: () => { throw new Error("boom"); }, cases: [] };
  let ran = false;
  const after: Lint = { name: "after", codes: ["A306"], check: () => void (ran = true), cases: [] };
  runLints(schedule, report, { overrides: {}, defaults: {} }, [broken, after]);
  expect(report.diagnostics.map((d) => [d.code, d.severity, d.range, d.message])).toEqual([
    ["A000", "error", { start: 3, end: 9 }, "internal error in the lint `broken` (A305): boom; the schedule itself is unaffected, please report this file"],
  ]);
  expect(ran).toBe(true);
});
