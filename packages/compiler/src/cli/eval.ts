// `anneal eval FILE`: the rate at every step, as CSV or JSON, in shortest round-trip form.

import { didYouMean } from "../diagnostics/suggest.js";
import { createParamEvaluator } from "../evaluate.js";
import { HYPER_PARAMS } from "../ir.js";
import { type Command, CliError, exitStatusHelp, overrideHelp, overrideOptions, warningHelp, warningOptions } from "./command.js";
import { compileForCommand, lintHelp, lintOption, pickSchedule, requireValues } from "./render.js";

// Rows per evaluation and per write: small enough that one chunk of text (some 200 kB) keeps
// the process near its start-up memory, large enough that writes cost little.
const CHUNK = 1 << 13;

/** The last step `--steps` accepts: every integer up to it is exactly a double. */
const LAST_STEP = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses `A:B`, `A:`, `:B` or `A` into a half-open range of ticks. */
export function parseStepRange(spec: string | undefined, total: number, printing = true): [number, number] {
  if (spec === undefined) return [0, total];
  if (/^\s*[-−]/.test(spec) || /:\s*[-−]/.test(spec)) throw new CliError(`--steps ${spec}: steps count from 0, so a range cannot start or end below 0; write A:B with 0 <= A < B, such as 0:100`);
  const m = /^\s*(\d[\d_]*[kMB]?)?\s*(:)?\s*(\d[\d_]*[kMB]?)?\s*$/.exec(spec);
  // Read exactly (as a BigInt), then held to the steps a double numbers exactly: past
  // 2^53, `9007199254740993` read as ...992 and two rows carried the same step label.
  const num = (s: string, end: boolean) => {
    const k = s.endsWith("k") ? 1000n : s.endsWith("M") ? 1_000_000n : s.endsWith("B") ? 1_000_000_000n : 1n;
    const n = BigInt(s.replace(/[_kMB]/g, "")) * k;
    if (n > (end ? LAST_STEP + 1n : LAST_STEP))
      throw new CliError(`--steps ${spec}: ${s} is past the last step anneal can number exactly, ${LAST_STEP} (2^53 - 1)${end ? `; B may be at most ${LAST_STEP + 1n}` : ""}`);
    return Number(n);
  };
  if (!m || (!m[1] && !m[3])) throw new CliError(`--steps ${spec}: expected A:B (steps A to B-1), A:, :B or a single step A`);
  const a = m[1] ? num(m[1], false) : 0;
  const b = m[2] ? (m[3] ? num(m[3], true) : total) : a + 1;
  if (!(b > a)) throw new CliError(`--steps ${spec}: the range is empty; B must be greater than A`);
  if (printing && b - a > 1e9) throw new CliError(`--steps ${spec}: ${b - a} steps is more than eval prints (at most 1e9); narrow the range`);
  return [a, b];
}

