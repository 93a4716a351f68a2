// The language server over stdio: diagnostics after an edit and a hover with a plot, on a
// 50-line and a 5,000-line file (median and p99 latency), and the server's resident memory
// after 10,000 edits. The server is packages/lsp/dist/server.mjs, started as an editor
// starts it; the client is bench/lsp-client.mjs.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median, quantile, result, say, skip } from "../harness.mjs";
import { generateFile } from "../generate.mjs";
import { LspClient } from "../lsp-client.mjs";

const SERVER = fileURLToPath(new URL("../../packages/lsp/dist/server.mjs", import.meta.url));
const GOALS = { diag: "p99 < 20 ms on 50 lines", hover: "p99 < 20 ms on 50 lines", rss: "< 150 MB" };
const NAMES = ["lsp_diagnostics_ms", "lsp_hover_ms", "lsp_rss_mb_after_10k_edits"];
// The server waits this long after an edit before it compiles and publishes, so a burst of
// keystrokes compiles once (packages/lsp/src/diagnostics.ts, DEBOUNCE_MS).
const DEBOUNCE_MS = 150;

function skipAll(reason) {
  skip(NAMES[0], GOALS.diag, reason);
  skip(NAMES[1], GOALS.hover, reason);
  skip(NAMES[2], GOALS.rss, reason);
}

if (!existsSync(SERVER)) {
  skipAll(`${SERVER} does not exist (npm run build makes it once packages/lsp/src/server-node.ts exists)`);
  process.exit(0);
}

/** A started and initialised server, or a skip line and exit when it does not answer. */
async function startServer() {
  const c = new LspClient(SERVER);
  try {
    await c.initialize();
  } catch (e) {
    skipAll(`the server did not answer initialize: ${e.message}`);
    c.child.kill();
    process.exit(0);
  }
  return c;
}

let client = await startServer();

/** A document open in the server, edited by rewriting one `lr` line. */
class Doc {
  constructor(uri, text) {
    this.uri = uri;
    this.lines = text.split("\n");
    this.version = 1;
    this.editLine = this.lines.findIndex((l) => l.startsWith("  lr "));
    this.flip = 0;
    const nameLines = this.lines.flatMap((l, i) => (l.startsWith("schedule ") ? [i] : []));
    // Hover on the name of the last schedule: the server has to find it in the whole file.
    this.hoverAt = { line: nameLines[nameLines.length - 1], character: "schedule ".length + 2 };
  }
  async open() {
    const published = client.waitFor("textDocument/publishDiagnostics", (p) => p.uri === this.uri);
    client.notify("textDocument/didOpen", { textDocument: { uri: this.uri, languageId: "anneal", version: this.version, text: this.lines.join("\n") } });
    await published;
  }
  /** Sends one edit and returns the version it makes. */
  edit() {
    const old = this.lines[this.editLine];
    const text = `  lr ${this.flip++ % 2 === 0 ? "4e-3" : "3e-3"}`;
    this.lines[this.editLine] = text;
    this.version++;
    client.notify("textDocument/didChange", {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: [{ range: { start: { line: this.editLine, character: 0 }, end: { line: this.editLine, character: old.length } }, text }],
    });
    return this.version;
  }
  hover() {
    return client.request("textDocument/hover", { textDocument: { uri: this.uri }, position: this.hoverAt });
  }
}

const stats = (xs) => ({ median: median(xs), p99: quantile(xs, 0.99), n: xs.length });
const diag = {};
const hov = {};
for (const [lines, edits, hovers] of [[50, 100, 300], [5000, 20, 60]]) {
  const doc = new Doc(`file:///bench/sweep-${lines}.anneal`, generateFile(lines));
  await doc.open();
  // Diagnostics: from the edit to the diagnostics of that version.
  const raw = [];
  for (let i = 0; i < edits + 3; i++) {
    const t0 = performance.now();
    const v = doc.edit();
    await client.waitFor("textDocument/publishDiagnostics", (p) => p.uri === doc.uri && p.version === v);
    if (i >= 3) raw.push(performance.now() - t0);
  }
  // Hover with a plot, on the analysed current version.
  const times = [];
  let first;
  for (let i = 0; i < hovers + 5; i++) {
    const t0 = performance.now();
    const h = await doc.hover();
    if (i >= 5) times.push(performance.now() - t0);
    first ??= h;
  }
  if (!first?.contents?.value?.includes("data:image/svg+xml")) throw new Error(`the hover on ${lines} lines has no plot: ${JSON.stringify(first).slice(0, 300)}`);
  diag[lines] = { endToEnd: stats(raw), afterDebounce: stats(raw.map((x) => x - DEBOUNCE_MS)) };
  hov[lines] = stats(times);
  say(`  ${String(lines).padStart(4)} lines: diagnostics after an edit median ${diag[lines].endToEnd.median.toFixed(1)} ms, p99 ${diag[lines].endToEnd.p99.toFixed(1)} ms (of which ${DEBOUNCE_MS} ms debounce); hover with plot median ${hov[lines].median.toFixed(2)} ms, p99 ${hov[lines].p99.toFixed(2)} ms`);
  client.notify("textDocument/didClose", { textDocument: { uri: doc.uri } });
}
const d50 = diag[50].afterDebounce.p99;
result(NAMES[0], d50, "ms (p99 after the debounce, 50 lines)", GOALS.diag, d50 < 20, { debounceMs: DEBOUNCE_MS, lines50: diag[50], lines5000: diag[5000] });
result(NAMES[1], hov[50].p99, "ms (p99, 50 lines)", GOALS.hover, hov[50].p99 < 20, { lines50: hov[50], lines5000: hov[5000] });

// Memory: a fresh server, 10,000 edits of the 50-line file, each followed by a hover so
// every version is compiled (hovers are awaited in batches so the pipe never holds more
// than a batch).
await client.shutdown();
client = await startServer();
{
  const doc = new Doc("file:///bench/memory.anneal", generateFile(50));
  await doc.open();
  const before = client.rssMb();
  const BATCH = 100;
  const t0 = performance.now();
  for (let done = 0; done < 10_000; done += BATCH) {
    const answers = [];
    for (let i = 0; i < BATCH; i++) {
      doc.edit();
      answers.push(doc.hover());
    }
    await Promise.all(answers);
  }
  const v = doc.version;
  await client.waitFor("textDocument/publishDiagnostics", (p) => p.uri === doc.uri && p.version === v);
  const after = client.rssMb();
  const seconds = (performance.now() - t0) / 1000;
  say(`  memory: ${before.toFixed(0)} MB after opening, ${after.toFixed(0)} MB after 10,000 edits and hovers (${seconds.toFixed(1)} s)`);
  result(NAMES[2], after, "MB", GOALS.rss, after < 150, { rssAfterOpenMb: before, seconds });
}
await client.shutdown();
