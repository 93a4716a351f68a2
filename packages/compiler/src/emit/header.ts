// The header every generated file opens with: what it was generated from, how long the
// schedule lasts, how to step it, and the schedule's own source lines.
//
// The text is plain; each emitter wraps it in its language's docstring or comment through
// the escaping functions, so nothing here needs to know about quotes or comment markers.
// No dates or versions appear, so the same input always gives the same bytes.

import { rateAt } from "../evaluate.js";
import type { RateValue, ScheduleIR } from "../ir.js";
import { normalizeNewlines, shellWord } from "./escape.js";
import { settingsWithoutValue } from "./runtime.js";

export interface EmitOptions {
  /** Name of the source file, shown in the header (e.g. `train.anneal`). */
  source?: string;
  /** Text of the source file; the schedule's own lines are quoted in the header. */
  text?: string;
}

/** How one tick of the clock reads in prose: `optimizer step` or `epoch`. */
export function tickNoun(ir: ScheduleIR): string {
  return ir.clock === "epochs" ? "epoch" : "optimizer step";
}

/** A rate for prose: `1e-6`, or `10% of the base rate + 1e-6` in a relative schedule. */
export function describeRate(v: RateValue, ir: ScheduleIR): string {
  if (!ir.relative) return String(rateAt(v, ir.peak ?? 1));
  const parts: string[] = [];
  if (v.scale !== 0) parts.push(v.scale === 1 ? "the base rate" : `${String(v.scale * 100)}% of the base rate`);
  if (v.abs !== 0 || parts.length === 0) parts.push(String(v.abs));
  return parts.join(" + ");
}

/**
 * A name (file or schedule) for the header, on one line: names with anything beyond the
 * usual path characters are shown quoted with escapes, so a newline cannot split the header.
 */
export function displayName(name: string): string {
  return /^[\w./\\:@+ -]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The command that regenerates this file, safe to paste into a shell: names are quoted so
 * `$(...)` in a file name runs nothing, and `--` ends the options so a name that starts
 * with `-` (or holds ` -o x`) is read as the file, not as flags.
 */
function regenerateCommand(ir: ScheduleIR, opts: EmitOptions, target: string): string {
  const name = shellWord(ir.name) ?? "NAME";
  // Read from standard input: the same spec goes in the same way (`-` reads it).
  if (opts.source === "<stdin>") return `anneal emit ${target} --schedule ${name} - < SPEC.anneal`;
  const file = opts.source === undefined ? "FILE" : (shellWord(opts.source) ?? "FILE");
  return `anneal emit ${target} --schedule ${name} -- ${file}`;
}

/** The length of the schedule in prose, with the unit it was written in when that differs. */
function describeTotal(ir: ScheduleIR): string {
  // A setting written `?` with no preview leaves the length to the keywords.
  const unknown = settingsWithoutValue(ir).map((k) => `\`${k}=\``);
  if (unknown.length > 0) return `as many ${ir.clock === "epochs" ? "epochs" : "optimizer steps"} as ${unknown.join(" and ")} ${unknown.length === 1 ? "gives" : "give"} when it is built`;
  const ticks = ir.clock === "epochs" ? `${ir.total} epochs` : `${ir.total} optimizer steps`;
  if (ir.totalUnit === "tokens" && ir.tokensPerStep !== undefined) {
    return `${ticks} (${ir.total * ir.tokensPerStep} tokens at ${ir.tokensPerStep} tokens per step)`;
  }
  if (ir.totalUnit === "epochs" && ir.clock === "steps" && ir.stepsPerEpoch !== undefined) {
    return `${ticks} (${ir.total / ir.stepsPerEpoch} epochs of ${ir.stepsPerEpoch} steps)`;
  }
  return ticks;
}

/** The schedule's own source text, or undefined when the text is not available. */
export function quotedSource(ir: ScheduleIR, opts: EmitOptions): string | undefined {
  if (opts.text === undefined) return undefined;
  const { end } = ir.range;
  // The top-level schedule (named `default`) takes its settings and comments from the top
  // of the file, so its quote starts there; a named one quotes its own block.
  const start = ir.name === "default" ? 0 : ir.range.start;
  if (!(start >= 0 && end > start && end <= opts.text.length)) return undefined;
  // Widen to whole lines so the quote keeps its indentation and reads as written.
  const lineStart = opts.text.lastIndexOf("\n", start - 1) + 1;
  const nl = opts.text.indexOf("\n", end);
  const lineEnd = nl < 0 ? opts.text.length : nl;
  return normalizeNewlines(opts.text.slice(lineStart, lineEnd)).replace(/^\s*\n/, "").replace(/\s+$/, "");
}

export interface HeaderParts {
  /** The `anneal emit ...` target word, for the regenerate line. */
  target: string;
  /** Sentences on how to step this output. */
  stepping: string[];
  /** What "k" counts in "after k ... the rate is lr(k)", e.g. "calls of `scheduler.step()`". */
  afterK: string;
}

/** The header as plain lines (no comment markers). */
export function headerLines(ir: ScheduleIR, opts: EmitOptions, parts: HeaderParts): string[] {
  const file = opts.source === undefined ? undefined : displayName(opts.source);
  const lines: string[] = [];
  lines.push(`Learning-rate schedule ${JSON.stringify(ir.name)}, generated by Anneal${file === undefined ? "" : ` from ${file}`}.`);
  lines.push(`Do not edit: regenerate with \`${regenerateCommand(ir, opts, parts.target)}\`.`);
  lines.push("");
  lines.push(...parts.stepping);
  lines.push(
    `lr(0) is the rate of the first ${tickNoun(ir)}; after k ${parts.afterK} the rate is lr(k).`,
    `The schedule lasts ${describeTotal(ir)}; from then on the rate holds at ${describeRate(ir.final, ir)}.`,
  );
  if (ir.relative) {
    lines.push(
      "The schedule is relative (no `lr`): rates scale with each parameter group's own",
      "base learning rate; absolute values written in the source (such as a floor) stay absolute.",
    );
  } else {
    lines.push(`The peak learning rate is ${String(ir.peak)}; every rate is absolute.`);
  }
  const quote = quotedSource(ir, opts);
  if (quote !== undefined) {
    lines.push("", "Source:", "");
    for (const l of quote.split("\n")) lines.push(`    ${l}`);
  }
  return lines;
}
