// The `anneal` command line's real file system and terminal: the one place that reads
// source files and standard input, writes output files and standard output, and turns every
// failure of those into one clear line (a `CliError`).
//
// Its promises: a read never holds more than the source limit, whatever the input reports
// about its size (a device such as /dev/zero reports 0, standard input reports nothing);
// standard output is written with backpressure, so a long `eval` into a pipe runs in
// constant memory, and a failed write (`> /dev/full`) is exit 2, not silence; every file is
// written to a temporary file beside it and renamed into place, all outputs of one command or
// none of them, and never over a file the command read.

import { colorFromEnv } from "./render.js";
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MAX_SOURCE_SIZE } from "../compile.js";
import { type CliIO, CliError, type OutputFile } from "./command.js";

const MAX_SHOWN = "2 MiB";

/** How a source's name reads in messages: standard input is `<stdin>`. */
export function shownPath(path: string): string {
  return path === "-" ? "<stdin>" : path;
}

function errnoText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory; give a .anneal file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return `cannot read (${e.code ?? e.message})`;
  }
}

/** Source bytes as text: UTF-8 only, a leading byte-order mark dropped, binary refused. */
export function decodeSource(bytes: Uint8Array, path: string): string {
  if (bytes.includes(0)) throw new CliError(`${path}: looks like a binary file, not an Anneal schedule`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\ufeff/, "");
  } catch {
    throw new CliError(`${path}: is not UTF-8 text`);
  }
}

/** Sleeps the thread briefly: a non-blocking standard input has nothing to read yet. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads an open descriptor to its end, but never more than the source limit plus one
 * byte: past the limit the read stops and the input is refused, so an endless device or a
 * huge pipe costs at most 2 MiB of memory.
 */
export function readBounded(fd: number, shown: string, limit = MAX_SOURCE_SIZE): Uint8Array {
  const buf = Buffer.alloc(limit + 1);
  let used = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, used, buf.length - used, null);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "EAGAIN") {
        pause(5);
        continue;
      }
      if (err.code === "EOF") break;
      throw new CliError(`${shown}: ${errnoText(err)}`);
    }
    if (n === 0) break;
    used += n;
    if (used > limit) throw new CliError(`${shown}: is more than anneal reads (${MAX_SHOWN}); it stopped reading there`);
  }
  return buf.subarray(0, used);
}

