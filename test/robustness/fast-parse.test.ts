// The lexer's and the parser's fast paths against chevrotain's lexer and the recovering
// parser: on every input the scan gives the same tokens (or gives up), and the two parsers
// the same tree and the same diagnostics. The fast path reads only files without syntax errors
// and gives up on anything else, so this holds by construction where it gives up; where it
// reads a file, the recovering parser (the grammar's definition) is the reference. Inputs:
// every example and conformance program, the benchmark's generated file, valid programs
// from the generator, mutated examples and token soup, and every form of the language's
// second wave.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parse } from "../../packages/dsl/src/build-ast.js";
import { parseRecovering } from "../../packages/dsl/src/build-ast.js";
import { fastParse } from "../../packages/dsl/src/fast-parse.js";
import { lex, lexWithChevrotain } from "../../packages/dsl/src/parser.js";
import { scan } from "../../packages/dsl/src/scan.js";
// @ts-expect-error: the benchmark's generator is plain JavaScript.
import { generateFile } from "../../bench/generate.mjs";
import { loadExamples } from "./examples.js";
import { anyText, mutatedExample, tokenText } from "./inputs.js";
import { validProgram } from "./programs.js";

const ROOT = join(import.meta.dirname, "..", "..");
const examples = loadExamples(ROOT);
const corpusDir = join(ROOT, "test", "conformance", "corpus");
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith(".anneal"))
  .map((f) => readFileSync(join(corpusDir, f), "utf8"));

const SECOND_WAVE = [
  "lr 2 / sqrt(256 * 8000)\ntotal 100k\nwarmup 4k -> rsqrt",
  "let a = -2 ** -2 ** 3\nlet b = min(1, max(2, 3), 4)\ntotal ? 100k\nsteps_per_epoch ?\nlr ? 3e-4\ntokens_per_step ?",
  "lr 0.1\ntotal 1000\nonecycle 1k up 30% from 1e-4 via peak to 0 linear three phase\nmomentum: onecycle from 0.95 via 0.85 to 0.95",
  "lr 1e-2\ntotal 2000\ncyclic 2k from 1e-4 to 1e-2 every 400 up 100 gamma 0.999 per step -> rex over 110% to 0",
  "schedule t {\n  lr: table step {\n    0: 1e-3,  # start\n    10 epochs: 5e-4,\n  } -> cosine to 10% over 110%\n  weight_decay: cosine from 0.04 to 0.4\n  beta2: constant at 0.999\n}",
  "total 100k\ncosine to 1e-5 restart every 1000 x2 decay 0.5 limit 3 -> table 30k step { 0: 1, 1k: 0.5 }",
  "total 10\nwarmup step 10",
  "total 100 step 50 by 0.5 every 10",
  "lr 3e−4\ntotal −1",
  "cosine\nthree phase",
  "cosine restart every 10 limit 3 limit 4",
  "clock tokens\ntotal 1m",
  "total 10ms\r\nlet x2y = 1.\r\rlet a = .5e−3 ** x.5\n\tcosine restart every 10 x2 ×3 x 4\u00a0\ufeff",
  "let steps_per = beta2x + ep + epochs_ + 1e + 1_000_ + 10kk # tail\r# own line\n→ − ×",
];

/** A token's fields as chevrotain's lexer sets them. */
function fields(t: { image: string; startOffset: number; endOffset?: number; startLine?: number; endLine?: number; startColumn?: number; endColumn?: number; tokenType: { name: string } }) {
  return [t.image, t.tokenType.name, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn];
}

/** The scan and chevrotain's lexer give the same tokens, comments and errors (where and how long). */
function sameTokens(text: string): void {
  const scanned = scan(text);
  const reference = lexWithChevrotain(text);
  const at = (e: { offset: number; length: number }) => [e.offset, e.length];
  expect(scanned.errors.map(at)).toEqual(reference.errors.map(at));
  expect(scanned.tokens.map(fields)).toEqual(reference.tokens.map(fields));
  expect(scanned.comments.map(fields)).toEqual(reference.comments.map(fields));
}

function same(text: string): void {
  sameTokens(text);
  const fast = parse(text);
  const slow = parseRecovering(text);
  expect(fast.diagnostics).toEqual(slow.diagnostics);
  expect(fast.ast).toEqual(slow.ast);
}

describe("the fast path reads what the recovering parser reads, the same way", () => {
  test.each([...examples, ...corpus, ...SECOND_WAVE].map((t, i) => [i, t] as const))("file %i", (_i, text) => same(text));

  test("the benchmark's generated file", () => same(generateFile(400)));

  test("every clean example is read by the fast path (else it would be slow, not wrong)", () => {
    for (const text of [...examples, ...corpus, generateFile(50)]) {
      expect(scan(text).errors, text).toEqual([]);
      expect(fastParse(lex(text).tokens), text).toBeDefined();
    }
  });

  test("generated valid programs", () => {
    fc.assert(
      fc.property(validProgram, (text) => {
        expect(fastParse(lex(text).tokens)).toBeDefined();
        same(text);
      }),
      { seed: 11, numRuns: 150 },
    );
  });

  test("mutated examples", () => {
    fc.assert(fc.property(mutatedExample([...examples, ...SECOND_WAVE]), (text) => same(text)), { seed: 12, numRuns: 400 });
  });

  test("token soup", () => {
    fc.assert(fc.property(tokenText(40), (text) => same(text)), { seed: 13, numRuns: 400 });
  });

  test("any text: the scan recovers from unexpected characters as chevrotain's lexer does", () => {
    for (const text of ["@", "a@b", "@@@ lr", "1;2", ". .5 ..", "\u00e9t\u00e9 \ud83d\ude00x", "lr 1 ;\r\n@\r#;\n`~", "\u2212\u2192\u00d7\u00f7"]) sameTokens(text);
    fc.assert(fc.property(anyText, (text) => sameTokens(text)), { seed: 14, numRuns: 600 });
  });
});
