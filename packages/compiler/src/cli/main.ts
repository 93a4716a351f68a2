// The `anneal` command line: argument dispatch, the real file system and terminal, and the
// rule that a user sees one clear line and an exit code, never a stack trace.

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { type CliIO, CliError, exitStatusHelp, parseCommandArgs } from "./command.js";
import { COMMANDS } from "./commands.js";
import { colorFromEnv } from "./render.js";
import { closest } from "../diagnostics/suggest.js";
import { MAX_SOURCE_SIZE } from "../compile.js";

const VERSION = "0.1.0";
const MAX_SHOWN = "2 MiB";

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

function describeFsError(path: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "ENOENT":
      return `${path}: no such file`;
    case "EISDIR":
      return `${path}: is a directory; give a .anneal file`;
    case "EACCES":
    case "EPERM":
      return `${path}: permission denied`;
    default:
      return `${path}: cannot read (${e.code ?? e.message})`;
  }
}

export function decodeSource(bytes: Uint8Array, path: string): string {
  if (bytes.includes(0)) throw new CliError(`${path}: looks like a binary file, not an Anneal schedule`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\ufeff/, "");
  } catch {
    throw new CliError(`${path}: is not UTF-8 text`);
  }
}

export const nodeIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readText(path) {
    if (path === "-") {
      try {
        const bytes = readFileSync(0);
        if (bytes.length > MAX_SOURCE_SIZE) throw new CliError(`<stdin>: is ${bytes.length} bytes, more than anneal reads (${MAX_SHOWN})`);
        return decodeSource(bytes, "<stdin>");
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(`<stdin>: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
    try {
      const st = statSync(path);
      if (st.isDirectory()) throw Object.assign(new Error("dir"), { code: "EISDIR" });
      if (st.size > MAX_SOURCE_SIZE) throw new CliError(`${path}: is ${st.size} bytes, more than anneal reads (${MAX_SHOWN})`);
      return decodeSource(readFileSync(path), path);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(describeFsError(path, e as NodeJS.ErrnoException));
    }
  },
  writeFile(path, data) {
    try {
      writeFileSync(path, data);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new CliError(`${path}: cannot write (${err.code === "ENOENT" ? "no such directory" : err.code === "EACCES" ? "permission denied" : (err.code ?? err.message)})`);
    }
  },
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  isTTY: Boolean(process.stdout.isTTY),
  color: colorFromEnv(process.env, Boolean(process.stdout.isTTY)),
};

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
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`${e.message}\n`);
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
