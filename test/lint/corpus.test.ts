// Every mistaken corpus script is flagged once, with the marked code on the marked line;
// every correct one gets no diagnostic at all (not even information).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LineIndex } from "@anneal/dsl";
import { describe, expect, test } from "vitest";
import { CODES } from "../../packages/compiler/src/diagnostics/registry.js";
import { lintPython } from "../../packages/compiler/src/python/index.js";
import { loadLintCorpus } from "./corpus.js";

const corpus = loadLintCorpus();
const wrong = corpus.filter((c) => c.expected);
const ok = corpus.filter((c) => !c.expected);

describe("the lint corpus", () => {
  test("has at least 20 mistaken and 10 correct scripts, covering every A5xx lint", () => {
    expect(wrong.length).toBeGreaterThanOrEqual(20);
    expect(ok.length).toBeGreaterThanOrEqual(10);
    const lintCodes = Object.keys(CODES).filter((c) => /^A5(0[1-9]|1\d)$/.test(c));
    expect(new Set(wrong.map((c) => c.expected!.code))).toEqual(new Set(lintCodes));
  });

  test.for(wrong)("$file is flagged on the marked line", (c) => {
    const r = lintPython(c.text);
    const index = new LineIndex(c.text);
    const got = r.diagnostics.map((d) => `${d.code}@${index.positionAt(d.range.start).line + 1}`);
    expect(got).toEqual([`${c.expected!.code}@${c.expected!.line}`]);
  });

  test.for(ok)("$file gets no diagnostic", (c) => {
    expect(lintPython(c.text).diagnostics).toEqual([]);
  });

  test("every fix replaces text inside the file and the fixed script loses its diagnostic", () => {
    let fixed = 0;
    for (const c of wrong) {
      for (const d of lintPython(c.text).diagnostics) {
        for (const f of d.fixes ?? []) {
          let text = c.text;
          for (const e of [...f.edits].sort((a, b) => b.range.start - a.range.start)) {
            expect(e.range.start).toBeGreaterThanOrEqual(0);
            expect(e.range.end).toBeLessThanOrEqual(c.text.length);
            text = text.slice(0, e.range.start) + e.newText + text.slice(e.range.end);
          }
          expect(lintPython(text).diagnostics.map((x) => x.code), `${c.file} after '${f.title}'`).toEqual([]);
          fixed++;
        }
      }
    }
    expect(fixed).toBeGreaterThanOrEqual(8);
  });

  test("--lint CODE=off silences a warning, and errors stay errors", () => {
    const twice = wrong.find((c) => c.expected!.code === "A507")!;
    expect(lintPython(twice.text, { lint: { A507: "off" } }).diagnostics).toEqual([]);
    const plateau = wrong.find((c) => c.expected!.code === "A510")!;
    const r = lintPython(plateau.text, { lint: { A510: "off" } });
    expect(r.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(r.hasErrors).toBe(true);
  });
});

test("docs/lint.md has a section for every A5xx code", () => {
  const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "lint.md"), "utf8");
  const headings = new Set([...doc.matchAll(/^### (A5\d\d)$/gm)].map((m) => m[1]));
  expect(headings).toEqual(new Set(Object.keys(CODES).filter((c) => c.startsWith("A5"))));
});
