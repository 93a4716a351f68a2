// Every diagnostic code, triggered by the smallest schedule that shows it, with its range.
import { describe, expect, test } from "vitest";
import { SYNTAX_PROBLEMS } from "@anneal/dsl";
import { CODES, type CodeInfo, compile } from "../../src/index.js";
import { FILE_LINTS, LINTS } from "../../src/lints/index.js";
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
       ^ A001 error: unexpected character \`;\`: statements end at the line's end, no \`;\` is needed
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
^^^^^^ A002 error: \`banana\` cannot start a line here; expected a setting (\`lr\`, \`total\`, \`steps_per_epoch\`, \`tokens_per_step\`, \`clock\`), \`let\`, \`schedule\`, or a phase such as \`warmup\` or \`cosine\`
`,
  ],
  [
    "A002 a misspelled phase word",
    `
total 10k
cosin
^^^^^ A002 error: \`cosin\` is not a keyword; did you mean \`cosine\`?
`,
  ],
  [
    "A002 a misspelled warmup: nothing else is reported on its line",
    `
total 10k
warmpu 1k -> cosine
^^^^^^ A002 error: \`warmpu\` is not a keyword; did you mean \`warmup\`?
`,
  ],
  [
    "A002 a misspelled shape word mid-line: no second chain reported after it",
    `
total 10k
warmup 1k linaer -> cosine
          ^^^^^^ A002 error: \`linaer\` is not a keyword; did you mean \`linear\`?
`,
  ],
  [
    "A002 a misspelled setting: the schedule does not also lack a total",
    `
totl 10k
^^^^ A002 error: \`totl\` is not a keyword; did you mean \`total\`?
warmup 4% -> cosine
`,
  ],
  [
    "A002 a misspelled setting inside a block",
    `
schedule a { totl 10k  warmup 1k -> cosine }
             ^^^^ A002 error: \`totl\` is not a keyword; did you mean \`total\`?
`,
  ],
  [
    "A003 file ends after an arrow",
    `
total 10k
warmup 1k ->
          ^^ A003 error: expected a phase (\`warmup\`, \`constant\`, \`linear\`, \`cosine\`, \`exp\`, \`poly\`, \`sqrt\`, \`rsqrt\`, \`step\`, \`onecycle\`, \`cyclic\`, \`rex\`, \`table\`) but found the end of the file
`,
  ],
  [
    "A003 unclosed block",
    `
schedule a { total 10k
                   ^^^ A003 error: this \`schedule\` block is not closed: add \`}\` at its end
`,
  ],
  [
    "A004 lowercase m",
    `
total 10m
        ^ A004 error: lowercase \`m\` is not a magnitude suffix; did you mean \`10M\` (million)? Write \`e-3\` for thousandths
cosine
`,
  ],
  [
    "A005 token clock",
    `
clock tokens
      ^^^^^^ A005 error: the clock counts steps or epochs; write \`clock steps\` or \`clock epochs\` (tokens are converted with \`tokens_per_step\`)
total 10k
cosine
`,
  ],
  [
    "A101 unknown name with a suggestion",
    `
let warm = 2k
total 100k
warmup wram -> constant warm -> cosine
       ^^^^ A101 error: unknown name \`wram\`; did you mean \`warm\`?
`,
  ],
  [
    "A101 a misspelled clause word is not a missing let, and its line says nothing more",
    `
total 10k
cosine too 1e-5
       ^^^ A101 error: \`too\` is not a name or a keyword; did you mean \`to\`?
`,
  ],
  [
    "A101 a misspelled restart",
    `
total 10k
warmup 1k -> cosine restrat every 1k
                    ^^^^^^^ A101 error: \`restrat\` is not a name or a keyword; did you mean \`restart\`?
`,
  ],
  [
    "A002 a misspelled every: reported once, though both the parser and the checker see it",
    `
total 10k
cosine to 1e-6 restart evry 1k
                       ^^^^ A002 error: \`evry\` is not a keyword; did you mean \`every\`?
`,
  ],
  [
    "A101 a misspelled gamma: the phase is not also missing its clause",
    `
lr 1e-3
total 10k
exp gama 0.99
    ^^^^ A101 error: \`gama\` is not a name or a keyword; did you mean \`gamma\`?
`,
  ],
  [
    "A101 a bad total is one error: percents of it are not reported as lacking a total",
    `
total abc
      ^^^ A101 error: unknown name \`abc\`; define it first with \`let abc = ...\`
warmup 4% -> cosine
`,
  ],
  [
    "A101 a bad steps_per_epoch is one error: epochs are not reported as needing it",
    `
total 90 epochs
steps_per_epoch abc
                ^^^ A101 error: unknown name \`abc\`; define it first with \`let abc = ...\`
warmup 5 epochs -> cosine 5000 steps
`,
  ],
  [
    "A102 name defined twice",
    `
let a = 1k
let a = 2k
    ^ A102 error: \`a\` is already defined in this scope
total 10k
warmup a -> cosine
`,
  ],
  [
    "A103 duration where a rate belongs",
    `
total 10k
cosine to 5 steps
          ^^^^^^^ A103 error: \`to\` needs a learning rate, but this is a duration; write a rate such as \`1e-6\`, or a fraction of the peak such as \`10%\`
`,
  ],
  [
    "A104 rate where a duration belongs",
    `
total 10k
warmup 1e-3 -> cosine
       ^^^^ A104 error: \`0.001\` looks like a learning rate, not a duration: \`warmup\` needs steps (\`2k\`), a percent of total (\`4%\`) or a unit (\`3 epochs\`)
`,
  ],
  [
    "A105 percent without total",
    `
warmup 4% -> cosine 10k
       ^^ A105 error: \`4%\` is a percent of \`total\`, but this schedule has no \`total\`; add one, such as \`total 100k\`, or write the duration in steps
`,
  ],
  [
    "A106 epochs without steps_per_epoch",
    `
total 10k
warmup 2 epochs -> cosine
       ^^^^^^^^ A106 error: a duration in epochs needs \`steps_per_epoch\` to convert to steps; add it, such as \`steps_per_epoch 500\`
`,
  ],
  [
    "A107 tokens without tokens_per_step",
    `
total 10k
warmup 1M tokens -> cosine
       ^^^^^^^^^ A107 error: a duration in tokens needs \`tokens_per_step\` to convert to steps; add it, such as \`tokens_per_step 0.5M\`
`,
  ],
  [
    "A108 circular let",
    `
let a = b
    ^ A108 error: \`a\` is defined in terms of itself
let b = a
total 10k
warmup a -> cosine
`,
  ],
  [
    "A108 peak inside lr",
    `
lr peak / 2
   ^^^^ A108 error: \`lr\` defines the peak, so it cannot refer to \`peak\`; write the rate itself, such as \`3e-4\`
total 10k
cosine
`,
  ],
  [
    "A109 number too large",
    `
lr 1e400
   ^^^^^ A109 error: \`1e400\` is too large for a double-precision number; every rate and duration must be finite
total 10k
cosine
`,
  ],
  [
    "A109 division by zero",
    `
total 10k
warmup 1k / 0 -> cosine
       ^^^^^^ A109 error: this value is not a finite number; every rate and duration must be finite
`,
  ],
  [
    "A110 plain number expected",
    `
total 10k
poly power 2 steps
           ^^^^^^^ A110 error: \`power\` needs a plain number, but this is a duration in steps
`,
  ],
  [
    "A111 rate times rate",
    `
lr 1e-3
total 10k
cosine to peak * peak
          ^^^^^^^^^^^ A111 error: cannot multiply a learning rate by a learning rate; multiply by a plain number instead
`,
  ],
  [
    "A113 percent as a step factor",
    `
total 90
step by 10% every 30
        ^^^ A113 error: \`by\` is a multiplier; write it as a number, such as \`0.1\` (a percent here could mean "times" or "minus")
`,
  ],
  [
    "A119 a peak below the normal range of doubles (plot labels read Infinitye-323)",
    `
lr 5e-324
   ^^^^^^ A119 error: \`lr\` is 5e-324, below the smallest normal double (about 2.2e-308); write 0, or a rate of at least 1e-307
total 100
cosine
`,
  ],
  [
    "A119 a target rate below the normal range",
    `
lr 1
total 100
cosine to 1e-310
          ^^^^^^ A119 error: \`to\` is 1e-310, below the smallest normal double (about 2.2e-308); write 0, or a rate of at least 1e-307
`,
  ],
  [
    "A119 an exponential that continues from a rate a factor left below the normal range",
    `
total 100
step 50 by 5e-324 at 10 -> exp to 10%
                           ^^^ A119 error: this \`exp\` phase starts where the previous phase ended, at 5e-324 × the peak, below the smallest normal double (about 2.2e-308), and an exponential cannot start there; give it a start of at least 1e-307, such as \`from 1e-6\`
`,
  ],
  [
    "A201 clause that does not apply",
    `
total 10k
linear power 2
       ^^^^^^^ A201 error: \`power\` does not apply to a \`linear\` phase; it takes \`from\`, \`to\`, \`over\`
`,
  ],
  [
    "A201 shape word after a non-warmup phase (missing arrow)",
    `
total 10k
linear 5k cosine
          ^^^^^^ A201 error: \`cosine\` after a \`linear\` phase reads as a shape, which only \`warmup\` takes; to start a new phase write \`-> cosine\`
`,
  ],
  [
    "A202 clause twice",
    `
total 10k
cosine to 0 to 1e-6
            ^^^^^^^ A202 error: \`to\` is given twice in this phase; keep one
`,
  ],
  [
    "A203 two open phases",
    `
total 10k
warmup 1k -> constant -> cosine
                         ^^^^^^ A203 error: \`cosine\` has no duration, and neither has \`constant\` before it; at most one phase may take what remains of \`total\`
`,
  ],
  [
    "A204 phases past total",
    `
total 10k
warmup 4k -> constant 4k -> cosine 4k
                                   ^^ A204 error: the phases run to 12,000 steps, past \`total\` (10,000); shorten a phase or raise \`total\`
`,
  ],
  [
    "A205 nothing remains",
    `
total 10k
warmup 10k -> cosine
              ^^^^^^ A205 error: the other phases already take 10,000 of 10,000 steps, so nothing remains for \`cosine\`
`,
  ],
  [
    "A240 checks that wait for run time",
    `
lr 0.1
total 90 epochs
steps_per_epoch ? 5005
                ^ A240 info: \`steps_per_epoch\` is bound at run time: 5 checks that depend on it (A205, A206, A218, A219, A305) run when the generated scheduler is built, on the value passed as \`steps_per_epoch=\`; with the preview, 5,005, they pass
clock steps
warmup 5 epochs -> cosine to 0
`,
  ],
  [
    "A241 a setting bound at run time with no preview value: the checks that read it wait",
    `
lr 0.1
total ?
      ^ A240 info: \`total\` is bound at run time: 4 checks that depend on it (A204, A218, A302, A305) run when the generated scheduler is built, on the value passed as \`total=\`
      ^ A241 info: \`total\` has no preview value, so this schedule has no rates to evaluate, plot or tabulate until it has one (the generated PyTorch, Keras and optax code takes it as \`total=\`); write a preview value after the \`?\` (\`total ? 100k\`), or give the value with \`--total 100k\`
warmup 2k -> cosine 8k
`,
  ],
  [
    "A241 the checks that do not read the setting still run",
    `
lr 5
   ^ A304 warning: a peak learning rate of 5 is unusually high; did you mean 5e-4 or similar?
total 90 epochs
steps_per_epoch ?
                ^ A240 info: \`steps_per_epoch\` is bound at run time: 5 checks that depend on it (A205, A206, A218, A219, A305) run when the generated scheduler is built, on the value passed as \`steps_per_epoch=\`
                ^ A241 info: \`steps_per_epoch\` has no preview value, so this schedule has no rates to evaluate, plot or tabulate until it has one (the generated PyTorch, Keras and optax code takes it as \`steps_per_epoch=\`); write a preview value after the \`?\` (\`steps_per_epoch ? 500\`), or give the value with \`--steps-per-epoch 500\`
clock steps
warmup 5 epochs -> cosine to 0
`,
  ],
  [
    // Cycles open at 100 (1.5^k - 1) / 0.5: cycle 4 at 812.5, of 100 * 1.5^4 = 506.25 steps, so
    // the phase ends 187.5 into it, at 1e-3 + 0.099 (1 + cos(pi 187.5 / 506.25)) / 2 = 0.0701059.
    "A240 names the waiting check that the preview fails",
    `
lr 0.1
total ? 1000
      ^ A240 info: \`total\` is bound at run time: 4 checks that depend on it (A205, A218, A309, A310) run when the generated scheduler is built, on the value passed as \`total=\`; with the preview, 1,000, A309 is reported here, and the others pass
cosine to 1e-3 restart every 100 x1.5
                             ^^^ A309 warning: the phase ends 187.5 steps into a cycle of 506.25, so the schedule stops at 0.0701059 instead of annealing to 0.001
`,
  ],
  [
    "A241 a setting with no preview that a construct reads in a way the generated code does not resolve",
    `
lr 0.001
total ?
      ^ A241 info: \`total\` has no preview value, so this schedule has no rates to evaluate, plot or tabulate until it has one (a construct here reads it in a way the generated code does not resolve, so no target takes it either (A404)); write a preview value after the \`?\` (\`total ? 100k\`), or give the value with \`--total 100k\`
step 50% by 0.5 every 10% -> exp to 1e-5
`,
  ],
  [
    "A241 an error that does not read the setting is reported at once",
    `
total ?
warmup 0 -> cosine
       ^ A206 error: \`warmup\` lasts 0 steps; a phase needs at least 1
`,
  ],
  [
    "A206 zero duration",
    `
total 10k
warmup 0 -> cosine
       ^ A206 error: \`warmup\` lasts 0 steps; a phase needs at least 1
`,
  ],
  [
    "A207 poly without power",
    `
total 10k
poly to 0
^^^^ A207 error: a \`poly\` phase needs its exponent: \`poly power 2\`
`,
  ],
  [
    "A208 exp to zero",
    `
lr 1e-3
total 10k
exp to 0
       ^ A208 error: an \`exp\` phase interpolates geometrically and never reaches 0; decay to a small floor instead, such as \`to 1e-6\`, or use \`linear\` or \`cosine\` to reach 0
`,
  ],
  [
    "A209 exp with to and gamma",
    `
lr 1e-3
total 10k
exp to 1e-5 gamma 0.9
            ^^^^^^^^^ A209 error: an \`exp\` phase takes \`to\` or \`gamma\`, not both
`,
  ],
  [
    "A210 rsqrt at the start",
    `
lr 1e-3
total 10k
rsqrt
^^^^^ A210 error: \`rsqrt\` takes its timescale from its start step, which is 0 here; give one, such as \`rsqrt timescale 4000\`
`,
  ],
  [
    "A211 negative rate",
    `
lr 1e-3
total 10k
cosine to -1e-5
          ^^^^^ A211 error: a learning rate cannot be negative; \`to\` must be 0 or more
`,
  ],
  [
    "A212 lr not positive",
    `
lr 0
   ^ A212 error: \`lr\` must be above 0; it sets the peak learning rate, such as \`lr 3e-4\`
total 10k
cosine
`,
  ],
  [
    "A212 lr bound at run time with no preview value: refused rather than read as a relative schedule",
    `
lr ?
   ^ A212 error: \`lr ?\` needs a preview value: the checks that read the peak run on it; write \`lr ? 3e-4\` (the generated code takes \`lr=\`, and uses the preview without it), or pass \`--lr\`, or leave \`lr\` out for a schedule relative to each parameter group's own rate
total 10k
warmup 10% -> cosine to 1e-6
`,
  ],
  [
    "A213 setting twice",
    `
total 10k
total 20k
^^^^^ A213 error: \`total\` is set twice in this scope; keep one
cosine
`,
  ],
  [
    "A214 schedule name twice",
    `
schedule a { total 10k cosine }
schedule a { total 10k cosine }
         ^ A214 error: a schedule named \`a\` is already defined
`,
  ],
  [
    "A214 a block named default beside the top-level chain, which is the schedule default",
    `
total 10
cosine
schedule default { total 5 linear }
         ^^^^^^^ A214 error: the phases at the top of the file are already the schedule named \`default\`; rename this block, or put the top-level chain in a block of its own
`,
  ],
  [
    "A215 schedule without phases",
    `
schedule a { total 10k }
         ^ A215 error: schedule \`a\` has no phases; add a chain such as \`warmup 4% -> cosine\`
`,
  ],
  [
    "A215 a second chain in a block, with a setting between",
    `
schedule a {
  warmup 1k
  total 10k
  cosine
  ^^^^^^ A215 error: a second chain of phases in this schedule; join it to the first with \`->\`
}
`,
  ],
  [
    "A216 a phase on a new line without an arrow",
    `
total 10k
warmup 1k
cosine 9k
^^^^^^ A216 error: a second chain of phases at the top of the file; join it to the first with \`->\`, or give each its own \`schedule NAME { ... }\` block
`,
  ],
  [
    "A216 two top-level chains on separate items",
    `
total 10k
warmup 1k
lr 1e-3
cosine 9k
^^^^^^ A216 error: a second chain of phases at the top of the file; join it to the first with \`->\`, or give each its own \`schedule NAME { ... }\` block
`,
  ],
  [
    "A217 open phase without total",
    `
warmup 1k -> cosine
             ^^^^^^ A217 error: \`cosine\` has no duration, so it takes what remains of \`total\`, but this schedule has no \`total\`; add one, such as \`total 100k\`
`,
  ],
  [
    "A218 total of zero",
    `
total 0
      ^ A218 error: \`total\` resolves to 0 steps; it must be between 1 and 2^53 - 1 (9007199254740991)
cosine
`,
  ],
  [
    "A218 a total of 2^53 + 1, which a double reads as 2^53",
    `
total 9007199254740993
      ^^^^^^^^^^^^^^^^ A218 error: \`total\` resolves to 9,007,199,254,740,992 steps; it must be between 1 and 2^53 - 1 (9007199254740991)
cosine
`,
  ],
  [
    "A218 a total computed as 2^53 + 1",
    `
total 2 * 4503599627370496 + 1
      ^^^^^^^^^^^^^^^^^^^^^^^^ A218 error: \`total\` resolves to 9,007,199,254,740,992 steps; it must be between 1 and 2^53 - 1 (9007199254740991)
cosine
`,
  ],
  [
    "A218 phases that add up to 2^53 + 1",
    `
lr 1
linear 4503599627370496 -> linear 4503599627370497
                                  ^^^^^^^^^^^^^^^^ A218 error: the phases add up to 9,007,199,254,740,992 steps; a schedule lasts between 1 and 2^53 - 1 (9007199254740991)
`,
  ],
  [
    "A219 restart multiplier below 1",
    `
total 10k
cosine restart every 1k x0.5
                        ^^^^ A219 error: the restart multiplier must be at least 1: cycles that shrink would never end
`,
  ],
  [
    "A220 milestones out of order",
    `
total 90
step by 0.1 at 60, 30
                   ^^ A220 error: milestones must be in increasing order
`,
  ],
  [
    "A221 no schedule",
    `
lr 1e-3
^^^^^^^ A221 warning: this file defines no schedule; add a chain of phases, such as \`warmup 4% -> cosine\`
`,
  ],
  [
    "A230 a table that does not start at its phase's start",
    `
lr 1e-3
total 30k
table linear { 10k: 5e-4, 20k: 1e-4 }
               ^^^ A230 error: a table's first point is where its phase starts, offset 0; add a point \`0: V\` before it
`,
  ],
  [
    "A230 table points that do not rise",
    `
lr 1e-3
total 30k
table { 0: 1e-3, 20k: 5e-4, 10k: 1e-4 }
                            ^^^ A230 error: table points must rise: this one is at 10,000 steps, not after the one before (20,000)
`,
  ],
  [
    "A230 a table point past its phase",
    `
lr 1e-3
total 30k
table step { 0: 1e-3, 30k: 1e-4 }
                      ^^^ A230 error: this point is 30,000 steps into a phase of 30,000, so it is never reached; points count from the phase's start
`,
  ],
  [
    "A008 a part of a restart given twice",
    `
total 100
cosine restart every 10 limit 3 limit 4
                                ^^^^^^^ A008 error: \`limit\` is given twice in this restart; keep one
`,
  ],
  [
    "A219 a one-cycle rise that ends before it starts",
    `
lr 0.1
total 1000
onecycle up 1
            ^ A219 error: the rise of a \`onecycle\` must end after step 0 and before the end of the phase (1,000 steps); torch's OneCycleLR divides by its length. Give an \`up\` such as \`up 30%\`
`,
  ],
  [
    "A207 a cyclic phase without its low rate",
    `
lr 1e-2
total 2000
cyclic every 400
^^^^^^ A207 error: a \`cyclic\` phase needs its low rate, torch's base_lr: \`cyclic from 1e-4 every 400\`
`,
  ],
  [
    "A209 a cyclic phase scaled both per cycle and per step",
    `
lr 1e-2
total 2000
cyclic from 1e-4 every 400 decay 0.5 gamma 0.99
                                     ^^^^^^^^^^ A209 error: a \`cyclic\` phase takes \`decay\` (per cycle) or \`gamma\` (per step), not both
`,
  ],
  [
    "A219 a cycle limit that is not a whole number",
    `
lr 0.1
total 2000
cosine restart every 300 limit 2.5
                               ^^^ A219 error: \`limit\` counts whole cycles and must be at least 1, such as \`limit 3\`
`,
  ],
  [
    "A231 a momentum chain with no learning-rate chain",
    `
total 1000
momentum: onecycle from 0.95 via 0.85 to 0.95
^^^^^^^^ A231 error: a \`momentum:\` chain goes beside the learning-rate chain, and this schedule has none; add one, such as \`warmup 4% -> cosine\`
`,
  ],
  [
    "A232 a hyperparameter chain that does not say where it starts",
    `
lr 0.1
total 100
cosine
weight_decay: cosine to 0.4
              ^^^^^^ A232 error: a \`weight_decay:\` chain has no peak to start from; say where it starts, such as \`weight_decay: cosine from 0.05\`
`,
  ],
  [
    "A233 momentum that reaches 1",
    `
lr 0.1
total 100
cosine
momentum: linear from 0.9 to 1.2
          ^^^^^^^^^^^^^^^^^^^^^^ A233 error: momentum must stay in [0, 1), and this phase reaches 1.2
`,
  ],
];

