// Guarded handlers: a failing feature answers with an error and a log line, a cancelled
// request with RequestCancelled; neither takes the server down.
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError } from "vscode-languageserver";
import { describe, expect, test } from "vitest";
import { guardNotification, guardRequest } from "../src/guard.js";

function recorder() {
  const lines: string[] = [];
  return { lines, log: { error: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(m), info: (m: string) => void lines.push(m) } };
}

describe("guards", () => {
  test("an exception becomes an InternalError response and a logged stack", async () => {
    const { lines, log } = recorder();
    const handler = guardRequest(log, "textDocument/hover", () => {
      throw new Error("boom");
    });
    const r = await handler({}, new CancellationTokenSource().token);
    expect(r).toBeInstanceOf(ResponseError);
    expect((r as ResponseError<void>).code).toBe(ErrorCodes.InternalError);
    expect((r as ResponseError<void>).message).toContain("boom");
    expect(lines[0]).toMatch(/textDocument\/hover failed: boom/);
  });

  test("a cancelled request is answered with RequestCancelled without running", async () => {
    const { log } = recorder();
    let ran = false;
    const handler = guardRequest(log, "textDocument/hover", () => {
      ran = true;
      return null;
    });
    const source = new CancellationTokenSource();
    source.cancel();
    const r = await handler({}, source.token);
    expect(ran).toBe(false);
    expect((r as ResponseError<void>).code).toBe(LSPErrorCodes.RequestCancelled);
  });

  test("a failing notification is logged, synchronously or not", async () => {
    const { lines, log } = recorder();
    guardNotification(log, "textDocument/didOpen", () => {
      throw new Error("sync");
    })({});
    guardNotification(log, "textDocument/didChange", async () => {
      throw new Error("async");
    })({});
    await new Promise((r) => setTimeout(r, 0));
    expect(lines.map((l) => l.split("\n")[0])).toEqual(["textDocument/didOpen failed: sync", "textDocument/didChange failed: async"]);
  });
});
