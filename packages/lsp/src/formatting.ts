// Formatting: the language's one formatter (`format` from the dsl), laid out with the
// client's indentation (its tab size, or tabs) and the file's own line ends (a CRLF file
// stays CRLF), and sent as the smallest edits that turn the text into the result, so the
// cursor, folds and marks elsewhere in the file stay where they are. A file with syntax
// errors gets no edits: guessing at broken text could lose what the user typed.

import { format } from "@anneal/dsl";
import type { FormattingOptions, TextEdit } from "vscode-languageserver";
import type { Analysis } from "./documents.js";

/** The formatter's own indentation unit. */
const UNIT = 2;
/** Past this many line pairs the middle of a changed file is replaced in one edit. */
const DIFF_BUDGET = 4_000_000;

export function formatting(a: Analysis, options?: Partial<FormattingOptions>): TextEdit[] {
  if (a.result.diagnostics.some((d) => d.severity === "error" && d.code.startsWith("A0"))) return [];
  // The parse compile() made of this very text: formatting does not parse again.
  const formatted = format(a.text, a.result.parsed);
  if (formatted === undefined) return [];
  const eol = dominantEol(a.text);
  const tabs = options?.insertSpaces === false;
  const size = typeof options?.tabSize === "number" && options.tabSize >= 1 && options.tabSize <= 16 ? Math.trunc(options.tabSize) : UNIT;
  const lines = formatted.split(/\r?\n/).map((line) => {
    const lead = /^ */.exec(line)![0].length;
    if (lead === 0 || (!tabs && size === UNIT)) return line;
    const levels = Math.floor(lead / UNIT);
    const indent = tabs ? "\t".repeat(levels) : " ".repeat(levels * size);
    return indent + " ".repeat(lead % UNIT) + line.slice(lead);
  });
  return minimalEdits(a, lines.join(eol));
}

function dominantEol(text: string): string {
  const crlf = text.split("\r\n").length - 1;
  const lf = text.split("\n").length - 1 - crlf;
  return crlf > lf ? "\r\n" : "\n";
}

/** A line with its line end, so a changed line end is a changed line. */
function splitKeepingEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The edits from `a.text` to `next`: the common first and last lines are left alone, the
 * middle is diffed line by line (longest common subsequence) and each changed run becomes
 * one edit, trimmed to the characters that differ.
 */
export function minimalEdits(a: Analysis, next: string): TextEdit[] {
  if (next === a.text) return [];
  const old = splitKeepingEnds(a.text);
  const neu = splitKeepingEnds(next);
  let head = 0;
  while (head < old.length && head < neu.length && old[head] === neu[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < neu.length - head && old[old.length - 1 - tail] === neu[neu.length - 1 - tail]) tail++;
  const o = old.slice(head, old.length - tail);
  const n = neu.slice(head, neu.length - tail);
  // Runs of [old start, old end, new start, new end] in middle-relative line numbers.
  const runs: [number, number, number, number][] = [];
  if (o.length * n.length > DIFF_BUDGET || o.length === 0 || n.length === 0) runs.push([0, o.length, 0, n.length]);
  else {
    // LCS lengths from the end, then a walk that groups the unmatched lines.
    const w = n.length + 1;
    const lcs = new Uint32Array((o.length + 1) * w);
    for (let i = o.length - 1; i >= 0; i--)
      for (let j = n.length - 1; j >= 0; j--) lcs[i * w + j] = o[i] === n[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    let start: [number, number] | undefined;
    const close = () => {
      if (start) runs.push([start[0], i, start[1], j]);
      start = undefined;
    };
    while (i < o.length || j < n.length) {
      if (i < o.length && j < n.length && o[i] === n[j]) {
        close();
        i++;
        j++;
        continue;
      }
      start ??= [i, j];
      if (j >= n.length || (i < o.length && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) i++;
      else j++;
    }
    close();
  }
  // Offsets of each old line's start.
  const starts: number[] = [0];
  for (const l of old) starts.push(starts.at(-1)! + l.length);
  return runs.map(([os, oe, ns, ne]) => {
    let from = starts[head + os]!;
    let to = starts[head + oe]!;
    let text = n.slice(ns, ne).join("");
    // Trim what the replaced text and its replacement share at either end.
    let p = 0;
    while (p < text.length && from + p < to && a.text[from + p] === text[p]) p++;
    let q = 0;
    while (q < text.length - p && to - q > from + p && a.text[to - 1 - q] === text[text.length - 1 - q]) q++;
    // Never split a CRLF pair.
    while (p > 0 && a.text[from + p - 1] === "\r") p--;
    while (q > 0 && a.text[to - q] === "\n" && a.text[to - q - 1] === "\r" && to - q - 1 >= from + p) q--;
    from += p;
    to -= q;
    text = text.slice(p, text.length - q);
    return { range: { start: a.lines.positionAt(from), end: a.lines.positionAt(to) }, newText: text };
  });
}
