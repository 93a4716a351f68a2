// The language server under fire: the real bundle over stdio takes thousands of random
// incremental edits to one document, interleaved with requests of every kind at random
// positions (past the end of lines and of the document included), cancelled requests,
// malformed parameters, unknown methods and documents that are not open. Every request must
// be answered, with a result or an error response, within a time limit; no provider may
// fail (an InternalError response is a crash caught by the server's guard); the server must
// still be running with bounded memory; and the diagnostics it publishes for the final text
// must be `compile()`'s, range for range.

import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CancellationTokenSource, ErrorCodes, ResponseError } from "vscode-languageserver-protocol/node";
import { TextDocument, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { compile } from "@anneal/compiler";
import { LineIndex } from "@anneal/dsl";
import { seededRandom } from "../conformance/corpus.js";
import { ensureServerBuilt, TestClient } from "../lsp/client.js";
import { loadExamples } from "./examples.js";
import { SEPARATORS, VOCABULARY } from "./inputs.js";
import { validProgram } from "./programs.js";

const EDITS = Number(process.env.ANNEAL_LSP_EDITS ?? 3000);
const seed = Number(process.env.ANNEAL_FUZZ_SEED ?? 20_240_917);
const root = join(import.meta.dirname, "..", "..");
const examples = loadExamples(root);
/** Whole texts an edit may switch to: the examples and generated programs (with `let`s to rename). */
const TEXTS = [...examples, ...fc.sample(validProgram, { seed, numRuns: 30 })];

// A seeded generator, so a failing run can be replayed.
const random = seededRandom(seed);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

/** Resident memory of a process, in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

let client: TestClient;
beforeAll(async () => {
  ensureServerBuilt();
  client = await TestClient.start({ settings: null });
}, 120_000);
afterAll(async () => {
  await client?.stop();
});

function randomPosition(doc: TextDocument): { line: number; character: number } {
  const r = random();
  if (r < 0.05) return { line: doc.lineCount + int(1000), character: int(10) };
  if (r < 0.1) return { line: int(doc.lineCount), character: 10_000 + int(1e9) };
  return { line: int(doc.lineCount + 1), character: int(60) };
}

function randomChange(doc: TextDocument): TextDocumentContentChangeEvent {
  const text = doc.getText();
  // A whole new text now and then, and whenever the document has grown large.
  if (text.length > 20_000 || random() < 0.02) return { text: pick(TEXTS) };
  const start = doc.positionAt(int(text.length + 1));
  const kind = random();
  const insert = () => pick(VOCABULARY) + pick(SEPARATORS);
  if (kind < 0.45) return { range: { start, end: start }, text: insert() };
  const end = doc.positionAt(doc.offsetAt(start) + int(20));
  if (kind < 0.8) return { range: { start, end }, text: "" };
  if (kind < 0.95) return { range: { start, end }, text: insert() + insert() };
  // A range past the end of the document: the text library clamps it, on both sides.
  return { range: { start, end: { line: doc.lineCount + 5, character: 3 } }, text: insert() };
}

/** A request with random (sometimes malformed) parameters about `uri`. */
function randomRequest(uri: string, doc: TextDocument): { method: string; params: unknown } {
  const td = { uri: random() < 0.03 ? "file:///not/open.anneal" : uri };
  const position = randomPosition(doc);
  const range = { start: randomPosition(doc), end: randomPosition(doc) };
  const malformed = random() < 0.05;
  const base = (p: object) => (malformed ? pick([null, {}, { textDocument: { uri: 5 } }, { textDocument: td, position: { line: "a", character: null } }, { textDocument: td, range: "x" }, [1, 2]]) : p);
  switch (int(16)) {
    case 0:
      return { method: "textDocument/hover", params: base({ textDocument: td, position }) };
    case 1:
      return { method: "textDocument/completion", params: base({ textDocument: td, position }) };
    case 2:
      return { method: "textDocument/definition", params: base({ textDocument: td, position }) };
    case 3:
      return { method: "textDocument/references", params: base({ textDocument: td, position, context: { includeDeclaration: random() < 0.5 } }) };
    case 4:
      return { method: "textDocument/prepareRename", params: base({ textDocument: td, position }) };
    case 5:
      return { method: "textDocument/rename", params: base({ textDocument: td, position, newName: pick(["floor", "", "x2", "lr", "a b", "日本", "total", "_ok"]) }) };
    case 6:
      return { method: "textDocument/codeAction", params: base({ textDocument: td, range, context: { diagnostics: [], ...(random() < 0.5 ? { only: ["quickfix"] } : {}) } }) };
    case 7:
      return { method: "textDocument/formatting", params: base({ textDocument: td, options: { tabSize: 2, insertSpaces: true } }) };
    case 8:
      return { method: "textDocument/semanticTokens/full", params: base({ textDocument: td }) };
    case 9:
      return { method: "textDocument/documentSymbol", params: base({ textDocument: td }) };
    case 10:
      return { method: "textDocument/foldingRange", params: base({ textDocument: td }) };
    case 11:
      return { method: "textDocument/codeLens", params: base({ textDocument: td }) };
    case 12:
      return { method: "textDocument/inlayHint", params: base({ textDocument: td, range }) };
    case 13:
      return { method: "workspace/executeCommand", params: { command: pick(["anneal.emit", "anneal.nope"]), arguments: pick([[uri, "pytorch"], [uri, "tfjs", "default"], [uri, "csv"], [], [5], [uri, "pytorch", "no-such"], ["file:///x", "tfjs"]]) } };
    case 14:
      return { method: "anneal/schedules", params: malformed ? pick([null, {}, { uri: 3 }]) : { uri: td.uri } };
    default:
      return { method: pick(["anneal/nope", "textDocument/nope", "$/nope"]), params: {} };
  }
}

interface Outcome {
  method: string;
  params: unknown;
  text: string;
  error?: { code: number; message: string };
}

test(`${EDITS} random edits and requests: every request answered, no provider fails, diagnostics of the final text`, async () => {
  const uri = "file:///tmp/anneal-under-fire/doc.anneal";
  let doc = TextDocument.create(uri, "anneal", 1, TEXTS[TEXTS.length - 1]!);
  await client.open(uri, doc.getText());
  await client.diagnosticsFor(uri);
  const rssStart = rssMb(client.proc.pid!);

  const outcomes: Promise<Outcome>[] = [];
  const settled: Outcome[] = [];
  for (let i = 0; i < EDITS; i++) {
    const change = randomChange(doc);
    doc = TextDocument.update(doc, [change], doc.version + 1);
    void client.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: doc.version }, contentChanges: [change] });
    for (let k = int(3); k > 0; k--) {
      const { method, params } = randomRequest(uri, doc);
      const text = doc.getText();
      const cancel = random() < 0.1 ? new CancellationTokenSource() : undefined;
      // The token only when there is one: an `undefined` third argument reads as a second
      // positional parameter.
      const answer = cancel ? client.conn.sendRequest(method, params, cancel.token) : client.conn.sendRequest(method, params);
      cancel?.cancel();
      // No deadline per request: the server answers in order, so every answer arrives once
      // the work before it is done, however loaded the machine; a request it never answers
      // leaves the test to its own limit, which names it.
      outcomes.push(
        answer.then(
          (): Outcome => ({ method, params, text }),
          (e: unknown): Outcome => ({ method, params, text, error: e instanceof ResponseError ? { code: e.code, message: e.message } : { code: 0, message: String(e) } }),
        ),
      );
    }
    // Let the server breathe now and then, as an editor's keystrokes do.
    if (outcomes.length >= 48) settled.push(...(await Promise.all(outcomes.splice(0))));
  }
  settled.push(...(await Promise.all(outcomes.splice(0))));

  if (process.env.ANNEAL_LSP_VERBOSE) {
    const by = new Map<string, number>();
    for (const o of settled) by.set(`${o.method} ${o.error ? `${o.error.code} ${o.error.message.slice(0, 80)}` : "ok"}`, (by.get(`${o.method} ${o.error ? `${o.error.code} ${o.error.message.slice(0, 80)}` : "ok"}`) ?? 0) + 1);
    console.log([...by].sort().join("\n"));
  }
  // Most requests are well-formed and get a result: the storm exercises the providers.
  expect(settled.filter((o) => !o.error).length).toBeGreaterThan(settled.length / 2);
  if (process.env.ANNEAL_LSP_VERBOSE) console.log(JSON.stringify({ requests: settled.length, errors: [...new Set(settled.map((o) => o.error?.code))], final: doc.getText().slice(0, 300) }));
  // An InternalError is a provider that threw (the guard caught it): a bug to fix.
  const crashes = settled.filter((o) => o.error?.code === ErrorCodes.InternalError);
  expect(crashes.slice(0, 3).map((o) => ({ method: o.method, params: o.params, message: o.error!.message, text: o.text })), "providers that failed").toEqual([]);
  // Every error is a JSON-RPC one: cancelled, bad parameters, or an unknown method.
  const kinds = new Set(settled.flatMap((o) => (o.error ? [o.error.code] : [])));
  // InvalidRequest is what a rename of something other than a `let` name gets.
  for (const code of kinds) expect([ErrorCodes.InvalidParams, ErrorCodes.InvalidRequest, ErrorCodes.MethodNotFound, -32800 /* RequestCancelled */], `error code ${code}`).toContain(code);
  expect(client.logs.filter((l) => / failed: /.test(l)).slice(0, 3)).toEqual([]);

  // The diagnostics of the final version are compile()'s, range for range.
  // Every request is answered, so the queue is empty: the final publish follows its debounce.
  // It is awaited without a deadline of its own, for the same reason as the answers.
  const final = await client.diagnosticsFor(uri, (p) => p.version === doc.version, 0, Infinity);
  const text = doc.getText();
  const lines = new LineIndex(text);
  const expected = compile(text).diagnostics.map((d) => `${d.code} ${JSON.stringify(lines.positionAt(d.range.start))}-${JSON.stringify(lines.positionAt(d.range.end))}`);
  const got = final.diagnostics.map((d) => `${String(d.code)} ${JSON.stringify(d.range.start)}-${JSON.stringify(d.range.end)}`);
  expect(got.sort()).toEqual(expected.sort());

  // A closed document gets empty answers, and its diagnostics are cleared.
  const closedMark = client.diagnostics.length;
  await client.conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
  expect(await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 0 } })).toBeNull();
  expect(await client.request("textDocument/documentSymbol", { textDocument: { uri } })).toEqual([]);
  // Cleared as the close is handled, so before the answers above.
  expect(client.diagnostics.slice(closedMark).filter((p) => p.uri === uri).map((p) => p.diagnostics)).toEqual([[]]);

  // Still serving, in bounded memory.
  expect(client.proc.exitCode).toBeNull();
  await client.open(uri, "lr 1\ntotal 10\ncosine\n", doc.version + 1);
  expect(await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 2, character: 1 } })).not.toBeNull();
  const rssEnd = rssMb(client.proc.pid!);
  expect(rssEnd, `resident memory grew from ${rssStart.toFixed(0)} MB`).toBeLessThan(Math.max(400, rssStart + 250));
}, 300_000);

