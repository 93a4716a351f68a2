// An edit of only whitespace or comments reuses the previous version's compile: the test
// counts compile() runs, and holds every reused result to what compiling the new text gives
// (diagnostics, schedules and their lowering, names, token roles, and the hints and hovers
// the features build from them).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { emitCommand } from "../src/commands.js";
import { Analysis, DocumentCache } from "../src/documents.js";
import { hover } from "../src/hover.js";
import { inlayHints } from "../src/inlay-hints.js";
import { documentSymbols } from "../src/symbols.js";

const EXAMPLES = join(__dirname, "../../../examples");
const URI = "file:///reuse.anneal";

/** What a compile result says, without its lazily built evaluators. */
function said(a: Analysis) {
  const r = a.result;
  return JSON.parse(
    JSON.stringify({
      diagnostics: r.diagnostics,
      hasErrors: r.hasErrors,
      schedules: r.schedules.map(({ evaluator: _e, ...s }) => s),
      names: r.names,
      unresolvedNames: r.unresolvedNames,
      tokens: r.tokens,
      ast: r.ast,
    }),
  );
}

/** What the editor shows from a result, for the whole text. */
function shown(a: Analysis) {
  const whole = { start: 0, end: a.text.length };
  const evaluated = a.result.schedules.map((s) => (s.evaluator ? [0, 1, Math.floor(s.evaluator.total / 2)].map((t) => s.evaluator!.lrAt(t)) : null));
  const hovers = a.result.schedules.map((s) => hover(a, s.nameRange.start + 1, { markdown: false, plot: false }));
  return { hints: inlayHints(a, whole), symbols: documentSymbols(a), hovers, evaluated };
}

/** Edits that touch only whitespace and comments. */
const TRIVIA: [string, (t: string) => string][] = [
  ["spaces at the end of every line", (t) => t.replace(/\n/g, "   \n")],
  ["every line indented by a tab", (t) => t.replace(/^(?=\S)/gm, "\t")],
  ["a comment's words changed", (t) => (t.includes("#") ? t.replace(/#[^\n]*/, "# a note on this schedule") : `# a note\n${t}`)],
  ["a blank line and a comment line between lines", (t) => t.replace(/\n(?=.)/, "\n\n# more about it\n")],
  ["double spaces between words", (t) => t.replace(/(\S) (\S)/g, "$1  $2")],
];

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".anneal"));

describe("an edit of only whitespace or comments", () => {
  for (const file of files)
    for (const [what, edit] of TRIVIA)
      test(`${file}: ${what} reuses the compile, and the result is the new text's`, () => {
        const before = readFileSync(join(EXAMPLES, file), "utf8");
        const after = edit(before);
        expect(after).not.toBe(before);
        const cache = new DocumentCache();
        cache.get(TextDocument.create(URI, "anneal", 1, before));
        const reused = cache.get(TextDocument.create(URI, "anneal", 2, after));
        const fresh = new Analysis(URI, 2, after);
        expect(cache.compiles).toBe(1);
        expect(reused.compiled).toBe(false);
        expect(said(reused)).toEqual(said(fresh));
        expect(shown(reused)).toEqual(shown(fresh));
      });

  test.each([
    ["a phase longer than the run", "lr 1e-3\ntotal 100\nwarmup 200 -> cosine\n", "# moved down\nlr   1e-3\ntotal 100\nwarmup  200 ->  cosine\n"],
    // A216's fix inserts `-> ` at the second chain: a range of its own, not the tree's.
    ["two chains without an arrow, with a fix", "lr 1e-3\ntotal 100\nwarmup 10\ncosine to 1e-5\n", "lr 1e-3\ntotal  100\n  warmup 10\n\n  cosine to 1e-5  # the decay\n"],
  ])("%s: the diagnostics and fixes move with their tokens", (_what, before, after) => {
    const cache = new DocumentCache();
    const v1 = cache.get(TextDocument.create(URI, "anneal", 1, before));
    const v2 = cache.get(TextDocument.create(URI, "anneal", 2, after));
    expect(v1.result.diagnostics.length).toBeGreaterThan(0);
    expect(cache.compiles).toBe(1);
    expect(said(v2)).toEqual(said(new Analysis(URI, 2, after)));
  });
});

test("code emitted after a reused compile is the new text's, with its run-time keywords", () => {
  const before = "lr 3e-4\ntotal 100k\nwarmup 2k -> cosine\n";
  const after = "# GPT-2 small\nlr   3e-4\ntotal 100k\nwarmup 2k -> cosine\n";
  const cache = new DocumentCache();
  cache.get(TextDocument.create(URI, "anneal", 1, before));
  const reused = cache.get(TextDocument.create(URI, "anneal", 2, after));
  expect(reused.compiled).toBe(false);
  const fresh = new Analysis(URI, 2, after);
  for (const target of ["pytorch", "optax"]) {
    const code = emitCommand(() => reused, [URI, target]);
    expect(code).toEqual(emitCommand(() => fresh, [URI, target]));
  }
  expect((emitCommand(() => reused, [URI, "pytorch"]) as { text: string }).text).toContain("*, total=None, steps_per_epoch=None, tokens_per_step=None");
});

test("a problem in an editor setting (A112 on `anneal.defaults.total`) is carried over as it was", () => {
  const before = "lr 1e-3\nwarmup 10% -> cosine\n";
  const after = "lr 1e-3   # the peak\nwarmup 10% -> cosine\n\n";
  const options = { lint: {}, defaults: { total: "10q" } };
  const cache = new DocumentCache();
  cache.setOptions(options);
  cache.get(TextDocument.create(URI, "anneal", 1, before));
  const v2 = cache.get(TextDocument.create(URI, "anneal", 2, after));
  expect(cache.compiles).toBe(1);
  const fresh = new Analysis(URI, 2, after, options);
  expect(fresh.result.diagnostics.map((d) => d.origin?.option)).toContain("anneal.defaults.total");
  expect(said(v2)).toEqual(said(fresh));
});

describe("edits that compile again", () => {
  const base = "lr 1e-3\ntotal 100k\nwarmup 4% -> cosine # decay\n";
  const cases: [string, string][] = [
    ["a changed number", base.replace("1e-3", "2e-3")],
    ["a new token", base.replace("cosine", "cosine to 1e-5")],
    // `total 100` then `k` on its own line is another file, though the words are the same.
    ["a line break between two tokens", base.replace("100k", "100k").replace("warmup 4%", "warmup\n4%")],
    ["a bidirectional control in a comment (A320)", base.replace("# decay", "# dec\u202eay")],
  ];
  for (const [what, after] of cases)
    test(what, () => {
      const cache = new DocumentCache();
      cache.get(TextDocument.create(URI, "anneal", 1, base));
      const v2 = cache.get(TextDocument.create(URI, "anneal", 2, after));
      expect(cache.compiles).toBe(2);
      expect(v2.compiled).toBe(true);
    });

  test("new settings compile again, whatever the edit", () => {
    const cache = new DocumentCache();
    cache.get(TextDocument.create(URI, "anneal", 1, base));
    cache.setOptions({ lint: { A305: "off" } });
    cache.get(TextDocument.create(URI, "anneal", 2, base.replace("\n", "  \n")));
    expect(cache.compiles).toBe(2);
  });
});
