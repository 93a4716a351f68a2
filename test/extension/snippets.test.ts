// The extension's snippets are Anneal a user accepts as is: with every placeholder at its
// default, each must compile without errors or warnings, and compute the recipe it names.

import { readFileSync } from "node:fs";
import { compile } from "@anneal/compiler";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./run-bin.js";

interface Snippet {
  scope: string;
  prefix: string[];
  description: string;
  body: string[];
}

const snippets = JSON.parse(readFileSync(`${REPO_ROOT}packages/vscode-extension/snippets/anneal.code-snippets`, "utf8")) as Record<string, Snippet>;

/** The text VS Code inserts when every placeholder is left at its default. */
function expand(body: string[]): string {
  return body
    .join("\n")
    .replace(/\$\{\d+:([^}]*)\}/g, "$1")
    .replace(/\$\d+/g, "");
}

const byPrefix = (prefix: string) => {
  const s = Object.values(snippets).find((x) => x.prefix.includes(prefix));
  if (!s) throw new Error(`no snippet with prefix ${prefix}`);
  return compile(expand(s.body));
};

describe("snippets", () => {
  it("cover the common schedules", () => {
    const prefixes = Object.values(snippets).flatMap((s) => s.prefix);
    for (const p of ["warmup-cosine", "step-decay", "wsd", "sgdr", "inverse-sqrt"]) expect(prefixes).toContain(p);
  });

  it.each(Object.entries(snippets))("%s compiles cleanly with its defaults", (_, s) => {
    expect(s.scope).toBe("anneal");
    const r = compile(expand(s.body));
    expect(r.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning")).toEqual([]);
    expect(r.schedules).toHaveLength(1);
    expect(r.schedules[0]!.ir).toBeDefined();
  });

  it("step decay: 0.1, 0.01, 0.001 for epochs 0-29, 30-59, 60-89", () => {
    const ev = byPrefix("step-decay").schedules[0]!.evaluator!;
    expect([0, 29, 30, 59, 60, 89].map((t) => ev.lrAt(t))).toEqual([0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 ** 2, 0.1 * 0.1 ** 2]);
  });

  it("SGDR: cycles of 10, 20, 40 and 80 epochs restart at the peak", () => {
    const ev = byPrefix("sgdr").schedules[0]!.evaluator!;
    for (const start of [0, 10, 30, 70]) expect(ev.lrAt(start)).toBe(0.05);
    // Halfway through the 20-epoch cycle the cosine is at half the peak.
    expect(ev.lrAt(20)).toBeCloseTo(0.025, 15);
  });

  it("inverse sqrt: fairseq's rate, peak * sqrt(warmup / step) after the warmup", () => {
    const ev = byPrefix("inverse-sqrt").schedules[0]!.evaluator!;
    for (const t of [4000, 16_000, 100_000]) expect(ev.lrAt(t)).toBeCloseTo(5e-4 * Math.sqrt(4000 / t), 15);
  });
});
