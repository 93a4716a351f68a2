// `anneal lint` and `anneal import` through the command table, with an injected I/O
// surface: the text, JSON and SARIF formats, exit codes, `--lint CODE=off`, and the
// spec `import` writes compiling to the same schedule `anneal eval` prints.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../../packages/compiler/src/cli/main.js";
import { fakeIO } from "../../packages/compiler/test/cli/fake-io.js";
import { CODES } from "../../packages/compiler/src/diagnostics/registry.js";
import { lintCorpusDir } from "./corpus.js";

const read = (f: string) => readFileSync(join(lintCorpusDir, f), "utf8");
const files = {
  "cosine.py": read("wrong_cosine_tmax_epochs_per_batch.py"),
  "plateau.py": read("wrong_plateau_no_metric.py"),
  "good.py": read("ok_cosine_per_batch.py"),
  "onecycle.py": read("wrong_onecycle_accumulation.py"),
};

describe("anneal lint", () => {
  test("text: file:line:col: severity CODE message, the line and carets; exit 0 for warnings", async () => {
    const f = fakeIO(files);
    expect(await runCli(["lint", "cosine.py", "good.py"], f.io)).toBe(0);
    const lines = f.out().split("\n");
    expect(lines[0]).toMatch(/^cosine\.py:24:48: warning A501 T_max=args\.epochs is a number of epochs/);
    expect(lines[1]).toContain("scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=1e-5)");
    expect(lines[2]).toMatch(/^\s+\|\s+\^{11}$/);
    expect(lines[3]).toBe("   = help: multiply by len(train_loader)");
    expect(f.out()).toContain("2 files linted: 1 problem");
  });

  test("an error exits 1, and cannot be silenced (exit 2, with a clear line); a warning can", async () => {
    const e = fakeIO(files);
    expect(await runCli(["lint", "plateau.py"], e.io)).toBe(1);
    expect(e.out()).toContain("error A510");
    const f = fakeIO(files);
    expect(await runCli(["lint", "plateau.py", "--lint", "A510=off"], f.io)).toBe(2);
    expect(f.err()).toMatch(/--lint A510=off: .*error/);
    const g = fakeIO(files);
    expect(await runCli(["lint", "cosine.py", "--lint", "A501=off"], g.io)).toBe(0);
    expect(g.out()).toBe("1 file linted: no problems\n");
  });

  test("--format json gives lines and columns", async () => {
    const f = fakeIO(files);
    await runCli(["lint", "cosine.py", "--format", "json"], f.io);
    const [file] = JSON.parse(f.out()) as { file: string; diagnostics: { code: string; start: { line: number; column: number } }[] }[];
    expect(file!.file).toBe("cosine.py");
    expect(file!.diagnostics.map((d) => [d.code, d.start.line, d.start.column])).toEqual([["A501", 24, 48]]);
  });

  test("--format sarif is SARIF 2.1.0 with a rule per code, a located result and its fix", async () => {
    const f = fakeIO(files);
    expect(await runCli(["lint", "cosine.py", "plateau.py", "--format", "sarif"], f.io)).toBe(1);
    const s = JSON.parse(f.out());
    expect(s.version).toBe("2.1.0");
    const run = s.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(["A501", "A510"]);
    expect(run.tool.driver.rules[0].name).toBe(CODES.A501.title);
    const [a501, a510] = run.results;
    expect(a501.ruleId).toBe("A501");
    expect(a501.level).toBe("warning");
    expect(a501.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "cosine.py" }, region: { startLine: 24, startColumn: 48, endLine: 24, endColumn: 59 } });
    expect(a501.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe("args.epochs * len(train_loader)");
    expect(a510.level).toBe("error");
    expect(a510.ruleIndex).toBe(1);
  });

  test("usage problems exit 2 with a clear line", async () => {
    const f = fakeIO(files);
    expect(await runCli(["lint"], f.io)).toBe(2);
    expect(f.err()).toMatch(/no file given/);
    expect(await runCli(["lint", "good.py", "--format", "xml"], f.io)).toBe(2);
    expect(await runCli(["lint", "missing.py"], f.io)).toBe(2);
    expect(f.err()).toContain("missing.py: no such file");
  });
});

describe("anneal import", () => {
  test("writes the spec to -o, with its preview steps_per_epoch and what anneal eval reads", async () => {
    const f = fakeIO(files);
    expect(await runCli(["import", "good.py", "-o", "good.anneal", "--steps-per-epoch", "8"], f.io)).toBe(0);
    const spec = f.written["good.anneal"]!;
    expect(spec).toContain("# good.py:18: scheduler = CosineAnnealingLR(");
    expect(spec).toContain("steps_per_epoch ? 8  # len(train_loader) at run time");
    expect(spec).toContain("cosine 5 epochs from peak to 0.0001");
    // The cosine's published closed form: eta_min + (peak - eta_min) * (1 + cos(pi t / T)) / 2.
    const e = fakeIO({ "good.anneal": spec });
    expect(await runCli(["eval", "good.anneal", "--lr", "0.05", "--steps", "0:41"], e.io)).toBe(0);
    const rows = e.out().trim().split("\n").slice(1).map((l) => Number(l.split(",")[1]));
    rows.forEach((v, t) => expect(Math.abs(v - (1e-4 + (0.05 - 1e-4) * (1 + Math.cos((Math.PI * t) / 40)) / 2))).toBeLessThan(1e-15));
  });

  test("a construction with no exact spec is a located diagnostic and exit 1", async () => {
    const f = fakeIO(files);
    expect(await runCli(["import", "plateau.py"], f.io)).toBe(1);
    expect(f.err()).toMatch(/^plateau\.py:\d+:\d+: warning A520 ReduceLROnPlateau at line \d+: it reacts to a metric measured during training/m);
    expect(f.out()).toBe("");
  });

  test("OneCycleLR imports with its momentum cycle, which anneal eval prints beside the rate", async () => {
    const f = fakeIO(files);
    expect(await runCli(["import", "onecycle.py", "-o", "onecycle.anneal", "--steps-per-epoch", "16"], f.io)).toBe(0);
    const spec = f.written["onecycle.anneal"]!;
    expect(spec).toContain("onecycle from 0.00004 via 0.001 to 4e-9 up 30%");
    expect(spec).toContain("momentum: onecycle from 0.95 via 0.85 to 0.95 up 30%");
    // torch's OneCycleLR starts at max_lr / div_factor (25) with max_momentum (0.95), and
    // at its last step (total_steps - 1, here 4 epochs of 16) reaches initial_lr /
    // final_div_factor (1e4) with the momentum back at max_momentum.
    const e = fakeIO({ "onecycle.anneal": spec });
    expect(await runCli(["eval", "onecycle.anneal", "--steps", "0:64"], e.io)).toBe(0);
    const [header, ...rows] = e.out().trim().split("\n");
    expect(header).toBe("step,lr,momentum");
    // Step 0 is torch's _annealing_cos at pct 0: end + (start - end) / 2 * (cos(0) + 1).
    expect(rows[0]).toBe(`0,${0.001 + ((0.001 / 25 - 0.001) / 2) * (Math.cos(0) + 1)},0.95`);
    expect(rows).toHaveLength(64);
    expect(rows[63]).toBe("63,4e-9,0.95");
  });

  test("a bad --steps-per-epoch is a usage error", async () => {
    const f = fakeIO(files);
    expect(await runCli(["import", "good.py", "--steps-per-epoch", "0.5"], f.io)).toBe(2);
    expect(f.err()).toContain("expected a whole number of steps");
  });
});
