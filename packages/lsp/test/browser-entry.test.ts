// The browser entry bundles for a web worker with no Node built-ins, and the bundle really
// serves LSP over postMessage: it runs here in a worker thread whose `self` is a minimal
// stand-in for a DedicatedWorkerGlobalScope.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { expect, test } from "vitest";

const entry = new URL("../src/server-browser.ts", import.meta.url).pathname;

test("server-browser.ts bundles for the browser and answers initialize and hover over postMessage", async () => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    // The PNG renderer's native module is loaded lazily and never by the server.
    external: ["@resvg/resvg-js"],
  });
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/require\(["'](node:)?(fs|child_process|net)["']\)/);

  const dir = mkdtempSync(join(tmpdir(), "anneal-browser-"));
  const bundle = join(dir, "server.mjs");
  writeFileSync(bundle, code);
  const shim = `
    import { parentPort } from "node:worker_threads";
    const port = new EventTarget();
    port.postMessage = (m) => parentPort.postMessage(m);
    // jsonrpc's BrowserMessageReader listens through \`onmessage\`, as on a worker's global scope.
    parentPort.on("message", (data) => port.onmessage?.(new MessageEvent("message", { data })));
    globalThis.self = port;
    await import(${JSON.stringify(pathToFileURL(bundle).href)});
    parentPort.postMessage({ ready: true });
  `;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(shim)}`));
  try {
    const responses = new Map<number, { result?: unknown; error?: unknown }>();
    let failure: Error | undefined;
    worker.on("error", (e) => (failure = e));
    const ready = new Promise<void>((resolve) =>
      worker.on("message", (m: { id?: number; result?: unknown; error?: unknown; ready?: boolean }) => {
        if (m.ready) resolve();
        if (typeof m.id === "number") responses.set(m.id, m);
      }),
    );
    await Promise.race([ready, new Promise((_, reject) => setTimeout(() => reject(failure ?? new Error("the worker did not start")), 5000))]);
    const request = async (id: number, method: string, params: unknown) => {
      worker.postMessage({ jsonrpc: "2.0", id, method, params });
      const deadline = Date.now() + 5000;
      while (!responses.has(id)) {
        if (failure || Date.now() > deadline) throw failure ?? new Error(`no answer to ${method}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return responses.get(id)!;
    };
    const init = await request(1, "initialize", { processId: null, rootUri: null, capabilities: { textDocument: { hover: { contentFormat: ["markdown"] } } } });
    expect((init.result as { serverInfo: { name: string } }).serverInfo.name).toBe("anneal");
    worker.postMessage({ jsonrpc: "2.0", method: "initialized", params: {} });
    const uri = "inmemory://schedule.anneal";
    worker.postMessage({ jsonrpc: "2.0", method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "anneal", version: 1, text: "total 100k\nlr 3e-4\nwarmup 4% -> cosine\n" } } });
    const hover = await request(2, "textDocument/hover", { textDocument: { uri }, position: { line: 2, character: 8 } });
    expect((hover.result as { contents: { value: string } }).contents.value).toContain("4,000 steps");
  } finally {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
});
