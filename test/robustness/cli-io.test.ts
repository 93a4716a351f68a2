// The `anneal` command line's reads and writes under hostile conditions: endless devices
// and oversized standard input (the read must stop at the source limit), standard output
// that fails (`> /dev/full`) or backs up (a slow pipe), `-o -`, outputs that name an input,
// and outputs written through a temporary file so no run leaves a half-written file.
// Work is bounded by counting bytes, never by the clock.

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CliIO } from "../../packages/compiler/src/cli/command.js";
import { nodeIO, StdoutWriter } from "../../packages/compiler/src/cli/io.js";
import { runCli } from "../../packages/compiler/src/cli/main.js";
import { MAX_SOURCE_SIZE } from "../../packages/compiler/src/compile.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "packages", "compiler", "bin", "anneal.mjs");
const dir = mkdtempSync(join(tmpdir(), "anneal io "));
const path = (name: string) => join(dir, name);
const VALID = "lr 1\ntotal 1000\nwarmup 1% -> cosine\n";

beforeAll(() => {
  spawnSync(process.execPath, [join(root, "scripts", "build.mjs")]);
  writeFileSync(path("ok.anneal"), VALID);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], opts: { input?: string; stdout?: number } = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: dir,
    input: opts.input,
    stdio: ["pipe", opts.stdout ?? "pipe", "pipe"],
    maxBuffer: 64 * 2 ** 20,
  });
}

async function runHere(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { ...nodeIO, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), finish: undefined, isTTY: false };
  const status = await runCli(args, io);
  return { status, stdout, stderr };
}

function expectOneLine(r: { status: number | null; stderr: string }, code: number, message: RegExp): void {
  expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: code, stderr: expect.stringMatching(message) });
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
}

/** Files in the test directory whose names mark them as temporary outputs. */
const temporaries = () => readdirSync(dir).filter((n) => n.endsWith(".tmp"));

