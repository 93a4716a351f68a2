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
  ["calls glue, the phase `sqrt` keeps its space", "lr 2/sqrt( 256*8000 )\ntotal max(1k,2k)\nwarmup 1k -> sqrt (1k) to 0", "lr 2 / sqrt(256 * 8000)\ntotal max(1k, 2k)\nwarmup 1k -> sqrt (1k) to 0\n"],
  ["power and signs", "let a = - 2**-2 ** 3", "let a = -2 ** -2 ** 3\n"],
  ["run-time settings", "total ?  100k\nsteps_per_epoch ?\nlr ?3e-4\ncosine", "total ? 100k\nsteps_per_epoch ?\nlr ? 3e-4\ncosine\n"],
  ["a Unicode minus in an exponent", "lr 3e−4\ntotal 10\ncosine", "lr 3e-4\ntotal 10\ncosine\n"],
  ["one-cycle and cyclic", "total 1k\nonecycle up 30%   three  phase -> cyclic from 1e-4 every 40 decay 0.5", "total 1k\nonecycle up 30% three phase -> cyclic from 1e-4 every 40 decay 0.5\n"],
  ["a table on one line", "total 30k\ntable linear {0:1e-3,10k : 5e-4,20k: 1e-4}", "total 30k\ntable linear { 0: 1e-3, 10k: 5e-4, 20k: 1e-4 }\n"],
  [
    "a table broken in the source keeps one point a line",
    "schedule t {\ntotal 30k\ntable step {0:1e-3, # first\n   10k: 5e-4,\n\n20k: 1e-4,\n}\n}",
    "schedule t {\n  total 30k\n  table step {\n    0: 1e-3,  # first\n    10k: 5e-4,\n    20k: 1e-4,\n  }\n}\n",
  ],
  ["restart limit", "total 10k\ncosine to 1e-5 restart every 1000   limit 3", "total 10k\ncosine to 1e-5 restart every 1000 limit 3\n"],
  ["chain labels", "lr 0.1\ntotal 1000\nonecycle\nmomentum :onecycle from 0.95 via 0.85 to 0.95\nschedule d {\n total 1k lr:cosine\nweight_decay:cosine from 0.04 to 0.4 }", "lr 0.1\ntotal 1000\nonecycle\nmomentum: onecycle from 0.95 via 0.85 to 0.95\nschedule d {\n  total 1k\n  lr: cosine\n  weight_decay: cosine from 0.04 to 0.4\n}\n"],
  ["CRLF stays CRLF", "lr 0.1\r\ntotal 1000   # steps\r\n\r\n\r\ncosine\r\n", "lr 0.1\r\ntotal 1000  # steps\r\n\r\ncosine\r\n"],
];

describe("format", () => {
  for (const [name, input, want] of cases) test(name, () => expect(format(input)).toBe(want));

  test("a long chain breaks at every arrow", () => {
    const input = `total 100k\n${Array.from({ length: 12 }, (_, i) => `linear ${i + 1}k to ${i}e-5`).join(" -> ")}`;
    const out = format(input)!;
    expect(out.split("\n").filter((l) => l.startsWith("  -> ")).length).toBe(11);
    expect(format(out)).toBe(out);
  });

  test("every case is idempotent and keeps its tokens", () => {
    for (const [, input, want] of cases) {
      expect(format(want)).toBe(want);
      expect(tokenImages(want).map((t) => t.replace("\u2212", "-"))).toEqual(tokenImages(input).map((t) => t.replace("\u2212", "-")));
    }
  });

  test("a parse passed in is used instead of a second one", () => {
    const text = "total 10k\ncosine";
    const parsed = parse(text);
    expect(format(text, parsed)).toBe("total 10k\ncosine\n");
    // A parse of other text, passed in, decides: the formatter does not parse again.
    expect(format(text, parse("total 10k\ncosine ->"))).toBeUndefined();
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
