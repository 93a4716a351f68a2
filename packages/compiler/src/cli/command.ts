// What every `anneal` subcommand is: a name, its help text, and a run function over an
// injected I/O surface, so tests drive commands without spawning processes.

import { parseArgs, type ParseArgsConfig } from "node:util";

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

export function parseCommandArgs(cmd: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...cmd.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new CliError(`anneal ${cmd.name}: ${msg}. Run 'anneal ${cmd.name} --help' for usage.`);
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