describe("reads stop at the source limit", () => {
  test("a device that reports size 0 and never ends (/dev/zero) is refused", () => {
    expectOneLine(run(["check", "/dev/zero"]), 2, /\/dev\/zero: is more than anneal reads \(2 MiB\)/);
  });

  test("standard input is read no further than the limit", async () => {
    // The child is offered 64 MiB; it must stop reading (and exit) after about 2 MiB. The
    // bytes it took are counted: what the pipe accepted before the child closed it.
    const child = spawn(process.execPath, [bin, "check", "-"], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const chunk = Buffer.alloc(1 << 16, 0x23);
    let offered = 0;
    child.stdin.on("error", () => {});
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    let closed = false;
    child.on("exit", () => (closed = true));
    while (!closed && offered < 64 * 2 ** 20) {
      offered += chunk.length;
      if (!child.stdin.write(chunk)) await Promise.race([new Promise((r) => child.stdin.once("drain", r).once("close", r).once("error", r)), exited]);
    }
    child.stdin.destroy();
    expect(await exited).toBe(2);
    expect(stderr).toMatch(/^<stdin>: is more than anneal reads \(2 MiB\)/);
    // Node's stream buffers and the pipe hold a few MiB at most beyond what the child read.
    expect(offered).toBeLessThan(MAX_SOURCE_SIZE + 16 * 2 ** 20);
  });
});

describe("standard output", () => {
  test("a failed write (/dev/full) is exit 2 with a clear line, for every command", () => {
    writeFileSync(path("fmt.anneal"), "lr 1\ntotal 10\n  cosine\n");
    for (const args of [
      ["emit", "pytorch", path("ok.anneal")],
      ["eval", path("ok.anneal")],
      ["fmt", path("fmt.anneal")],
      ["plot", path("ok.anneal")],
      ["check", path("ok.anneal")],
    ]) {
      const full = openSync("/dev/full", "w");
      try {
        const r = run(args, { stdout: full });
        expectOneLine(r, 2, /^anneal: cannot write to standard output \(no space left on the device\)/);
      } finally {
        closeSync(full);
      }
    }
  });

  test("eval waits while standard output is backed up, so memory stays one chunk", async () => {
    // A stream that takes each write only when the test lets it: eval must not write the
    // next chunk before the previous one is taken.
    let pending = 0;
    let most = 0;
    let writes = 0;
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        pending += chunk.length;
        most = Math.max(most, pending);
        writes++;
        setImmediate(() => {
          pending -= chunk.length;
          cb();
        });
      },
    });
    const writer = new StdoutWriter(sink as unknown as NodeJS.WriteStream);
    let stderr = "";
    const io: CliIO = { ...nodeIO, stdout: (t) => writer.write(t), finish: () => writer.finish(), stderr: (t) => void (stderr += t), isTTY: false };
    writeFileSync(path("long.anneal"), "lr 1\ntotal 2M\ncosine\n");
    expect(await runCli(["eval", path("long.anneal")], io), stderr).toBe(0);
    expect(writes).toBeGreaterThan(10);
    // One chunk of 65,536 rows is about 1.6 MB; without waiting, all 2M rows (50 MB) queue.
    expect(most).toBeLessThan(4 * 2 ** 20);
  });

  test("`-o -` is standard output, for emit and plot", () => {
    const r = run(["emit", "pytorch", path("ok.anneal"), "-o", "-"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^"""Learning-rate schedule/);
    const p = run(["plot", path("ok.anneal"), "-o", "-"]);
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/^<svg/);
    expect(existsSync(join(dir, "-"))).toBe(false);
  });
});

describe("nothing lost", () => {
  test("-o naming an input is refused and the input is untouched, however it is spelled", async () => {
    writeFileSync(path("spec.anneal"), VALID);
    symlinkSync(path("spec.anneal"), path("link.py"));
    for (const out of [path("spec.anneal"), join(dir, ".", "spec.anneal"), path("link.py")]) {
      expectOneLine(await runHere(["emit", "pytorch", path("spec.anneal"), "-o", out]), 2, /is the input file .*spec\.anneal; anneal never writes over its input/);
    }
    writeFileSync(path("spec.svg"), VALID);
    expectOneLine(await runHere(["plot", path("spec.svg"), "-o", path("spec.svg")]), 2, /spec\.svg: is the input file/);
    expect(readFileSync(path("spec.svg"), "utf8")).toBe(VALID);
    expect(readFileSync(path("spec.anneal"), "utf8")).toBe(VALID);
  });

  test("emit tfjs refuses when the typings path is the input, and writes neither file", async () => {
    writeFileSync(path("types.d.ts"), VALID);
    expectOneLine(await runHere(["emit", "tfjs", path("types.d.ts"), "-o", path("types")]), 2, /types\.d\.ts: is the input file/);
    expect(readFileSync(path("types.d.ts"), "utf8")).toBe(VALID);
    expect(existsSync(path("types"))).toBe(false);
  });

  test("emit tfjs leaves no module behind when its typings cannot be written", async () => {
    mkdirSync(path("blocked.d.ts"));
    expectOneLine(await runHere(["emit", "tfjs", path("ok.anneal"), "-o", path("blocked.js")]), 2, /blocked\.d\.ts: cannot write \(is a directory\)/);
    expect(existsSync(path("blocked.js"))).toBe(false);
    expect(temporaries()).toEqual([]);
  });

  test("outputs replace the old file by a rename: a hard link to the old file keeps the old bytes", async () => {
    for (const [args, out] of [
      [["emit", "pytorch", path("ok.anneal"), "-o", path("out.py")], "out.py"],
      [["plot", path("ok.anneal"), "-o", path("out.svg")], "out.svg"],
      [["fmt", "--write", path("messy.anneal")], "messy.anneal"],
    ] as const) {
      writeFileSync(path(out), "lr 1\ntotal 10\n   cosine\n");
      chmodSync(path(out), 0o640);
      rmSync(path("old"), { force: true });
      linkSync(path(out), path("old"));
      const r = await runHere([...args]);
      expect(r.status, r.stderr).toBe(0);
      // Written in place, the old name would see the new bytes too.
      expect(readFileSync(path("old"), "utf8")).toBe("lr 1\ntotal 10\n   cosine\n");
      expect(readFileSync(path(out), "utf8")).not.toBe("lr 1\ntotal 10\n   cosine\n");
      // A replaced file keeps its permissions.
      expect(statSync(path(out)).mode & 0o777).toBe(0o640);
    }
    expect(temporaries()).toEqual([]);
  });
});
