// The per-document features in linear time, measured as counted work (V8 block coverage,
// test/robustness/properties.ts), never as time: eight times the schedules must cost less
// than twelve times the work, and a request for a few lines of a big file must cost about
// what those lines cost. Inlay hints, code lenses and document symbols each paired every
// schedule with its block by a scan of the whole file, which grew with the square.

import { describe, expect, test } from "vitest";
import { codeLenses, resolveLens } from "../../packages/lsp/src/code-lens.js";
import { Analysis } from "../../packages/lsp/src/documents.js";
import { inlayHints } from "../../packages/lsp/src/inlay-hints.js";
import { documentSymbols } from "../../packages/lsp/src/symbols.js";
import { countedWork } from "../robustness/properties.js";

const line = (i: number) => `schedule s${i} { lr 1e-3 total 10k warmup 4% -> cosine to 1e-6 }`;
const file = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join("\n") + "\n";

const small = file(250);
const big = file(2000);
const analyses = new Map([small, big].map((t) => [t, new Analysis("file:///linear.anneal", 1, t)]));
const whole = (t: string) => ({ start: 0, end: t.length });

describe("linear in the number of schedules (work of 2,000 over 250)", () => {
  for (const [name, run] of [
    ["inlay hints", (t: string) => inlayHints(analyses.get(t)!, whole(t))],
    ["code lenses", (t: string) => codeLenses(analyses.get(t)!)],
    ["document symbols", (t: string) => documentSymbols(analyses.get(t)!)],
  ] as const)
    test(name, () => {
      const [a, b] = countedWork([small, big], run);
      expect(b! / a!).toBeLessThan(12);
    });
});

test("inlay hints for a few lines of a big file: those lines' hints, for about those lines' work", () => {
  const a = analyses.get(big)!;
  // Lines 1000 to 1002 (zero-based 999 to 1001).
  const start = a.lines.offsetAt({ line: 999, character: 0 });
  const end = a.lines.offsetAt({ line: 1001, character: line(1001).length });
  const hints = inlayHints(a, { start, end });
  expect(new Set(hints.map((h) => h.position.line))).toEqual(new Set([999, 1000, 1001]));
  // Each line: `= 400 steps` after `4%`, the rate at the arrow, the closing sparkline.
  expect(hints).toHaveLength(9);
  expect(hints.filter((h) => h.label === "= 400 steps")).toHaveLength(3);
  const [few, all] = countedWork([big, small], (t) => (t === big ? inlayHints(a, { start, end }) : inlayHints(analyses.get(small)!, whole(small))));
  // Three schedules' hints, plus a glance at each of the other 1,997, cost far less than
  // 250 schedules' hints.
  expect(few!).toBeLessThan(all! / 4);
});

test("code lenses of a big file: titles filled in on resolve, the same as sent at once, for a fraction of the work", () => {
  const a = analyses.get(big)!;
  const eager = codeLenses(a, "anneal.preview");
  const lazy = codeLenses(a, "anneal.preview", true);
  expect(lazy).toHaveLength(eager.length);
  expect(lazy.every((l) => l.command === undefined)).toBe(true);
  for (const i of [0, 999, 1999]) expect(resolveLens(a, lazy[i]!, "anneal.preview")).toEqual({ ...eager[i]!, data: lazy[i]!.data });
  // Positions only, against a title (a sparkline) per schedule. The counts come out some
  // ten to one; the bound leaves room for V8's counts to move with the JIT under load, and
  // still fails if the lazy lenses computed their titles (one to one).
  const [cheap, full] = countedWork([big, big + " "], (t) => (t === big ? codeLenses(a, "anneal.preview", true) : codeLenses(a, "anneal.preview")));
  expect(cheap!).toBeLessThan(full! / 4);
  // A small file gets its titles at once.
  expect(codeLenses(new Analysis("file:///few.anneal", 1, file(100)), "anneal.preview", true).every((l) => l.command !== undefined)).toBe(true);
});
