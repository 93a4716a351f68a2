// Syntax messages that say what to write: a word in the middle of a line, the phase keyword
// `step` read as a unit, a second shape word that is the next phase, a Unicode minus.
// Every fix offered is applied and the result re-checked.
import type { Diagnostic } from "@anneal/dsl";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/index.js";

function applyFix(text: string, d: Diagnostic): string {
  const edits = [...d.fixes![0]!.edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

const errors = (text: string) => compile(text).diagnostics.filter((d) => d.severity === "error");

describe("messages in the source", () => {
  test("`cannot start a line here` only where the token starts a line", () => {
    expect(errors("total 10k\ncosine\nbanana")[0]!.message).toMatch(/^`banana` cannot start a line here/);
    const mid = errors("total 90 e\ncosine");
    expect(mid).toMatchObject([{ code: "A002", range: { start: 9, end: 10 } }]);
    expect(mid[0]!.message).toBe("`e` is not a unit; after a number write `steps`, `epochs` or `tokens` (such as `90 epochs`), or start a new line");
    expect(errors("total 10 cosine }")[0]!.message).toBe("`}` cannot follow `cosine` on this line: what comes before it is complete; remove `}`");
  });

  test("a step decay on the line of `total` says to give it its own line, and the fix does", () => {
    for (const text of ["total 100 step 50 by 0.5 every 10", "schedule a {\n  total 100 step 50 by 0.5 every 10\n}"]) {
      const [d] = errors(text);
      expect(d!.message).toBe("`100 step` reads as a duration of 100 steps, so `50` cannot follow it; to start a step decay, put `step` at the start of its own line, or after `->`");
      expect(text.slice(d!.range.start, d!.range.end)).toBe("50");
      expect(errors(applyFix(text, d!))).toEqual([]);
    }
  });

  test("`warmup 4% linear cosine` points at the missing `->`, and the fix inserts it", () => {
    const text = "lr 1e-3\ntotal 100k\nwarmup 4% linear cosine";
    const [d] = compile(text).diagnostics;
    expect(d).toMatchObject({ code: "A202", range: { start: text.indexOf("cosine"), end: text.length } });
    expect(d!.message).toBe("a phase takes one shape, and `linear` is this one's; `cosine` starts the next phase, so write `-> cosine`");
    expect(applyFix(text, d!)).toBe("lr 1e-3\ntotal 100k\nwarmup 4% linear -> cosine");
    expect(compile(applyFix(text, d!)).diagnostics).toEqual([]);
  });

  test("a Unicode minus in or before a number is a minus", () => {
    const r = compile("lr 3e−4\ntotal 100\nwarmup 10 -> cosine to −(−1e-6)");
    expect(r.diagnostics).toEqual([]);
    expect(r.schedules[0]!.ir!.peak).toBe(3e-4);
  });

  test("`lr 2 / sqrt(256 * 8000)` is a rate, not a phase", () => {
    const r = compile("lr 2 / sqrt(256 * 8000)\ntotal 100k\nwarmup 4k -> rsqrt");
    expect(r.diagnostics).toEqual([]);
  });
});
