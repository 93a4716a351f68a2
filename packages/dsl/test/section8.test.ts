// The second wave's syntax: functions and `**`, run-time settings, the new phase kinds and
// clauses, restart limits and chain labels. Each form is checked against the tree the
// language reference describes, ranges included where a tool needs them.
import { describe, expect, test } from "vitest";
import { type Expr, parse, type PhaseChain, type Setting } from "../src/index.js";

function clean(text: string) {
  const r = parse(text);
  expect(r.diagnostics).toEqual([]);
  return r.ast;
}

function valueOf(text: string): Expr {
  const item = clean(text).items[0] as Setting;
  expect(item.value).toBeDefined();
  return item.value!;
}

function chainOf(text: string): PhaseChain {
  return clean(text).items.find((i) => i.kind === "Chain") as PhaseChain;
}

describe("expressions", () => {
  test("`sqrt(` in an expression is a call, not a phase", () => {
    expect(valueOf("lr 2 / sqrt(256 * 8000)")).toMatchObject({
      kind: "Binary",
      op: "/",
      right: { kind: "Call", fn: "sqrt", fnRange: { start: 7, end: 11 }, range: { start: 7, end: 23 }, args: [{ kind: "Binary", op: "*" }] },
    });
  });

  test("`sqrt` after an arrow is still the phase, even before a parenthesis", () => {
    const c = chainOf("warmup 1k -> sqrt (2k) to 0");
    expect(c.phases.map((p) => p.type)).toEqual(["warmup", "sqrt"]);
    expect(c.phases[1]!.duration).toMatchObject({ kind: "Paren" });
  });

  test("min and max take a list of arguments", () => {
    expect(valueOf("total min(10k, max(2k, 3k), 4k)")).toMatchObject({
      kind: "Call",
      fn: "min",
      args: [{ kind: "Number", value: 10_000 }, { kind: "Call", fn: "max", args: [{ value: 2000 }, { value: 3000 }] }, { value: 4000 }],
    });
  });

  test("`**` binds tighter than a sign on its left and is right-associative, as in Python", () => {
    // Python: -2 ** 2 == -4 and 2 ** 3 ** 2 == 2 ** 9.
    expect(valueOf("lr -2 ** 2")).toMatchObject({ kind: "Unary", operand: { kind: "Binary", op: "**", left: { value: 2 }, right: { value: 2 } } });
    expect(valueOf("lr 2 ** 3 ** 2")).toMatchObject({ kind: "Binary", op: "**", left: { value: 2 }, right: { kind: "Binary", op: "**", left: { value: 3 } } });
    expect(valueOf("lr 2 ** -1")).toMatchObject({ kind: "Binary", op: "**", right: { kind: "Unary" } });
    expect(valueOf("lr 3 * 2 ** 2")).toMatchObject({ kind: "Binary", op: "*", right: { kind: "Binary", op: "**" } });
  });

  test("a Unicode minus in an exponent or before a number is a minus", () => {
    expect(valueOf("lr 3e−4")).toMatchObject({ kind: "Number", value: 3e-4 });
    expect(valueOf("lr −1e-3")).toMatchObject({ kind: "Unary", operand: { value: 1e-3 } });
  });
});

describe("settings bound at run time", () => {
  test.each([
    ["total ?", "total", undefined],
    ["total ? 100k", "total", 100_000],
    ["steps_per_epoch ? 5005", "steps_per_epoch", 5005],
    ["tokens_per_step ?", "tokens_per_step", undefined],
    ["lr ?", "lr", undefined],
    ["lr ? 3e-4", "lr", 3e-4],
  ])("%s", (text, key, preview) => {
    const s = clean(text).items[0] as Setting;
    expect(s).toMatchObject({ kind: "Setting", key, runtime: { start: key.length + 1, end: key.length + 2 } });
    if (preview === undefined) expect(s.value).toBeUndefined();
    else expect(s.value).toMatchObject({ value: preview });
  });

  test("a value on the next line is not the preview value", () => {
    const r = parse("total ?\nlr 0.1\ncosine");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.items.map((i) => i.kind)).toEqual(["Setting", "Setting", "Chain"]);
  });

  test("a plain setting has no `runtime`", () => {
    expect(clean("total 10").items[0]).not.toHaveProperty("runtime");
  });
});

