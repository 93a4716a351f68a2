// Completion by context: each case is a source with a `<|>` cursor and the labels that
// must (and must not) be offered there.
import { CLAUSE_WORD, compile, PHASE_CLAUSES, PHASE_FORMS } from "@anneal/compiler";
import { PHASE_KEYWORDS, SETTING_KEYWORDS } from "@anneal/dsl";
import { describe, expect, test } from "vitest";
import { completions } from "../src/completion.js";
import { at } from "./source.js";

function labels(marked: string): string[] {
  const { a, offset } = at(marked);
  return completions(a, offset).map((c) => c.label);
}

describe("completion", () => {
  test("phase kinds after an arrow", () => {
    expect(new Set(labels("total 100k\nlr 3e-4\nwarmup 4% -> <|>"))).toEqual(new Set(PHASE_KEYWORDS));
    expect(new Set(labels("total 100k\nwarmup 4% -> co<|>"))).toEqual(new Set(PHASE_KEYWORDS));
  });

  test("right after the arrow, the phase keyword brings its own space", () => {
    const { a, offset } = at("total 100k\nwarmup 4%-><|>");
    const cosine = completions(a, offset).find((c) => c.label === "cosine");
    expect(cosine?.insertText).toBe(" cosine");
  });

  test("settings, let, schedule and phase kinds where a statement starts", () => {
    const top = labels("# a schedule\n<|>");
    for (const w of [...SETTING_KEYWORDS, "let", "schedule", ...PHASE_KEYWORDS]) expect(top).toContain(w);
    const inBlock = labels("schedule a {\n  lr 1e-3\n  <|>\n}");
    expect(inBlock).toContain("total");
    expect(inBlock).toContain("warmup");
    expect(inBlock).not.toContain("schedule");
  });

  test("units after a number in a duration position, and the phase's clauses", () => {
    const l = labels("total 100k\nwarmup 4 <|>");
    for (const w of ["steps", "epochs", "tokens", "linear", "cosine", "exp", "from", "to"]) expect(l).toContain(w);
    expect(l).not.toContain("power");
    expect(labels("total 10 <|>")).toContain("epochs");
  });

  test("after a value, only the clauses the phase still lacks", () => {
    const l = labels("lr 3e-4\ntotal 100k\ncosine to 1e-6 <|>");
    expect(l).toEqual(expect.arrayContaining(["from", "restart every"]));
    expect(l).not.toContain("to");
    expect(l).not.toContain("steps");
    const step = labels("lr 0.1\ntotal 90\nstep by 0.1 <|>");
    expect(step).toEqual(expect.arrayContaining(["every", "at", "from"]));
    expect(step).not.toContain("by");
    expect(labels("lr 0.1\ntotal 90\nstep by 0.1 every 30 <|>")).not.toContain("at");
  });

  test("names in scope where an expression goes, with peak where a rate goes and total where a duration goes", () => {
    const src = (cursor: string) =>
      `let warm = 2k steps\nschedule a {\n  let floor = 1e-6\n  lr 3e-4\n  total 100k\n  warmup warm -> cosine to ${cursor}\n}\nschedule b { lr 3e-4  total 100k  warmup warm -> cosine to <|> }\n`;
    const inA = labels(src("<|>").replace(/to <\|> \}/, "to 0 }"));
    expect(inA).toEqual(expect.arrayContaining(["warm", "floor", "peak"]));
    // `to` takes a rate: `total` (a duration) is not offered there.
    expect(inA).not.toContain("total");
    const inB = labels(src("0"));
    expect(inB).toEqual(expect.arrayContaining(["warm", "peak"]));
    expect(inB).not.toContain("floor");
    // A duration slot: `total`, never `peak`.
    const duration = labels("lr 3e-4\ntotal 100k\nwarmup <|>\n");
    expect(duration).toContain("total");
    expect(duration).not.toContain("peak");
    const every = labels("lr 3e-4\ntotal 100k\ncosine restart every <|>\n");
    expect(every).toContain("total");
    expect(every).not.toContain("peak");
    // A factor is a plain number: neither.
    const factor = labels("lr 3e-4\ntotal 100k\nstep by <|>\n");
    expect(factor).not.toContain("peak");
    expect(factor).not.toContain("total");
  });

  test("`every` after `restart`, then the `x` multiplier and `decay`", () => {
    expect(labels("lr 3e-4\ntotal 100k\ncosine restart <|>\n")).toEqual(["every"]);
    const after = labels("lr 3e-4\ntotal 100k\ncosine restart every 10k <|>\n");
    expect(after).toEqual(expect.arrayContaining(["x", "decay"]));
    expect(labels("lr 3e-4\ntotal 100k\ncosine restart every 10k x2 <|>\n")).not.toContain("x");
  });

  test("snippets with placeholders for clients that take them, and none for others", () => {
    const { a, offset } = at("lr 3e-4\ntotal 100k\n<|>\n");
    const snippet = completions(a, offset, { snippets: true }).find((c) => c.label === "warmup-cosine")!;
    expect(snippet.insertText).toBe("warmup ${1:4%} -> cosine to ${2:1e-6}");
    expect(snippet.insertTextFormat).toBe(2);
    expect(completions(a, offset).some((c) => c.label === "warmup-cosine")).toBe(false);
    // What each snippet gives with its placeholders as written compiles clean.
    for (const s of completions(a, offset, { snippets: true }).filter((c) => c.insertTextFormat === 2))
      expect(compile(`lr 3e-4\ntotal 100k\n${s.insertText!.replace(/\$\{\d+:([^}]*)\}/g, "$1")}\n`).diagnostics, s.label).toEqual([]);
  });

  test("the units a clock and a gamma take", () => {
    expect(labels("clock <|>")).toEqual(["steps", "epochs"]);
    expect(labels("lr 1e-3\ntotal 100\nexp gamma 0.9 per <|>")).toEqual(["step", "epoch"]);
  });

  test("nothing inside a comment or after `let`", () => {
    expect(labels("# warmup -> <|>")).toEqual([]);
    expect(labels("let <|>")).toEqual([]);
  });

  test("every item has a short documentation string", () => {
    const { a, offset } = at("<|>");
    for (const c of completions(a, offset)) expect(typeof c.documentation === "object" && c.documentation.value.length > 10).toBe(true);
  });

  // The clause words offered after `KIND 50 ` must be exactly those the checker accepts:
  // each is tried in a real schedule, and the checker's A201 says whether it applies.
  const SAMPLE: Record<string, string> = {
    from: "from 0.5",
    to: "to 0.1",
    at: "at 0.5",
    power: "power 2",
    gamma: "gamma 0.9 per step",
    by: "by 0.5",
    every: "every 10",
    timescale: "timescale 10",
    "restart every": "restart every 10",
  };
  for (const kind of PHASE_KEYWORDS)
    test(`the clauses offered for \`${kind}\` are the ones the checker accepts`, () => {
      const offered = new Set(labels(`lr 1\ntotal 100\n${kind} 50 <|>`));
      // A kind this checker reads but does not lower (A201 on the bare phase) cannot judge
      // its clauses by compiling: they are the checker's table's words.
      if (compile(`lr 1\ntotal 100\n${kind} 50\n`).diagnostics.some((d) => d.code === "A201")) {
        const words = PHASE_CLAUSES[kind as keyof typeof PHASE_CLAUSES].filter((c) => !["shape", "points", "over"].includes(c)).map((c) => (c === "threePhase" ? "three phase" : c === "restart" ? "restart every" : c));
        for (const w of words) expect(offered, w).toContain(w);
        return;
      }
      for (const [word, clause] of Object.entries(SAMPLE)) {
        const diagnostics = compile(`lr 1\ntotal 100\n${kind} 50 ${clause}\n`).diagnostics;
        const accepted = !diagnostics.some((d) => d.code === "A201");
        expect({ word, offered: offered.has(word) }).toEqual({ word, offered: accepted });
      }
    });

  test("each phase item shows the compiler's form and doc for it", () => {
    const items = completions(at("total 100k\nwarmup 4% -> <|>").a, at("total 100k\nwarmup 4% -> <|>").offset);
    for (const kind of PHASE_KEYWORDS) {
      const it = items.find((c) => c.label === kind);
      expect(it?.detail, kind).toBe(PHASE_FORMS[kind as keyof typeof PHASE_FORMS].form);
      expect(it?.documentation, kind).toEqual({ kind: "markdown", value: PHASE_FORMS[kind as keyof typeof PHASE_FORMS].doc });
    }
  });

  // The form a user reads names every clause the checker accepts for the kind, so the two
  // tables in phase-forms.ts cannot drift apart.
  for (const kind of Object.keys(PHASE_CLAUSES) as (keyof typeof PHASE_CLAUSES)[])
    test(`the form of \`${kind}\` names each clause it takes`, () => {
      const form = PHASE_FORMS[kind].form;
      expect(form.startsWith(`${kind} `), form).toBe(true);
      for (const c of PHASE_CLAUSES[kind]) {
        if (c === "shape") expect(form, c).toMatch(/\[(linear\|cosine(\|exp)?|step\|linear\|cosine)\]/);
        else if (c === "points") expect(form, c).toContain("{ D: V, ... }");
        else expect(form, c).toContain(CLAUSE_WORD[c]);
      }
    });
});
