// The lexer writes columns of numbers and `parse()` makes token objects only as its readers
// reach them (packages/dsl/src/scan.ts, `LazyTokens`): the fast parser, the recovering
// parser up to its error limit, and past the limit one statement at a time (skim.ts). Each
// test holds the lazy parse to the same parse over the fully made token list (`lex()`), and
// the work is bounded by counting the token objects a parse made, never by timing.

import { describe, expect, test } from "vitest";
import type { IToken } from "chevrotain";
import { MAX_SYNTAX_ERRORS, parse, type ParseResult, roleTable } from "@anneal/dsl";
import { fastParse } from "../../packages/dsl/src/fast-parse.js";
import { parseRecovering } from "../../packages/dsl/src/build-ast.js";
import { lex, lexLazy } from "../../packages/dsl/src/parser.js";
import { scan } from "../../packages/dsl/src/scan.js";

const STRAY = "lr let = warmup ,\n";
const VALID = (i: number) => `schedule s${i} { lr 1e-3 total 10k warmup 5% -> cosine to 0 }\n`;

/** A token's every field, as the parsers and the features read them. */
const fields = (t: IToken) => [t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn, t.tokenType.name, t.tokenTypeIdx];

/** The same parse over the fully made token list: what `parse()` gave before it was lazy. */
function eager(text: string): ParseResult {
  const lexed = lex(text);
  if (lexed.errors.length === 0 && !lexed.tooDeep) {
    const items = fastParse(lexed.tokens);
    if (items) {
      const comments = lexed.comments.map((c) => ({ range: { start: c.startOffset, end: c.endOffset! + 1 }, text: c.image }));
      return { ast: { kind: "File", range: { start: 0, end: text.length }, items, comments }, diagnostics: [], tokens: lexed.tokens };
    }
  }
  return parseRecovering(text, lexed);
}

/** How many slots of a lazy list hold real tokens (a stand-in sits at offset -1). */
const made = (list: IToken[]) => list.filter((t) => t.startOffset >= 0).length;

describe("lazily made tokens equal a full lex", () => {
  const texts: [string, string][] = [
    ["valid schedules", Array.from({ length: 700 }, (_, i) => VALID(i)).join("")],
    ["stray tokens past the limit", STRAY.repeat(3000)],
    ["stray tokens, then valid blocks past the limit that cross several chunks", STRAY.repeat(700) + Array.from({ length: 1500 }, (_, i) => VALID(i)).join("")],
    ["valid blocks with a stop inside a block", `${Array.from({ length: 300 }, (_, i) => VALID(i)).join("")}schedule b {\n${"lr ) , =\n".repeat(800)}}\n${VALID(9)}`],
    ["a few errors under the limit in a long file", Array.from({ length: 2000 }, (_, i) => (i % 500 === 7 ? "cosine at 1m, 2 ->\n" : VALID(i))).join("")],
    ["unexpected characters, comments and unicode", `# head\n${"lr 1e−3 → ; ×2 ' total 5 # c\n".repeat(900)}`],
    ["too deep a nest", `total ${"(".repeat(150)}1${")".repeat(150)}\n${STRAY.repeat(10)}`],
  ];
  test.each(texts)("%s: the same tree, diagnostics and tokens", (_what, text) => {
    const lazy = parse(text);
    const full = eager(text);
    expect(lazy.ast).toEqual(full.ast);
    expect(lazy.diagnostics).toEqual(full.diagnostics);
    expect(lazy.tokens.map(fields)).toEqual(full.tokens.map(fields));
    expect(lazy.tokens.map(fields)).toEqual(scan(text).tokens.map(fields));
  });

  test("the columns give back each token the scan makes, field for field", () => {
    const text = "schedule a { lr 3e−4 total 90 epochs steps_per_epoch 1.2k\n  warmup 5% exp -> cosine restart every 10 ×2 decay 0.5 to 0 }\n**x2 - * ? : = % ( ) , -> → x1.5 three phase # end";
    const lexed = lexLazy(text);
    expect(lexed.lazy!.all().map(fields)).toEqual(lex(text).tokens.map(fields));
  });
});

describe("the work of a lazy parse", () => {
  test("past the error limit, the objects of the rest of the file are never all made", () => {
    const text = STRAY.repeat(50_000);
    const lexed = lexLazy(text);
    const n = lexed.lazy!.length;
    const r = parseRecovering(text, lexed);
    expect(r.diagnostics.at(-1)!.problem).toBe("too-many-errors");
    expect(r.diagnostics).toHaveLength(MAX_SYNTAX_ERRORS + 1);
    // The parser stopped within the first thousand lines (five tokens each); what it made
    // is that, a chunk of look-ahead (4,096) and the skim's window of one more chunk.
    expect(made(lexed.tokens)).toBeLessThan(1000 * 5 + 2 * 4096 + 100);
    expect(n).toBe(5 * 50_000);
    // A feature that reads the tokens gets every one of them.
    expect(made(r.tokens)).toBe(n);
  });

  test("a file free of errors is read in a window of objects, and all are made when a feature reads them", () => {
    const text = Array.from({ length: 2000 }, (_, i) => VALID(i)).join("");
    const lexed = lexLazy(text);
    expect(fastParse(lexed.tokens, lexed.lazy)).toBeDefined();
    // The fast parser gives back the objects behind each item: at most a chunk is held.
    expect(made(lexed.tokens)).toBeLessThanOrEqual(4096 + 100);
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(made(r.tokens)).toBe(r.tokens.length);
    expect(r.tokens.length).toBe(scan(text).tokens.length);
  });

  test("a fast parse that gives up late leaves the recovering parser every token", () => {
    const text = `${Array.from({ length: 1500 }, (_, i) => VALID(i)).join("")}cosine at 1m, 2 ->
${VALID(0)}`;
    const r = parse(text);
    expect(r.ast).toEqual(eager(text).ast);
    expect(r.diagnostics).toEqual(eager(text).diagnostics);
  });

  test("roles read from the lexer's columns equal roles read from the token objects", () => {
    for (const text of [Array.from({ length: 300 }, (_, i) => `# c${i}\n${VALID(i)}`).join(""), STRAY.repeat(2000)]) {
      const r = parse(text);
      expect(r.columns).toBeDefined();
      expect(roleTable(r)).toEqual(roleTable({ ast: r.ast, diagnostics: r.diagnostics, tokens: r.tokens }));
    }
  });
});
