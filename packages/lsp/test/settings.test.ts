// Settings, the conversion of diagnostics to LSP, and the debounced publisher.
import { afterEach, describe, expect, test, vi } from "vitest";
import { docLink, toLspDiagnostic } from "../src/convert.js";
import { DiagnosticsPublisher, lspDiagnostics, MAX_PUBLISHED } from "../src/diagnostics.js";
import { Analysis } from "../src/documents.js";
import { annealSection, readSettings } from "../src/settings.js";
import { analysis, URI } from "./source.js";

describe("settings", () => {
  test("lint levels by code; malformed entries are dropped with a message", () => {
    const { settings, problems } = readSettings({ lint: { A301: "off", a305: "error", A9: "off", A302: "loud" } });
    expect(settings.lint).toEqual({ A301: "off", A305: "error" });
    expect(problems).toHaveLength(2);
    expect(readSettings("nonsense").problems).toHaveLength(1);
    expect(readSettings(null).settings.lint).toEqual({});
  });

  test("hoverPlot is a boolean, unset (the client's capabilities decide) unless given", () => {
    expect(readSettings({}).settings.hoverPlot).toBeUndefined();
    expect(readSettings({ hoverPlot: false }).settings.hoverPlot).toBe(false);
    expect(readSettings({ hoverPlot: true }).settings.hoverPlot).toBe(true);
    const bad = readSettings({ hoverPlot: "no" });
    expect(bad.settings.hoverPlot).toBeUndefined();
    expect(bad.problems[0]).toMatch(/hoverPlot/);
  });

  test("the section is found nested under `anneal` or given directly", () => {
    expect(annealSection({ anneal: { lint: {} } })).toEqual({ lint: {} });
    expect(annealSection({ lint: { A301: "off" } })).toEqual({ lint: { A301: "off" } });
    expect(annealSection({ other: 1 })).toBeUndefined();
  });

  test("lint levels reach compile(): an unused name raised to a warning, or silenced", () => {
    const text = "let spare = 1\nlr 1e-3\ntotal 10\nlinear\n";
    expect(analysis(text).result.diagnostics.map((d) => [d.code, d.severity])).toEqual([["A313", "info"]]);
    expect(analysis(text, { A313: "warning" }).result.diagnostics.map((d) => d.severity)).toEqual(["warning"]);
    expect(analysis(text, { A313: "off" }).result.diagnostics).toEqual([]);
  });

  test("a default the compiler refuses is dropped with one problem naming the setting, never a diagnostic in the file", () => {
    for (const [defaults, why] of [
      [{ total: "10q" }, /`anneal\.defaults\.total` is "10q", which Anneal cannot use: .*q/],
      [{ total: "3e-4" }, /`anneal\.defaults\.total` is "3e-4", which Anneal cannot use: .*not a duration/],
      [{ lr: "abc" }, /`anneal\.defaults\.lr` is "abc", which Anneal cannot use: .*abc/],
    ] as const) {
      const read = readSettings({ defaults });
      expect(read.settings.defaults).toEqual({});
      expect(read.problems).toHaveLength(1);
      expect(read.problems[0]).toMatch(why);
      const a = analysis("lr 1e-3\ntotal 10k\ncosine\n", {}, read.settings.defaults);
      expect(a.result.diagnostics).toEqual([]);
    }
  });

  test("lint settings: an unknown code, or an error lowered, is a problem and ignored", () => {
    const read = readSettings({ lint: { A999: "off", A204: "warning", A301: "off" } });
    expect(read.settings.lint).toEqual({ A301: "off" });
    expect(read.problems).toEqual([expect.stringMatching(/A999.*no diagnostic A999/), expect.stringMatching(/A204.*is an error/)]);
  });

  test("defaults fill in only what a file leaves out", () => {
    const read = readSettings({ defaults: { total: "20k", lr: 3e-4 } });
    expect(read.problems).toEqual([]);
    expect(read.settings.defaults).toEqual({ total: "20k", lr: "0.0003" });
    expect(readSettings({ defaults: { total: ["x"] } }).problems).toHaveLength(1);
    const open = analysis("warmup 1k -> cosine\n", {}, read.settings.defaults);
    expect(open.result.diagnostics).toEqual([]);
    expect(open.result.schedules[0]!.ir!.total).toBe(20_000);
    expect(open.result.schedules[0]!.ir!.peak).toBe(3e-4);
    const own = analysis("total 5k\nlr 1e-3\ncosine\n", {}, read.settings.defaults);
    expect([own.result.schedules[0]!.ir!.total, own.result.schedules[0]!.ir!.peak]).toEqual([5_000, 1e-3]);
  });
});

