// The language server over the wire: the real bundle spawned with --stdio and driven by a
// JSON-RPC client, one feature per test. Expected numbers are worked out by hand from the
// sources (4% of 100k is 4,000 steps) or checked by the compiler judging an applied edit.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "@anneal/compiler";
import { LineIndex } from "@anneal/dsl";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureServerBuilt, FULL_CAPABILITIES, ROOT, SERVER, TestClient } from "./client.js";

const QUICKSTART = "total 100k steps\nlr 3e-4\nwarmup 4% linear -> cosine to 1e-6 restart every 12k\n";

/** The LSP position of the `n`-th occurrence of `needle`, `delta` characters in. */
function pos(text: string, needle: string, delta = 0, n = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in the text`);
  const before = text.slice(0, i + delta);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}

type LspEdit = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };

/** `text` with LSP edits applied (ASCII text, so characters are offsets within a line). */
function applyLspEdits(text: string, edits: LspEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  const off = (p: { line: number; character: number }) => starts[p.line]! + p.character;
  let out = text;
  for (const e of [...edits].sort((x, y) => off(y.range.start) - off(x.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

let client: TestClient;
let uriCount = 0;
const newUri = () => `file:///tmp/anneal-lsp-test/doc${++uriCount}.anneal`;

async function opened(text: string): Promise<string> {
  const uri = newUri();
  await client.open(uri, text);
  await client.diagnosticsFor(uri);
  return uri;
}

beforeAll(async () => {
  ensureServerBuilt();
  // As the VS Code extension does, the client says it runs the preview command itself.
  client = await TestClient.start({ settings: { lint: { A313: "warning" } }, initializationOptions: { clientCommands: ["anneal.preview"] } });
});

afterAll(async () => {
  await client?.stop();
});

describe("the server over stdio", () => {
  test("initialize announces every feature and the emit command", () => {
    const caps = client.initializeResult.capabilities;
    expect(client.initializeResult.serverInfo?.name).toBe("anneal");
    for (const key of [
      "hoverProvider", "completionProvider", "codeActionProvider", "documentFormattingProvider", "semanticTokensProvider", "documentSymbolProvider",
      "definitionProvider", "referencesProvider", "renameProvider", "foldingRangeProvider", "codeLensProvider", "inlayHintProvider",
    ])
      expect(caps, key).toHaveProperty(key);
    expect(caps.executeCommandProvider?.commands).toEqual(["anneal.emit", "anneal.describe"]);
  });

  test("diagnostics on open, without waiting for the debounce, with code, link and related information", async () => {
    const uri = newUri();
    const text = "let a = 1\nlet a = 2\nlr 3e-4\ntotal 100k\nwarmup 4% -> cosine to a\n";
    const t0 = Date.now();
    await client.open(uri, text);
    const p = await client.diagnosticsFor(uri);
    expect(Date.now() - t0).toBeLessThan(2000);
    const d = p.diagnostics.find((x) => x.code === "A102")!;
    expect(d.severity).toBe(1);
    expect(d.range).toEqual({ start: pos(text, "a", 0, 1), end: pos(text, "a", 1, 1) });
    expect(d.codeDescription?.href).toBe("https://github.com/anneal-lang/anneal/blob/main/docs/diagnostics.md#a102");
    expect(d.relatedInformation?.[0]?.location.range.start).toEqual(pos(text, "a"));
  });

  test("lint levels from workspace/configuration, and from didChangeConfiguration", async () => {
    const text = "let spare = 1\nlr 3e-4\ntotal 100k\nlinear\n";
    const uri = await opened(text);
    // A313 is information by default; the client's settings raise it to a warning.
    const first = client.diagnostics.filter((p) => p.uri === uri).at(-1)!;
    expect(first.diagnostics.map((d) => [d.code, d.severity])).toEqual([["A313", 2]]);
    const mark = client.diagnostics.length;
    await client.conn.sendNotification("workspace/didChangeConfiguration", { settings: { anneal: { lint: { A313: "off" } } } });
    const after = await client.diagnosticsFor(uri, () => true, mark);
    expect(after.diagnostics).toEqual([]);
  });

  test("edits are published once the typing pauses, with the new version", async () => {
    const uri = await opened(QUICKSTART);
    const mark = client.diagnostics.length;
    await client.change(uri, QUICKSTART.replace("12k", "13k"), 2);
    const p = await client.diagnosticsFor(uri, (x) => x.version === 2, mark);
    // 96k steps of cosine in 13k cycles: the last cycle is cut short.
    expect(p.diagnostics.map((d) => d.code)).toEqual(["A309"]);
  });

  test("hover on a percent: 4% of 100k is 4,000 steps, with an SVG plot", async () => {
    const uri = await opened(QUICKSTART);
    const h = await client.request<{ contents: { kind: string; value: string } }>("textDocument/hover", { textDocument: { uri }, position: pos(QUICKSTART, "4%", 1) });
    expect(h.contents.kind).toBe("markdown");
    expect(h.contents.value).toContain("4,000 steps");
    const b64 = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(h.contents.value)?.[1];
    expect(b64).toBeDefined();
    const svg = Buffer.from(b64!, "base64").toString("utf8");
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('class="marker-line"');
  });

  test("inlay hints: steps of a percent, boundary rate, and the closing sparkline", async () => {
    const uri = await opened(QUICKSTART);
    const hints = await client.request<{ label: string; position: { line: number; character: number } }[]>("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } },
    });
    const labels = hints.map((h) => h.label);
    expect(labels).toContain("= 4,000 steps");
    expect(labels).toContain("lr 3e-4");
    const spark = labels.find((l) => /^[\u2800-\u28ff]+ /.test(l));
    expect(spark).toMatch(/ 3e-4 → 1e-6$/);
    expect(hints.find((h) => h.label === "= 4,000 steps")?.position).toEqual(pos(QUICKSTART, "4%", 2));
  });

  test("code lenses: total, sparkline, peak and final, bound to anneal.preview", async () => {
    const text = "schedule bert { lr 1e-4  total 1M steps  warmup 10k -> linear to 0 }\n";
    const uri = await opened(text);
    const lenses = await client.request<{ range: unknown; command: { title: string; command: string; arguments: unknown[] } }[]>("textDocument/codeLens", { textDocument: { uri } });
    expect(lenses).toHaveLength(1);
    expect(lenses[0]!.command.command).toBe("anneal.preview");
    expect(lenses[0]!.command.arguments).toEqual([uri, "bert"]);
    expect(lenses[0]!.command.title).toMatch(/^bert: 1,000,000 steps · [\u2800-\u28ff]+ · peak 1e-4 · final 0$/);
  });

  test("completion of phase kinds after an arrow", async () => {
    const text = "total 100k\nlr 3e-4\nwarmup 4% -> \n";
    const uri = await opened(text);
    const items = await client.request<{ label: string }[]>("textDocument/completion", { textDocument: { uri }, position: pos(text, "-> ", 3) });
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(["cosine", "linear", "constant", "sqrt", "step"]));
  });

  test("a quick fix applied through didChange clears its diagnostic", async () => {
    const text = "lr 1e-3\ntotal 100k\nwarmup 1k -> linear 50k\n";
    const uri = await opened(text);
    const actions = await client.request<{ title: string; kind: string; diagnostics: { code: string }[]; edit: { changes: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]> } }[]>(
      "textDocument/codeAction",
      { textDocument: { uri }, range: { start: pos(text, "linear"), end: pos(text, "linear") }, context: { diagnostics: [] } },
    );
    const fix = actions.find((a) => a.diagnostics[0]?.code === "A302")!;
    expect(fix.kind).toBe("quickfix");
    const [edit] = fix.edit.changes[uri]!;
    expect(edit!.range.start).toEqual(pos(text, "50k", 3));
    const fixed = text.replace("50k", `50k${edit!.newText}`);
    const mark = client.diagnostics.length;
    await client.change(uri, fixed, 2);
    const p = await client.diagnosticsFor(uri, (x) => x.version === 2, mark);
    expect(p.diagnostics.map((d) => d.code)).not.toContain("A302");
  });

  test("anneal.emit returns PyTorch and TF.js code, or a reason", async () => {
    const uri = await opened(QUICKSTART);
    const py = await client.request<{ text: string; language: string }>("workspace/executeCommand", { command: "anneal.emit", arguments: [uri, "pytorch"] });
    expect(py.language).toBe("python");
    expect(py.text).toContain("import torch");
    const js = await client.request<{ text: string; language: string }>("workspace/executeCommand", { command: "anneal.emit", arguments: [uri, "tfjs"] });
    expect(js.language).toBe("javascript");
    const bad = await client.request<{ error: string }>("workspace/executeCommand", { command: "anneal.emit", arguments: [uri, "fortran"] });
    expect(bad.error).toMatch(/unknown target/);
  });

  test("anneal/schedules: the version and each schedule's IR", async () => {
    const uri = await opened(QUICKSTART);
    const r = await client.request<{ version: number; schedules: { name: string; ir: { total: number; segments: { start: number; end: number }[] } | null }[] }>("anneal/schedules", { uri });
    expect(r.version).toBe(1);
    expect(r.schedules).toHaveLength(1);
    expect(r.schedules[0]!.ir!.total).toBe(100_000);
    expect(r.schedules[0]!.ir!.segments.map((s) => [s.start, s.end])).toEqual([
      [0, 4000],
      [4000, 100_000],
    ]);
  });

  test("outline features: symbols, folding, formatting, semantic tokens, definition, references, rename", async () => {
    const text = "let warm = 2k steps\nschedule gpt2 {\n  lr   6e-4\n  total 600k\n  warmup warm -> cosine to 10%\n}\n";
    const uri = await opened(text);
    const doc = { textDocument: { uri } };
    const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>("textDocument/documentSymbol", doc);
    expect(symbols.map((s) => s.name)).toEqual(["warm", "gpt2"]);
    expect(await client.request("textDocument/foldingRange", doc)).toEqual([{ startLine: 1, endLine: 4 }]);
    const edits = await client.request<LspEdit[]>("textDocument/formatting", { ...doc, options: { tabSize: 2, insertSpaces: true } });
    // The smallest edit: the two spaces too many after `lr`, and nothing else.
    expect(edits).toEqual([{ range: { start: { line: 2, character: 5 }, end: { line: 2, character: 7 } }, newText: "" }]);
    expect(applyLspEdits(text, edits)).toContain("\n  lr 6e-4\n");
    const tokens = await client.request<{ data: number[] }>("textDocument/semanticTokens/full", doc);
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length).toBeGreaterThan(5 * 10);
    const def = await client.request<{ range: { start: unknown } }>("textDocument/definition", { ...doc, position: pos(text, "warm", 1, 2) });
    expect(def.range.start).toEqual(pos(text, "warm"));
    const refs = await client.request<unknown[]>("textDocument/references", { ...doc, position: pos(text, "warm"), context: { includeDeclaration: true } });
    expect(refs).toHaveLength(2);
    const rename = await client.request<{ changes: Record<string, unknown[]> }>("textDocument/rename", { ...doc, position: pos(text, "warm"), newName: "ramp" });
    expect(rename.changes[uri]).toHaveLength(2);
    await expect(client.request("textDocument/rename", { ...doc, position: pos(text, "warm"), newName: "total" })).rejects.toThrow(/keyword/);
  });

  test("bad requests get error responses and the server keeps answering", async () => {
    const uri = await opened(QUICKSTART);
    await expect(client.request("textDocument/hover", { position: { line: 0, character: 0 } })).rejects.toThrow(/uri is missing/);
    await expect(client.request("anneal/schedules", { uri: "file:///not/open.anneal" })).rejects.toThrow(/not open/);
    await expect(client.request("anneal/unknown", {})).rejects.toThrow();
    // Positions past the end of a line and of the document clamp to the text.
    const far = await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 999, character: 999 } });
    expect(far === null || typeof far === "object").toBe(true);
    await client.request("textDocument/completion", { textDocument: { uri }, position: { line: 1, character: 500 } });
    const h = await client.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri }, position: pos(QUICKSTART, "4%", 1) });
    expect(h.contents.value).toContain("4,000 steps");
    expect(client.proc.exitCode).toBeNull();
  });

  test("closing a document clears its diagnostics", async () => {
    const uri = await opened("lr 3e-4\nwarmup 4% -> cosine\n");
    const mark = client.diagnostics.length;
    await client.conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
    const p = await client.diagnosticsFor(uri, () => true, mark);
    expect(p.diagnostics).toEqual([]);
  });
});

