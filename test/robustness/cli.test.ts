// The `anneal` command line under bad input: files a user might hand it (unreadable, not
// UTF-8, too large, a directory, missing, behind a path with spaces), run in-process on the
// real file system, and standard input and a pipe that closes early, run through the real
// executable; then random command lines,
// run in-process, which must each end with exit code 0, 1 or 2 and one clear message, never
// an internal error (exit 70). The basic cases (a missing file, an empty one, a binary one,
// a directory for `check`) are in packages/compiler/test/cli/cli.test.ts.

import fc from "fast-check";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CliError, type CliIO } from "../../packages/compiler/src/cli/command.js";
import { nodeIO, runCli } from "../../packages/compiler/src/cli/main.js";
import { tokenText } from "./inputs.js";
import { validProgram } from "./programs.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "packages", "compiler", "bin", "anneal.mjs");
const seed = Number(process.env.ANNEAL_FUZZ_SEED ?? 20_240_917);
const dir = mkdtempSync(join(tmpdir(), "anneal robust "));
const VALID = "lr 1\ntotal 1M\nwarmup 1% -> cosine\n";

beforeAll(() => {
  if (!existsSync(join(root, "packages", "compiler", "dist", "anneal.mjs"))) execFileSync(process.execPath, [join(root, "scripts", "build.mjs")]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input?: string | Buffer) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", input, cwd: dir, maxBuffer: 64 * 2 ** 20 });
}

/**
 * The command line in-process, on the real file system (`nodeIO`) but with its output
 * captured: the same code path as the executable, without a process start per case.
 */
async function runHere(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { ...nodeIO, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false };
  const status = await runCli(args, io);
  return { status, stdout, stderr };
}

/** One line on standard error, no stack trace, and the expected exit code. */
function expectOneLine(r: { status: number | null; stderr: string }, code: number, message: RegExp): void {
  expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: code, stderr: expect.stringMatching(message) });
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("files, standard input and pipes", () => {
  const path = (name: string) => join(dir, name);

  test("a file without read permission (skipped as root, which reads it anyway)", async (ctx) => {
    writeFileSync(path("locked.anneal"), VALID);
    chmodSync(path("locked.anneal"), 0o000);
    if (process.getuid?.() === 0) ctx.skip("running as root: permissions do not stop root from reading the file");
    expectOneLine(await runHere(["check", path("locked.anneal")]), 2, /permission denied/);
  });

  test("text that is not UTF-8, from a file and from standard input", async () => {
    writeFileSync(path("latin1.anneal"), Buffer.from("lr 1 # caf\xe9\n", "latin1"));
    expectOneLine(await runHere(["check", path("latin1.anneal")]), 2, /is not UTF-8 text/);
    expectOneLine(run(["eval", "-"], Buffer.from([0x6c, 0x72, 0x20, 0xff, 0xfe])), 2, /<stdin>: is not UTF-8 text/);
  });

  test("a binary file on standard input", () => {
    expectOneLine(run(["fmt", "-"], Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])), 2, /<stdin>: looks like a binary file/);
  });

  test("a byte-order mark is read past", async () => {
    writeFileSync(path("bom.anneal"), `\ufeff${VALID}`);
    const r = await runHere(["check", path("bom.anneal")]);
    expect([r.status, r.stdout]).toEqual([0, "1 file checked: no problems\n"]);
  });

  test("files and standard input over 2 MiB: refused with their size, before compiling", async () => {
    const big = `${VALID}${"#".repeat(2 * 2 ** 20)}\n`;
    writeFileSync(path("huge.anneal"), big);
    expectOneLine(await runHere(["check", path("huge.anneal")]), 2, /is \d+ bytes, more than anneal reads \(2 MiB\)/);
    expectOneLine(run(["eval", "-"], big), 2, /<stdin>: is more than anneal reads \(2 MiB\)/);
  });

  test("an empty standard input: checks clean; has no schedule to evaluate", () => {
    expect(run(["check", "-"], "").stdout).toBe("1 file checked: no problems\n");
    expectOneLine(run(["eval", "-"], ""), 1, /defines no schedule/);
  });

  test("a directory or a missing file, for every command that reads one", async () => {
    mkdirSync(path("a dir.anneal"), { recursive: true });
    for (const cmd of [["eval"], ["fmt"], ["plot"], ["emit", "pytorch"], ["check"]]) {
      expectOneLine(await runHere([...cmd, path("a dir.anneal")]), 2, /is a directory/);
      expectOneLine(await runHere([...cmd, path("nothing here.anneal")]), 2, /no such file/);
    }
  });

  test("paths with spaces, read and written", () => {
    mkdirSync(path("out dir"), { recursive: true });
    writeFileSync(path("my schedule.anneal"), "lr 1\ntotal 10\n  warmup 2   ->   cosine\n");
    expect(run(["eval", path("my schedule.anneal"), "--steps", "0:2"]).stdout).toBe("step,lr\n0,0\n1,0.5\n");
    expect(run(["fmt", "--write", path("my schedule.anneal")]).status).toBe(0);
    expect(readFileSync(path("my schedule.anneal"), "utf8")).toBe("lr 1\ntotal 10\nwarmup 2 -> cosine\n");
    expect(run(["plot", path("my schedule.anneal"), "-o", path("out dir/a plot.svg")]).status).toBe(0);
    expect(readFileSync(path("out dir/a plot.svg"), "utf8")).toMatch(/^<svg/);
    expect(run(["emit", "tfjs", path("my schedule.anneal"), "-o", path("out dir/a module.mjs")]).status).toBe(0);
    expect(existsSync(path("out dir/a module.d.mts"))).toBe(true);
  });

  test("writing into a directory that does not exist", async () => {
    writeFileSync(path("ok.anneal"), VALID);
    expectOneLine(await runHere(["emit", "pytorch", path("ok.anneal"), "-o", path("no such dir/x.py")]), 2, /cannot write \(no such directory\)/);
  });

  test("`anneal fmt --write` leaves a file with syntax errors untouched", async () => {
    writeFileSync(path("broken.anneal"), "lr 1\ntotal 10\nwarmup ( -> cosine\n");
    const r = await runHere(["fmt", "--write", path("broken.anneal")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not formatted, it has syntax errors/);
    expect(readFileSync(path("broken.anneal"), "utf8")).toBe("lr 1\ntotal 10\nwarmup ( -> cosine\n");
  });

  test("`anneal eval` piped into `head -1` exits quietly", () => {
    writeFileSync(path("long.anneal"), VALID);
    const r = spawnSync("bash", ["-c", 'set -o pipefail; node "$0" eval "$1" | head -1', bin, path("long.anneal")], { encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: "step,lr\n", stderr: "" });
  });

  test("a PNG too large to allocate: refused at once (it ran for minutes)", async () => {
    writeFileSync(path("ok.anneal"), VALID);
    expectOneLine(await runHere(["plot", path("ok.anneal"), "-o", path("big.png"), "--width", "10000", "--height", "10000", "--scale", "8"]), 2, /million pixels; at most 40 million/);
  });

  test("`anneal emit toString FILE`: an unknown target, not Object.prototype.toString", async () => {
    writeFileSync(path("ok.anneal"), VALID);
    for (const word of ["toString", "constructor", "__proto__", "hasOwnProperty"])
      expectOneLine(await runHere(["emit", word, path("ok.anneal")]), 2, new RegExp(`unknown target '${word}'`));
  });
});

