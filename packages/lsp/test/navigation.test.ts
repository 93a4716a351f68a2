// Document highlights, selection ranges, workspace symbols and the "fix all" source action.
// Expected ranges are read off the sources; a fix is judged by compiling the fixed text.
import { compile } from "@anneal/compiler";
import { describe, expect, test } from "vitest";
import { codeActions } from "../src/code-actions.js";
import { highlights } from "../src/references.js";
import { selectionRanges } from "../src/selection.js";
import { workspaceSymbols } from "../src/symbols.js";
import { analysis, applyEdits } from "./source.js";

const TEXT = "let warm = 2k steps\nschedule gpt2 {\n  lr 6e-4\n  total 600k\n  warmup warm -> cosine to 10%\n}\n";

test("highlights: the definition as written, each use as read", () => {
  const a = analysis(TEXT);
  const hs = highlights(a, TEXT.lastIndexOf("warm"));
  expect(hs.map((h) => [h.range.start, h.kind])).toEqual([
    [{ line: 0, character: 4 }, 3],
    [{ line: 4, character: 9 }, 2],
  ]);
  expect(highlights(a, TEXT.indexOf("cosine"))).toEqual([]);
});

test("selection ranges grow from the number to its clause, phase, chain, block and the file", () => {
  const a = analysis(TEXT);
  const [sel] = selectionRanges(a, [TEXT.indexOf("10%") + 1]);
  const texts: string[] = [];
  for (let s: typeof sel | undefined = sel; s; s = s.parent) texts.push(a.text.slice(a.lines.offsetAt(s.range.start), a.lines.offsetAt(s.range.end)));
  expect(texts[0]).toBe("10");
  expect(texts).toContain("10%");
  expect(texts).toContain("to 10%");
  expect(texts).toContain("cosine to 10%");
  expect(texts).toContain("warmup warm -> cosine to 10%");
  expect(texts.at(-1)).toBe(TEXT);
  // Each range holds the one before it.
  for (let i = 1; i < texts.length; i++) expect(texts[i]!.includes(texts[i - 1]!)).toBe(true);
});

test("workspace symbols: schedules and lets of every open document that match the query's letters in order", () => {
  const one = analysis(TEXT);
  const two = analysis("let gap = 1\nschedule bert { lr 1e-4 total 1M warmup 10k -> linear to 0 }\n");
  expect(workspaceSymbols([one, two], "").map((s) => s.name)).toEqual(["warm", "gpt2", "gap", "bert"]);
  expect(workspaceSymbols([one, two], "gp").map((s) => s.name)).toEqual(["gpt2", "gap"]);
  expect(workspaceSymbols([one, two], "BRT").map((s) => s.name)).toEqual(["bert"]);
});

describe("fix all", () => {
  test("applies every fix that is the only one offered, and the result compiles without those diagnostics", () => {
    // Two unused lets (A313 each, one fix each), one of them in a block.
    const text = "let spare = 1\nschedule a {\n  let extra = 2\n  lr 1e-3\n  total 10k\n  cosine\n}\n";
    const a = analysis(text, { A313: "warning" });
    const [all] = codeActions(a, { start: 0, end: 0 }, ["source.fixAll"]);
    expect(all!.kind).toBe("source.fixAll");
    expect(all!.diagnostics!.map((d) => d.code)).toEqual(["A313", "A313"]);
    const edits = all!.edit!.changes![a.uri]!.map((e) => ({ start: a.lines.offsetAt(e.range.start), end: a.lines.offsetAt(e.range.end), newText: e.newText }));
    const fixed = applyEdits(text, edits);
    expect(compile(fixed, { lint: { A313: "warning" } }).diagnostics.map((d) => d.code)).toEqual([]);
    // Asked for quick fixes only, no fix-all.
    expect(codeActions(a, { start: 0, end: 0 }, ["quickfix"]).some((c) => c.kind === "source.fixAll")).toBe(false);
  });
});

test("`Add total` is never offered beside a total the schedule already has", () => {
  const broken = analysis("schedule a {\n  lr 1e-3\n  total q\n  warmup 4% -> cosine\n}\n");
  const actions = codeActions(broken, { start: 0, end: broken.text.length });
  expect(actions.filter((x) => /Add `total/.test(x.title))).toEqual([]);
});
