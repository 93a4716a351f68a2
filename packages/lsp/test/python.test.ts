// Python documents in the server: lint diagnostics only when opted in, no Anneal features,
// and "Convert to an Anneal spec" creating a spec file beside the script.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "@anneal/compiler";
import { describe, expect, test } from "vitest";
import { Analysis } from "../src/documents.js";
import { convertToSpecActions, isPythonUri } from "../src/python.js";
import { readSettings } from "../src/settings.js";

const corpus = join(import.meta.dirname, "..", "..", "..", "test", "lint", "corpus");
const wrong = readFileSync(join(corpus, "wrong_cosine_tmax_epochs_per_batch.py"), "utf8");
const good = readFileSync(join(corpus, "ok_cosine_per_batch.py"), "utf8");
const URI = "file:///work/proj/train%20v2.py";

describe("Python documents", () => {
  test("are told apart by their extension", () => {
    expect(isPythonUri(URI)).toBe(true);
    expect(isPythonUri("file:///a/b.anneal")).toBe(false);
    expect(isPythonUri("untitled:Untitled-1")).toBe(false);
  });

  test("get lint diagnostics only when anneal.pythonLint is on", () => {
    expect(new Analysis(URI, 1, wrong, {}).result.diagnostics).toEqual([]);
    const on = new Analysis(URI, 1, wrong, { pythonLint: true });
    expect(on.result.diagnostics.map((d) => [d.code, on.lines.positionAt(d.range.start).line])).toEqual([["A501", 23]]);
    expect(on.result.diagnostics[0]!.fixes?.[0]?.title).toBe("multiply by len(train_loader)");
    expect(new Analysis(URI, 1, wrong, { pythonLint: true, lint: { A501: "off" } }).result.diagnostics).toEqual([]);
    expect(on.result.tokens).toEqual([]);
    expect(on.result.schedules).toEqual([]);
  });

  test("the setting is read and validated", () => {
    expect(readSettings({ pythonLint: true }).settings.pythonLint).toBe(true);
    expect(readSettings({}).settings.pythonLint).toBe(false);
    expect(readSettings({ pythonLint: "yes" }).problems[0]).toMatch(/anneal\.pythonLint` must be true or false/);
  });

  test("'Convert to an Anneal spec' on the scheduler's line creates NAME.anneal with a spec that compiles", () => {
    const a = new Analysis(URI, 1, good, {});
    const line = good.split("\n").findIndex((l) => l.startsWith("scheduler = ")) ;
    const at = a.lines.offsetAt({ line, character: 3 });
    const [action, ...rest] = convertToSpecActions(a, { start: at, end: at }, true);
    expect(rest).toEqual([]);
    expect(action!.title).toBe("Convert to an Anneal spec (scheduler.anneal)");
    const changes = action!.edit!.documentChanges!;
    expect(changes[0]).toEqual({ kind: "create", uri: "file:///work/proj/scheduler.anneal", options: { ignoreIfExists: true } });
    const text = (changes[1] as { edits: { newText: string }[] }).edits[0]!.newText;
    expect(text).toContain("# train v2.py:18: scheduler = CosineAnnealingLR(");
    expect(compile(text).hasErrors).toBe(false);
    // Not on another line, and not for a client that cannot create files.
    const other = a.lines.offsetAt({ line: 0, character: 0 });
    expect(convertToSpecActions(a, { start: other, end: other }, true)).toEqual([]);
    expect(convertToSpecActions(a, { start: at, end: at }, false)).toEqual([]);
  });
});