describe("random command lines, in-process", () => {
  const files: Record<string, string> = {
    "ok.anneal": VALID,
    "two.anneal": "schedule a { lr 1 total 100 cosine }\nschedule b { total 50 linear }\n",
    "bad.anneal": "lr 1\ntotal 10\nwarmup 20 -> cosine ;\n",
    "empty.anneal": "",
  };
  const overrides = ["--total", "--lr", "--steps-per-epoch", "--tokens-per-step", "--lint"];
  /** The flags each command takes, so that most command lines get past argument parsing. */
  const FLAGS: Record<string, string[]> = {
    check: ["--format", ...overrides],
    eval: ["--schedule", "--steps", "--format", ...overrides],
    plot: ["--schedule", "-o", "--output", "--width", "--height", "--scale", "--log", ...overrides],
    emit: ["--schedule", "-o", "--native", ...overrides],
    fmt: ["--check", "--write"],
  };
  const BOOLEAN = new Set(["--log", "--native", "--check", "--write"]);
  const value = fc.oneof(
    fc.constantFrom("text", "json", "csv", "a", "b", "default", "nope", "out.svg", "out.png", "out.txt", "out.py", "out.mjs"),
    fc.constantFrom("0:5", "5:", ":3", "7", "5:2", "a:b", "0:1e9", "1k:2k", "A305=off", "A999=error", "A305", "A201=off"),
    fc.constantFrom("160", "720", "10000", "8", "2", "0.5", "0", "-1", "1e3", "200k", "90 epochs", "3e-4", "NaN", "", " "),
    tokenText(3),
  );
  const file = fc.constantFrom(...Object.keys(files), "missing.anneal", "-");
  const flag = (cmd: string) =>
    fc.tuple(fc.constantFrom(...FLAGS[cmd]!), value).map(([f, v]) => (BOOLEAN.has(f) ? [f] : [f, v]));
  const wellFormed = fc.constantFrom(...Object.keys(FLAGS)).chain((cmd) =>
    fc
      .tuple(
        cmd === "emit" ? fc.constantFrom(["pytorch"], ["tfjs"], ["json"], ["csv"], ["pytorch-native"], ["tfjs-dts"], [], ["toString"], ["bogus"]) : fc.constant([] as string[]),
        fc.array(file, { minLength: 1, maxLength: cmd === "check" || cmd === "fmt" ? 3 : 1 }),
        fc.array(flag(cmd), { maxLength: 3 }),
      )
      .map(([target, paths, flags]) => [cmd, ...target, ...paths, ...flags.flat()]),
  );
  // Mostly well-formed command lines; sometimes any words at all.
  const argv = fc.oneof(
    { arbitrary: wellFormed, weight: 5 },
    { arbitrary: fc.array(fc.oneof(fc.constantFrom("check", "eval", "plot", "emit", "fmt", "help", "--help", "-h", "--version", "lsp", "--bogus", "--"), file, value), { minLength: 1, maxLength: 8 }), weight: 1 },
  );

  function fakeIO(stdin: string) {
    let out = 0;
    let err = "";
    const io: CliIO = {
      stdout: (t) => void (out += t.length),
      stderr: (t) => void (err += t),
      readText(p) {
        if (p === "-") return stdin;
        if (!Object.hasOwn(files, p)) throw new CliError(`${p}: no such file`);
        return files[p]!;
      },
      writeFiles() {},
      isTTY: false,
    };
    return { io, err: () => err, out: () => out };
  }

  test("every command line ends with 0, 1 or 2 and, on 2, one message", async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argv, fc.oneof(validProgram, tokenText(20)), async (args, stdin) => {
        const f = fakeIO(stdin);
        const code = await runCli(args, f.io);
        const where = `anneal ${args.map((a) => JSON.stringify(a)).join(" ")}`;
        seen.set(code, (seen.get(code) ?? 0) + 1);
        if (![0, 1, 2].includes(code)) throw new Error(`${where}: exit ${code}\n${f.err()}`);
        if (/internal error|\n\s+at /.test(f.err())) throw new Error(`${where}: ${f.err()}`);
        if (code === 2 && f.err().trim() === "" && f.out() === 0) throw new Error(`${where}: exit 2 without a message`);
      }),
      { seed, numRuns: 400 },
    );
    // The command lines reach real work, not only usage errors: some succeed, some find errors.
    expect(seen.get(0) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(10);
    expect(seen.get(1) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(10);
  });
});
