// A minimal language-server client over stdio for the latency and memory benchmarks: it
// starts the server as a child process, frames JSON-RPC messages with Content-Length
// headers, matches responses to requests, and lets a caller wait for a notification (the
// diagnostics of a given document version). Timing is the caller's: it reads the clock
// before a message is written and when the awaited message has been parsed.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export class LspClient {
  constructor(serverPath, args = ["--stdio"]) {
    this.child = spawn(process.execPath, [serverPath, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    this.nextId = 1;
    this.pending = new Map();
    this.waiters = [];
    this.stderr = "";
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
    // A server that dies fails whatever is waiting on it at once, with its last words.
    this.child.on("exit", (code, signal) => {
      const said = this.stderr.split("\n").find((l) => /error/i.test(l)) ?? this.stderr.trim().split("\n").pop() ?? "";
      for (const p of this.pending.values()) p.reject(new Error(`the server exited (${signal ?? `code ${code}`}): ${said.trim()}`));
      this.pending.clear();
    });
    this.child.on("error", (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    this.child.stdout.on("data", (chunk) => this.onData(chunk));
    this.child.stderr.on("data", (chunk) => (this.stderr += chunk.toString()));
    // Requests from the server (configuration, registration) get an empty answer.
    this.onRequest = (msg) => this.write({ jsonrpc: "2.0", id: msg.id, result: null });
  }

  get pid() {
    return this.child.pid;
  }

  onData(chunk) {
    // Chunks are kept in a list and joined once a whole message is there: joining on every
    // chunk copies a 10 MB answer hundreds of times, and that was the client's time, not
    // the server's.
    this.chunks ??= [];
    this.chunks.push(chunk);
    this.size = (this.size ?? 0) + chunk.length;
    for (;;) {
      if (this.expect === undefined) {
        if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
        const head = this.chunks[0];
        if (!head) return;
        const headerEnd = head.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const header = head.subarray(0, headerEnd).toString("ascii");
        const m = /Content-Length: (\d+)/i.exec(header);
        if (!m) throw new Error(`bad header from the server: ${header}`);
        this.expect = Number(m[1]);
        this.chunks[0] = head.subarray(headerEnd + 4);
        this.size -= headerEnd + 4;
      }
      if (this.size < this.expect) return;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      const body = all.subarray(0, this.expect).toString("utf8");
      const rest = all.subarray(this.expect);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
      this.expect = undefined;
      this.dispatch(JSON.parse(body));
    }
  }

  dispatch(msg) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined) return this.onRequest(msg);
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (w.method === msg.method && w.match(msg.params)) {
        this.waiters.splice(i, 1);
        w.resolve(msg.params);
        return;
      }
    }
  }

  write(msg) {
    const body = Buffer.from(JSON.stringify(msg), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer within ${timeoutMs} ms${this.stderr ? `; server stderr: ${this.stderr.slice(-500)}` : ""}`)), timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.write({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method, params) {
    this.write({ jsonrpc: "2.0", method, params });
  }

  /** Resolves with the params of the next `method` notification that `match` accepts. */
  waitFor(method, match = () => true, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const w = { method, match, resolve: (v) => (clearTimeout(timer), resolve(v)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Resident memory of the server process, in MB, from /proc (Linux). */
  rssMb() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  }

  async initialize() {
    const result = await this.request(
      "initialize",
      {
        processId: process.pid,
        rootUri: null,
        // As VS Code says it, so hovers carry the plot the benchmark measures.
        capabilities: { general: { markdown: { parser: "marked", version: "1.1.0" } }, textDocument: { hover: { contentFormat: ["markdown", "plaintext"] }, publishDiagnostics: { versionSupport: true } } },
      },
      10_000,
    );
    this.notify("initialized", {});
    return result;
  }

  async shutdown() {
    try {
      await this.request("shutdown", null, 5000);
      this.notify("exit", null);
    } catch {
      // A server that does not answer is stopped below.
    }
    const timer = setTimeout(() => this.child.kill(), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}