/**
 * The codes the server publishes for `text`: compile()'s, and past 1,000 the first 1,000 in
 * the file followed by one A007 that counts the rest.
 */
function publishedCodes(text: string): string[] {
  const all = compile(text).diagnostics;
  if (all.length <= 1000) return all.map((d) => d.code);
  const first = all.map((d, i) => ({ d, i })).sort((x, y) => x.d.range.start - y.d.range.start || x.i - y.i).slice(0, 1000);
  return [...first.map(({ d }) => d.code), "A007"];
}

test("pathological documents: answered, and diagnosed as compile() diagnoses them (at most 1,000, then A007)", async () => {
  const docs = [
    `lr ${"(".repeat(10_000)}1${")".repeat(10_000)}\ntotal 10\ncosine\n`,
    "lr let = warmup ,\n".repeat(3000),
    `lr 1\ntotal 100k\n${Array.from({ length: 5000 }, () => "constant 1").join(" -> ")}\n`,
    `let ${"a".repeat(20_000)} = 1\nlr ${"a".repeat(19_999)}b\ntotal 10\ncosine\n`,
  ];
  for (const [i, text] of docs.entries()) {
    const uri = `file:///tmp/anneal-under-fire/pathological${i}.anneal`;
    const mark = client.diagnostics.length;
    await client.open(uri, text);
    // The server reads messages in order and publishes an opened document before it reads
    // the next one, so once this request is answered its diagnostics have arrived: the wait
    // is for the work, however long the machine takes, not for a deadline.
    await client.request("textDocument/foldingRange", { textDocument: { uri } });
    const published = client.diagnostics.slice(mark).find((p) => p.uri === uri);
    expect(published, "diagnostics published on open").toBeDefined();
    expect(published!.diagnostics.map((d) => d.code)).toEqual(publishedCodes(text));
    for (const method of ["textDocument/semanticTokens/full", "textDocument/documentSymbol", "textDocument/formatting", "textDocument/foldingRange", "textDocument/codeLens"])
      await client.request(method, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 5 } });
    await client.request("textDocument/inlayHint", { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } } });
    await client.conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }
  expect(client.logs.filter((l) => / failed: /.test(l)).slice(0, 3)).toEqual([]);
  expect(client.proc.exitCode).toBeNull();
}, 120_000);
