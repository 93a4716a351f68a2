// The `anneal` command line at its edges, in-process over an in-memory I/O surface: step
// ranges near 2^53 (where neighbouring integers share a double), control characters in the
// source echoed by `check`, and a second schedule named `default`.

import { describe, expect, test } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { fakeIO } from "./fake-io.js";

async function run(args: string[], files: Record<string, string>) {
  const f = fakeIO(files);
  const status = await runCli(args, f.io);
  return { status, out: f.out(), err: f.err() };
}

describe("--steps near 2^53", () => {
  const files = { "big.anneal": "lr 1\ntotal 9007199254740991\nconstant\n" };

  test("the last steps a double numbers exactly each get their own row", async () => {
    const r = await run(["eval", "big.anneal", "--steps", "9007199254740989:9007199254740992"], files);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toBe("step,lr\n9007199254740989,1\n9007199254740990,1\n9007199254740991,1\n");
  });

  test("a step past 2^53 - 1 is refused by name, not called an empty range", async () => {
    const r = await run(["eval", "big.anneal", "--steps", "9007199254740992"], files);
    expect(r.status).toBe(2);
    expect(r.err).toBe("--steps 9007199254740992: 9007199254740992 is past the last step anneal can number exactly, 9007199254740991 (2^53 - 1)\n");
  });

  test("a range ending past 2^53 is refused, so no step is labelled twice", async () => {
    const r = await run(["eval", "big.anneal", "--steps", "9007199254740990:9007199254740994"], files);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^--steps 9007199254740990:9007199254740994: 9007199254740994 is past the last step .*B may be at most 9007199254740992\n$/);
    expect(r.out).toBe("");
  });
});

test("control characters in the source are shown escaped by check, with the carets still under the range", async () => {
  const text = "lr 1 # \x1b]0;TITLE\x07\ntotal 10\nwarmup \x1b[2J\x9b -> cosine\n";
  const r = await run(["check", "t.anneal"], { "t.anneal": text });
  expect(r.status).toBe(1);
  // Nothing but newlines below U+0020, and no C1 control: every escape is shown as text.
  expect(r.out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  expect(r.out).toContain("warmup \\x1b[2J\\x9b -> cosine");
  const lines = r.out.split("\n");
  const src = lines.findIndex((l) => l.endsWith("warmup \\x1b[2J\\x9b -> cosine"));
  expect(src).toBeGreaterThan(0);
  // The first diagnostic on that line points at the escape character, shown as four characters.
  expect(lines[src + 1]!.indexOf("^")).toBe(lines[src]!.indexOf("\\x1b"));
});

test("--schedule default with a block named default beside the top-level chain: A214, not a silent pick", async () => {
  const r = await run(["eval", "d.anneal", "--schedule", "default"], { "d.anneal": "lr 1\ntotal 10\ncosine\nschedule default { total 5 linear }\n" });
  expect(r.status).toBe(1);
  expect(r.err).toMatch(/d\.anneal:4:10: error A214 the phases at the top of the file are already the schedule named `default`/);
  expect(r.out).toBe("");
});

describe("a setting bound at run time with no preview value", () => {
  const files = { "run.anneal": "lr 0.1\ntotal ?\nwarmup 5% -> cosine\n" };
  const advice = "write a preview value after the `?` (`total ? 100k`), or give the value with `--total 100k`";

  test("eval and plot have no rates to show, and say what to write", async () => {
    for (const args of [["eval", "run.anneal"], ["plot", "run.anneal", "-o", "run.svg"]]) {
      const r = await run(args, files);
      expect(r.status, args[0]).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toContain(`run.anneal: schedule 'default' has no rates to ${args[0] === "eval" ? "print" : "plot"}: \`total\` is bound at run time with no preview value; ${advice}`);
      expect(r.err).toContain("info A241");
    }
  });

  test("the table targets write nothing (A406); the PyTorch target requires the keyword", async () => {
    const csv = await run(["emit", "csv", "run.anneal"], files);
    expect(csv.status).toBe(1);
    expect(csv.out).toBe("");
    expect(csv.err).toContain("error A406");
    const py = await run(["emit", "pytorch", "run.anneal"], files);
    expect(py.status, py.err).toBe(0);
    expect(py.out).toContain("raise TypeError(\"the keyword `total=` is required");
  });

  test("with --total everything works as with a written value", async () => {
    const given = await run(["eval", "run.anneal", "--total", "20", "--steps", "0:3"], files);
    const written = await run(["eval", "w.anneal", "--steps", "0:3"], { "w.anneal": "lr 0.1\ntotal 20\nwarmup 5% -> cosine\n" });
    expect(given.status, given.err).toBe(0);
    expect(given.out).toBe(written.out);
    // The warmup is 5% of 20 ticks (1), and the cosine then runs 19: 0.1 (1 + cos(pi / 19)) / 2 at tick 2.
    expect(given.out).toBe(`step,lr\n0,0\n1,0.1\n2,${(0.1 * (1 + Math.cos(Math.PI * (1 / 19)))) / 2}\n`);
  });
});
