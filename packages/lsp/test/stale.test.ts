// Stable while typing: a schedule with errors keeps its code lens, its closing sparkline,
// its hover plot and its preview curve from the last version that lowered it, each marked
// stale, and a schedule that never lowered keeps a lens that says so, so no line moves.
import { describe, expect, test } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { codeLenses } from "../src/code-lens.js";
import { emitCommand } from "../src/commands.js";
import { DocumentCache } from "../src/documents.js";
import { hover } from "../src/hover.js";
import { inlayHints } from "../src/inlay-hints.js";
import { schedules } from "../src/schedules.js";

const GOOD = "schedule a { lr 1e-3 total 10k warmup 1k -> cosine }\nschedule b { lr 1e-3 total 10k linear }\n";
// `total 10k` loses its number in `a` while the user types: an error, and no IR for `a`.
const TYPING = GOOD.replace("total 10k warmup", "total warmup");

describe("the last good result, marked stale", () => {
  const cache = new DocumentCache();
  const uri = "file:///stale.anneal";
  const v1 = cache.get(TextDocument.create(uri, "anneal", 1, GOOD));
  const v2 = cache.get(TextDocument.create(uri, "anneal", 2, TYPING));

  test("the second version has an error in `a` only", () => {
    expect(v2.result.schedules.map((s) => [s.name, s.ir !== undefined])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });

  test("code lenses: one per schedule still, `a` with version 1's figures and marked stale", () => {
    const before = codeLenses(v1).map((l) => l.command!.title);
    const after = codeLenses(v2).map((l) => l.command!.title);
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(`${before[0]} · stale (has errors)`);
    expect(after[1]).toBe(before[1]);
  });

  test("the closing sparkline of `a` is version 1's, marked stale", () => {
    const whole = { start: 0, end: TYPING.length };
    const spark = (a: typeof v1) => inlayHints(a, whole).filter((h) => /[\u2800-\u28ff]/.test(String(h.label))).map((h) => String(h.label));
    expect(spark(v2)[0]).toBe(`${spark(v1)[0]} (stale)`);
  });

  test("the preview gets version 1's IR for `a`, with the version it comes from", () => {
    const r = schedules(v2);
    expect(r.schedules[0]!.ir).toBe(v1.result.schedules[0]!.ir);
    expect(r.schedules[0]!.staleSince).toBe(1);
    expect(r.schedules[1]!.staleSince).toBeUndefined();
  });

  test("a hover on `a` shows version 1's plot and says so", () => {
    const h = hover(v2, TYPING.indexOf("a {"), { markdown: true, plot: true })!;
    const value = (h.contents as { value: string }).value;
    expect(value).toContain("data:image/svg+xml;base64,");
    expect(value).toMatch(/plot of version 1, the last without errors/);
  });

  test("fixed again: nothing is stale", () => {
    const v3 = cache.get(TextDocument.create(uri, "anneal", 3, GOOD));
    expect(codeLenses(v3).map((l) => l.command!.title)).toEqual(codeLenses(v1).map((l) => l.command!.title));
    expect(schedules(v3).schedules.every((s) => s.staleSince === undefined)).toBe(true);
  });

  test("a schedule that never lowered keeps a lens that says it has errors", () => {
    const fresh = new DocumentCache().get(TextDocument.create("file:///new.anneal", "anneal", 1, TYPING));
    expect(codeLenses(fresh).map((l) => l.command!.title)[0]).toBe("a: has errors");
  });
});

// A setting written `?` with no preview value is not a transient error: the schedule has no
// rates until it gets one, so nothing shows the last version's plot as if it were current.
describe("a setting with no preview value: no stale plot, and a reason", () => {
  const cache = new DocumentCache();
  const uri = "file:///bound.anneal";
  const WITH = "schedule a { lr 1e-3 total ? 10k warmup 1k -> cosine }\nschedule b { lr 1e-3 total 10k linear }\n";
  const WITHOUT = WITH.replace("total ? 10k", "total ?");
  const v1 = cache.get(TextDocument.create(uri, "anneal", 1, WITH));
  const v2 = cache.get(TextDocument.create(uri, "anneal", 2, WITHOUT));
  const reason = "`total` is bound at run time with no preview value (write one after the `?`)";

  test("the preview value was deleted: `a` has no IR and no errors", () => {
    expect(v1.result.schedules[0]!.ir).toBeDefined();
    expect(v2.result.schedules[0]!.ir).toBeUndefined();
    expect(v2.result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("the code lens says why there are no figures, and is not marked stale", () => {
    expect(codeLenses(v2).map((l) => l.command!.title)[0]).toBe(`a: ${reason}`);
  });

  test("the preview gets no IR for `a`, and the reason", () => {
    const r = schedules(v2);
    expect(r.schedules[0]!.ir).toBeNull();
    expect(r.schedules[0]!.staleSince).toBeUndefined();
    expect(r.schedules[0]!.noRates).toBe(reason);
    expect(r.schedules[1]!.noRates).toBeUndefined();
  });

  test("a hover on `a` has no plot and says why", () => {
    const h = hover(v2, WITHOUT.indexOf("a {"), { markdown: true, plot: true })!;
    const value = (h.contents as { value: string }).value;
    expect(value).not.toContain("data:image/svg+xml;base64,");
    expect(value).not.toMatch(/plot of version/);
    expect(value).toContain(`No plot: ${reason}.`);
  });

  test("the editor's emit command still writes the PyTorch module, which takes `total=`; TF.js, made of its numbers, is refused", () => {
    const analyze = () => v2;
    const py = emitCommand(analyze, [uri, "pytorch", "a"]);
    expect("text" in py && py.text).toMatch(/def build_scheduler\(optimizer, last_epoch=-1, \*, total=None/);
    const js = emitCommand(analyze, [uri, "tfjs", "a"]);
    expect("error" in js && js.error).toMatch(/^A406: /);
  });
});
