// Definition, references and rename of `let` names, with a block's `let` shadowing a
// top-level one inside that block only.
import { compile } from "@anneal/compiler";
import { describe, expect, test } from "vitest";
import { definition, prepareRename, references, rename } from "../src/references.js";
import { analysis, applyEdits, URI } from "./source.js";

const TEXT = `let warm = 2k steps
schedule a {
  let warm = 1k steps
  lr 1e-3
  total 100k
  warmup warm -> cosine
}
schedule b { lr 1e-3  total 100k  warmup warm -> cosine }
`;

/** The offset of the n-th (0-based) occurrence of `word` as a whole word. */
function nth(text: string, word: string, n: number): number {
  const hits = [...text.matchAll(new RegExp(`\\b${word}\\b`, "g"))].map((m) => m.index);
  if (hits[n] === undefined) throw new Error(`no occurrence ${n} of ${word}`);
  return hits[n];
}

describe("names", () => {
  const a = analysis(TEXT);
  const offsets = (locs: { range: { start: { line: number; character: number } } }[]) => locs.map((l) => a.lines.offsetAt(l.range.start));

  test("definition follows the scopes", () => {
    // The use inside `a` is its own `let`; the use inside `b` is the top-level one.
    expect(a.lines.offsetAt(definition(a, nth(TEXT, "warm", 2) + 1)!.range.start)).toBe(nth(TEXT, "warm", 1));
    expect(a.lines.offsetAt(definition(a, nth(TEXT, "warm", 3) + 1)!.range.start)).toBe(nth(TEXT, "warm", 0));
    expect(definition(a, TEXT.indexOf("cosine"))).toBeNull();
  });

  test("references of the top-level name skip the shadowed block", () => {
    expect(offsets(references(a, nth(TEXT, "warm", 0), true))).toEqual([nth(TEXT, "warm", 0), nth(TEXT, "warm", 3)]);
    expect(offsets(references(a, nth(TEXT, "warm", 0), false))).toEqual([nth(TEXT, "warm", 3)]);
  });

  test("rename changes the definition and its uses, and the file still compiles the same", () => {
    const edit = rename(a, nth(TEXT, "warm", 3), "ramp");
    const edits = edit.changes![URI]!.map((e) => ({ start: a.lines.offsetAt(e.range.start), end: a.lines.offsetAt(e.range.end), newText: e.newText }));
    const renamed = applyEdits(TEXT, edits);
    expect(renamed).toContain("let ramp = 2k steps");
    expect(renamed).toContain("let warm = 1k steps");
    expect(renamed).toContain("warmup ramp -> cosine }");
    const before = compile(TEXT).schedules.map((s) => s.ir?.segments.map((x) => [x.start, x.end]));
    const after = compile(renamed).schedules.map((s) => s.ir?.segments.map((x) => [x.start, x.end]));
    expect(after).toEqual(before);
  });

  test("rename refuses keywords, bad names and names that would be captured", () => {
    expect(() => rename(a, nth(TEXT, "warm", 0), "total")).toThrow(/keyword/);
    expect(() => rename(a, nth(TEXT, "warm", 0), "2fast")).toThrow(/not a name/);
    // `x2y` looks like a name, but the lexer reads the multiplier `x`, then `2`, then `y`.
    expect(() => rename(a, nth(TEXT, "warm", 0), "x2y")).toThrow(/would not read as one name/);
    expect(() => rename(a, nth(TEXT, "warm", 0), "x2")).toThrow(/would not read as one name/);
    expect(rename(a, nth(TEXT, "warm", 0), "x_2").changes).toBeDefined();
    const capture = `let warm = 2k\nschedule c {\n  let f = 1e-6\n  lr 1e-3\n  total 100k\n  warmup warm -> cosine to f\n}\n`;
    const c = analysis(capture);
    expect(() => rename(c, capture.indexOf("warm"), "f")).toThrow(/hide/);
    expect(() => rename(c, capture.indexOf("f ="), "warm")).toThrow(/top-level/);
  });

  test("prepareRename answers for names and refuses everything else", () => {
    expect(prepareRename(a, nth(TEXT, "warm", 2)).placeholder).toBe("warm");
    expect(() => prepareRename(a, TEXT.indexOf("cosine"))).toThrow(/let/);
  });
});
