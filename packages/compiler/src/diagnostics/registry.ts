// Every diagnostic code Anneal reports, in one table: its default severity, a title, and a
// paragraph of documentation. `docs/diagnostics.md` is generated from this table, the
// language server links each code to its section there, and a test checks that every code
// any stage reports is listed here. Codes are never reused or renumbered.
//
// Bands: A0xx lexing and parsing, A1xx types, units and names, A2xx schedule structure,
// A3xx lints (warnings and information that can be silenced or raised per code),
// A4xx emitters.

import type { Severity, SyntaxProblem } from "@anneal/dsl";

export interface CodeInfo {
  code: string;
  severity: Severity;
  /** A short name for the problem, used as the heading in the docs. */
  title: string;
  /** What the problem is, why it matters, and what to write instead, with an example. */
  doc: string;
  /** True when the diagnostic offers a fix; a test applies each one and checks the result. */
  fix?: true;
  /** The front end's name for this problem, for the A0xx codes the parser reports. */
  syntax?: SyntaxProblem;
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
    syntax: "unexpected-character",
    severity: "error",
    fix: true,
    title: "Unexpected character",
    doc: "The lexer met a character that is not part of the language. Anneal has no strings, no semicolons and no quotes: statements end at the end of the line, and names are written bare. Remove the character.",
  },
  A002: {
    code: "A002",
    syntax: "syntax",
    severity: "error",
    fix: true,
    title: "Syntax error",
    doc: "The parser expected something else at this place. The message says what it expected: a value after a keyword (`to 1e-6`), `->` between phases, a setting or a phase at the start of a line. The rest of the file is still checked, so one slip does not hide other problems.",
  },
  A003: {
    code: "A003",
    syntax: "unexpected-end",
    severity: "error",
    title: "Unexpected end of file",
    doc: "The file ends in the middle of something: a phase after `->`, a value after a keyword, or a `schedule` block without its closing `}`. Finish the construct.",
  },
  A004: {
    code: "A004",
    syntax: "lowercase-m",
    severity: "error",
    fix: true,
    title: "Lowercase `m` suffix",
    doc: "Magnitude suffixes are `k` (thousand), `M` (million) and `B` (billion). A lowercase `m` would read as milli in SI and as million in casual writing, so it is refused: write `10M` for ten million, or `1e-3` for a thousandth.",
  },
  A005: {
    code: "A005",
    syntax: "unit-not-allowed",
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
  A008: {
    code: "A008",
    severity: "error",
    syntax: "repeated-clause",
    title: "Part of a restart given twice",
    doc: "A `restart` clause takes each of its parts once: `restart every P [x M] [decay F] [limit N]`. Keep one of the repeated parts.",
  },
  A009: {
    code: "A009",
    severity: "error",
    syntax: "too-many-errors",
    title: "Too many syntax errors",
    doc: "After 500 syntax errors the parser stops reporting each one: it reads the rest of the file a statement at a time, keeps every statement free of errors (so their schedules are still checked), and skips the others. This one diagnostic, at the first problem not reported, says how many statements were skipped and on which line the first error is. Fix that first error and check again: a missing `}`, `->` or line break near it often breaks much of what follows, and a file with this many errors is often not a schedule file at all.",
  },
  A101: {
    code: "A101",
    severity: "error",
    fix: true,
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
    doc: "A command-line override (`--total`, `--lr`, `--steps-per-epoch`, `--tokens-per-step`) or an editor default (`anneal.defaults.total`, `anneal.defaults.lr`) is not a valid value of its kind. Options use the language's own syntax: `--total 200k`, `--total \"90 epochs\"`, `--lr 3e-4`. The diagnostic points into the option, not the file, and nothing that depends on the setting is reported on top of it.",
  },
  A113: {
    code: "A113",
    severity: "error",
    title: "Percent where a factor belongs",
    doc: "A factor such as `step by F` multiplies the rate by F. A percent there is ambiguous (`by 10%` could mean times 0.1 or minus 10%), so write the multiplier as a number: `by 0.1`, or `by 0.9` to drop by 10%.",
  },
  A119: {
    code: "A119",
    severity: "error",
    title: "Rate below the normal range",
    doc: "A learning rate (or a fraction of the peak) is above 0 but below 2.2e-308, the smallest normal double. Below it a double keeps fewer and fewer digits (5e-324 is the last step before 0), so ratios, logarithms and printed values of such a rate stop meaning anything, and no optimizer update is that small. Write 0, or a rate of at least 2.2250738585072014e-308.",
  },
  A114: {
    code: "A114",
    severity: "warning",
    title: "Invalid lint setting",
    doc: "A lint level names a code that does not exist (such as A999), a level that is not one of off, hint, info, warning and error, or tries to lower an error (`A204=off`). Errors cannot be silenced or lowered: a schedule with an error cannot be evaluated. The entry is ignored. The `anneal` command refuses such a `--lint` with exit status 2; the editor shows this warning on its `anneal.lint` setting.",
  },
  // ---- A2xx: schedule structure -------------------------------------------------------------
  A201: {
    code: "A201",
    severity: "error",
    fix: true,
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
    fix: true,
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
    doc: "`lr` sets the peak learning rate; it must be a positive, finite absolute rate such as `3e-4`. It cannot be a percent or refer to `peak`. Written `lr ?`, it needs a value after the `?` (`lr ? 3e-4`), on which the checks that read the peak run; the generated code then takes the peak as `lr=`, and a value of 0 or below passed there raises this code too.",
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
    fix: true,
    title: "Schedule without a single chain of phases",
    doc: "A schedule is one chain of phases joined by `->`. A block with no phase has nothing to evaluate; a block with two chains was probably meant to be one: join them with `->`.",
  },
  A216: {
    code: "A216",
    severity: "error",
    fix: true,
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
    doc: "`total`, and the phases of a schedule without one, must resolve to a whole number of clock ticks between 1 and 2^53 - 1 (9007199254740991). Every count below 2^53 is an exact double; from 2^53 on, neighbouring counts share a double, so `total 9007199254740993` would silently mean 9007199254740992.",
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
  A230: {
    code: "A230",
    severity: "error",
    title: "Table points out of place",
    doc: "The points of `table { D: V, ... }` count from the phase's start: the first is at 0, each later one is after the one before, and every one lies inside the phase. After the last point the rate holds until the phase ends.",
  },
  A231: {
    code: "A231",
    severity: "error",
    title: "Hyperparameter chain without a learning rate",
    doc: "A `momentum:`, `beta2:` or `weight_decay:` chain schedules a hyperparameter beside the learning rate, on the same clock and `total`. A schedule that has one also needs its learning-rate chain (unlabelled, or after `lr:`).",
  },
  A232: {
    code: "A232",
    severity: "error",
    title: "Hyperparameter chain without a start",
    doc: "A hyperparameter chain has no peak to start from: its first phase states where it starts, with `from` (or `at` for `constant`, `from` and `via` for `onecycle`): `momentum: onecycle from 0.95 via 0.85 to 0.95`, `weight_decay: cosine from 0.04 to 0.4`.",
  },
  A233: {
    code: "A233",
    severity: "error",
    title: "Hyperparameter out of range",
    doc: "A scheduled hyperparameter takes a value the optimizer cannot use: `momentum` (SGD's momentum, or Adam's first beta) and `beta2` must stay in [0, 1), and `weight_decay` at 0 or above. The message names the value and where it is reached.",
  },
  A301: {
    code: "A301",
    severity: "info",
    title: "Duration rounded",
    doc: "Every duration resolves to a whole number of clock ticks. When a percent of total, an epoch count or a token count does not land on a whole tick, it is rounded to the nearest one, and this note says by how much.",
  },
  A302: {
    code: "A302",
    severity: "warning",
    fix: true,
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
    fix: true,
    title: "Jump between phases",
    doc: "The phase's explicit `from` (or a `constant`'s `at`) differs from where the previous phase ended, and that end is only a default (a warmup's peak, a decay's 0), so the `from` most often restates it wrongly. A deliberate jump writes both of its ends: `linear 5k to 1e-4 -> cosine from 5e-4` does not warn, nor does a `from` after a phase with no target to write (a step decay, `exp ... gamma`, `rsqrt`). The first fix keeps the jump by writing where the previous phase ends (`to peak`); the second removes the `from` so the phase continues.",
  },
  A309: {
    code: "A309",
    severity: "warning",
    fix: true,
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
    fix: true,
    title: "Bare duration in a per-batch schedule with an epoch total",
    doc: "The schedule's total is in epochs but its clock ticks once per step (`clock steps`), so a bare number such as `restart every 10` means 10 steps, not 10 epochs. This is the `T_max` in epochs while stepping per batch mistake. Write the unit: `10 epochs` or `10 steps`.",
  },
  A313: {
    code: "A313",
    severity: "info",
    fix: true,
    title: "Unused name",
    doc: "A `let` is defined but never used by any schedule. Remove it, or use it.",
  },
  A314: {
    code: "A314",
    severity: "warning",
    title: "Cycle decay above 1",
    doc: "`restart every D decay F` multiplies each cycle's starting rate by F. A decay above 1 makes every cycle start higher than the last, which is rarely meant: SGDR variants use values such as `0.5`.",
  },
  A320: {
    code: "A320",
    severity: "warning",
    fix: true,
    title: "Invisible or direction-changing character",
    doc: "The source contains a Unicode bidirectional control (such as U+202E, RIGHT-TO-LEFT OVERRIDE) or a zero-width character (such as U+200B). Bidirectional controls reorder how an editor displays a line, so a comment can appear to end where it does not, or code can appear to be commented out (the \"Trojan Source\" attack); zero-width characters make two names that look the same differ. Anneal never needs either: remove the character (the fix does). Generated files show such characters from comments as escapes.",
  },
  A315: {
    code: "A315",
    severity: "info",
    fix: true,
    title: "Absolute rate in a relative schedule",
    doc: "In a relative schedule (one without `lr`) a bare number is an absolute rate, the same for every parameter group: `warmup from 1e-6` starts at 1e-6 whatever the optimizer's rate, ten thousand times the multiplier `1e-4%` a relative schedule usually means. The note sits on a bare number after `from`, a `constant`'s `at` or a warmup's `to`; the fix writes the percent. A decay's floor (`cosine to 1e-6`) is not flagged: an absolute floor is what PyTorch's `eta_min` is.",
  },
  A316: {
    code: "A316",
    severity: "warning",
    fix: true,
    title: "Epoch total with `steps_per_epoch` and no `clock`",
    doc: "The schedule's `total` is in epochs and it sets `steps_per_epoch`, but no `clock`: the clock is then the unit `total` is written in, one tick per epoch, and `steps_per_epoch` only converts durations written in steps. A training loop that calls `scheduler.step()` once per batch runs through the whole schedule in the first epochs. Add `clock steps` to step once per batch, or `clock epochs` to say per-epoch stepping is meant; each fix does one.",
  },
  A240: {
    code: "A240",
    severity: "info",
    title: "Checks that wait for run time",
    doc: "A setting written `?` (`steps_per_epoch ? 5005`, `total ?` with a preview) is given when the scheduler is built, as a keyword of the generated code (`build_scheduler(optimizer, steps_per_epoch=len(train_loader))`). Everything that depends on it (percents of `total`, epochs on a step clock, tokens, the phase that takes what remains) is resolved then, with the compiler's rounding, and every check on those durations runs again then: an error raises `AnnealError`, a `ValueError` whose text is this code and message, exactly as `anneal check --steps-per-epoch N` would print it. This note lists those checks' codes, the warnings among them (a hold at the end, A302; a long warmup, A305), which warn then as `AnnealWarning`; here they ran with the preview value, or, for a `?` with no preview, wait (A241). To see what a value gives, pass it as a flag: `anneal check FILE --steps-per-epoch 37`.",
  },
  A241: {
    code: "A241",
    severity: "info",
    title: "Setting bound at run time without a preview value",
    doc: "A setting written `?` with nothing after it (`total ?`, `steps_per_epoch ?`) is given only when the scheduler is built: the generated PyTorch, Keras and optax code requires it as a keyword (`build_scheduler(optimizer, total=args.max_steps)`; without it, a `TypeError` names the keyword). `anneal check` checks everything that does not depend on it, and the checks that do wait for run time (A240 lists them). Until it has a value there are no rates to show: `anneal eval`, `anneal plot`, the json and csv tables, the TF.js and `--native` targets and the editor's plots need one. Write a preview value after the `?` (`total ? 100k`), or give the value as a flag (`--total 100k`); with the flag everything works as with a written value.",
  },
  // ---- A4xx: emitters -------------------------------------------------------------------
  A401: {
    code: "A401",
    severity: "info",
    title: "Phase with no torch built-in",
    doc: "`anneal emit pytorch --native` composes torch's built-in schedulers wherever the composition reproduces the schedule exactly. This phase has no exact built-in, so it runs as a `LambdaLR` over the module's own closed form, and the rest of the file still uses the built-ins. Reasons include a warmup from 0 (LinearLR needs `start_factor > 0`), a phase that does not start at the peak where the built-in always does (CosineAnnealingLR, ExponentialLR, StepLR, MultiStepLR, PolynomialLR, CosineAnnealingWarmRestarts), a restart multiplier that is not a whole number or a cycle decay, a relative schedule mixing absolute values where torch only scales each group's rate (or the reverse, since `eta_min` is absolute), a `onecycle` that is not the whole schedule (OneCycleLR rewrites each group's `initial_lr`), or a shape with no built-in at all (`sqrt`, `rsqrt`, `rex`). The message names the reason. To use a built-in, change the phase (`warmup 2k linear from 0.1%` instead of from 0); the default target, `anneal emit pytorch`, is closed form throughout.",
  },
  A403: {
    code: "A403",
    severity: "error",
    title: "Hyperparameters with --native",
    doc: "`anneal emit pytorch --native` composes torch's built-in learning-rate schedulers, which set only the learning rate (OneCycleLR's and CyclicLR's own momentum cycles aside, which they tie to the rate's). A schedule with a `momentum:`, `beta2:` or `weight_decay:` chain is emitted by the default target, `anneal emit pytorch`, whose closed-form scheduler sets every scheduled hyperparameter at every step.",
  },
  A402: {
    code: "A402",
    severity: "error",
    title: "Rate table too long",
    doc: "`anneal emit json` and `anneal emit csv` write the rate at every tick, one row each, which stops being useful (and stops fitting in memory) long before a schedule's `total` can. They tabulate at most 10,000,000 rows: ticks 0 to total - 1 and the held rate at `total`, so a `total` of at most 9,999,999. For a longer schedule, print the range you need with `anneal eval FILE --steps A:B`, plot it with `anneal plot`, or emit code (`anneal emit pytorch`) that computes any step.",
  },
  A404: {
    code: "A404",
    severity: "error",
    title: "Setting bound at run time that the generated code cannot resolve",
    doc: "The generated PyTorch, Keras, optax and TF.js modules resolve at run time what depends on the settings passed to them: phase lengths, `total` and the open phase, step decays, `exp gamma` and warm restarts (growing ones too, whose largest rate is checked then), restart periods, cycles, `rsqrt` timescales, `over` spans, `onecycle` and `table` pieces, and the rate each phase ends on. A few constructs read a setting in another way: an `exp`, a decay or warm restarts that start where a decay of moving length ends, a `three phase` onecycle whose middle piece the preview's length leaves empty, and any number (not a duration) computed from a setting. A `?` setting that such a construct depends on would have its preview baked into the code, so the module is not written. Write the setting's value in the file (`steps_per_epoch 5005`), or write the construct in clock ticks. A setting written in the file is simply not accepted as a keyword in that case (the module raises a TypeError saying why).",
  },
  A406: {
    code: "A406",
    severity: "error",
    title: "Target that needs a value for a setting without a preview",
    doc: "The file writes a setting `?` with no preview value (`total ?`), and this target's output is made of numbers that depend on it: the json and csv tables are the rates themselves, and the TF.js and `--native` PyTorch modules, which take the settings through `buildSchedule(...)` and `build_scheduler(...)`, also export a schedule built from the file's values when they load. Nothing is written. Write a preview value after the `?` (`total ? 100k`), give the value as a flag (`--total 100k`), or use the `pytorch`, `keras` or `optax` target, which takes the setting as a keyword.",
  },
  A405: {
    code: "A405",
    severity: "warning",
    title: "Setting bound at run time that a target uses the preview of",
    doc: "This target's code does not take a setting the file binds at run time (`?`), so it is written with the preview value. Every code target takes `total`, `steps_per_epoch` and `tokens_per_step` (PyTorch and `--native` as `build_scheduler(optimizer, steps_per_epoch=...)`, Keras as `build_schedule(...)`, optax as `make_schedule(...)`, TF.js as `buildSchedule({ stepsPerEpoch })`), and the PyTorch, Keras, optax and TF.js targets take `lr ?` as `lr=`; `--native` composes torch's built-ins from the rates as numbers, so its peak is the preview. Emit again with the flag for the value (`--steps-per-epoch 37`, `--lr 0.2`), or use the PyTorch target.",
  },
  // ---- A5xx: Python training scripts (`anneal lint`, `anneal import`) --------------------
  A500: {
    code: "A500",
    severity: "info",
    title: "Python that does not parse",
    doc: "`anneal lint` reads the script with a Python parser that recovers from syntax errors, and this is the first place it had to. The rest of the file is still checked, but a construction inside the broken part may be missed. Run the script through `python -m py_compile FILE.py` to see Python's own message.",
  },
  A501: {
    code: "A501",
    severity: "warning",
    title: "Epoch count as the length of a per-batch scheduler",
    doc: "The scheduler's length (`T_max`, `total_iters`, `step_size`, `milestones`, `T_0`, `total_steps`) is a number of epochs, but `scheduler.step()` is called once per batch, so the whole schedule runs in the first few batches (a cosine then rises and falls again every `2 * T_max` batches). Multiply by the loader's length, `T_max=args.epochs * len(train_loader)` (the fix), or step the scheduler once per epoch, after the batch loop.",
  },
  A502: {
    code: "A502",
    severity: "warning",
    title: "Step count as the length of a per-epoch scheduler",
    doc: "The scheduler's length counts batches (it multiplies by `len(loader)`), but `scheduler.step()` is called once per epoch, so the schedule covers only a small part of its length and the rate barely moves. Give the length in epochs (`T_max=args.epochs`), or step the scheduler once per batch, inside the batch loop.",
  },
  A503: {
    code: "A503",
    severity: "warning",
    title: "Hugging Face `num_training_steps` in epochs",
    doc: "`get_linear_schedule_with_warmup`, `get_cosine_schedule_with_warmup` and `get_scheduler` take `num_training_steps` (and `num_warmup_steps`) in optimizer steps, and the script steps the scheduler once per batch, but the value passed is a number of epochs. The decay ends after that many batches and the rest of training runs at zero (linear) or rises again (cosine). Pass `num_epochs * len(train_dataloader)` (divided by the accumulation steps when there are any).",
  },
  A504: {
    code: "A504",
    severity: "warning",
    title: "Length counts batches, but the scheduler steps once per accumulation",
    doc: "The scheduler is stepped only when the optimizer is, once every `accum` batches (gradient accumulation), but its length (`total_steps`, `steps_per_epoch`, `T_max`, `num_training_steps`) counts every batch (`len(loader)`). The schedule reaches only `1/accum` of its length by the end of training; OneCycleLR never anneals. Divide by the accumulation steps: `steps_per_epoch=len(loader) // accum` (the fix).",
  },
  A505: {
    code: "A505",
    severity: "warning",
    title: "SequentialLR milestone differs from the warmup's length",
    doc: "The first milestone of `SequentialLR` is where the second scheduler takes over, and the first scheduler (a `LinearLR` or `ConstantLR` warmup) has a `total_iters` of its own. When they differ, the warmup is either cut short (the rate jumps to the next scheduler's start) or finishes early and holds. Make the milestone equal to `total_iters` (the fix).",
  },
  A506: {
    code: "A506",
    severity: "warning",
    title: "Scheduler stepped before the optimizer",
    doc: "`scheduler.step()` comes before `optimizer.step()` in the same loop body. Since PyTorch 1.1 the scheduler must be stepped after the optimizer; stepped before, the first rate of the schedule is skipped (PyTorch warns at run time). Move `scheduler.step()` after `optimizer.step()`.",
  },
  A507: {
    code: "A507",
    severity: "warning",
    title: "Scheduler stepped twice per iteration",
    doc: "The same scheduler is stepped twice in one pass of the loop (both calls unconditional), so the schedule runs twice as fast as intended. Keep one `scheduler.step()`.",
  },
  A508: {
    code: "A508",
    severity: "warning",
    title: "LinearLR or ConstantLR with its 5-step default",
    doc: "`LinearLR` defaults to `start_factor=1/3, total_iters=5`, and `ConstantLR` to `factor=1/3, total_iters=5`. Stepped once per batch, that is a warmup of five batches, which is almost never what was meant. Pass the warmup's length and start explicitly: `LinearLR(optimizer, start_factor=0.01, total_iters=warmup_steps)`.",
  },
  A509: {
    code: "A509",
    severity: "warning",
    title: "Cosine stepped past `T_max`",
    doc: "`CosineAnnealingLR` is not a one-way decay: past `T_max` it follows the same cosine back up, reaching the initial rate again at `2 * T_max`. The training loop steps it more times than `T_max`, so the end of training runs at a rising rate. Make `T_max` the number of times the scheduler is stepped (the fix uses the loop's length), or use an Anneal spec, whose schedules hold their final value.",
  },
  A510: {
    code: "A510",
    severity: "error",
    title: "ReduceLROnPlateau stepped without a metric",
    doc: "`ReduceLROnPlateau.step(metrics)` needs the monitored value, such as the validation loss; called with no argument it raises a `TypeError` at run time. Pass the metric: `scheduler.step(val_loss)`.",
  },
  A511: {
    code: "A511",
    severity: "error",
    title: "Lightning ReduceLROnPlateau without `monitor`",
    doc: "PyTorch Lightning steps a `ReduceLROnPlateau` with the value of a logged metric, and raises a `MisconfigurationException` when `configure_optimizers` does not say which: add `\"monitor\": \"val_loss\"` to the `lr_scheduler` dict.",
  },
  A512: {
    code: "A512",
    severity: "error",
    title: "Unknown Lightning `interval`",
    doc: "In a Lightning `lr_scheduler` dict, `interval` is `\"step\"` (once per optimizer step) or `\"epoch\"` (once per epoch, the default); any other value raises a `MisconfigurationException`. The fix offers the closest of the two.",
  },
  A513: {
    code: "A513",
    severity: "error",
    title: "Unknown Hugging Face scheduler name",
    doc: "`get_scheduler(name, ...)` accepts the names of transformers' `SchedulerType` (`linear`, `cosine`, `cosine_with_restarts`, `polynomial`, `constant`, `constant_with_warmup`, `inverse_sqrt`, `reduce_lr_on_plateau`, `cosine_with_min_lr`, `warmup_stable_decay`), and raises a `ValueError` for any other. The message suggests the closest.",
  },
  A514: {
    code: "A514",
    severity: "warning",
    title: "Warmup as long as training",
    doc: "The warmup (`num_warmup_steps`, `warmup_t`) is at least as long as the whole schedule (`num_training_steps`, `t_initial`), so the rate never reaches its decay. The two are often swapped, or one is in epochs and the other in steps.",
  },
  A515: {
    code: "A515",
    severity: "warning",
    title: "Scheduler stepped every batch, optimizer once per accumulation",
    doc: "`optimizer.step()` runs once every `accum` batches (gradient accumulation), but `scheduler.step()` runs on every batch, so the schedule advances `accum` times per update and ends early. Move `scheduler.step()` under the same condition as `optimizer.step()`.",
  },
  A516: {
    code: "A516",
    severity: "info",
    title: "Scheduler never stepped",
    doc: "The scheduler is constructed and assigned, but nothing in the file steps it, returns it or passes it on, so the rate never changes. Call `scheduler.step()` in the training loop, or remove it.",
  },
  A520: {
    code: "A520",
    severity: "warning",
    title: "No exact Anneal spec for this scheduler",
    doc: "`anneal import` writes a spec only when it reproduces the construction step for step; for this one it cannot (the message says why: a scheduler without an Anneal form, such as `ReduceLROnPlateau` or `ChainedScheduler`; a `CyclicLR` with a `scale_fn` of its own, or a `OneCycleLR` or `CyclicLR` given a rate per parameter group or used as a part of `SequentialLR`; a `pct_start` that no percent reads back to exactly; a `LambdaLR` whose function is not one of the simple forms; a part cut short inside `SequentialLR`). Nothing is written for it rather than an approximation. Write the schedule in Anneal by hand (docs/language.md).",
  },
  A521: {
    code: "A521",
    severity: "warning",
    title: "Value not known when importing",
    doc: "`anneal import` needs this argument's value (or the length of training) to write the spec, and could not work it out from the script: it is computed at run time, read from a file, or assigned in several places. Write the value as a literal or a single assignment, or write the spec by hand.",
  },
  A522: {
    code: "A522",
    severity: "info",
    title: "Run-time setting given a preview value",
    doc: "The schedule's length depends on a value known only when the script runs, such as `len(train_loader)`. The spec writes the setting with a preview value (`steps_per_epoch 100`, or the value of `--steps-per-epoch`) and a comment naming the Python expression; replace it, or pass the real value with `--steps-per-epoch` when evaluating or emitting.",
  },
} satisfies Record<string, CodeInfo>;
