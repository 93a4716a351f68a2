// Keeps the TextMate grammar and the lexer in step, both ways: every word the lexer reserves
// is highlighted as what it is, and every word the grammar highlights as a keyword is one the
// lexer reserves (so a valid name is never painted as a keyword).

import { readFileSync } from "node:fs";
import { KEYWORDS, PHASE_KEYWORDS, SETTING_KEYWORDS, UNIT_WORDS } from "@anneal/dsl";
import { describe, expect, it } from "vitest";
import { GRAMMAR_PATH, tokenize } from "./textmate.js";

/** The scopes of `word` where it appears inside `line` (the line must contain it once). */
async function scopesOf(line: string, word: string): Promise<string[]> {
  const [tokens] = await tokenize(line);
  const hit = tokens!.find((t) => t.text === word);
  if (!hit) throw new Error(`"${word}" is not a token of its own in "${line}": ${JSON.stringify(tokens)}`);
  return hit.scopes;
}

const isKeywordScope = (s: string) => s.startsWith("keyword.") || s.startsWith("variable.language.");

describe("every reserved word of the lexer has a scope", () => {
  it("the lexer exports its reserved words", () => {
    expect(KEYWORDS.length).toBeGreaterThan(20);
  });

  it.each([...KEYWORDS])("%s, alone on a line, is a keyword", async (word) => {
    const scopes = await scopesOf(word, word);
    expect(scopes.filter(isKeywordScope), `scopes of "${word}": ${scopes.join(" ")}`).not.toEqual([]);
    expect(scopes.some((s) => s.startsWith("variable.other"))).toBe(false);
  });

  it.each([...PHASE_KEYWORDS])("%s after an arrow is a phase kind", async (word) => {
    expect(await scopesOf(`warmup 1k -> ${word} 5k`, word)).toContain("keyword.control.phase.anneal");
  });

  it.each([...SETTING_KEYWORDS])("%s at the start of a line is a setting", async (word) => {
    expect(await scopesOf(`${word} 10`, word)).toContain("keyword.other.setting.anneal");
  });

  it.each([...UNIT_WORDS])("%s after a number is a unit", async (word) => {
    expect(await scopesOf(`let d = 10 ${word}`, word)).toContain("keyword.other.unit.anneal");
  });

  it.each([...UNIT_WORDS])("%s after a name is a unit", async (word) => {
    expect(await scopesOf(`let d = n ${word}`, word)).toContain("keyword.other.unit.anneal");
  });
});

describe("the grammar paints no name as a keyword", () => {
  // The keyword rules are alternations of plain words: `\b(?:lr|total|...)\b`.
  const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8")) as {
    repository: Record<string, { patterns?: { match?: string }[]; match?: string }>;
  };
  const wordsIn = (regex: string) => [...regex.matchAll(/\\b\(\?:([a-z0-9_|]+)\)\\b/g)].flatMap((m) => m[1]!.split("|"));
  const rules = [...(grammar.repository.keywords?.patterns ?? []), ...(grammar.repository.builtins?.patterns ?? [])];
  const grammarWords = rules.flatMap((r) => wordsIn(r.match ?? ""));

  it("finds the keyword rules", () => {
    expect(grammarWords).toContain("warmup");
  });

  it.each(grammarWords)("%s is reserved by the lexer", (word) => {
    expect(KEYWORDS).toContain(word);
  });

  it("a name that merely starts like a keyword is a name", async () => {
    for (const word of ["totals", "stepper", "warmups", "x", "lr_max", "peak2"]) {
      expect(await scopesOf(`let y = ${word}`, word)).toContain("variable.other.constant.anneal");
    }
  });
});