/** Reads a source file, or standard input for `-`, within the source limit. */
export function readSource(path: string): string {
  const shown = shownPath(path);
  if (path === "-") return decodeSource(readBounded(0, shown), shown);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new CliError(`${path}: ${errnoText(e as NodeJS.ErrnoException)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new CliError(`${path}: ${errnoText({ code: "EISDIR" } as NodeJS.ErrnoException)}`);
    // A regular file says its size, so a big one is refused before any of it is read; a
    // device or a pipe says 0 and is bounded by the read itself.
    if (st.isFile() && st.size > MAX_SOURCE_SIZE) throw new CliError(`${path}: is ${st.size} bytes, more than anneal reads (${MAX_SHOWN})`);
    return decodeSource(readBounded(fd, path), path);
  } finally {
    closeSync(fd);
  }
}

function writeErrorText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "ENOENT":
      return "no such directory";
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return "permission denied";
    case "ENOSPC":
      return "no space left on the device";
    case "EISDIR":
      return "is a directory";
    default:
      return e.code ?? e.message;
  }
}

/** The identity of an existing file (device and inode), or undefined when there is none. */
function identity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output that is one of the command's inputs, by file identity, so a symbolic
 * link, a hard link or `./spec.anneal` for `spec.anneal` are caught too: `anneal emit
 * pytorch spec.anneal -o spec.anneal` used to replace the spec with Python.
 */
export function refuseInputsAsOutputs(outputs: readonly OutputFile[], inputs: readonly string[]): void {
  const read = new Map<string, string>();
  for (const p of inputs) {
    if (p === "-") continue;
    const id = identity(p);
    if (id !== undefined) read.set(id, p);
  }
  for (const o of outputs) {
    const id = identity(o.path);
    const input = id === undefined ? undefined : read.get(id);
    if (input !== undefined)
      throw new CliError(`${o.path}: is the input file ${input}; anneal never writes over its input. Give another output name with -o`);
  }
}

/**
 * Writes every output through a temporary file beside it, then renames each into place:
 * an interrupted or concurrent run never leaves a half-written file, and when any output
 * cannot be written none of them is replaced (the temporary files are removed).
 */
export function writeFilesAtomically(outputs: readonly OutputFile[], inputs: readonly string[]): void {
  refuseInputsAsOutputs(outputs, inputs);
  const temps: { temp: string; path: string }[] = [];
  const cleanup = () => {
    for (const t of temps) {
      try {
        unlinkSync(t.temp);
      } catch {
        // Already renamed or never created: nothing to remove.
      }
    }
  };
  try {
    for (const o of outputs) {
      const temp = join(dirname(o.path), `.${basename(o.path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
      let mode = 0o666;
      try {
        const st = statSync(o.path);
        if (st.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
        // A rewritten file keeps its permissions (fmt --write on an executable script).
        mode = st.mode & 0o7777;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw Object.assign(e as Error, { output: o.path });
      }
      let fd: number;
      try {
        fd = openSync(temp, "wx", mode);
      } catch (e) {
        throw Object.assign(e as Error, { output: o.path });
      }
      temps.push({ temp, path: o.path });
      try {
        const bytes = typeof o.data === "string" ? Buffer.from(o.data, "utf8") : o.data;
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
        fsyncSync(fd);
      } catch (e) {
        throw Object.assign(e as Error, { output: o.path });
      } finally {
        closeSync(fd);
      }
    }
    for (const t of temps) {
      try {
        renameSync(t.temp, t.path);
      } catch (e) {
        throw Object.assign(e as Error, { output: t.path });
      }
    }
  } catch (e) {
    cleanup();
    if (e instanceof CliError) throw e;
    const err = e as NodeJS.ErrnoException & { output?: string };
    throw new CliError(`${err.output ?? outputs[0]?.path ?? "output"}: cannot write (${writeErrorText(err)})`);
  }
}

/**
 * Standard output with backpressure and failure detection. A write that the stream cannot
 * take at once returns a promise that settles on `drain`; the first failed write (other
 * than a reader that went away, which the process entry treats as a quiet exit) makes every
 * later write, and `finish`, throw a `CliError`.
 */
export class StdoutWriter {
  private failure: NodeJS.ErrnoException | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") this.failure ??= e;
    });
  }

  private check(): void {
    // A write to a file fails synchronously but is reported on the next tick; the stream's
    // own `errored` already holds it, so a long loop of writes stops at the first failure.
    const errored = this.stream.errored as NodeJS.ErrnoException | null;
    const failure = this.failure ?? (errored && errored.code !== "EPIPE" ? errored : undefined);
    if (failure !== undefined) throw new CliError(`anneal: cannot write to standard output (${writeErrorText(failure)})`);
  }

  write(text: string): void | Promise<void> {
    this.check();
    if (this.stream.write(text)) return;
    return new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("error", done);
        this.stream.off("close", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("error", done);
      this.stream.on("close", done);
    });
    // A failure while waiting is reported by the next write or by `finish`, so a caller
    // that does not await (one small text) never leaves a rejected promise behind.
  }

  /** Waits until everything written has reached the descriptor; throws if any of it failed. */
  async finish(): Promise<void> {
    this.check();
    if (this.stream.destroyed) return;
    await new Promise<void>((resolve) => this.stream.write("", () => resolve()));
    this.check();
  }
}

let stdoutWriter: StdoutWriter | undefined;

/** The writer of this process's standard output, created on first use. */
function processStdout(): StdoutWriter {
  return (stdoutWriter ??= new StdoutWriter());
}

/** The real file system and terminal, as the commands see them. */
export const nodeIO: CliIO = {
  stdout: (t) => processStdout().write(t),
  stderr: (t) => void process.stderr.write(t),
  readText: readSource,
  writeFiles: writeFilesAtomically,
  finish: () => processStdout().finish(),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  isTTY: Boolean(process.stdout.isTTY),
  color: colorFromEnv(process.env, Boolean(process.stdout.isTTY)),
};