describe("names come from compile()", () => {
  // Shadowing, a use above its definition, an unresolved name and uses in every kind of
  // position: the server's answers must be the binder's, definition for definition.
  const TEXTS = [
    "let warm = 2k steps\nlet floor = 1e-6\nschedule a {\n  let warm = 1k steps\n  lr 1e-3\n  total 100k\n  warmup warm -> cosine to floor\n}\nschedule b {\n  lr 1e-3\n  total 100k\n  warmup warm -> linear to floor restart every warm\n}\n",
    "lr peak_lr\nlet peak_lr = 3e-4\ntotal 10k\nwarmup 5% -> cosine to missing\n",
  ];

  test("definitions and references are the binder's, for every name of every file", async () => {
    for (const text of TEXTS) {
      const uri = await opened(text);
      const lines = new LineIndex(text);
      const names = compile(text).names.filter((n) => n.kind === "let");
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) {
        for (const r of [n.declaration, ...n.references]) {
          const position = lines.positionAt(r.start);
          const def = await client.request<{ range: { start: unknown } } | null>("textDocument/definition", { textDocument: { uri }, position });
          expect(def?.range.start, `${n.name} at ${r.start}`).toEqual(lines.positionAt(n.declaration.start));
          const refs = await client.request<{ range: { start: unknown } }[]>("textDocument/references", { textDocument: { uri }, position, context: { includeDeclaration: true } });
          expect(refs.map((x) => x.range.start)).toEqual([n.declaration, ...n.references].sort((x, y) => x.start - y.start).map((x) => lines.positionAt(x.start)));
        }
      }
      // A name the binder could not resolve has no definition.
      for (const u of compile(text).unresolvedNames)
        expect(await client.request("textDocument/definition", { textDocument: { uri }, position: lines.positionAt(u.range.start) })).toBeNull();
    }
  });

  test("the server has no scope resolver of its own", () => {
    // Resolution is the binder's: no server module walks expressions or builds scopes.
    const dir = join(ROOT, "packages", "lsp", "src");
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
      const src = readFileSync(join(dir, f), "utf8");
      expect(src, f).not.toMatch(/\bwalkExpr\b|\bforEachExpr\b|new Map<string, Binding>|class NameTable/);
    }
  });
});

