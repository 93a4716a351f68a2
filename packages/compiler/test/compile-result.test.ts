// What compile() gives tools besides diagnostics: the tokens with their roles, every name's
// definition and references, each schedule's AST node, how each duration was converted,
// and the parse, which callers may hand back so a document version is parsed once.
import { format, parse } from "@anneal/dsl";
import { describe, expect, test } from "vitest";
import { compile } from "../src/index.js";

const at = (text: string, word: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(word, i + 1);
  return { start: i, end: i + word.length };
};

describe("token roles", () => {
  test("one word, several parts, each told apart by the tree", () => {
    const text = "let w = 1k\nlr 2 / sqrt(4)\ntotal 10k steps\nwarmup w -> sqrt 2k to 0 -> step by 0.5 every 1k -> table step { 0: 1, 1k: 0.5 }\nmomentum: onecycle three phase";
    const r = compile(text);
    const role = (word: string, nth = 0) => r.tokens.find((t) => t.range.start === at(text, word, nth).start)?.role;
    expect(role("sqrt", 0)).toBe("function");
    expect(role("sqrt", 1)).toBe("phase");
    expect(role("steps")).toBe("unit");
    expect(role("step", 1)).toBe("phase");
    expect(role("step", 2)).toBe("shape");
    expect(role("total")).toBe("setting");
    expect(role("momentum")).toBe("label");
    expect(role("three")).toBe("clause");
    expect(role("phase")).toBe("clause");
    expect(role("w", 0)).toBe("name");
    expect(r.tokens.find((t) => t.range.start === 4)).toMatchObject({ role: "name", declaration: true });
    expect(role("1k")).toBe("number");
  });

  test("comments are tokens too, in source order", () => {
    const r = compile("# head\ntotal 10 # tail\ncosine");
    expect(r.tokens.map((t) => t.role)).toEqual(["comment", "setting", "number", "comment", "phase"]);
  });
});

describe("names", () => {
  test("definitions and references per scope; a block's name hides the top level's", () => {
    const text = "let a = 1k\nlet b = a\ntotal 10k\nschedule s {\n  let a = 2k\n  warmup a -> cosine\n}\nschedule t {\n  warmup a + b -> cosine\n}";
    const r = compile(text);
    const a0 = r.names.find((n) => n.name === "a" && !n.owner)!;
    const a1 = r.names.find((n) => n.name === "a" && n.owner)!;
    expect(a0.declaration).toEqual(at(text, "a", 0));
    expect(a0.references).toEqual([at(text, "a", 1), { start: text.lastIndexOf("a + b"), end: text.lastIndexOf("a + b") + 1 }]);
    expect(a1.references).toEqual([at(text, "warmup a").start + 7].map((s) => ({ start: s, end: s + 1 })));
    expect(r.names.filter((n) => n.kind === "schedule").map((n) => n.name)).toEqual(["s", "t"]);
    expect(r.unresolvedNames).toEqual([]);
  });

  test("a name defined nowhere is unresolved, and A101", () => {
    const r = compile("total 10k\nwarmup nope -> cosine");
    expect(r.unresolvedNames).toMatchObject([{ name: "nope", range: { start: 17, end: 21 } }]);
    expect(r.diagnostics.map((d) => d.code)).toContain("A101");
  });

  test("a name defined twice keeps the first definition", () => {
    const text = "let a = 1\nlet a = 2\ntotal 10\nwarmup a -> cosine";
    const r = compile(text);
    expect(r.diagnostics.map((d) => d.code)).toContain("A102");
    expect(r.names.filter((n) => n.name === "a")).toMatchObject([{ declaration: { start: 4, end: 5 }, references: [at(text, "a ->")].map((x) => ({ start: x.start, end: x.start + 1 })) }]);
  });
});

describe("schedules", () => {
  test("each schedule carries its AST node", () => {
    const r = compile("total 10k\nwarmup 1k -> cosine\nschedule b { total 5 cosine }");
    expect(r.schedules.map((s) => s.node.kind)).toEqual(["Chain", "Schedule"]);
    expect(r.schedules[0]!.node).toBe(r.ast.items[1]);
    expect(r.schedules[1]!.node).toBe(r.ast.items[2]);
  });

  test("how each duration was converted", () => {
    const text = "lr 0.1\ntotal 10 epochs\nsteps_per_epoch 333\nclock steps\nwarmup 1.5% -> constant 2 epochs -> cosine 500";
    const d = compile(text).schedules[0]!.durations;
    const of = (w: string) => d.find((x) => x.range.start === at(text, w).start)!;
    // 10 epochs of 333 steps; 1.5% of 3,330 steps is 49.95, rounded to 50.
    expect(of("10 epochs")).toMatchObject({ ticks: 3330, written: { unit: "epochs", value: 10 }, via: ["steps_per_epoch"], clock: "steps" });
    expect(of("1.5%")).toMatchObject({ ticks: 50, written: { unit: "percent", value: 0.015 }, via: ["total"], unrounded: 0.015 * 3330 });
    expect(of("2 epochs")).toMatchObject({ ticks: 666, via: ["steps_per_epoch"] });
    expect(of("500")).toMatchObject({ ticks: 500, bare: true, written: { unit: "ticks", value: 500 }, via: [] });
    expect(of("500")).not.toHaveProperty("unrounded");
  });
});

describe("one parse per document version", () => {
  test("a parse passed in is the one used, and is returned for the formatter", () => {
    const text = "total 10k\nwarmup 1k->cosine";
    const parsed = parse(text);
    const r = compile(text, { parsed });
    expect(r.parsed).toBe(parsed);
    expect(r.ast).toBe(parsed.ast);
    expect(format(text, r.parsed)).toBe("total 10k\nwarmup 1k -> cosine\n");
  });
});
