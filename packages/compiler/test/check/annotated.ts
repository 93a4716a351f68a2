// Data-driven diagnostics tests: source text with the expected diagnostics drawn under the
// offending range, as a reader would mark them up, with severity and message:
//
//     schedule a { total 10k  warmup 1e-3 -> cosine }
//                                    ^^^^ A104 error: `0.001` looks like a learning rate, ...
//
// A line made only of carets, a code, a severity and a message marks the columns of the
// source line above it; a line may carry several marks (one per line under it). A message
// ending in `...` matches by its beginning, for the few that repeat a long list.
//
// Every fix a diagnostic offers is applied, and the result is checked again: the fixed text
// must no longer have that diagnostic, and must have no error at all.

import type { Diagnostic, Fix } from "@anneal/dsl";
import { compile, type CompileOptions } from "../../src/index.js";
import { expect } from "vitest";

export interface Expected {
  code: string;
  severity: string;
  message: string;
  start: number;
  end: number;
}

const MARK = /^(\s*)(\^+)\s+(A\d{3})\s+(error|warning|info|hint):\s(.*)$/;
/** A caret line without severity and message: refused, so no case checks only the code. */
const BARE_MARK = /^\s*\^+\s+A\d{3}\s*$/;

export function parseAnnotated(src: string): { text: string; expected: Expected[] } {
  const lines = src.replace(/^\n/, "").split("\n");
  const out: string[] = [];
  const expected: Expected[] = [];
  let offset = 0;
  let lastLineStart = 0;
  for (const line of lines) {
    if (BARE_MARK.test(line)) throw new Error(`a mark needs a severity and a message: ${line.trim()}`);
    const m = MARK.exec(line);
    if (m && out.length > 0) {
      const col = m[1]!.length;
      expected.push({ code: m[3]!, severity: m[4]!, message: m[5]!, start: lastLineStart + col, end: lastLineStart + col + m[2]!.length });
      continue;
    }
    lastLineStart = offset;
    out.push(line);
    offset += line.length + 1;
  }
  return { text: out.join("\n"), expected };
}

/** Applies one fix's edits to `text` (edits do not overlap; applied from the end). */
export function applyFix(text: string, fix: Fix): string {
  let out = text;
  for (const e of [...fix.edits].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

function matches(e: Expected, d: Diagnostic): boolean {
  const msg = e.message.endsWith("...") ? d.message.startsWith(e.message.slice(0, -3)) : d.message === e.message;
  return e.code === d.code && e.severity === d.severity && e.start === d.range.start && e.end === d.range.end && msg;
}

/**
 * Compiles the annotated source and checks that exactly the marked diagnostics come out,
 * then applies each fix and checks the result. Returns the result and the codes whose fixes
 * were applied.
 */
export function checkAnnotated(src: string, options: CompileOptions = {}): ReturnType<typeof compile> & { fixed: string[] } {
  const { text, expected } = parseAnnotated(src);
  const r = compile(text, options);
  const show = (code: string, sev: string, s: number, e: number, msg: string) => `${code} ${sev} ${JSON.stringify(text.slice(s, e))}@${s}-${e}: ${msg}`;
  const actual = r.diagnostics.map((d) => show(d.code, d.severity, d.range.start, d.range.end, d.message)).sort();
  const wanted = expected.map((e) => {
    const d = r.diagnostics.find((x) => matches(e, x));
    return d ? show(d.code, d.severity, d.range.start, d.range.end, d.message) : show(e.code, e.severity, e.start, e.end, e.message);
  });
  expect(actual).toEqual(wanted.sort());
  const fixed: string[] = [];
  for (const d of r.diagnostics)
    for (const fix of d.fixes ?? []) {
      const after = applyFix(text, fix);
      const again = compile(after, options);
      const left = again.diagnostics.filter((x) => x.code === d.code || x.severity === "error").map((x) => `${x.code} ${x.message}`);
      expect(left, `after "${fix.title}" (${d.code}):\n${after}`).toEqual([]);
      fixed.push(d.code);
    }
  return { ...r, fixed };
}
