// Every diagnostic code, triggered by the smallest schedule that shows it, with its range.
import { describe, expect, test } from "vitest";
import { compile } from "../../src/index.js";
import { checkAnnotated } from "./annotated.js";

const cases: [string, string][] = [
  [
    "clean one-liner",
    `
total 100k
lr 3e-4
warmup 4% linear -> cosine to 1e-6 restart every 12k
`,
  ],
  [
    "A001 unexpected character",
    `
lr 3e-4;
       ^ A001
total 10k
cosine
`,
  ],
  [
    "A002 a word that cannot start a line",
    `
total 10k
cosine
banana
^^^^^^ A002
`,
  ],
  [
    "A003 file ends after an arrow",
    `
total 10k
warmup 1k ->
          ^^ A003
`,
  ],
  [
    "A003 unclosed block",
    `
schedule a { total 10k
                   ^^^ A003
`,
  ],
  [
    "A004 lowercase m",
    `
total 10m
        ^ A004
cosine
`,
  ],
  [
    "A005 token clock",
    `
clock tokens
      ^^^^^^ A005
total 10k
cosine
`,
  ],
  [
    "A101 unknown name with a suggestion",
    `
let warm = 2k
    ^^^^ A313
total 100k
warmup wram -> cosine
       ^^^^ A101
`,
  ],
  [
    "A102 name defined twice",
    `
let a = 1k
let a = 2k
    ^ A102
total 10k
warmup a -> cosine
`,
  ],
  [
    "A103 duration where a rate belongs",
    `
total 10k
cosine to 5 steps
          ^^^^^^^ A103
`,
  ],
  [
    "A104 rate where a duration belongs",
    `
total 10k
warmup 1e-3 -> cosine
       ^^^^ A104
`,
  ],
  [
    "A105 percent without total",
    `
warmup 4% -> cosine 10k
       ^^ A105
`,
  ],
  [
    "A106 epochs without steps_per_epoch",
    `
total 10k
warmup 2 epochs -> cosine
       ^^^^^^^^ A106
`,
  ],
  [
    "A107 tokens without tokens_per_step",
    `
total 10k
warmup 1M tokens -> cosine
       ^^^^^^^^^ A107
`,
  ],
  [
    "A108 circular let",
    `
let a = b
    ^ A108
let b = a
total 10k
warmup a -> cosine
`,
  ],
  [
    "A108 peak inside lr",
    `
lr peak / 2
   ^^^^ A108
total 10k
cosine
`,
  ],
  [
    "A109 number too large",
    `
lr 1e400
   ^^^^^ A109
total 10k
cosine
`,
  ],
  [
    "A109 division by zero",
    `
total 10k
warmup 1k / 0 -> cosine
       ^^^^^^ A109
`,
  ],
  [
    "A110 plain number expected",
    `
total 10k
poly power 2 steps
           ^^^^^^^ A110
`,
  ],
  [
    "A111 rate times rate",
    `
lr 1e-3
total 10k
cosine to peak * peak
          ^^^^^^^^^^^ A111
`,
  ],
  [
    "A113 percent as a step factor",
    `
total 90
step by 10% every 30
        ^^^ A113
`,
  ],
  [
    "A201 clause that does not apply",
    `
total 10k
linear power 2
       ^^^^^^^ A201
`,
  ],
  [
    "A201 shape word after a non-warmup phase (missing arrow)",
    `
total 10k
linear 5k cosine
          ^^^^^^ A201
`,
  ],
  [
    "A202 clause twice",
    `
total 10k
cosine to 0 to 1e-6
            ^^^^^^^ A202
`,
  ],
  [
    "A203 two open phases",
    `
total 10k
warmup 1k -> constant -> cosine
                         ^^^^^^ A203
`,
  ],
  [
    "A204 phases past total",
    `
total 10k
warmup 4k -> constant 4k -> cosine 4k
                                   ^^ A204
`,
  ],
  [
    "A205 nothing remains",
    `
total 10k
warmup 10k -> cosine
              ^^^^^^ A205
`,
  ],
  [
    "A206 zero duration",
    `
total 10k
warmup 0 -> cosine
       ^ A206
`,
  ],
  [
    "A207 poly without power",
    `
total 10k
poly to 0
^^^^ A207
`,
  ],
  [
    "A208 exp to zero",
    `
lr 1e-3
total 10k
exp to 0
       ^ A208
`,
  ],
  [
    "A209 exp with to and gamma",
    `
lr 1e-3
total 10k
exp to 1e-5 gamma 0.9
            ^^^^^^^^^ A209
`,
  ],
  [
    "A210 rsqrt at the start",
    `
lr 1e-3
total 10k
rsqrt
^^^^^ A210
`,
  ],
  [
    "A211 negative rate",
    `
lr 1e-3
total 10k
cosine to -1e-5
          ^^^^^ A211
`,
  ],
  [
    "A212 lr not positive",
    `
lr 0
   ^ A212
total 10k
cosine
`,
  ],
  [
    "A213 setting twice",
    `
total 10k
total 20k
^^^^^ A213
cosine
`,
  ],
  [
    "A214 schedule name twice",
    `
schedule a { total 10k cosine }
schedule a { total 10k cosine }
         ^ A214
`,
  ],
  [
    "A215 schedule without phases",
    `
schedule a { total 10k }
         ^ A215
`,
  ],
  [
    "A216 a phase on a new line without an arrow",
    `
total 10k
warmup 1k
cosine 9k
^^^^^^ A216
`,
  ],
  [
    "A216 two top-level chains on separate items",
    `
total 10k
warmup 1k
lr 1e-3
cosine 9k
^^^^^^ A216
`,
  ],
  [
    "A217 open phase without total",
    `
warmup 1k -> cosine
             ^^^^^^ A217
`,
  ],
  [
    "A218 total of zero",
    `
total 0
      ^ A218
cosine
`,
  ],
  [
    "A219 restart multiplier below 1",
    `
total 10k
cosine restart every 1k x0.5
                        ^^^^ A219
`,
  ],
  [
    "A220 milestones out of order",
    `
total 90
step by 0.1 at 60, 30
                   ^^ A220
`,
  ],
  [
    "A221 no schedule",
    `
lr 1e-3
^^^^^^^ A221
`,
  ],
  [
    "A301 rounding",
    `
total 1001
warmup 0.5% -> cosine
       ^^^^ A301
`,
  ],
  [
    "A302 ends before total",
    `
total 10k
warmup 1k -> cosine 5k
             ^^^^^^^^^ A302
`,
  ],
  [
    "A303 step factor of 1",
    `
total 90
step by 1 every 30
        ^ A303
`,
  ],
  [
    "A304 peak above 1",
    `
lr 3e4
   ^^^ A304
total 10k
cosine
`,
  ],
  [
    "A305 long warmup",
    `
total 10k
warmup 30% -> cosine
       ^^^ A305
`,
  ],
  [
    "A306 decay that goes up",
    `
lr 1e-3
total 10k
linear from 1e-5 to 1e-3
                 ^^^^^^^ A306
`,
  ],
  [
    "A307 warmup that goes down",
    `
lr 1e-3
total 10k
warmup 1k from 1e-2 -> cosine
^^^^^^ A307
`,
  ],
  [
    "A308 jump between phases",
    `
lr 1e-3
total 10k
warmup 1k -> cosine from 5e-4
                    ^^^^^^^^^ A308
`,
  ],
  [
    "A309 last cycle cut short",
    `
total 100k
warmup 4% -> cosine restart every 10k
                                  ^^^ A309
`,
  ],
  [
    "A310 restart period longer than the phase",
    `
total 10k
cosine restart every 20k
                     ^^^ A310
`,
  ],
  [
    "A311 milestone past the phase end",
    `
total 90
step by 0.1 at 30, 90
                   ^^ A311
`,
  ],
  [
    "A312 bare period in a per-batch epoch schedule",
    `
total 90 epochs
steps_per_epoch 500
clock steps
cosine restart every 10
                     ^^ A312
`,
  ],
  [
    "A313 unused name",
    `
let spare = 1k
    ^^^^^ A313
total 10k
cosine
`,
  ],
  [
    "A314 cycle decay above 1",
    `
total 10k
cosine restart every 1k decay 2
                              ^ A314
`,
  ],
];

