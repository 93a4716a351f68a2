// The `anneal` command line: argument dispatch, the real file system and terminal, and the
// rule that a user sees one clear line and an exit code, never a stack trace.

import { type CliIO, CliError, exitStatusHelp, parseCommandArgs } from "./command.js";
import { COMMANDS } from "./commands.js";
import { nodeIO } from "./io.js";
import { closest } from "../diagnostics/suggest.js";
import { terminalText } from "./terminal-text.js";

export { nodeIO } from "./io.js";

const VERSION = "0.1.0";

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `anneal ${VERSION}: learning-rate schedules as a language

Usage: anneal COMMAND [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}
  ${"lsp".padEnd(width)}  start the language server (--stdio)

Run 'anneal COMMAND --help' for a command's options and examples.
Colour follows NO_COLOR and FORCE_COLOR, else whether the output is a terminal.

${exitStatusHelp("the input has errors (each command says which)")}`;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIO = nodeIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const names = [...COMMANDS.map((c) => c.name), "lsp"];
    // Before a command, the only options are --help and --version.
    const near = closest(name, name.startsWith("-") ? ["--help", "--version"] : names);
    const what = name.startsWith("-") ? "option" : "command";
    io.stderr(`anneal: unknown ${what} '${name}'${near ? ` (did you mean '${near}'?)` : ""}. Commands: ${names.join(", ")}. Run 'anneal --help'.\n`);
    return 2;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args.values.help) {
      io.stdout(`${cmd.help}\n`);
      return 0;
    }
    const code = await cmd.run(args, io);
    // A command's output is only done once it is written: a failed write (a full disk)
    // is exit 2 with a message, not a silent success.
    await io.finish?.();
    return code;
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`${terminalText(e.message)}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    io.stderr(`anneal ${name}: internal error: ${err?.message ?? String(e)}. Please report it with the input file.\n`);
    if (process.env.ANNEAL_DEBUG) io.stderr(`${err?.stack ?? ""}\n`);
    return 70;
  }
}

/** The process entry: exit codes, and a quiet exit when a pipe reader goes away. */
export function main(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
  });
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`anneal: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