describe("phases", () => {
  test("onecycle with every clause", () => {
    const text = "onecycle 1k up 30% from 1e-4 via peak to 0 linear three phase";
    const p = chainOf(text).phases[0]!;
    expect(p).toMatchObject({ type: "onecycle", duration: { value: 1000 } });
    expect(p.clauses.map((c) => c.kind)).toEqual(["up", "from", "via", "to", "shape", "threePhase"]);
    expect(p.clauses[5]!.range).toEqual({ start: text.indexOf("three"), end: text.length });
  });

  test("`three phase` right after the keyword is the clause, not a duration named `three`", () => {
    expect(chainOf("total 1k\nonecycle three phase").phases[0]).toMatchObject({ clauses: [{ kind: "threePhase" }] });
    expect(chainOf("total 1k\nonecycle three phase").phases[0]!.duration).toBeUndefined();
  });

  test("a bare onecycle", () => {
    expect(chainOf("lr 0.1\ntotal 1000\nonecycle").phases[0]).toMatchObject({ type: "onecycle", clauses: [] });
  });

  test("`three` and `phase` stay names elsewhere", () => {
    const ast = clean("let three = 3\nlet phase = 4");
    expect(ast.items.map((i) => (i as { name?: { name: string } }).name?.name)).toEqual(["three", "phase"]);
  });

  test("cyclic, triangular2 and exp_range", () => {
    expect(chainOf("cyclic from 1e-4 every 400 decay 0.5").phases[0]!.clauses.map((c) => c.kind)).toEqual(["from", "every", "decay"]);
    expect(chainOf("cyclic 2k from 1e-4 to 1e-2 every 400 up 100 gamma 0.999").phases[0]!.clauses.map((c) => c.kind)).toEqual(["from", "to", "every", "up", "gamma"]);
  });

  test("rex", () => {
    expect(chainOf("warmup 1k -> rex from peak to 0").phases[1]).toMatchObject({ type: "rex", clauses: [{ kind: "from" }, { kind: "to" }] });
  });

  test("a table on one line, with a trailing comma", () => {
    const text = "table linear { 0: 1e-3, 10k: 5e-4, 20k: 1e-4, }";
    const p = chainOf(text).phases[0]!;
    expect(p.clauses[0]).toMatchObject({ kind: "shape", shape: "linear" });
    const pts = p.clauses[1]!;
    expect(pts).toMatchObject({ kind: "points", open: { start: 13, end: 14 }, close: { start: text.length - 1, end: text.length } });
    expect((pts as { points: unknown[] }).points).toMatchObject([
      { at: { value: 0 }, value: { value: 1e-3 }, range: { start: 15, end: 15 + "0: 1e-3".length } },
      { at: { value: 10_000 }, value: { value: 5e-4 } },
      { at: { value: 20_000 }, value: { value: 1e-4 } },
    ]);
  });

  test("a table over several lines, inside a schedule, with units and `step`", () => {
    const ast = clean("schedule t {\n  total 30 epochs\n  table step {\n    0: 1e-3,  # start\n    10 epochs: 5e-4\n  }\n}");
    const s = ast.items[0] as { chains: PhaseChain[] };
    const p = s.chains[0]!.phases[0]!;
    expect(p.clauses[0]).toMatchObject({ kind: "shape", shape: "step" });
    expect((p.clauses[1] as { points: unknown[] }).points).toMatchObject([{ at: { value: 0 } }, { at: { kind: "Quantity", unit: "epochs" } }]);
  });

  test("a table with a duration before its shape word", () => {
    const p = chainOf("table 30k step { 0: 1, 1k: 0.5 }").phases[0]!;
    expect(p.duration).toMatchObject({ kind: "Number", value: 30_000 });
    expect(p.clauses[0]).toMatchObject({ kind: "shape", shape: "step" });
  });

  test("`over D` on decays", () => {
    for (const kind of ["linear", "cosine", "exp", "poly", "sqrt", "rex"]) {
      const p = chainOf(`warmup 1k -> ${kind} to 10% over 110%`).phases[1]!;
      expect(p.clauses.map((c) => c.kind)).toEqual(["to", "over"]);
    }
  });

  test("restart with limit, multiplier and decay in any order", () => {
    const a = chainOf("cosine to 1e-5 restart every 1000 limit 3").phases[0]!.clauses[1];
    expect(a).toMatchObject({ kind: "restart", every: { value: 1000 }, limit: { value: 3 }, limitRange: { start: 34, end: 41 } });
    expect("cosine to 1e-5 restart every 1000 limit 3".slice(34, 41)).toBe("limit 3");
    const b = chainOf("cosine restart every 1000 decay 0.5 limit 3 x2").phases[0]!.clauses[0];
    expect(b).toMatchObject({ kind: "restart", decay: { value: 0.5 }, limit: { value: 3 }, mult: { value: 2 } });
  });

  test("a restart part given twice is reported", () => {
    const r = parse("cosine restart every 10 limit 3 limit 4");
    expect(r.diagnostics).toMatchObject([{ code: "A202", range: { start: 32, end: 39 } }]);
  });
});

