// The protocol's lifecycle and framing over stdio, against the specification's words:
// requests before `initialize` get ServerNotInitialized (-32002), requests after `shutdown`
// get InvalidRequest, `exit` ends the process with 0 after `shutdown` and 1 otherwise, and a
// malformed frame is logged and skipped while the messages after it are still answered.
// Every wait is for a message the server must send, in the order it must send it; none is
// on the clock.

import { spawn } from "node:child_process";
import { beforeAll, describe, expect, test } from "vitest";
import { createProtocolConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";
import { FrameDecoder } from "../../packages/lsp/src/framing.js";
import { ensureServerBuilt, ROOT, SERVER, TestClient } from "./client.js";

ensureServerBuilt();

/** A server process with a connection that has not sent `initialize`. */
function raw() {
  const proc = spawn(process.execPath, [SERVER, "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.listen();
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return { proc, conn, exited };
}

async function errorOf(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ResponseError) return e;
    throw e;
  }
  throw new Error("expected an error response, got a result");
}

const HOVER = (uri: string) => ({ textDocument: { uri }, position: { line: 0, character: 1 } });

describe("lifecycle", () => {
  test("before initialize: requests get -32002, notifications are dropped; exit without shutdown is code 1", async () => {
    const s = raw();
    const uri = "file:///tmp/anneal-lifecycle/early.anneal";
    const e = await errorOf(s.conn.sendRequest("textDocument/hover", HOVER(uri)));
    expect(e.code).toBe(-32002);
    expect(e.message).toMatch(/initialize/);
    // Unknown methods too: nothing is served before initialize.
    expect((await errorOf(s.conn.sendRequest("anneal/schedules", { uri }))).code).toBe(-32002);
    // A didOpen before initialize is dropped, so the document is not open afterwards.
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "anneal", version: 1, text: "lr 1\ntotal 10\ncosine\n" } });
    await s.conn.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} });
    await s.conn.sendNotification("initialized", {});
    expect(await s.conn.sendRequest("textDocument/hover", HOVER(uri))).toBeNull();
    expect((await errorOf(s.conn.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} }))).code).toBe(-32600);
    await s.conn.sendNotification("exit");
    expect(await s.exited).toBe(1);
    s.conn.dispose();
  });

  test("after shutdown: requests get InvalidRequest; exit is code 0", async () => {
    const c = await TestClient.start();
    const uri = "file:///tmp/anneal-lifecycle/late.anneal";
    await c.open(uri, "lr 1\ntotal 10\ncosine\n");
    expect(await c.request("textDocument/hover", HOVER(uri))).not.toBeNull();
    await c.request("shutdown", null);
    const e = await errorOf(c.request("textDocument/hover", HOVER(uri)));
    expect(e.code).toBe(-32600);
    expect(e.message).toMatch(/shutdown/);
    const exited = new Promise<number | null>((resolve) => c.proc.once("exit", (code) => resolve(code)));
    await c.conn.sendNotification("exit");
    expect(await exited).toBe(0);
    c.conn.dispose();
  });

  test("standard input closed without shutdown is code 1", async () => {
    const s = raw();
    await s.conn.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} });
    s.proc.stdin.end();
    expect(await s.exited).toBe(1);
    s.conn.dispose();
  });
});

/** A JSON-RPC message framed as the protocol frames it. */
function frame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

describe("framing errors over stdio: logged, skipped, and the next message answered", () => {
  const uri = "file:///tmp/anneal-framing/doc.anneal";
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", method: "textDocument/didClose", params: { textDocument: { uri: "file:///x" } } }), "utf8");
  const cases: [string, Buffer, RegExp][] = [
    ["Content-Length: abc", Buffer.concat([Buffer.from("Content-Length: abc\r\n\r\n"), body]), /whole number of bytes, not "abc"/],
    ["Content-Length: -5", Buffer.concat([Buffer.from("Content-Length: -5\r\n\r\n"), body]), /whole number of bytes, not "-5"/],
    ["Content-Length: 1.5", Buffer.concat([Buffer.from("Content-Length: 1.5\r\n\r\n"), body]), /whole number of bytes, not "1.5"/],
    ["20 digits", Buffer.concat([Buffer.from("Content-Length: 12345678901234567890\r\n\r\n"), body]), /12345678901234567890 is more than/],
    ["no Content-Length", Buffer.concat([Buffer.from("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"), body]), /has no Content-Length/],
    ["LF-only line ends", Buffer.concat([Buffer.from(`Content-Length: ${body.length}\n\n`), body]), /LF alone/],
    ["10 bytes too small", Buffer.concat([Buffer.from(`Content-Length: ${body.length - 10}\r\n\r\n`), body]), /not JSON \(is its Content-Length right\?\)/],
  ];
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start();
    await client.open(uri, "lr 1\ntotal 10\ncosine\n");
  });
  for (const [name, bad, reason] of cases)
    test(name, async () => {
      const mark = client.logs.length;
      client.proc.stdin!.write(bad);
      // The server reads in order: by the time this hover is answered, the bad frame has
      // been reported and skipped.
      const h = await client.request<{ contents: unknown } | null>("textDocument/hover", HOVER(uri));
      expect(h).not.toBeNull();
      const logged = client.logs.slice(mark);
      expect(logged.some((l) => /^framing error: /.test(l) && reason.test(l)), logged.join("\n")).toBe(true);
      expect(logged.some((l) => /resynchronised on the next header/.test(l)), logged.join("\n")).toBe(true);
      expect(client.stderr.join("")).toContain("anneal lsp: framing error");
      expect(client.proc.exitCode).toBeNull();
    });
  test("the server still shuts down cleanly", async () => {
    await client.stop();
    expect(client.proc.exitCode).toBe(0);
  });
});

describe("the frame decoder", () => {
  const messages = [{ jsonrpc: "2.0", id: 1, method: "a", params: { s: "Content-Length: 5\r\n\r\n日本" } }, { jsonrpc: "2.0", method: "b" }];
  const stream = Buffer.concat([frame(messages[0]!), Buffer.from("garbage\r\n"), frame(messages[1]!)]);

  test("the same messages and errors whatever the chunking, one byte at a time included", () => {
    const whole = new FrameDecoder().push(stream);
    expect(whole.filter((e) => e.kind === "message").map((e) => e.message)).toEqual(messages);
    const d = new FrameDecoder();
    const bytewise = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(bytewise).toEqual(whole);
  });

  test("a header section that never ends is reported once its bound is passed, not waited on", () => {
    const events = new FrameDecoder().push(Buffer.from(`Content-Length: 5\r\nX-Long: ${"a".repeat(9000)}`));
    expect(events).toEqual([{ kind: "error", message: expect.stringMatching(/no end of headers/) }]);
  });
});
