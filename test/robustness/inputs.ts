// Random inputs for the robustness properties: token sequences built from the language's own
// vocabulary (so the parser gets deep into its rules and its error recovery, which random
// bytes rarely reach), raw byte and UTF-16 strings, and mutations of the bundled examples
// (deletions, duplications, swaps, truncations and insertions of tokens).
//
// Pure fast-check arbitraries with no I/O: the examples are handed in by the caller, so the
// same arbitraries run inside vitest and inside the bundled `npm run fuzz`.

import fc from "fast-check";
import { KEYWORDS } from "@anneal/dsl";

/** Numbers as a user might write them, including the edges of the number syntax. */
export const NUMBERS = [
  "0", "1", "2", "10", "3e-4", "0.1", ".5", "1.", "1_000", "1__0", "10k", "1.5M", "300B", "2m", "0.5M",
  "1e400", "1e-400", "-0", "00", "007", "1e-9", "9007199254740993", "1e18", "1e308", "5e-324", "4.9e-324",
  "1e", "1e+", "1e-", "1.5e3k", "1_", "_1", "0x10", "1k2", "12345678901234567890123",
];

/** Punctuation, operators and the restart multiplier in every spelling. */
export const PUNCTUATION = ["%", "->", "→", "{", "}", "(", ")", ",", "=", "+", "-", "−", "*", "**", "/", "?", "sqrt(", "min(", "three phase", "×", "x2", "x 2", "×2", ";", ":", "\"", "'", "@", "!", "[", "]", "<-", "=>", "..", "."];

/**
 * Names, including ones that collide with JavaScript: a checker that stored names in a plain
 * object would find `constructor` or `__proto__` already defined.
 */
export const NAMES = ["a", "b", "warm", "floor", "x", "x1", "NaN", "Infinity", "undefined", "_", "__proto__", "constructor", "toString", "hasOwnProperty", "totals", "stepss", "peak_", "Lr", "LR", "ε", "é", "日本"];

/** What may separate tokens: spaces, tabs, the three line ends, comments, and nothing at all. */
export const SEPARATORS = [" ", " ", " ", "  ", "\n", "\n", "\r\n", "\r", "\t", "\n\n", "  # a comment\n", "#\n", "", "\u00a0", "\ufeff", "\u2028"];

export const VOCABULARY = [...KEYWORDS, ...NUMBERS, ...PUNCTUATION, ...NAMES];

/** One token of the vocabulary, keywords weighted up so that structures do form. */
export const token = fc.oneof(
  { arbitrary: fc.constantFrom(...KEYWORDS), weight: 5 },
  { arbitrary: fc.constantFrom(...NUMBERS), weight: 3 },
  { arbitrary: fc.constantFrom(...PUNCTUATION), weight: 3 },
  { arbitrary: fc.constantFrom(...NAMES), weight: 1 },
);

/** A sequence of vocabulary tokens with random separators. */
export function tokenText(maxTokens = 80): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(token, fc.constantFrom(...SEPARATORS)), { maxLength: maxTokens })
    .map((pairs) => pairs.map(([t, s]) => t + s).join(""));
}

/** Arbitrary UTF-16 code units, lone surrogates, NUL and control characters included. */
export const codeUnitText = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 120 }).map((units) => String.fromCharCode(...units));

/** Any text: full Unicode code points, ASCII bytes, or raw code units. */
export const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 120 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary-ascii", maxLength: 200 }),
  codeUnitText,
);

/** Splits a source into tokens and the text between them, keeping every character. */
export function pieces(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9._]+[A-Za-z%]*|->|#[^\n]*|\s+|[^\s]/gu) ?? [];
}

export type Mutation =
  | { kind: "delete"; at: number; count: number }
  | { kind: "duplicate"; at: number; count: number }
  | { kind: "swap"; at: number; with: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(token, fc.constantFrom(...SEPARATORS), fc.string({ unit: "binary", maxLength: 3 })) }),
);

/** Applies mutations to the pieces of a text; positions wrap around its length. */
export function mutate(text: string, mutations: Mutation[]): string {
  let p = pieces(text);
  for (const m of mutations) {
    if (p.length === 0) p = [""];
    const at = m.at % p.length;
    switch (m.kind) {
      case "delete":
        p.splice(at, m.count);
        break;
      case "duplicate":
        p.splice(at, 0, ...p.slice(at, at + m.count));
        break;
      case "swap": {
        const other = m.with % p.length;
        [p[at], p[other]] = [p[other]!, p[at]!];
        break;
      }
      case "truncate":
        // Truncation cuts at a character, not a piece, so tokens are cut in half too.
        return p.join("").slice(0, m.at % (p.join("").length + 1));
      case "insert":
        p.splice(at, 0, m.text);
        break;
    }
  }
  return p.join("");
}

/** An example file with a few mutations applied. */
export function mutatedExample(examples: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: examples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 5 }))
    .map(([i, ms]) => mutate(examples[i]!, ms));
}

/** Strings for the override flags (`--total`, `--lr`, ...): values, garbage and injections. */
export const overrideValue = fc.oneof(
  fc.constantFrom("200k", "90 epochs", "300B tokens", "3e-4", "0", "-1", "1e400", "", " ", "total", "peak", "10%", "1 +", "(", "lr 1", "2k steps -> cosine", "\n", "NaN"),
  fc.integer({ min: -10, max: 1e9 }).map(String),
  tokenText(6),
);