/** The codes whose fixes a case applied and re-checked, for the coverage test at the end. */
const fixed = new Set<string>();

describe("diagnostics", () => {
  for (const [name, src] of cases) test(name, () => void checkAnnotated(src).fixed.forEach((c) => fixed.add(c)));
});

// Each lint's cases live in its module (src/lints/), beside its check and messages.
const ALL_LINTS = [...LINTS, ...FILE_LINTS];

describe("lints", () => {
  for (const lint of ALL_LINTS)
    for (const c of lint.cases) test(`${lint.name}: ${c.name}`, () => void checkAnnotated(c.source).fixed.forEach((code) => fixed.add(code)));
});

const allSources = () => [...cases.map(([, src]) => src), ...ALL_LINTS.flatMap((l) => l.cases.map((c) => c.source))];

test("every code in the registry is exercised by a case above or by another test", () => {
  const covered = new Set(allSources().flatMap((src) => [...src.matchAll(/\^+ (A\d{3})/g)].map((m) => m[1]!)));
  // Codes reached only through other entry points, each tested where it is produced.
  const elsewhere = new Set(["A000", "A006", "A007", "A009", "A112", "A114", "A401", "A402", "A403", "A404", "A405", "A406"]);
  // The Python lints (A5xx) are each held to a script of test/lint/corpus.
  const missing = Object.keys(CODES).filter((c) => !c.startsWith("A5") && !covered.has(c) && !elsewhere.has(c));
  expect(missing).toEqual([]);
});

