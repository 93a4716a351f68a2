// Inlay hints: resolved durations, boundary rates and the closing sparkline, each expected
// value worked out by hand from the source.
import { describe, expect, test } from "vitest";
import { inlayHints } from "../src/inlay-hints.js";
import { Analysis } from "../src/documents.js";
import { analysis, URI } from "./source.js";

function hints(text: string) {
  const a = analysis(text);
  return inlayHints(a, { start: 0, end: text.length }).map((h) => ({ offset: a.lines.offsetAt(h.position), label: String(h.label) }));
}

describe("inlay hints", () => {
  test("percents, epochs and tokens show their steps; bare numbers and `2k steps` do not", () => {
    const text = "lr 6e-4\ntotal 100k\nwarmup 4% -> constant 2k steps -> linear 10k -> cosine\n";
    const labels = hints(text).map((h) => h.label);
    expect(labels).toContain("= 4,000 steps");
    expect(labels.filter((l) => l.startsWith("="))).toEqual(["= 4,000 steps"]);
    const epochs = hints("lr 0.05\ntotal 150 epochs\nsteps_per_epoch 391\nclock steps\nwarmup 3 epochs -> cosine\n");
    expect(epochs.map((h) => h.label)).toContain("= 1,173 steps");
    const tokens = hints("lr 6e-4\ntotal 300B tokens\ntokens_per_step 0.5M\nwarmup 375M tokens -> cosine\n");
    expect(tokens.map((h) => h.label)).toContain("= 750 steps");
  });

  test("a duration's hint sits right after it", () => {
    const text = "lr 6e-4\ntotal 100k\nwarmup 4% -> cosine\n";
    const h = hints(text).find((x) => x.label === "= 4,000 steps");
    expect(h?.offset).toBe(text.indexOf("4%") + 2);
  });

  test("the rate at each phase boundary, before its arrow; a jump shows both sides", () => {
    const text = "lr 1e-3\ntotal 100\nlinear 50 to 1e-4 -> constant at 5e-4\n";
    const h = hints(text).find((x) => x.offset === text.indexOf("->"));
    expect(h?.label).toBe("lr 1e-4 ⇒ 5e-4");
    const smooth = "lr 3e-4\ntotal 100k\nwarmup 4% -> cosine to 1e-6\n";
    expect(hints(smooth).find((x) => x.offset === smooth.indexOf("->"))?.label).toBe("lr 3e-4");
  });

  test("a sparkline with the peak and the final rate closes each schedule", () => {
    // 16 braille characters over 16 steps, one step each (both dot columns): 1 for steps
    // 0-3, 0.25 for 4-7, 0.0625 for 8-11 and 0.015625 for 12-15. Heights are quarters of
    // the peak, rounded: 3 (the top dots, 1 and 4: ⠉), 0.75 -> 1 (dots 3 and 6: ⠤),
    // 0.19 -> 0 and 0.05 -> 0 (the bottom dots, 7 and 8: ⣀).
    const text = "schedule s {\n  lr 1\n  total 16\n  step by 0.25 every 4\n}\n";
    const last = hints(text).at(-1)!;
    expect(last.label).toBe("⠉⠉⠉⠉⠤⠤⠤⠤⣀⣀⣀⣀⣀⣀⣀⣀ 1 → 0.0156");
    expect(last.offset).toBe(text.indexOf("}") + 1);
  });

  test("only the hints inside the requested range", () => {
    const text = "lr 6e-4\ntotal 100k\nwarmup 4% -> cosine\n\nschedule b { lr 1e-3  total 1k  warmup 10% -> linear }\n";
    const a = analysis(text);
    const firstHalf = inlayHints(a, { start: 0, end: text.indexOf("schedule b") }).map((h) => String(h.label));
    expect(firstHalf).toContain("= 4,000 steps");
    expect(firstHalf).not.toContain("= 100 steps");
  });

  describe("hyperparameter chains", () => {
    const block = "schedule s {\n  lr 1\n  total 100\n  warmup 10% -> cosine\n  momentum: linear 50% from 0.9 to 0.95 -> constant\n}\n";

    test("a chain's value at each of its boundaries, before its arrow; a jump shows both sides", () => {
      // The linear phase ends on 0.95 and the constant holds what it ends on.
      const at = block.lastIndexOf("->");
      expect(hints(block).find((h) => h.offset === at)?.label).toBe("momentum 0.95");
      const jump = "lr 1\ntotal 100\nlinear\nweight_decay: constant 50 at 0.1 -> constant at 0.05\n";
      expect(hints(jump).find((h) => h.offset === jump.lastIndexOf("->"))?.label).toBe("weight_decay 0.1 ⇒ 0.05");
    });

    test("the chain's own durations resolve as the rate's do", () => {
      expect(hints(block).map((h) => h.label)).toContain("= 50 steps");
    });

    test("a sparkline from the chain's lowest value to its highest closes the chain, with its first and final value", () => {
      const end = block.indexOf("constant\n") + "constant".length;
      const h = hints(block).find((x) => x.offset === end && x.label.startsWith("momentum "));
      // 0.9 rising to 0.95 by step 50, then held: the first dot columns (steps 0-6) sit on the
      // bottom row (dots 7 and 8), the last ones (steps 93-99) on the top row (dots 1 and 4).
      expect(h?.label).toMatch(/^momentum ⣀[\u2800-\u28ff]{14}⠉ 0\.9 → 0\.95$/);
    });

    test("one-cycle's momentum dip reaches the bottom row between two tops", () => {
      const text = "lr 0.1\ntotal 1000\nonecycle\nmomentum: onecycle from 0.95 via 0.85 to 0.95\n";
      const label = hints(text).find((h) => h.label.startsWith("momentum "))!.label;
      const spark = [...label.split(" ")[1]!];
      // Dot 1 is the top left, 4 the top right; 7 and 8 the bottom row.
      const has = (ch: string, dot: number) => ((ch.charCodeAt(0) - 0x2800) & (1 << (dot - 1))) !== 0;
      expect(has(spark[0]!, 1)).toBe(true);
      expect(has(spark.at(-1)!, 4)).toBe(true);
      expect(spark.some((ch) => has(ch, 7) || has(ch, 8))).toBe(true);
      expect(label.endsWith(" 0.95 → 0.95")).toBe(true);
    });

    test("while the schedule has errors, the chain's sparkline is the last good one, marked stale", () => {
      const v1 = new Analysis(URI, 1, block);
      const broken = block.replace("total 100", "total");
      const v2 = new Analysis(URI, 2, broken, {}, "utf-16", v1);
      const label = (a: Analysis, t: string) => inlayHints(a, { start: 0, end: t.length }).map((h) => String(h.label)).find((l) => l.startsWith("momentum ⣀"));
      expect(label(v2, broken)).toBe(`${label(v1, block)} (stale)`);
    });
  });
});
