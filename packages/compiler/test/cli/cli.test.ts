// The `anneal` command line, driven in-process through an injected I/O surface, plus one
// run of the real executable to check exit codes and that no stack trace ever shows.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { fakeIO } from "./fake-io.js";

const root = join(import.meta.dirname, "..", "..", "..", "..");

const THREE = "schedule a { total 10k  warmup 1e-3 -> cosine }\nschedule b { total 10k  warmup 20k -> linear 5k -> cosine 1k }\nschedule c { warmup 1k -> cosine }\n";

describe("anneal check", () => {
  test("three located errors, exit 1", async () => {
    const f = fakeIO({ "bad.anneal": THREE });
    expect(await runCli(["check", "bad.anneal"], f.io)).toBe(1);
    const heads = f.out().split("\n").filter((l) => /^bad\.anneal:\d+:\d+: /.test(l));
    expect(heads.map((l) => l.split(" ").slice(0, 3).join(" "))).toEqual([
      "bad.anneal:1:32: error A104",
      "bad.anneal:2:32: error A204",
      "bad.anneal:3:27: error A217",
    ]);
    // The caret underline sits under `1e-3`.
    const lines = f.out().split("\n");
    const src = lines.findIndex((l) => l.includes("warmup 1e-3"));
    expect(lines[src + 1]!.indexOf("^")).toBe(lines[src]!.indexOf("1e-3"));
    expect(lines[src + 1]!.trim().endsWith("| ^^^^") || lines[src + 1]!.endsWith("^^^^")).toBe(true);
  });

  test("garbage is a syntax diagnostic, exit 1", async () => {
    const f = fakeIO({ "g.anneal": "}}}{{ ;; @@ lr lr lr" });
    expect(await runCli(["check", "g.anneal"], f.io)).toBe(1);
    expect(f.out()).toMatch(/error A00[12]/);
  });

  test("clean files exit 0; json output carries codes and 1-based positions", async () => {
    const f = fakeIO({ "ok.anneal": "total 10k\ncosine\n", "w.anneal": "total 10k\nwarmup 30% -> cosine\n" });
    expect(await runCli(["check", "ok.anneal", "w.anneal", "--format", "json"], f.io)).toBe(0);
    const json = JSON.parse(f.out());
    expect(json[0]).toEqual({ file: "ok.anneal", diagnostics: [] });
    expect(json[1].diagnostics[0]).toMatchObject({ code: "A305", severity: "warning", start: { line: 2, column: 8 }, end: { line: 2, column: 11 } });
  });

  test("--lint silences a warning; a bad --lint is a usage error", async () => {
    const f = fakeIO({ "w.anneal": "total 10k\nwarmup 30% -> cosine\n" });
    expect(await runCli(["check", "w.anneal", "--lint", "A305=off"], f.io)).toBe(0);
    expect(f.out()).toContain("no problems");
    const g = fakeIO({ "w.anneal": "" });
    expect(await runCli(["check", "w.anneal", "--lint", "A305"], g.io)).toBe(2);
    expect(g.err()).toContain("CODE=LEVEL");
  });

  test("unknown flags and missing files: one line, exit 2", async () => {
    const f = fakeIO();
    expect(await runCli(["check", "--frobnicate", "x"], f.io)).toBe(2);
    expect(f.err().trim().split("\n")).toHaveLength(1);
    const g = fakeIO();
    expect(await runCli(["check", "nope.anneal"], g.io)).toBe(2);
    expect(g.err()).toBe("nope.anneal: no such file\n");
  });
});

