// The parser: every construct of the spec becomes the expected tree, with ranges.
import { describe, expect, test } from "vitest";
import { KEYWORDS, parse, parseNumber, type Phase, type PhaseChain } from "../src/index.js";

function chainOf(text: string): PhaseChain {
  const r = parse(text);
  expect(r.diagnostics).toEqual([]);
  const c = r.ast.items.find((i) => i.kind === "Chain");
  expect(c).toBeDefined();
  return c as PhaseChain;
}

describe("numbers", () => {
  test.each([
    ["3e-4", 3e-4],
    ["0.1", 0.1],
    ["1_000", 1000],
    [".5", 0.5],
    ["10k", 10_000],
    ["1.5M", 1_500_000],
    ["300B", 300e9],
    ["0.5M", 500_000],
    ["375M", 375e6],
  ])("%s is %d", (raw, value) => expect(parseNumber(raw).value).toBe(value));
});

describe("phases", () => {
  test("the one-liner", () => {
    const c = chainOf("warmup 4% linear -> cosine to 1e-6 restart every 10k");
    expect(c.phases.map((p) => p.type)).toEqual(["warmup", "cosine"]);
    expect(c.phases[0]!.duration).toMatchObject({ kind: "Percent", value: { kind: "Number", value: 4 } });
    expect(c.phases[0]!.clauses).toMatchObject([{ kind: "shape", shape: "linear" }]);
    expect(c.phases[1]!.clauses.map((k) => k.kind)).toEqual(["to", "restart"]);
    expect(c.arrows).toEqual([{ start: 17, end: 19 }]);
  });

  test.each(["x2", "x 2", "×2", "× 2"])("restart multiplier written %s", (m) => {
    const c = chainOf(`cosine restart every 10k ${m} decay 0.5`);
    const r = c.phases[0]!.clauses[0]!;
    expect(r).toMatchObject({ kind: "restart", every: { value: 10_000 }, mult: { value: 2 }, decay: { value: 0.5 } });
  });

  test("every phase form of the spec parses", () => {
    const forms = [
      "warmup 1k cosine from 0 to peak",
      "constant 1k at 1e-5",
      "hold 1k",
      "linear 1k from 1e-3 to 0",
      "exp 1k from 1e-3 to 1e-5",
      "exp 1k gamma 0.95 per epoch",
      "poly 1k power 2 from 1e-3 to 0",
      "sqrt 1k to 0",
      "rsqrt 1k timescale 4k",
      "step 1k by 0.1 every 300",
      "step by 0.1 at 30 epochs, 60 epochs, 80 epochs",
    ];
    const c = chainOf(forms.join(" -> "));
    expect(c.phases.map((p: Phase) => p.keyword)).toEqual(["warmup", "constant", "hold", "linear", "exp", "exp", "poly", "sqrt", "rsqrt", "step", "step"]);
    expect(c.phases[2]!.type).toBe("constant");
    expect((c.phases[10]!.clauses[1] as { values: unknown[] }).values).toHaveLength(3);
  });

  test("a unit on the next line does not attach; `step by` starts a phase", () => {
    const r = parse("lr 0.1\ntotal 90\nstep by 0.1 every 30");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.items.map((i) => i.kind)).toEqual(["Setting", "Setting", "Chain"]);
  });

  test("`total` starts a setting after an open phase, unless an operator follows", () => {
    const a = parse("warmup 1k -> constant total 10k");
    expect(a.ast.items.map((i) => i.kind)).toEqual(["Chain", "Setting"]);
    const b = parse("let x = 1\nwarmup total / 10 -> constant");
    expect((b.ast.items[1] as PhaseChain).phases[0]!.duration).toMatchObject({ kind: "Binary", op: "/" });
  });

  test("operator precedence and ranges", () => {
    const r = parse("let x = 1 + 2 * 3 - -4");
    const v = (r.ast.items[0] as { value: unknown }).value;
    expect(v).toMatchObject({ kind: "Binary", op: "-", left: { kind: "Binary", op: "+", right: { kind: "Binary", op: "*" } }, right: { kind: "Unary" } });
    expect((v as { range: unknown }).range).toEqual({ start: 8, end: 22 });
  });
});

describe("recovery", () => {
  test("a broken line does not hide the rest of the file", () => {
    const r = parse("schedule a {\n  lr 3e-4\n  warmup ->\n}\nschedule b { total 10k cosine }\n");
    expect(r.diagnostics.length).toBeGreaterThan(0);
    const names = r.ast.items.filter((i) => i.kind === "Schedule").map((s) => (s as { name?: { name: string } }).name?.name);
    expect(names).toContain("b");
  });

  test("keywords are reserved words the lexer knows", () => {
    for (const k of ["warmup", "cosine", "restart", "every", "steps_per_epoch", "tokens", "peak"]) expect(KEYWORDS).toContain(k);
  });
});