describe("position encodings and semantic token updates", () => {
  test("UTF-8 when the client offers it: ranges and incremental edits count bytes", async () => {
    const c = await TestClient.start({ capabilities: { ...FULL_CAPABILITIES, general: { positionEncodings: ["utf-8", "utf-16"] } } });
    try {
      expect(c.initializeResult.capabilities.positionEncoding).toBe("utf-8");
      const uri = "file:///tmp/anneal-lsp-test/utf8.anneal";
      // `@` follows two 3-byte characters: UTF-16 column 13, UTF-8 column 17.
      const text = "lr 1e-3\ntotal 10\ncosine to 日本 @\n";
      await c.open(uri, text);
      const first = await c.diagnosticsFor(uri);
      const at = first.diagnostics.find((d) => d.code === "A001" && d.message.includes("`@`"))!;
      expect(at.range).toEqual({ start: { line: 2, character: 17 }, end: { line: 2, character: 18 } });
      // Deleting bytes 17..18 of line 2 removes the `@` (read as UTF-16 columns it would
      // fall past the line's end and delete nothing).
      const mark = c.diagnostics.length;
      await c.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ range: at.range, text: "" }] });
      const after = await c.diagnosticsFor(uri, (p) => p.version === 2, mark);
      expect(after.diagnostics.some((d) => d.message.includes("`@`"))).toBe(false);
    } finally {
      await c.stop();
    }
  });

  test("UTF-16 otherwise", () => {
    expect(client.initializeResult.capabilities.positionEncoding ?? "utf-16").toBe("utf-16");
  });

  test("semantic tokens: a delta that turns the last result into the new one, and a range", async () => {
    const text = "lr 3e-4\ntotal 100k\nwarmup 4% -> cosine to 1e-6\n";
    const uri = await opened(text);
    const full = await client.request<{ resultId: string; data: number[] }>("textDocument/semanticTokens/full", { textDocument: { uri } });
    expect(full.resultId).toBeDefined();
    await client.change(uri, text.replace("total 100k", "total 200k steps"), 2);
    const delta = await client.request<{ resultId: string; edits: { start: number; deleteCount: number; data?: number[] }[] }>("textDocument/semanticTokens/full/delta", {
      textDocument: { uri },
      previousResultId: full.resultId,
    });
    const patched = [...full.data];
    for (const e of [...delta.edits].sort((x, y) => y.start - x.start)) patched.splice(e.start, e.deleteCount, ...(e.data ?? []));
    const fresh = await client.request<{ data: number[] }>("textDocument/semanticTokens/full", { textDocument: { uri } });
    expect(patched).toEqual(fresh.data);
    // One token more (`steps`), and the first line untouched by the edit.
    expect(fresh.data.length).toBe(full.data.length + 5);
    expect(delta.edits[0]!.start).toBeGreaterThanOrEqual(10);
    // The range of line 1 holds only line 1's tokens: `total`, `200k`, `steps`.
    const range = await client.request<{ data: number[] }>("textDocument/semanticTokens/range", { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 99 } } });
    expect(range.data.length).toBe(15);
    expect(range.data[0]).toBe(1);
    expect([range.data[5], range.data[10]]).toEqual([0, 0]);
  });
});