export const evalCommand: Command = {
  name: "eval",
  summary: "print the learning rate at every step",
  help: `Usage: anneal eval FILE [--schedule NAME] [--steps A:B] [--format csv|json]

Prints the rate at each step, by default every step from 0 to total-1. Values are
printed in the shortest form that reads back to the same double. A relative schedule
(one without 'lr') prints multipliers of the optimizer's own rate; give --lr to get rates.

Options:
  --schedule NAME        the schedule to evaluate (needed when the file has several)
  --steps A:B            steps A to B-1; also A: (to total), :B, or a single step A
  --format csv|json      csv is 'step,lr' with a header (default), and a column for each
                         scheduled hyperparameter ('step,lr,momentum,weight_decay'); json
                         is one object with an array for each
${lintHelp}
${warningHelp}
${overrideHelp}

${exitStatusHelp("the file has errors, so nothing is printed")}

Examples:
  anneal eval examples/bert.anneal --steps 0:20
  anneal eval examples/gpt3.anneal --format json --steps 0:1000
  anneal eval examples/relative.anneal --lr 3e-4`,
  options: { schedule: { type: "string" }, steps: { type: "string" }, format: { type: "string" }, ...lintOption, ...warningOptions, ...overrideOptions },
  async run(args, io) {
    const format = (args.values.format as string | undefined) ?? "csv";
    if (format !== "csv" && format !== "json") throw new CliError(`anneal eval: --format must be csv or json, not '${format}'${didYouMean(format, ["csv", "json"], "'")}`);
    if (args.positionals.length !== 1) throw new CliError("anneal eval: give exactly one FILE (see anneal eval --help)");
    const file = compileForCommand(args.positionals[0]!, args, io, {}, "eval");
    if (!file) return 1;
    const s = pickSchedule(file, args.values.schedule as string | undefined);
    requireValues(file, s, "print");
    const ev = s.evaluator!;
    const [a, b] = parseStepRange(args.values.steps as string | undefined, ev.total);
    // One column per scheduled hyperparameter beside the rate, in a fixed order.
    const params = HYPER_PARAMS.flatMap((name) => {
      const pe = createParamEvaluator(s.ir!, name);
      return pe ? [{ name, ev: pe, buf: new Float64Array(Math.min(CHUNK, b - a)) }] : [];
    });
    const buf = new Float64Array(Math.min(CHUNK, b - a));
    const rows = new RowText(Math.min(CHUNK, b - a), format === "csv" ? 1 + params.length : 1);
    if (format === "csv") io.stdout(`step,lr${params.map((p) => `,${p.name}`).join("")}\n`);
    else io.stdout(`{"schedule":${JSON.stringify(s.name)},"clock":"${s.ir!.clock}","total":${ev.total},"relative":${s.ir!.relative},"start":${a},"lr":[`);
    const rate = new ValueText();
    const paramTexts = params.map(() => new ValueText());
    for (let t = a; t < b; t += CHUNK) {
      const n = Math.min(CHUNK, b - t);
      const out = n === buf.length ? buf : buf.subarray(0, n);
      ev.fillExact(out, t);
      const cols = format === "csv" ? params.map((p) => p.ev.fillExact(n === p.buf.length ? p.buf : p.buf.subarray(0, n), t)) : [];
      rows.clear();
      for (let i = 0; i < n; i++) {
        if (format === "csv") {
          rows.step(t + i);
          rows.comma();
          rows.text(rate.of(out[i]!));
          for (const [k, c] of cols.entries()) {
            rows.comma();
            rows.text(paramTexts[k]!.of(c[i]!));
          }
          rows.newline();
        } else {
          if (t + i !== a) rows.comma();
          rows.text(rate.of(out[i]!));
        }
      }
      // Awaiting a backed-up pipe keeps one chunk in memory, however long the range.
      await io.stdout(rows.done());
    }
    if (format === "json") {
      // Each hyperparameter's array follows the rate's, streamed the same way.
      for (const [k, p] of params.entries()) {
        await io.stdout(`],${JSON.stringify(p.name)}:[`);
        for (let t = a; t < b; t += CHUNK) {
          const n = Math.min(CHUNK, b - t);
          const out = p.ev.fillExact(n === p.buf.length ? p.buf : p.buf.subarray(0, n), t);
          rows.clear();
          for (let i = 0; i < n; i++) {
            if (t + i !== a) rows.comma();
            rows.text(paramTexts[k]!.of(out[i]!));
          }
          await io.stdout(rows.done());
        }
      }
      io.stdout("]}\n");
    }
    return 0;
  },
};

/**
 * The shortest round-trip text of a column's values, reusing the last one: runs of one value
 * (a constant phase, the hold past `total`) then cost no string at all.
 */
class ValueText {
  private last = Number.NaN;
  private lastText = "NaN";
  of(v: number): string {
    if (!Object.is(v, this.last)) {
      this.last = v;
      this.lastText = String(v);
    }
    return this.lastText;
  }
}

/**
 * One chunk of output rows, written as bytes into one buffer that every chunk reuses, and
 * read out as one string per chunk. Step labels are written digit by digit, so a row whose
 * value repeats allocates nothing: into a pipe, 40 million rows built as strings of a
 * string per row kept V8's young generation at its largest and the process above 100 MB.
 */
class RowText {
  private readonly bytes: Buffer;
  private at = 0;

  constructor(rows: number, columns: number) {
    // A step has at most 16 digits (2^53), a double's shortest text at most 24 characters
    // (`-2.2250738585072014e-308`); one separator after each.
    this.bytes = Buffer.allocUnsafe(rows * (17 + 25 * columns));
  }

  clear(): void {
    this.at = 0;
  }

  step(n: number): void {
    const start = this.at;
    // `%` and the division of a multiple of 10 are exact for every integer up to 2^53.
    do {
      const d = n % 10;
      this.bytes[this.at++] = 0x30 + d;
      n = (n - d) / 10;
    } while (n > 0);
    // The digits came out last first.
    for (let i = start, j = this.at - 1; i < j; i++, j--) {
      const d = this.bytes[i]!;
      this.bytes[i] = this.bytes[j]!;
      this.bytes[j] = d;
    }
  }

  text(t: string): void {
    this.at += this.bytes.write(t, this.at, "latin1");
  }

  comma(): void {
    this.bytes[this.at++] = 0x2c;
  }

  newline(): void {
    this.bytes[this.at++] = 0x0a;
  }

  done(): string {
    return this.bytes.toString("latin1", 0, this.at);
  }
}
