// The formatter: canonical layout, comments kept, idempotent, and never a change of meaning
// (the token sequence is the same before and after, but for `→` and `−` spelled in ASCII).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { format, parse } from "../src/index.js";

const examples = join(import.meta.dirname, "..", "..", "..", "examples");

function tokenImages(text: string): string[] {
  return parse(text).tokens.map((t) => (t.image === "→" ? "->" : t.image === "−" ? "-" : t.image));
}

function commentsOf(text: string): string[] {
  return parse(text).ast.comments.map((c) => c.text.trimEnd());
}

const cases: [string, string, string][] = [
  ["one-line block expands", "schedule bert { lr 1e-4  total 1M steps  warmup 10k -> linear to 0 }", "schedule bert {\n  lr 1e-4\n  total 1M steps\n  warmup 10k -> linear to 0\n}\n"],
  ["spacing normalised", "lr   3e-4\ntotal   100k\nwarmup 4 %  ->cosine to(peak/10)", "lr 3e-4\ntotal 100k\nwarmup 4% -> cosine to (peak / 10)\n"],
  ["unicode arrow and minus", "total 10k\nwarmup 1k → cosine to (peak − peak / 2)", "total 10k\nwarmup 1k -> cosine to (peak - peak / 2)\n"],
  ["multiplier kept together", "total 70\ncosine restart every 10 x2   decay 0.5", "total 70\ncosine restart every 10 x2 decay 0.5\n"],
  ["trailing and own-line comments", "# head\nlr 3e-4   # peak\n\n\n# body\ntotal 10k\ncosine", "# head\nlr 3e-4  # peak\n\n# body\ntotal 10k\ncosine\n"],
  ["broken chain keeps its breaks", "total 10k\nwarmup 1k\n  -> constant 1k\n  -> cosine", "total 10k\nwarmup 1k\n  -> constant 1k\n  -> cosine\n"],
  ["unary minus stays glued", "let a = -1k\nlet b = 2k - -1k\ntotal 10k\nwarmup a + b -> cosine", "let a = -1k\nlet b = 2k - -1k\ntotal 10k\nwarmup a + b -> cosine\n"],
];

describe("format", () => {
  for (const [name, input, want] of cases) test(name, () => expect(format(input)).toBe(want));

  test("a long chain breaks at every arrow", () => {
    const input = `total 100k\n${Array.from({ length: 12 }, (_, i) => `linear ${i + 1}k to ${i}e-5`).join(" -> ")}`;
    const out = format(input)!;
    expect(out.split("\n").filter((l) => l.startsWith("  -> ")).length).toBe(11);
    expect(format(out)).toBe(out);
  });

  test("files with syntax errors are left alone", () => {
    expect(format("total 10k\nwarmup 1k ->")).toBeUndefined();
  });

  for (const f of readdirSync(examples)) {
    test(`example ${f}: idempotent, same tokens, same comments`, () => {
      const text = readFileSync(join(examples, f), "utf8");
      const once = format(text)!;
      expect(once).toBeDefined();
      expect(format(once)).toBe(once);
      expect(tokenImages(once)).toEqual(tokenImages(text));
      expect(commentsOf(once)).toEqual(commentsOf(text));
    });
  }
});