describe("chain labels", () => {
  test.each(["momentum", "beta2", "weight_decay", "lr"])("%s: at the top level", (label) => {
    const head = "lr 0.1\ntotal 1000\nonecycle\n";
    const ast = clean(`${head}${label}: onecycle from 0.95 via 0.85 to 0.95`);
    const chains = ast.items.filter((i) => i.kind === "Chain") as PhaseChain[];
    expect(chains[0]!.target).toBeUndefined();
    expect(chains[1]!.target).toEqual({ name: label, range: { start: head.length, end: head.length + label.length } });
    expect(chains[1]!.range.start).toBe(head.length);
  });

  test("inside a schedule block", () => {
    const ast = clean("schedule dino {\n  lr 5e-4  total 100 epochs  steps_per_epoch 1000  clock steps\n  warmup 10 epochs -> cosine to 1e-6\n  weight_decay: cosine from 0.04 to 0.4\n}");
    const s = ast.items[0] as { chains: PhaseChain[]; body: unknown[] };
    expect(s.body).toHaveLength(4);
    expect(s.chains.map((c) => c.target?.name)).toEqual([undefined, "weight_decay"]);
  });

  test("`lr` without a colon is still the setting", () => {
    expect(clean("lr 0.1\ncosine").items.map((i) => i.kind)).toEqual(["Setting", "Chain"]);
  });
});

describe("every example of the founding draft's section 8 parses clean", () => {
  test.each([
    "lr 0.1\ntotal 1000\nonecycle",
    "lr 1e-2\ntotal 2000\ncyclic from 1e-4 every 400 decay 0.5",
    "lr 1e-3\ntotal 30k\ntable linear { 0: 1e-3, 10k: 5e-4, 20k: 1e-4 }",
    "lr 0.1\ntotal 1000\nonecycle\nmomentum: onecycle from 0.95 via 0.85 to 0.95",
    "schedule dino {\n  lr 5e-4  total 100 epochs  steps_per_epoch 1000  clock steps\n  warmup 10 epochs -> cosine to 1e-6\n  weight_decay: cosine from 0.04 to 0.4\n}",
    "lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 5005\nclock steps\nwarmup 5 epochs from 1% -> cosine to 0",
    "lr 2 / sqrt(256 * 8000)\ntotal 100k\nwarmup 4k -> rsqrt",
    "total 100k\ncosine to 1e-5 restart every 1000 limit 3",
    "total 100k\nwarmup 1k -> cosine to 10% over 110%",
  ])("%s", (text) => void clean(text));
});