describe("anneal eval", () => {
  test("csv of every step, shortest round-trip values", async () => {
    const f = fakeIO({ "s.anneal": "lr 0.1\ntotal 6\nstep by 0.1 every 2\n" });
    expect(await runCli(["eval", "s.anneal"], f.io)).toBe(0);
    // 0.1 * 0.1 ** k in doubles, printed so they read back exactly.
    expect(f.out()).toBe(`step,lr\n0,0.1\n1,0.1\n2,${0.1 * 0.1}\n3,${0.1 * 0.1}\n4,${0.1 * 0.1 ** 2}\n5,${0.1 * 0.1 ** 2}\n`);
    for (const line of f.out().trim().split("\n").slice(1)) {
      const v = line.split(",")[1]!;
      expect(String(Number(v))).toBe(v);
    }
  });

  test("--steps ranges, json, --schedule and overrides", async () => {
    const f = fakeIO({ "m.anneal": "schedule a { lr 1  total 10  linear to 0 }\nschedule b { lr 2  total 4  constant }\n" });
    expect(await runCli(["eval", "m.anneal", "--schedule", "a", "--steps", "2:4", "--format", "json"], f.io)).toBe(0);
    expect(JSON.parse(f.out())).toEqual({ schedule: "a", clock: "steps", total: 10, relative: false, start: 2, lr: [0.8, 0.7] });
    const g = fakeIO({ "m.anneal": "schedule a { lr 1  total 10  linear to 0 }\nschedule b { lr 2  total 4  constant }\n" });
    expect(await runCli(["eval", "m.anneal"], g.io)).toBe(2);
    expect(g.err()).toContain("--schedule");
    const h = fakeIO({ "r.anneal": "total 10\nlinear to 0\n" });
    expect(await runCli(["eval", "r.anneal", "--lr", "0.5", "--total", "5", "--steps", "0:"], h.io)).toBe(0);
    expect(h.out()).toBe("step,lr\n0,0.5\n1,0.4\n2,0.3\n3,0.2\n4,0.09999999999999998\n");
  });

  test("a column for each hyperparameter, in csv and json", async () => {
    const src = "lr 1\ntotal 4\nconstant\nmomentum: linear from 0.9 to 0.95\n";
    // The linear shape of the spec, a + (b - a) * p with p = t / 4.
    const m = (t: number) => 0.9 + (0.95 - 0.9) * (t / 4);
    const f = fakeIO({ "h.anneal": src });
    expect(await runCli(["eval", "h.anneal"], f.io)).toBe(0);
    expect(f.out()).toBe(`step,lr,momentum\n${[0, 1, 2, 3].map((t) => `${t},1,${m(t)}`).join("\n")}\n`);
    const g = fakeIO({ "h.anneal": src });
    expect(await runCli(["eval", "h.anneal", "--format", "json", "--steps", "1:3"], g.io)).toBe(0);
    expect(JSON.parse(g.out())).toEqual({ schedule: "default", clock: "steps", total: 4, relative: false, start: 1, lr: [1, 1], momentum: [m(1), m(2)] });
  });

  test("rows across chunks and across step labels of every length", async () => {
    // 20,000 rows are three chunks of output; the labels run from one digit to five.
    const f = fakeIO({ "c.anneal": "lr 0.5\ntotal 20000\nconstant\n" });
    expect(await runCli(["eval", "c.anneal"], f.io)).toBe(0);
    let expected = "step,lr\n";
    for (let t = 0; t < 20_000; t++) expected += `${t},0.5\n`;
    expect(f.out()).toBe(expected);
  });

  test("a file with errors evaluates nothing and exits 1", async () => {
    const f = fakeIO({ "bad.anneal": THREE });
    expect(await runCli(["eval", "bad.anneal", "--schedule", "a"], f.io)).toBe(1);
    expect(f.out()).toBe("");
    expect(f.err()).toContain("A104");
  });
});

describe("anneal fmt", () => {
  test("--check lists unformatted files, --write rewrites them", async () => {
    const f = fakeIO({ "a.anneal": "total   10k\ncosine\n", "b.anneal": "total 10k\ncosine\n" });
    expect(await runCli(["fmt", "--check", "a.anneal", "b.anneal"], f.io)).toBe(1);
    expect(f.out()).toBe("a.anneal\n");
    expect(await runCli(["fmt", "--write", "a.anneal"], f.io)).toBe(0);
    expect(f.written["a.anneal"]).toBe("total 10k\ncosine\n");
  });
});

describe("the real executable", () => {
  const bin = join(root, "packages", "compiler", "bin", "anneal.mjs");
  beforeAll(() => {
    if (!existsSync(join(root, "packages", "compiler", "dist", "anneal.mjs"))) execFileSync("node", [join(root, "scripts", "build.mjs")]);
  });
  const run = (args: string[], input?: string) => spawnSync("node", [bin, ...args], { encoding: "utf8", input, cwd: root });

  test("exit codes and messages for files a user might hand it", () => {
    const dir = mkdtempSync(join(tmpdir(), "anneal cli "));
    writeFileSync(join(dir, "with space.anneal"), "total 10k\ncosine\n");
    writeFileSync(join(dir, "empty.anneal"), "");
    writeFileSync(join(dir, "binary.anneal"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    mkdirSync(join(dir, "folder.anneal"));
    const cases: [string[], number, RegExp][] = [
      [["check", join(dir, "with space.anneal")], 0, /no problems/],
      [["check", join(dir, "empty.anneal")], 0, /no problems/],
      [["check", join(dir, "binary.anneal")], 2, /binary file/],
      [["check", join(dir, "folder.anneal")], 2, /is a directory/],
      [["check", join(dir, "missing.anneal")], 2, /no such file/],
      [["eval", "--bogus"], 2, /unknown option/],
      [["frobnicate"], 2, /unknown command/],
    ];
    for (const [args, code, msg] of cases) {
      const r = run(args);
      expect({ args: args[0], code: r.status }).toEqual({ args: args[0], code });
      expect(r.stdout + r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test("stdin with '-' and help with examples", () => {
    const r = run(["eval", "-", "--steps", "0:2"], "lr 1\ntotal 4\nconstant\n");
    expect([r.status, r.stdout]).toEqual([0, "step,lr\n0,1\n1,1\n"]);
    for (const c of ["check", "eval", "fmt"]) {
      const h = run([c, "--help"]);
      expect(h.status).toBe(0);
      expect(h.stdout).toContain("Examples:");
    }
  });

  test("every bundled example checks clean", () => {
    const r = run(["check", ...["bert", "gpt3", "wsd", "resnet-step-decay", "sgdr", "fairseq-inverse-sqrt", "nanogpt", "quickstart", "relative"].map((n) => `examples/${n}.anneal`)]);
    expect(r.stdout).toBe("9 files checked: no problems\n");
    expect(r.status).toBe(0);
    expect(readFileSync(join(root, "examples", "quickstart.anneal"), "utf8")).toContain("restart every 12k");
  });
});
