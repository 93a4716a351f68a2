// The stdio writer (framing.ts, `FramedWriter`): every message is framed as the library's
// writer frames it, and the long list of an answer is written in parts, never as one
// string. Each test reads the bytes back with the server's own decoder and compares the
// body with `JSON.stringify` of the message, the library's serialisation.

import { describe, expect, test } from "vitest";
import type { Message } from "vscode-languageserver";
import { FrameDecoder, FramedWriter, messageParts, PARTED_RESULT_ENTRIES, type WritableByteStream } from "../src/framing.js";

/** A stream that keeps what is written; `full` says, per write, whether its buffer is full (then it drains on the next tick). */
class Sink implements WritableByteStream {
  readonly chunks: string[] = [];
  writes = 0;
  /** The largest number of writes taken while the stream was waiting to drain. */
  pendingMax = 0;
  private pending = 0;
  private drains: (() => void)[] = [];

  constructor(private readonly full: (n: number) => boolean = () => false) {}

  write(chunk: string, _encoding: "utf8", callback: (e?: Error | null) => void): boolean {
    this.chunks.push(chunk);
    this.writes++;
    callback();
    if (!this.full(this.writes)) return true;
    this.pending++;
    this.pendingMax = Math.max(this.pendingMax, this.pending);
    setImmediate(() => {
      this.pending--;
      for (const d of this.drains.splice(0)) d();
    });
    return false;
  }
  once(_event: "drain", listener: () => void): unknown {
    this.drains.push(listener);
    return this;
  }
  on(): unknown {
    return this;
  }
  end(): void {}

  messages(): unknown[] {
    return new FrameDecoder().push(Buffer.from(this.chunks.join(""), "utf8")).map((e) => (e.kind === "message" ? e.message : e));
  }
}

const symbols = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `s${i} ✓ "quoted" \u2028`,
    kind: 12,
    location: { uri: "file:///a b/ü.anneal", range: { start: { line: i, character: 0 }, end: { line: i, character: 44 } } },
    ...(i % 3 ? { containerName: `s${i - 1}` } : {}),
    unset: undefined,
  }));

describe("messageParts", () => {
  const cases: [string, Message][] = [
    ["a small answer", { jsonrpc: "2.0", id: 1, result: [1, 2, 3] } as Message],
    ["a notification", { jsonrpc: "2.0", method: "textDocument/publishDiagnostics", params: { uri: "u", diagnostics: [] } } as Message],
    ["a long list as the result", { jsonrpc: "2.0", id: 7, result: symbols(PARTED_RESULT_ENTRIES * 3 + 17) } as Message],
    ["a long list inside the result (semantic tokens)", { jsonrpc: "2.0", id: "x", result: { resultId: "3", data: Array.from({ length: 5 * 4001 }, (_, i) => i % 97) } } as Message],
    ["a long list with holes and undefined entries", { jsonrpc: "2.0", id: 2, result: Object.assign(new Array(2500), { 5: undefined, 7: null, 2400: "z" }) } as Message],
  ];
  test.each(cases)("%s: the parts spell JSON.stringify of the message", (_what, message) => {
    const parts = [...messageParts(message)];
    expect(parts.join("")).toBe(JSON.stringify(message));
  });

  test("a long list is cut into parts of a thousand entries, none holding the whole answer", () => {
    const message = { jsonrpc: "2.0", id: 7, result: symbols(10_000) } as Message;
    const whole = JSON.stringify(message).length;
    const parts = [...messageParts(message)];
    // The head, ten parts and the tail.
    expect(parts).toHaveLength(12);
    for (const p of parts) expect(p.length).toBeLessThan(whole / 5);
  });
});

describe("FramedWriter", () => {
  test("messages are framed with their byte length, in order, and read back whole", async () => {
    const sink = new Sink();
    const w = new FramedWriter(sink);
    const messages = [
      { jsonrpc: "2.0", id: 1, result: symbols(3000) },
      { jsonrpc: "2.0", method: "window/logMessage", params: { type: 3, message: "ünïcödé → ok" } },
      { jsonrpc: "2.0", id: 2, result: null },
    ] as unknown as Message[];
    await Promise.all(messages.map((m) => w.write(m)));
    expect(sink.messages()).toEqual(messages.map((m) => JSON.parse(JSON.stringify(m))));
  });

  test("a stream that is full is waited for: one write at a time is outstanding", async () => {
    const sink = new Sink(() => true);
    const w = new FramedWriter(sink);
    const message = { jsonrpc: "2.0", id: 9, result: symbols(5000) } as Message;
    await w.write(message);
    // Five parts of a thousand entries (about 200 KB each, past the 64 KiB a write
    // gathers), so at least five writes, each after the last drained.
    const body = JSON.stringify(message).length;
    expect(sink.writes).toBeGreaterThanOrEqual(5);
    for (const c of sink.chunks) expect(c.length).toBeLessThan(65536 + body / 4);
    expect(sink.pendingMax).toBe(1);
    expect(sink.messages()).toEqual([JSON.parse(JSON.stringify(message))]);
  });

  test("an answer too long to hold its parts (more than 4 Mi characters) is made twice, the same", async () => {
    const sink = new Sink();
    const message = { jsonrpc: "2.0", id: 4, result: symbols(40_000) } as Message;
    expect(JSON.stringify(message).length).toBeGreaterThan(4 * 2 ** 20);
    await new FramedWriter(sink).write(message);
    expect(sink.messages()).toEqual([JSON.parse(JSON.stringify(message))]);
  });
});