describe("other clients and launchers", () => {
  test("a plain-text client gets a sparkline instead of the image; lint levels from initializationOptions", async () => {
    const plain = await TestClient.start({
      capabilities: { textDocument: { hover: { contentFormat: ["plaintext"] } } },
      initializationOptions: { lint: { A309: "error" } },
    });
    try {
      const uri = "file:///tmp/anneal-lsp-test/plain.anneal";
      const text = QUICKSTART.replace("12k", "13k");
      await plain.open(uri, text);
      const p = await plain.diagnosticsFor(uri);
      expect(p.diagnostics.map((d) => [d.code, d.severity])).toEqual([["A309", 1]]);
      const h = await plain.request<{ contents: { kind: string; value: string } }>("textDocument/hover", { textDocument: { uri }, position: pos(text, "4%", 1) });
      expect(h.contents.kind).toBe("plaintext");
      expect(h.contents.value).not.toContain("data:");
      expect(h.contents.value).toMatch(/^[\u2800-\u28ff]{16}$/m);
      expect(h.contents.value).toContain("4,000 steps");
      // No preview in this client: the lens runs `anneal.describe`, which the server executes.
      const [lens] = await plain.request<{ command: { command: string; arguments: unknown[] } }[]>("textDocument/codeLens", { textDocument: { uri } });
      expect(lens!.command.command).toBe("anneal.describe");
      const described = await plain.request<{ text: string }>("workspace/executeCommand", lens!.command);
      expect(described.text).toContain("100,000 steps");
      expect(plain.shown.at(-1)).toBe(described.text);
    } finally {
      await plain.stop();
    }
  });

  test("an invalid default is told once, as a window message and a log line, and no file gets a diagnostic for it", async () => {
    const settings = { defaults: { total: "10q" }, lint: { A999: "off" } };
    const c = await TestClient.start({ settings });
    try {
      const uri = "file:///tmp/anneal-lsp-test/defaults.anneal";
      await c.open(uri, "lr 1e-3\nwarmup 10 -> cosine\n");
      const p = await c.diagnosticsFor(uri);
      // The file's own problem (it has no total), on its own text; nothing at 0:0 about the setting.
      expect(p.diagnostics.some((d) => d.code === "A112" || /10q/.test(d.message))).toBe(false);
      expect(c.shown.filter((m) => /anneal\.defaults\.total/.test(m))).toHaveLength(1);
      expect(c.shown.filter((m) => /A999/.test(m))).toHaveLength(1);
      expect(c.logs.filter((m) => /anneal\.defaults\.total/.test(m))).toHaveLength(1);
      // The same settings again: nothing new is said.
      await c.conn.sendNotification("workspace/didChangeConfiguration", { settings: { anneal: settings } });
      await c.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 0 } });
      expect(c.shown.filter((m) => /anneal\.defaults\.total/.test(m))).toHaveLength(1);
    } finally {
      await c.stop();
    }
  });

  test("`anneal lsp --stdio` and `anneal-lsp` start the same server", async () => {
    for (const command of [
      [process.execPath, join(ROOT, "packages", "compiler", "bin", "anneal.mjs"), "lsp", "--stdio"],
      [process.execPath, join(ROOT, "packages", "lsp", "bin", "anneal-lsp.mjs")],
    ]) {
      const c = await TestClient.start({ command });
      try {
        expect(c.initializeResult.serverInfo?.name).toBe("anneal");
      } finally {
        await c.stop();
      }
    }
    const help = spawnSync(process.execPath, [SERVER, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("anneal lsp");
  });
});