describe("diagnostics", () => {
  for (const [name, src] of cases) test(name, () => void checkAnnotated(src));
});

test("every code in the registry is exercised by a case above or by another test", async () => {
  const { CODES } = await import("../../src/index.js");
  const covered = new Set(cases.flatMap(([, src]) => [...src.matchAll(/\^+ (A\d{3})/g)].map((m) => m[1]!)));
  // Codes reached only through other entry points, each tested where it is produced.
  const elsewhere = new Set(["A000", "A006", "A007", "A112", "A401", "A402"]);
  const missing = Object.keys(CODES).filter((c) => !covered.has(c) && !elsewhere.has(c));
  expect(missing).toEqual([]);
});

test("A112: an invalid override is reported, a valid one wins over the file", () => {
  const bad = compile("total 10k\ncosine\n", { overrides: { total: "10 apples" } });
  expect(bad.diagnostics.map((d) => d.code)).toContain("A112");
  const good = compile("total 10k\ncosine\n", { overrides: { total: "90 epochs", stepsPerEpoch: 10 } });
  expect(good.hasErrors).toBe(false);
  expect(good.schedules[0]!.ir!.total).toBe(90);
  expect(good.schedules[0]!.ir!.clock).toBe("epochs");
});

test("lint levels: warnings can be silenced or raised, errors cannot be lowered", () => {
  const src = "total 10k\nwarmup 30% -> cosine\n";
  expect(compile(src).diagnostics.map((d) => d.severity)).toEqual(["warning"]);
  expect(compile(src, { lint: { A305: "off" } }).diagnostics).toEqual([]);
  expect(compile(src, { lint: { A305: "error" } }).hasErrors).toBe(true);
  const err = compile("total 10k\nwarmup 1e-3 -> cosine\n", { lint: { A104: "off" } });
  expect(err.diagnostics.map((d) => [d.code, d.severity])).toEqual([["A104", "error"]]);
});

