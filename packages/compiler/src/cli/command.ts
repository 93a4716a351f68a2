// What every `anneal` subcommand is: a name, its help text, and a run function over an
// injected I/O surface, so tests drive commands without spawning processes.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../diagnostics/suggest.js";

/** One file a command writes. */
export interface OutputFile {
  path: string;
  data: string | Uint8Array;
}

export interface CliIO {
  /**
   * Writes to standard output. A promise means the output is backed up: a command that
   * writes a lot awaits it before writing more, so memory stays bounded.
   */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
  /** Reads a source file; `-` reads standard input. Throws `CliError` with a clear message. */
  readText(path: string): string;
  /**
   * Writes files, all of them or none, refusing any that is one of `inputs` (the files the
   * command read). Throws `CliError` with a clear message.
   */
  writeFiles(outputs: readonly OutputFile[], inputs: readonly string[]): void;
  /** Waits for standard output to be written; throws `CliError` if a write failed. */
  finish?(): Promise<void>;
  /** Columns of the terminal standard output goes to, or undefined when it is not one. */
  columns?: number;
  /** True when standard output is a terminal (colour, terminal plots). */
  isTTY: boolean;
  /** Whether to colour output, after NO_COLOR and FORCE_COLOR; `isTTY` when absent. */
  color?: boolean;
}

/** A failure the user can act on: printed as one line, exit code 2 unless told otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface Command {
  name: string;
  /** One line for `anneal --help`. */
  summary: string;
  /** The full `anneal NAME --help` text, with examples. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Returns the exit code: 0 fine, 1 diagnostics with errors, 2 usage or I/O problems. */
  run(args: ParsedArgs, io: CliIO): number | Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Flags every command that compiles a file accepts. */
export const overrideOptions = {
  total: { type: "string" },
  lr: { type: "string" },
  "steps-per-epoch": { type: "string" },
  "tokens-per-step": { type: "string" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export const overrideHelp = `Overrides (win over the file's own settings):
  --total D              total duration, e.g. 200k, "90 epochs", "300B tokens"
  --lr R                 peak learning rate, e.g. 3e-4
  --steps-per-epoch N    optimizer steps in one epoch
  --tokens-per-step N    tokens in one optimizer step`;

/**
 * The `Exit status:` paragraph of a command's help. Every command uses the same codes; `one`
 * says what makes this command exit 1.
 */
export function exitStatusHelp(one: string): string {
  return `Exit status:
  0   success
  1   ${one}
  2   a usage or I/O problem: an unknown command or option, a bad value, a missing file
  70  an internal error in anneal (please report it with the input file)`;
}

/** `--warnings-as-errors` and `-W error`, for every command that compiles a file. */
export const warningOptions = {
  "warnings-as-errors": { type: "boolean" },
  warnings: { type: "string", short: "W" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export const warningHelp = `  -W error, --warnings-as-errors
                         treat warnings as errors (exit 1 when there are any)`;

/** Whether the command line asked for warnings to count as errors. */
export function warningsAsErrors(args: ParsedArgs, command: string): boolean {
  const w = args.values.warnings;
  if (w !== undefined && w !== "error") throw new CliError(`anneal ${command}: -W ${String(w)}: the only level is 'error' (-W error treats warnings as errors)`);
  return w === "error" || args.values["warnings-as-errors"] === true;
}

/**
 * Parses a command's arguments with Anneal's own messages: an unknown option gets a
 * did-you-mean, a missing value says what to give, and a value that starts with `-` (a
 * negative number, a range such as `-3:2`) is read as the value, so the command itself can
 * say what is wrong with it.
 */
export function parseCommandArgs(cmd: Command, argv: string[]): ParsedArgs {
  const options = { ...cmd.options, help: { type: "boolean", short: "h" } } as NonNullable<ParseArgsConfig["options"]>;
  const shorts = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const usage = `Run 'anneal ${cmd.name} --help' for usage.`;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      args.push(...argv.slice(i));
      break;
    }
    let name: string | undefined;
    let inline = false;
    if (a.startsWith("--")) {
      name = a.slice(2).split("=")[0]!;
      inline = a.includes("=");
      if (!Object.hasOwn(options, name)) {
        const near = closest(name, Object.keys(options));
        throw new CliError(`anneal ${cmd.name}: unknown option '--${name}'${near ? `; did you mean '--${near}'?` : ""} ${usage}`);
      }
    } else if (a.startsWith("-") && a.length > 1 && !/^-[\d.]/.test(a)) {
      const short = a.slice(1, 2);
      name = shorts.get(short);
      if (name === undefined) throw new CliError(`anneal ${cmd.name}: unknown option '-${short}' ${usage}`);
      inline = a.length > 2;
    }
    if (name === undefined || options[name]!.type !== "string" || inline) {
      args.push(a);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new CliError(`anneal ${cmd.name}: ${a} needs a value. ${usage}`);
    // `--steps -3:2`: the value is what follows, whatever it starts with, so it is passed
    // joined to its option (`--steps=-3:2`, `-o-file`).
    args.push(a.startsWith("--") ? `${a}=${value}` : `${a}${value}`);
    i++;
  }
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new CliError(`anneal ${cmd.name}: ${msg}. ${usage}`);
  }
}

/** The override flags of a parsed command line, in the shape `compile()` takes. */
export function overridesFrom(args: ParsedArgs): {
  total?: string;
  lr?: string;
  stepsPerEpoch?: string;
  tokensPerStep?: string;
} {
  const v = args.values;
  const out: Record<string, string> = {};
  if (typeof v.total === "string") out.total = v.total;
  if (typeof v.lr === "string") out.lr = v.lr;
  if (typeof v["steps-per-epoch"] === "string") out.stepsPerEpoch = v["steps-per-epoch"];
  if (typeof v["tokens-per-step"] === "string") out.tokensPerStep = v["tokens-per-step"];
  return out;
}
