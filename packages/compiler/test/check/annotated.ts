// Data-driven diagnostics tests: source text with the expected diagnostics drawn under the
// offending range, as a reader would mark them up:
//
//     schedule a { total 10k  warmup 1e-3 -> cosine }
//                                    ^^^^ A104
//
// A line made only of carets and a code marks the columns of the source line above it; a
// line may carry several marks (`^^^ A101` then, on the next line, `   ^ A309`).

import { compile, type CompileOptions } from "../../src/index.js";
import { expect } from "vitest";

export interface Expected {
  code: string;
  start: number;
  end: number;
}

const MARK = /^(\s*)(\^+)\s+(A\d{3})\s*$/;

export function parseAnnotated(src: string): { text: string; expected: Expected[] } {
  const lines = src.replace(/^\n/, "").split("\n");
  const out: string[] = [];
  const expected: Expected[] = [];
  let offset = 0;
  let lastLineStart = 0;
  for (const line of lines) {
    const m = MARK.exec(line);
    if (m && out.length > 0) {
      const col = m[1]!.length;
      expected.push({ code: m[3]!, start: lastLineStart + col, end: lastLineStart + col + m[2]!.length });
      continue;
    }
    lastLineStart = offset;
    out.push(line);
    offset += line.length + 1;
  }
  return { text: out.join("\n"), expected };
}

/** Compiles the annotated source and checks that exactly the marked diagnostics come out. */
export function checkAnnotated(src: string, options: CompileOptions = {}): ReturnType<typeof compile> {
  const { text, expected } = parseAnnotated(src);
  const r = compile(text, options);
  const actual = r.diagnostics.map((d) => ({ code: d.code, start: d.range.start, end: d.range.end }));
  const key = (e: Expected) => `${e.code}@${e.start}-${e.end} ${JSON.stringify(text.slice(e.start, e.end))}`;
  const messages = r.diagnostics.map((d) => `${d.code}: ${d.message}`);
  expect(actual.map(key).sort(), messages.join("\n")).toEqual(expected.map(key).sort());
  return r;
}