test("the three problems of the issue are three located errors", () => {
  const r = compile("schedule a { total 10k warmup 1e-3 -> cosine }\nschedule b { total 10k warmup 20k -> linear 5k -> cosine 1k }\nschedule c { warmup 1k -> cosine }\n");
  expect(r.diagnostics.map((d) => d.code)).toEqual(["A104", "A204", "A217"]);
});

test("compile never throws on garbage and keeps every range inside the text", () => {
  for (const text of ["", "}", "{{{{", "->->->", "schedule", "let = = =", "warmup warmup warmup", "\u0000\u0001", "lr (((((1", "step by", "cosine restart every x x x"]) {
    const r = compile(text);
    for (const d of r.diagnostics) {
      expect(d.range.start).toBeGreaterThanOrEqual(0);
      expect(d.range.end).toBeLessThanOrEqual(text.length);
      expect(d.range.start).toBeLessThanOrEqual(d.range.end);
    }
  }
});

test("defaults apply only where the file sets nothing; overrides win over both", () => {
  const withTotal = compile("total 10k\ncosine\n", { defaults: { total: "20k", lr: "1e-3" } });
  expect(withTotal.schedules[0]!.ir!.total).toBe(10_000);
  expect(withTotal.schedules[0]!.ir!.peak).toBe(1e-3);
  const without = compile("warmup 1k -> cosine\n", { defaults: { total: "20k" } });
  expect(without.diagnostics).toEqual([]);
  expect(without.schedules[0]!.ir!.total).toBe(20_000);
  const both = compile("total 10k\ncosine\n", { defaults: { total: "20k" }, overrides: { total: "5k" } });
  expect(both.schedules[0]!.ir!.total).toBe(5_000);
});
