// Python documents over the wire: with `anneal.pythonLint` the server publishes the lint's
// diagnostics for a `.py` file and offers its fixes and "Convert to an Anneal spec"; without
// it a `.py` file gets an empty diagnostics list; no Anneal feature answers for Python.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureServerBuilt, FULL_CAPABILITIES, ROOT, TestClient } from "./client.js";

const SCRIPT = readFileSync(join(ROOT, "test", "lint", "corpus", "wrong_cosine_tmax_epochs_per_batch.py"), "utf8");
const LINE = SCRIPT.split("\n").findIndex((l) => l.startsWith("scheduler = "));
const CAPS = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true, resourceOperations: ["create" as const] } } };

let on: TestClient;
let off: TestClient;

beforeAll(async () => {
  ensureServerBuilt();
  [on, off] = await Promise.all([TestClient.start({ capabilities: CAPS, settings: { pythonLint: true } }), TestClient.start({ capabilities: CAPS, settings: {} })]);
});

afterAll(async () => {
  await Promise.all([on?.stop(), off?.stop()]);
});

interface Action {
  title: string;
  kind?: string;
  edit?: { changes?: Record<string, { newText: string }[]>; documentChanges?: ({ kind: string; uri: string } | { edits: { newText: string }[] })[] };
}

describe("Python documents", () => {
  test("with anneal.pythonLint: the lint's diagnostics, its fix and the convert action", async () => {
    const uri = "file:///tmp/anneal-lsp-test/train.py";
    await on.open(uri, SCRIPT);
    const p = await on.diagnosticsFor(uri);
    expect(p.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([["A501", LINE]]);
    expect(p.diagnostics[0]!.codeDescription?.href).toMatch(/diagnostics\.md#a501$/);
    const actions = await on.request<Action[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: LINE, character: 50 }, end: { line: LINE, character: 50 } },
      context: { diagnostics: p.diagnostics },
    });
    expect(actions.map((a) => a.title)).toEqual(["multiply by len(train_loader)", "Convert to an Anneal spec (scheduler.anneal)"]);
    const convert = actions[1]!;
    expect(convert.kind).toBe("refactor.rewrite");
    expect(convert.edit!.documentChanges![0]).toMatchObject({ kind: "create", uri: "file:///tmp/anneal-lsp-test/scheduler.anneal" });
    expect((convert.edit!.documentChanges![1] as { edits: { newText: string }[] }).edits[0]!.newText).toContain("schedule scheduler {");
    // Anneal's own features leave the script alone.
    expect(await on.request("textDocument/hover", { textDocument: { uri }, position: { line: LINE, character: 3 } })).toBeNull();
    expect(await on.request("textDocument/documentSymbol", { textDocument: { uri } })).toEqual([]);
  });

  test("without it: no diagnostics, and the convert action still", async () => {
    const uri = "file:///tmp/anneal-lsp-test/train2.py";
    await off.open(uri, SCRIPT);
    expect((await off.diagnosticsFor(uri)).diagnostics).toEqual([]);
    const actions = await off.request<Action[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: LINE, character: 0 }, end: { line: LINE, character: 0 } },
      context: { diagnostics: [] },
    });
    expect(actions.map((a) => a.title)).toEqual(["Convert to an Anneal spec (scheduler.anneal)"]);
  });
});
