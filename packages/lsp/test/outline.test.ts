// Document symbols, folding and formatting: the outline of a file and its layout.
import { format } from "@anneal/dsl";
import { describe, expect, test } from "vitest";
import { foldingRanges } from "../src/folding.js";
import { formatting } from "../src/formatting.js";
import { documentSymbols, flatSymbols } from "../src/symbols.js";
import { analysis } from "./source.js";

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
  test("one edit over the whole document that gives the formatter's text", () => {
    const messy = "lr   6e-4\ntotal 600k\nwarmup 2k->cosine   to 10%\n";
    const a = analysis(messy);
    const edits = formatting(a);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.range.start).toEqual({ line: 0, character: 0 });
    expect(a.lines.offsetAt(edits[0]!.range.end)).toBe(messy.length);
    expect(edits[0]!.newText).toBe(format(messy));
    expect(edits[0]!.newText).toContain("warmup 2k -> cosine to 10%");
  });

  test("no edits for a file with a syntax error or one already formatted", () => {
    expect(formatting(analysis("lr 6e-4\nwarmup 2k -> -> cosine\n"))).toEqual([]);
    const clean = format("lr 6e-4\ntotal 600k\nwarmup 2k -> cosine to 10%\n")!;
    expect(formatting(analysis(clean))).toEqual([]);
  });
});
