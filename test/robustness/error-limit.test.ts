// The front end's bound on syntax errors: past `MAX_SYNTAX_ERRORS` the recovering parser
// stops, the rest of the file is read a statement at a time (packages/dsl/src/skim.ts), and
// one A009 says how much was left out. Each test compares against what the file's structure
// says (one broken statement per line, valid blocks in known places) or against the same
// parse without the limit. The work is bounded by counting the recovering parser's errors
// (each one an exception and a resynchronisation), never by timing.

import { describe, expect, test } from "vitest";
import { compile } from "@anneal/compiler";
import { MAX_SYNTAX_ERRORS } from "@anneal/dsl";
import { CODES } from "../../packages/compiler/src/diagnostics/registry.js";
import { parseRecovering } from "../../packages/dsl/src/build-ast.js";
import { parseRaw } from "../../packages/dsl/src/parser.js";
import { assertCompiles } from "./invariants.js";

const STRAY = "lr let = warmup ,\n";

/** The 1-based line of an offset. */
const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

describe("at most MAX_SYNTAX_ERRORS syntax errors, then one A009", () => {
  test("3,000 lines of stray tokens: the first errors, then a summary at the first one left out", () => {
    const text = STRAY.repeat(3000);
    const r = assertCompiles(text)!;
    const syntax = r.diagnostics.filter((d) => d.code.startsWith("A0"));
    const summary = syntax.filter((d) => d.code === "A009");
    expect(summary).toHaveLength(1);
    expect(syntax.filter((d) => d.code !== "A009")).toHaveLength(MAX_SYNTAX_ERRORS);
    const a009 = summary[0]!;
    expect(a009.severity).toBe("error");
    // Every reported syntax error comes before it, and it sits on a token of the file.
    for (const d of syntax) if (d !== a009) expect(d.range.start).toBeLessThan(a009.range.start);
    expect(text.slice(a009.range.start, a009.range.end)).toMatch(/^(lr|let|=|warmup|,)$/);
    // Every line is one broken statement: the one the summary is on, and each line after it.
    const line = lineOf(text, a009.range.start);
    expect(a009.message).toContain(`the first ${MAX_SYNTAX_ERRORS} are reported, and ${3000 - line + 1} statements from here on with syntax errors are not`);
    expect(a009.message).toContain("fix the first one, on line 1, and check again");
  });

  test("the reported errors are the first ones the parse without the limit reports", () => {
    const texts = [STRAY.repeat(400), "} ) -> ( { lr let = warmup ,\n".repeat(300), `total 10\n${"cosine at 1m, 2 ->\n".repeat(700)}`, "lr ; total : 5 = (\n".repeat(800)];
    for (const text of texts) {
      const all = parseRecovering(text, undefined, Infinity).diagnostics;
      const capped = parseRecovering(text).diagnostics;
      expect(all.length).toBeGreaterThan(MAX_SYNTAX_ERRORS);
      expect(capped.at(-1)!.problem).toBe("too-many-errors");
      const kept = capped.slice(0, -1);
      expect(kept.length).toBeGreaterThan(MAX_SYNTAX_ERRORS / 2);
      expect(kept).toEqual(all.slice(0, kept.length));
      // The summary is at the first error not reported.
      expect(capped.at(-1)!.range.start).toBeLessThanOrEqual(all[kept.length]!.range.start);
    }
  });

  test("a file with fewer errors than the limit parses as without it", () => {
    const text = `${STRAY.repeat(40)}schedule ok { lr 1 total 10 cosine }\n`;
    const all = parseRecovering(text, undefined, Infinity);
    expect(all.diagnostics.length).toBeLessThan(MAX_SYNTAX_ERRORS);
    expect(parseRecovering(text)).toEqual(all);
  });

  test("statements free of errors after the stop are still read and compiled", () => {
    const good = (i: number) => `schedule good${i} {\n  lr 1e-3\n  total 100\n  warmup 10 ->\n  cosine to 0\n}\n`;
    const text = `${STRAY.repeat(200)}${good(1)}${STRAY.repeat(50)}${good(2)}`;
    const r = compile(text);
    expect(r.diagnostics.filter((d) => d.code === "A009")).toHaveLength(1);
    for (const name of ["good1", "good2"]) {
      const s = r.schedules.find((x) => x.name === name)!;
      expect(s.ir).toBeDefined();
      // Linear warmup from 0 to 1e-3 over 10 steps, then cosine to 0 over the 90 left.
      expect(s.evaluator!.lrAt(5)).toBeCloseTo(5e-4, 15);
      expect(s.evaluator!.lrAt(55)).toBeCloseTo(1e-3 * 0.5 * (1 + Math.cos((Math.PI * 45) / 90)), 15);
    }
    // Every stray line from the summary's on is a statement skipped; the good blocks are not.
    const a009 = r.diagnostics.find((d) => d.code === "A009")!;
    expect(a009.message).toContain(` ${200 - lineOf(text, a009.range.start) + 1 + 50} statements`);
  });

  test("a stop inside a block skips the rest of that block, not its lines as items of the file", () => {
    const text = `schedule broken {\n${STRAY.repeat(200)}  cosine to 0\n}\nschedule after { lr 1 total 10 cosine }\n`;
    const r = compile(text);
    expect(r.schedules.map((s) => s.name)).toContain("after");
    // The block's last line, `cosine to 0`, would make a top-level schedule of its own.
    expect(r.ast.items.filter((i) => i.kind !== "Schedule")).toEqual([]);
  });

  test("150,000 lexer errors: the first ones, then a summary counting the rest", () => {
    const r = assertCompiles("; ".repeat(150_000))!;
    expect(r.diagnostics).toHaveLength(MAX_SYNTAX_ERRORS + 1);
    expect(r.diagnostics.at(-1)!.code).toBe("A009");
    expect(r.diagnostics.at(-1)!.message).toContain(`${150_000 - MAX_SYNTAX_ERRORS} more problems`);
    expect(r.diagnostics.at(-1)!.range.start).toBe(2 * MAX_SYNTAX_ERRORS);
  });

  test("a stop at the end of the input: the summary sits at the end of the text", () => {
    // The one error, the missing `}`, is found at the end of input; a limit of 0 stops there.
    const text = "schedule s {\n  lr 1\n";
    const all = parseRecovering(text, undefined, Infinity).diagnostics;
    expect(all.map((d) => d.problem)).toEqual(["unexpected-end"]);
    const capped = parseRecovering(text, undefined, 0).diagnostics;
    expect(capped.map((d) => d.problem)).toEqual(["too-many-errors"]);
    expect(capped[0]!.range).toEqual({ start: text.length, end: text.length });
  });

  test("the registry's A009 documents the limit the parser keeps", () => {
    expect(CODES.A009.doc).toContain(`After ${MAX_SYNTAX_ERRORS} syntax errors`);
  });
});

