// The TextMate grammar's tests, run through the real `vscode-tmgrammar-test` tools:
// - hand-written files under grammar/test/ whose comment lines assert the scopes of the line
//   above them (`#   ^^^^ keyword.control.phase.anneal`);
// - snapshots of every example under examples/, kept in grammar/test/snapshots/ so that a
//   change to the grammar shows up as a reviewable diff of scopes. Run with
//   ANNEAL_UPDATE_SNAPSHOTS=1 to write new or changed snapshots after reviewing them.

import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runBin } from "./run-bin.js";

const GRAMMAR = join(REPO_ROOT, "grammar/anneal.tmLanguage.json");
const EXAMPLES = join(REPO_ROOT, "examples");
const SNAPSHOTS = join(REPO_ROOT, "grammar/test/snapshots");
const UPDATE = process.env.ANNEAL_UPDATE_SNAPSHOTS === "1";

const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith(".anneal"))
  .sort();

describe("grammar assertion files (vscode-tmgrammar-test)", () => {
  it("every scope asserted in grammar/test/*.test.anneal holds", () => {
    const r = runBin("vscode-tmgrammar-test", ["--compact", "-g", GRAMMAR, "grammar/test/*.test.anneal"]);
    expect(r.output, "no assertion file was found").toMatch(/run successfuly|failed/);
    expect(r.status, r.output).toBe(0);
  });
});

describe("grammar snapshots of examples/*.anneal (vscode-tmgrammar-snap)", () => {
  // The tool writes `<file>.snap` beside its input, so each example is copied into a scratch
  // folder together with its committed snapshot; examples/ itself is never written to.
  const scratch = mkdtempSync(join(tmpdir(), "anneal-grammar-snap-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("examples/ holds examples to snapshot", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)("%s", (file) => {
    const committed = join(SNAPSHOTS, `${file}.snap`);
    const input = join(scratch, file);
    copyFileSync(join(EXAMPLES, file), input);
    if (!existsSync(committed) && !UPDATE) {
      throw new Error(
        `grammar/test/snapshots/${file}.snap is missing: review the scopes with ` +
          `ANNEAL_UPDATE_SNAPSHOTS=1 npx vitest run test/extension/grammar.test.ts and commit the new snapshot`,
      );
    }
    if (existsSync(committed)) copyFileSync(committed, `${input}.snap`);
    const r = runBin("vscode-tmgrammar-snap", [...(UPDATE ? ["--updateSnapshot"] : []), "-g", GRAMMAR, "-s", "source.anneal", input], scratch);
    expect(r.status, r.output).toBe(0);
    if (UPDATE) copyFileSync(`${input}.snap`, committed);
  });

  it("has no snapshot left over from a removed example", () => {
    const stale = existsSync(SNAPSHOTS)
      ? readdirSync(SNAPSHOTS)
          .filter((f) => f.endsWith(".snap"))
          .map((f) => basename(f, ".snap"))
          .filter((f) => !examples.includes(f))
      : [];
    expect(stale, "delete these snapshots from grammar/test/snapshots/").toEqual([]);
  });
});