test("every code that offers a fix had a fix applied and re-checked clean, and only those", () => {
  const claimed = Object.values(CODES as Record<string, CodeInfo>).filter((c) => c.fix).map((c) => c.code).sort();
  expect([...fixed].sort()).toEqual(claimed);
});

test("every problem the front end names has one code in the registry, and it is an error", () => {
  for (const p of SYNTAX_PROBLEMS) {
    const codes = Object.values(CODES as Record<string, CodeInfo>).filter((c) => c.syntax === p);
    expect(codes.map((c) => [c.code.slice(0, 2), c.severity]), p).toEqual([["A0", "error"]]);
  }
});

test("every lint code (A3xx) has its home in a lint module", () => {
  const owned = new Set<string>(ALL_LINTS.flatMap((l) => l.codes));
  const homeless = Object.keys(CODES).filter((c) => c.startsWith("A3") && !owned.has(c));
  expect(homeless).toEqual([]);
});

test("each lint reports only its own codes, and each lint code has one lint", () => {
  const owner = new Map<string, string>();
  for (const lint of ALL_LINTS)
    for (const code of lint.codes) {
      expect(owner.get(code), code).toBeUndefined();
      owner.set(code, lint.name);
    }
  for (const lint of ALL_LINTS)
    for (const c of lint.cases) for (const m of c.source.matchAll(/\^+ (A\d{3})/g)) expect(lint.codes, `${lint.name}: ${c.name}`).toContain(m[1]);
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
  expect(err.diagnostics.map((d) => [d.code, d.severity])).toEqual([
    ["A114", "warning"],
    ["A104", "error"],
  ]);
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
