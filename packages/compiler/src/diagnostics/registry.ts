// Every diagnostic code Anneal reports, in one table: its default severity, a title, and a
// paragraph of documentation. `docs/diagnostics.md` is generated from this table, the
// language server links each code to its section there, and a test checks that every code
// any stage reports is listed here. Codes are never reused or renumbered.
//
// Bands: A0xx lexing and parsing, A1xx types, units and names, A2xx schedule structure,
// A3xx lints (warnings and information that can be silenced or raised per code),
// A4xx emitters.

import type { Severity } from "@anneal/dsl";

export interface CodeInfo {
  code: string;
  severity: Severity;
  /** A short name for the problem, used as the heading in the docs. */
  title: string;
  /** What the problem is, why it matters, and what to write instead, with an example. */
  doc: string;
}

export const CODES = {
  // ---- A0xx: lexing and parsing ---------------------------------------------------------
  A000: {
    code: "A000",
    severity: "error",
    title: "Internal error",
    doc: "The compiler itself failed on this input. Nothing about the file is known to be wrong; please report it with the file attached. The rest of the tool keeps working.",
  },
  A001: {
    code: "A001",
    severity: "error",
    title: "Unexpected character",
    doc: "The lexer met a character that is not part of the language. Anneal has no strings, no semicolons and no quotes: statements end at the end of the line, and names are written bare. Remove the character.",
  },
  A002: {
    code: "A002",
    severity: "error",
    title: "Syntax error",
    doc: "The parser expected something else at this place. The message says what it expected: a value after a keyword (`to 1e-6`), `->` between phases, a setting or a phase at the start of a line. The rest of the file is still checked, so one slip does not hide other problems.",
  },
  A003: {
    code: "A003",
    severity: "error",
    title: "Unexpected end of file",
    doc: "The file ends in the middle of something: a phase after `->`, a value after a keyword, or a `schedule` block without its closing `}`. Finish the construct.",
  },
  A004: {
    code: "A004",
    severity: "error",
    title: "Lowercase `m` suffix",
    doc: "Magnitude suffixes are `k` (thousand), `M` (million) and `B` (billion). A lowercase `m` would read as milli in SI and as million in casual writing, so it is refused: write `10M` for ten million, or `1e-3` for a thousandth.",
  },
  A005: {
    code: "A005",
    severity: "error",
    title: "Unit not allowed here",
    doc: "`clock` takes `steps` or `epochs`, and `gamma G per ...` takes `step` or `epoch`. Token counts are converted to steps with `tokens_per_step`; they are not a clock of their own.",
  },
  A006: {
    code: "A006",
    severity: "error",
    title: "File too large",
    doc: "Anneal's tools read schedule files of at most 2 MiB: compiling takes a few hundred bytes of memory per byte of source, and no schedule needs more than a few kilobytes. The language server answers a larger document with this one diagnostic and no other feature; the `anneal` command refuses to read such a file. Split the file, or generate fewer schedules per file.",
  },
  A007: {
    code: "A007",
    severity: "warning",
    title: "Too many problems to show",
    doc: "The language server shows at most 1,000 problems per document, the first ones in the file, and then this one, which says how many more there are and of which severity. A document with that many problems is usually not a schedule file at all, or has lost a bracket or a line break near its first problem: fix the first few and the rest often go with them. `anneal check` reports every problem.",
  },
  // ---- A1xx: names, types and units ------------------------------------------------------
  A101: {
    code: "A101",
    severity: "error",
    title: "Unknown name",
    doc: "The name is not defined by a `let` in this schedule or at the top of the file. Names are defined before use with `let NAME = expr`; `peak` and `total` are built in. The message suggests a close match when there is one.",
  },
  A102: {
    code: "A102",
    severity: "error",
    title: "Name defined twice",
    doc: "Two `let`s in the same scope define the same name. A schedule's own `let` may shadow a top-level one, but within one scope each name is defined once. Rename or remove one of them.",
  },
  A103: {
    code: "A103",
    severity: "error",
    title: "Duration where a rate belongs",
    doc: "A learning rate was expected (after `lr`, `from`, `to`, `at`), but the expression is a duration such as `10k steps` or `total`. Write a rate: an absolute value such as `1e-6`, or a fraction of the peak such as `10%` or `peak / 10`.",
  },
  A104: {
    code: "A104",
    severity: "error",
    title: "Rate where a duration belongs",
    doc: "A duration was expected (after a phase keyword, `every`, `timescale`, in `total`), but the expression is a learning rate, or a number too small to count steps, such as `warmup 1e-3`. A duration is a number of steps (`2k`), a percent of total (`4%`), or a quantity with a unit (`3 epochs`, `375M tokens`).",
  },
  A105: {
    code: "A105",
    severity: "error",
    title: "Percent or `total` without a total",
    doc: "A percent in a duration position (`warmup 4%`) and the name `total` both need the schedule's `total`. Add a `total` setting (`total 100k`), or write the duration in steps.",
  },
  A106: {
    code: "A106",
    severity: "error",
    title: "Epochs without `steps_per_epoch`",
    doc: "A duration in epochs has to be converted to the clock's steps (or steps to the clock's epochs), which needs `steps_per_epoch`. Add `steps_per_epoch N` (the number of batches in an epoch), or write the duration in the clock's own unit.",
  },
  A107: {
    code: "A107",
    severity: "error",
    title: "Tokens without `tokens_per_step`",
    doc: "A duration in tokens is converted to steps by dividing by the tokens of one optimizer step. Add `tokens_per_step N` (batch size times sequence length), or write the duration in steps.",
  },
  A108: {
    code: "A108",
    severity: "error",
    title: "Circular definition",
    doc: "A `let` refers to itself, directly or through other names, or a setting refers to the value it defines (`total` inside `total`, `peak` inside `lr`). Write the value out.",
  },
  A109: {
    code: "A109",
    severity: "error",
    title: "Not a finite number",
    doc: "The value is infinite or not a number: a literal too large for a double (`1e400`), a division by zero, or an operation on such a value. Every duration and rate must be finite.",
  },
  A110: {
    code: "A110",
    severity: "error",
    title: "Plain number expected",
    doc: "A factor, power, multiplier or count was expected (`by 0.1`, `power 2`, `x2`, `decay 0.5`, `steps_per_epoch 500`), but the expression is a duration or a learning rate. Write a plain number.",
  },
  A111: {
    code: "A111",
    severity: "error",
    title: "Expression cannot be computed",
    doc: "The expression combines values in a way that has no meaning: a rate times a rate, a duration plus a rate, or, in a relative schedule (one without `lr`), a ratio of rates whose peak is only known at run time. Rewrite it with one rate and plain numbers.",
  },
  A112: {
    code: "A112",
    severity: "error",
    title: "Invalid override",
    doc: "A command-line or editor override (`--total`, `--lr`, `--steps-per-epoch`, `--tokens-per-step`) is not a valid value of its kind. Overrides use the language's own syntax: `--total 200k`, `--total \"90 epochs\"`, `--lr 3e-4`.",
  },
  A113: {
    code: "A113",
    severity: "error",
    title: "Percent where a factor belongs",
    doc: "A factor such as `step by F` multiplies the rate by F. A percent there is ambiguous (`by 10%` could mean times 0.1 or minus 10%), so write the multiplier as a number: `by 0.1`, or `by 0.9` to drop by 10%.",
  },
  // ---- A2xx: schedule structure -------------------------------------------------------------
  A201: {
    code: "A201",
    severity: "error",
    title: "Clause does not apply to this phase",
    doc: "Each phase kind takes its own clauses: `warmup D [linear|cosine|exp] [from V] [to V]`, `constant D [at V]`, `linear|cosine|sqrt D [from V] [to V]`, `cosine ... restart every D [x M] [decay F]`, `exp D [from V] (to V | gamma G per step|epoch)`, `poly D power P [from V] [to V]`, `rsqrt D [from V] [timescale D]`, `step D [from V] by F (every D | at D, D, ...)`. A shape word such as `cosine` after a phase other than `warmup` usually means a missing `->`.",
  },
  A202: {
    code: "A202",
    severity: "error",
    title: "Clause given twice",
    doc: "A phase names the same clause twice, such as two `to`s. Keep one.",
  },
  A203: {
    code: "A203",
    severity: "error",
    title: "More than one open phase",
    doc: "At most one phase of a schedule may leave out its duration: it takes what remains of `total`. With two, the split is ambiguous. Give all but one phase a duration.",
  },
  A204: {
    code: "A204",
    severity: "error",
    title: "Phases run past `total`",
    doc: "The phases' durations add up to more than `total`. Shorten a phase, or raise `total`. The diagnostic sits on the phase that crosses the end.",
  },
  A205: {
    code: "A205",
    severity: "error",
    title: "Nothing remains for the open phase",
    doc: "The phase without a duration takes what the other phases leave of `total`, but they already use all of it. Shorten the other phases, raise `total`, or give this phase a duration.",
  },
  A206: {
    code: "A206",
    severity: "error",
    title: "Duration is not positive",
    doc: "Durations are whole numbers of clock ticks, at least 1 after rounding. A duration of 0, a negative one, or one that rounds to 0 (`0.1%` of a short run) has no steps. Use a longer duration or remove the phase.",
  },
  A207: {
    code: "A207",
    severity: "error",
    title: "Required clause missing",
    doc: "Some phases need a clause to mean anything: `poly` needs `power P`; `step` needs `by F` and either `every D` or `at D, D, ...`; `exp` needs `to V` or `gamma G`. Add it.",
  },
  A208: {
    code: "A208",
    severity: "error",
    title: "Exponential through zero",
    doc: "An `exp` phase interpolates geometrically, `a * (b / a) ** p`, which needs both ends positive: it never reaches 0. Decay to a small floor instead (`exp to 1e-6`), or use `linear` or `cosine` to reach 0.",
  },
  A209: {
    code: "A209",
    severity: "error",
    title: "Conflicting clauses",
    doc: "The phase has two clauses that each fix the same thing: `to` and `gamma` on an `exp` phase, or `every` and `at` on a `step` phase. Keep one.",
  },
  A210: {
    code: "A210",
    severity: "error",
    title: "`rsqrt` needs a timescale at the start",
    doc: "An inverse square root phase is `a * sqrt(tau / (tau + t - s))`, and `tau` defaults to the phase's start step, which is the warmup length in the usual `warmup -> rsqrt`. At step 0 there is no warmup to take it from: give one with `rsqrt timescale 4000`.",
  },
  A211: {
    code: "A211",
    severity: "error",
    title: "Negative learning rate",
    doc: "A learning rate below zero turns descent into ascent. Every value of a schedule must be 0 or more.",
  },
  A212: {
    code: "A212",
    severity: "error",
    title: "Peak is not positive",
    doc: "`lr` sets the peak learning rate; it must be a positive, finite absolute rate such as `3e-4`. It cannot be a percent or refer to `peak`.",
  },
  A213: {
    code: "A213",
    severity: "error",
    title: "Setting given twice",
    doc: "A setting (`lr`, `total`, `steps_per_epoch`, `tokens_per_step`, `clock`) appears twice in the same scope. A schedule's own settings override the top-level ones, but within one scope each is set once.",
  },
  A214: {
    code: "A214",
    severity: "error",
    title: "Schedule name used twice",
    doc: "Two `schedule` blocks have the same name, so commands such as `anneal eval --schedule NAME` could not tell them apart. Rename one.",
  },
  A215: {
    code: "A215",
    severity: "error",
    title: "Schedule without a single chain of phases",
    doc: "A schedule is one chain of phases joined by `->`. A block with no phase has nothing to evaluate; a block with two chains was probably meant to be one: join them with `->`.",
  },
  A216: {
    code: "A216",
    severity: "error",
    title: "More than one top-level chain",
    doc: "Phases written at the top of a file form one anonymous schedule. Two separate chains there are ambiguous: join them with `->`, or give each its own `schedule NAME { ... }` block.",
  },
  A217: {
    code: "A217",
    severity: "error",
    title: "Open phase without a total",
    doc: "A phase without a duration takes what remains of `total`, but the schedule has no `total`. Add one (`total 100k`), or give the phase a duration.",
  },
  A218: {
    code: "A218",
    severity: "error",
    title: "Total out of range",
    doc: "`total` must resolve to a whole number of clock ticks between 1 and 2^53 (about 9e15), the largest count a double holds exactly.",
  },
  A219: {
    code: "A219",
    severity: "error",
    title: "Parameter out of range",
    doc: "A phase parameter is outside the values that make a schedule: a step factor or cycle decay must be above 0, a `poly` power above 0, a restart multiplier from 1 (cycles that shrink would never end) to 1000 (larger ones overflow before a run could reach them), `steps_per_epoch` and `tokens_per_step` above 0, and `gamma` above 0.",
  },
  A220: {
    code: "A220",
    severity: "error",
    title: "Milestones out of order",
    doc: "The milestones of `step by F at D, D, ...` count from the phase's start and must be listed in increasing order, each at least 1 step into the phase.",
  },
  A221: {
    code: "A221",
    severity: "warning",
    title: "No schedule in the file",
    doc: "The file defines settings or names but no phases, so there is nothing to evaluate, plot or emit. Add a chain of phases, such as `warmup 4% -> cosine`.",
  },
  // ---- A3xx: lints -----------------------------------------------------------------------
  A301: {
    code: "A301",
    severity: "info",
    title: "Duration rounded",
    doc: "Every duration resolves to a whole number of clock ticks. When a percent of total, an epoch count or a token count does not land on a whole tick, it is rounded to the nearest one, and this note says by how much.",
  },
  A302: {
    code: "A302",
    severity: "warning",
    title: "Schedule ends before `total`",
    doc: "Every phase has a duration and together they stop short of `total`, so the rate holds at the last value for the rest of training. If that is meant, say so with a final `-> constant`; otherwise leave one phase's duration out so it takes the remainder.",
  },
  A303: {
    code: "A303",
    severity: "warning",
    title: "Step factor of 1 or more",
    doc: "`step by F` multiplies the rate by F at every step boundary. A factor of 1 does nothing and a factor above 1 grows the rate. Step decays use factors such as `0.1` or `0.5`.",
  },
  A304: {
    code: "A304",
    severity: "warning",
    title: "Peak above 1",
    doc: "A learning rate above 1 is rare outside a few setups (large-batch SGD with LARS, some linear-scaling rules). It often means a misplaced exponent: `3e-4` written as `3e4`.",
  },
  A305: {
    code: "A305",
    severity: "warning",
    title: "Warmup longer than a quarter of training",
    doc: "A warmup usually takes 1-10% of training. One longer than a quarter of `total` spends much of the budget below the peak, and often comes from a unit slip (epochs for steps) or from a percent of the wrong total.",
  },
  A306: {
    code: "A306",
    severity: "warning",
    title: "Decay that goes up",
    doc: "A decay phase (`linear`, `cosine`, `exp`, `poly`, `sqrt`, `rsqrt`, `gamma`) ends above where it starts. Usually `from` and `to` are swapped, or the previous phase already ended below this phase's target. To rise on purpose, use `warmup`.",
  },
  A307: {
    code: "A307",
    severity: "warning",
    title: "Warmup that goes down",
    doc: "A `warmup` phase ends below where it starts. Warmups rise; to fall, use a decay phase such as `linear` or `cosine`.",
  },
  A308: {
    code: "A308",
    severity: "warning",
    title: "Jump between phases",
    doc: "The phase's explicit `from` (or a `constant`'s `at`) differs from where the previous phase ended, so the rate jumps at the boundary. If the jump is meant, keep it; otherwise remove the `from` so the phase continues from the previous value.",
  },
  A309: {
    code: "A309",
    severity: "warning",
    title: "Last restart cycle cut short",
    doc: "The phase ends in the middle of a restart cycle, so the schedule stops at the rate named in the message instead of annealing to its `to` value. Make the restart period divide the phase (the fix offers the nearest period that does), or lengthen the phase.",
  },
  A310: {
    code: "A310",
    severity: "warning",
    title: "Restart period longer than its phase",
    doc: "The first restart cycle is longer than the phase, so no restart ever happens and the cosine stops partway. This is the classic `T_max` in epochs while stepping per batch (or the other way round).",
  },
  A311: {
    code: "A311",
    severity: "warning",
    title: "Milestone never takes effect",
    doc: "A milestone of `step by F at ...` lies at or past the end of its phase, so it never changes the rate. Milestones count from the phase's start.",
  },
  A312: {
    code: "A312",
    severity: "warning",
    title: "Bare duration in a per-batch schedule with an epoch total",
    doc: "The schedule's total is in epochs but its clock ticks once per step (`clock steps`), so a bare number such as `restart every 10` means 10 steps, not 10 epochs. This is the `T_max` in epochs while stepping per batch mistake. Write the unit: `10 epochs` or `10 steps`.",
  },
  A313: {
    code: "A313",
    severity: "info",
    title: "Unused name",
    doc: "A `let` is defined but never used by any schedule. Remove it, or use it.",
  },
  A314: {
    code: "A314",
    severity: "warning",
    title: "Cycle decay above 1",
    doc: "`restart every D decay F` multiplies each cycle's starting rate by F. A decay above 1 makes every cycle start higher than the last, which is rarely meant: SGDR variants use values such as `0.5`.",
  },
  // ---- A4xx: emitters -------------------------------------------------------------------
  A401: {
    code: "A401",
    severity: "error",
    title: "No native torch mapping",
    doc: "`anneal emit pytorch --native` composes torch's built-in schedulers, and only does so when the composition reproduces the schedule exactly. This phase has no exact built-in: for example a warmup from 0 (LinearLR needs `start_factor > 0`), a phase that does not start at the peak where the built-in always does (CosineAnnealingLR, ExponentialLR, StepLR, MultiStepLR, PolynomialLR, CosineAnnealingWarmRestarts), a restart multiplier that is not a whole number or a cycle decay, a relative schedule mixing absolute values where torch only scales each group's rate (or the reverse, since `eta_min` is absolute), or a shape with no built-in at all (`sqrt`, `rsqrt`). The message names the reason. Either change the phase (`warmup 2k linear from 0.1%` instead of from 0) or use the default target, `anneal emit pytorch`, whose closed-form scheduler reproduces every schedule.",
  },
  A402: {
    code: "A402",
    severity: "error",
    title: "Rate table too long",
    doc: "`anneal emit json` and `anneal emit csv` write the rate at every tick, one row each, which stops being useful (and stops fitting in memory) long before a schedule's `total` can. They tabulate at most 10,000,000 ticks. For a longer schedule, print the range you need with `anneal eval FILE --steps A:B`, plot it with `anneal plot`, or emit code (`anneal emit pytorch`) that computes any step.",
  },
} satisfies Record<string, CodeInfo>;
