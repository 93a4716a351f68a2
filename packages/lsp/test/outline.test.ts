// Document symbols, folding and formatting: the outline of a file and its layout.
import { format } from "@anneal/dsl";
import { describe, expect, test } from "vitest";
import { foldingRanges } from "../src/folding.js";
import { formatting } from "../src/formatting.js";
import { documentSymbols, flatSymbols } from "../src/symbols.js";
import { analysis, applyEdits } from "./source.js";

const TEXT = `# Two schedules.
# The second one is on one line.
let warm = 2k steps
schedule gpt2 {
  lr 6e-4
  total 600k
  warmup warm -> cosine to 10%
}
schedule bert { lr 1e-4  total 1M steps  warmup 10k -> linear to 0 }
`;

describe("document symbols", () => {
  test("schedules with their settings and phases, and the top-level let", () => {
    const syms = documentSymbols(analysis(TEXT));
    expect(syms.map((s) => s.name)).toEqual(["warm", "gpt2", "bert"]);
    const gpt2 = syms[1]!;
    expect(gpt2.children?.map((c) => c.name)).toEqual(["lr", "total", "warmup", "cosine"]);
    // warm is 2,000 steps, so the cosine runs from step 2,000 to 600,000.
    expect(gpt2.children?.find((c) => c.name === "cosine")?.detail).toBe("steps 2,000 → 600,000");
    expect(gpt2.range.start.line).toBe(3);
    expect(gpt2.range.end.line).toBe(7);
  });

  test("the flat list names each symbol's container", () => {
    const flat = flatSymbols(analysis(TEXT));
    expect(flat.find((s) => s.name === "linear")?.containerName).toBe("bert");
  });
});

describe("folding", () => {
  test("a multi-line block up to the line before its brace, and the comment run", () => {
    const ranges = foldingRanges(analysis(TEXT));
    expect(ranges).toEqual([
      { startLine: 0, endLine: 1, kind: "comment" },
      { startLine: 3, endLine: 6 },
    ]);
  });
});

describe("formatting", () => {
  /** The text after applying LSP edits (non-overlapping) to `a`'s text. */
  const applied = (a: ReturnType<typeof analysis>, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]) =>
    applyEdits(a.text, edits.map((e) => ({ start: a.lines.offsetAt(e.range.start), end: a.lines.offsetAt(e.range.end), newText: e.newText })));

  test("the edits give the formatter's text, and touch only the lines it changes", () => {
    const messy = "# head\nlr 6e-4\ntotal   600k\nlet a = 1\nwarmup 2k->cosine   to 10%\n# tail\n";
    const a = analysis(messy);
    const edits = formatting(a);
    expect(applied(a, edits)).toBe(format(messy));
    // Two lines change (the `total` and the chain); each edit stays on its line and
    // replaces only what differs.
    expect(edits.map((e) => [e.range.start.line, e.range.end.line])).toEqual([
      [2, 2],
      [4, 4],
    ]);
    expect(edits[0]).toEqual({ range: { start: { line: 2, character: 6 }, end: { line: 2, character: 8 } }, newText: "" });
  });

  test("the client's indentation: tabs, or its tab size", () => {
    const text = "schedule a {\nlr 1\ntotal 10\ncosine\n}\n";
    const a = analysis(text);
    expect(applied(a, formatting(a, { insertSpaces: false, tabSize: 4 }))).toBe("schedule a {\n\tlr 1\n\ttotal 10\n\tcosine\n}\n");
    expect(applied(a, formatting(a, { insertSpaces: true, tabSize: 4 }))).toBe("schedule a {\n    lr 1\n    total 10\n    cosine\n}\n");
    expect(applied(a, formatting(a, { insertSpaces: true, tabSize: 2 }))).toBe(format(text));
  });

  test("a CRLF file stays CRLF", () => {
    const a = analysis("lr   6e-4\r\ntotal 600k\r\nwarmup 2k->cosine\r\n");
    const out = applied(a, formatting(a));
    expect(out).toBe("lr 6e-4\r\ntotal 600k\r\nwarmup 2k -> cosine\r\n");
  });

  test("no edits for a file with a syntax error or one already formatted", () => {
    expect(formatting(analysis("lr 6e-4\nwarmup 2k -> -> cosine\n"))).toEqual([]);
    const clean = format("lr 6e-4\ntotal 600k\nwarmup 2k -> cosine to 10%\n")!;
    expect(formatting(analysis(clean))).toEqual([]);
  });
});