describe("diagnostic conversion", () => {
  test("code, severity, range, documentation link and related information", () => {
    const text = "let a = 1\nlet a = 2\nlr 1e-3\ntotal 10\nlinear to a\n";
    const a = analysis(text);
    const d = a.result.diagnostics.find((x) => x.code === "A102")!;
    const lsp = toLspDiagnostic(d, a.lines, URI);
    expect(lsp).toMatchObject({ code: "A102", severity: 1, source: "anneal", range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } } });
    expect(lsp.codeDescription?.href).toBe("https://github.com/anneal-lang/anneal/blob/main/docs/diagnostics.md#a102");
    expect(lsp.relatedInformation?.[0]?.location).toEqual({ uri: URI, range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } } });
    expect(docLink("A305")).toMatch(/#a305$/);
  });
});

describe("bounded diagnostics", () => {
  // One checker error per line (a warmup longer than its schedule): syntax errors stop at the
  // front end's own limit (A009), well below the server's.
  const overlong = (n: number) => Array.from({ length: n }, (_, i) => `schedule s${i} { lr 1  total 10  warmup 20 -> cosine }\n`).join("");

  test("1,500 broken schedules: the first 1,000 in the file, then one A007 counting the other 500", () => {
    // One A205 per line, each on its own line after three clean ones.
    const text = `lr 1\ntotal 10\ncosine\n${overlong(1500)}`;
    const published = lspDiagnostics(analysis(text));
    expect(published).toHaveLength(MAX_PUBLISHED + 1);
    expect(published.slice(0, MAX_PUBLISHED).every((d, i) => d.code === "A205" && d.range.start.line === 3 + i)).toBe(true);
    const summary = published.at(-1)!;
    expect(summary.code).toBe("A007");
    expect(summary.severity).toBe(2);
    expect(summary.message).toMatch(/^500 more problems from here on are not shown \(500 errors\)/);
    // It sits where the first unshown problem is: that line's `cosine`, which has no room.
    const line = 3 + MAX_PUBLISHED;
    expect(summary.range.start).toEqual({ line, character: text.split("\n")[line]!.indexOf("cosine") });
  });

  test("exactly the limit: no summary", () => {
    const published = lspDiagnostics(analysis(overlong(MAX_PUBLISHED)));
    expect(published).toHaveLength(MAX_PUBLISHED);
    expect(published.some((d) => d.code === "A007")).toBe(false);
  });
});

describe("publisher", () => {
  afterEach(() => vi.useRealTimers());

  test("publishes an open at once, and a burst of edits once after the pause", () => {
    vi.useFakeTimers();
    const versions = new Map<string, number>([[URI, 1]]);
    const sent: number[] = [];
    const p = new DiagnosticsPublisher(
      { analyze: (uri) => new Analysis(uri, versions.get(uri)!, "linear"), send: (_u, v) => void sent.push(v ?? -1) },
      { error: () => {}, warn: () => {}, info: () => {} },
      150,
    );
    p.publishNow(URI);
    p.changed(URI, 1);
    expect(sent).toEqual([1]);
    for (const v of [2, 3, 4]) {
      versions.set(URI, v);
      p.changed(URI, v);
      vi.advanceTimersByTime(100);
    }
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(60);
    expect(sent).toEqual([1, 4]);
    p.closed(URI);
    expect(sent).toEqual([1, 4, -1]);
  });
});

describe("document size", () => {
  test("a document past the limit gets one A006 and no analysis", async () => {
    const { MAX_DOCUMENT_CHARS } = await import("../src/documents.js");
    const line = "total 10k\ncosine\n";
    const text = line.repeat(Math.ceil((MAX_DOCUMENT_CHARS + 1) / line.length));
    const a = analysis(text);
    expect(a.result.diagnostics.map((d) => [d.code, d.severity, d.range])).toEqual([["A006", "error", { start: 0, end: 0 }]]);
    expect(a.result.schedules).toEqual([]);
    expect(a.result.tokens).toEqual([]);
    expect(analysis(line).result.diagnostics).toEqual([]);
  });
});
