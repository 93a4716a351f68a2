// The syntactic part of completion, from chevrotain's content assist over the grammar.
import { describe, expect, test } from "vitest";
import { PHASE_KEYWORDS, parse, syntacticCompletion } from "../src/index.js";

function at(marked: string) {
  const offset = marked.indexOf("<|>");
  const text = marked.replace("<|>", "");
  return syntacticCompletion(parse(text), offset);
}

describe("syntactic completion", () => {
  test("after an arrow: every phase kind, and nothing else", () => {
    const c = at("total 10k\nwarmup 1k -> <|>");
    expect(new Set(c.keywords)).toEqual(new Set(PHASE_KEYWORDS));
    expect(c.name).toBe(false);
  });

  test("a word being typed is completed from its start", () => {
    expect(new Set(at("total 10k\nwarmup 1k -> co<|>").keywords)).toEqual(new Set(PHASE_KEYWORDS));
  });

  test("after `restart`, only `every`; after its period, the multiplier, `decay` and `limit`", () => {
    expect(at("total 10k\ncosine restart <|>").keywords).toEqual(["every"]);
    const c = at("total 10k\ncosine restart every 1k <|>");
    expect(c.keywords).toEqual(expect.arrayContaining(["decay", "limit"]));
    expect(c.punctuation).toContain("x");
  });

  test("after a setting's key: a value or `?`", () => {
    const c = at("total <|>");
    expect(c.number).toBe(true);
    expect(c.punctuation).toContain("?");
    expect(c.keywords).toEqual(expect.arrayContaining(["peak", "total", "sqrt", "min", "max"]));
  });

  test("after `clock`: the units", () => {
    expect(at("clock <|>").keywords).toEqual(expect.arrayContaining(["steps", "epochs"]));
  });

  test("after a chain label's colon: the phases", () => {
    expect(new Set(at("total 1k\nonecycle\nmomentum: <|>").keywords)).toEqual(new Set(PHASE_KEYWORDS));
  });

  test("the work is bounded by the item that holds the point", () => {
    const long = "let a = 1\n".repeat(5000);
    expect(new Set(at(`${long}total 10k\nwarmup 1k -> <|>`).keywords)).toEqual(new Set(PHASE_KEYWORDS));
  });
});