describe("the work past the limit", () => {
  test("16,000 stray lines: the recovering parser raises the limit's errors and a few more, not one per token", () => {
    const text = STRAY.repeat(16_000);
    const unlimited = parseRaw(STRAY.repeat(400), undefined, Infinity).parseErrors.length;
    const raw = parseRaw(text);
    expect(raw.parseErrors).toHaveLength(MAX_SYNTAX_ERRORS);
    expect(raw.stopped!.unwinding).toBeLessThan(20);
    // Without the limit, 400 lines alone raise several errors a line.
    expect(unlimited).toBeGreaterThanOrEqual(3 * 400);
    // The concrete tree ends before the stop: nothing after it was read token by token.
    expect(raw.cst.location!.endOffset!).toBeLessThan(raw.stopped!.token.startOffset);
    // Past the stop, each line is one statement skipped.
    const stopLine = raw.stopped!.token.startLine!;
    expect(parseRecovering(text).diagnostics.at(-1)!.message).toContain(`and ${16_000 - stopLine + 1} statements from here on`);
  });

  test("one line of 200,000 stray tokens: the parser stops at the limit and unwinds in a few steps", () => {
    const text = `${"lr let = warmup , ".repeat(40_000)}\n`;
    const raw = parseRaw(text);
    expect(raw.parseErrors).toHaveLength(MAX_SYNTAX_ERRORS);
    expect(raw.stopped).toBeDefined();
    // Unwinding raises a few errors per rule open at the stop, not one per token left.
    expect(raw.stopped!.unwinding).toBeLessThan(20);
    expect(raw.tokens).toHaveLength(200_000);
    const r = parseRecovering(text);
    expect(r.diagnostics.at(-1)!.message).toContain("and 1 statement from here on with syntax errors is not;");
  });
});
