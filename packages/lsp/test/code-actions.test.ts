// Code actions: a quick fix is right when applying it makes its diagnostic go away, which
// the compiler itself judges here.
import { compile } from "@anneal/compiler";
import { describe, expect, test } from "vitest";
import { codeActions } from "../src/code-actions.js";
import { analysis, applyEdits, URI } from "./source.js";

/** The text after applying the action titled `title` among those at `near`. */
function applied(text: string, near: string, title: RegExp): string {
  const a = analysis(text);
  const start = text.indexOf(near);
  const actions = codeActions(a, { start, end: start + near.length });
  const action = actions.find((x) => title.test(x.title));
  if (!action) throw new Error(`no action matching ${title}; got ${actions.map((x) => x.title).join(", ")}`);
  expect(action.kind).toBe("quickfix");
  expect(action.diagnostics?.length).toBe(1);
  const edits = action.edit!.changes![URI]!.map((e) => ({ start: a.lines.offsetAt(e.range.start), end: a.lines.offsetAt(e.range.end), newText: e.newText }));
  return applyEdits(text, edits);
}

const codes = (text: string) => compile(text).diagnostics.map((d) => d.code);

describe("code actions", () => {
  test("the checker's fixes: an explicit hold for a schedule that ends early (A302)", () => {
    const text = "lr 1e-3\ntotal 100k\nwarmup 1k -> linear 50k\n";
    expect(codes(text)).toContain("A302");
    expect(codes(applied(text, "linear 50k", /constant/))).not.toContain("A302");
  });

  test("the checker's fixes: a missing arrow (A201) and an unused name (A313)", () => {
    const arrow = "lr 1e-3\ntotal 100k\nwarmup 1k -> constant 10k cosine\n";
    expect(codes(arrow)).toContain("A201");
    expect(codes(applied(arrow, "cosine", /->/))).not.toContain("A201");
    const unused = "let spare = 3\nlr 1e-3\ntotal 100k\nlinear\n";
    expect(codes(unused)).toContain("A313");
    expect(codes(applied(unused, "spare", /Remove/))).toEqual([]);
  });

  test("Add total: at the top of the file for a top-level schedule (A105)", () => {
    const text = "# no total yet\nlr 1e-3\nwarmup 4% -> cosine\n";
    expect(codes(text)).toContain("A105");
    const fixed = applied(text, "4%", /Add `total/);
    expect(fixed).toBe("# no total yet\ntotal 100k\nlr 1e-3\nwarmup 4% -> cosine\n");
    expect(compile(fixed).hasErrors).toBe(false);
  });

  test("Add total: inside a one-line block and a multi-line block (A217)", () => {
    const one = "schedule a { lr 1e-3  warmup 4k -> cosine }\n";
    expect(codes(one)).toContain("A217");
    expect(compile(applied(one, "cosine", /Add `total/)).hasErrors).toBe(false);
    const multi = "schedule a {\n    lr 1e-3\n    warmup 4k -> cosine\n}\n";
    const fixed = applied(multi, "cosine", /Add `total/);
    expect(fixed).toBe("schedule a {\n    total 100k\n    lr 1e-3\n    warmup 4k -> cosine\n}\n");
    expect(compile(fixed).hasErrors).toBe(false);
  });

  test("no actions away from the diagnostics, and none for other kinds", () => {
    const text = "lr 1e-3\ntotal 100k\nwarmup 1k -> linear 50k\n";
    const a = analysis(text);
    expect(codeActions(a, { start: 0, end: 2 })).toEqual([]);
    const at = text.indexOf("linear");
    expect(codeActions(a, { start: at, end: at }, ["refactor"])).toEqual([]);
    expect(codeActions(a, { start: at, end: at }, ["quickfix"]).length).toBeGreaterThan(0);
  });
});
