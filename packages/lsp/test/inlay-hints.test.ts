// Inlay hints: resolved durations, boundary rates and the closing sparkline, each expected
// value worked out by hand from the source.
import { describe, expect, test } from "vitest";
import { inlayHints } from "../src/inlay-hints.js";
import { analysis } from "./source.js";

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
});
