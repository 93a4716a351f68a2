// A minimal LSP client for tests: spawns the real bundled server over stdio and talks
// JSON-RPC to it with vscode-languageserver-protocol, recording what the server pushes
// (diagnostics, log messages) and answering what it asks (configuration, registrations).

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ClientCapabilities,
  createProtocolConnection,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SERVER = join(ROOT, "packages", "lsp", "dist", "server.mjs");

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const newest = Math.max(...["lsp", "compiler", "dsl"].map((p) => newestSource(join(ROOT, "packages", p, "src"))));
  return !existsSync(SERVER) || statSync(SERVER).mtimeMs < newest;
}

/**
 * Builds the server bundle when it is missing or older than the sources it bundles. Test
 * files run in parallel, so the build holds a lock directory: a second file waits for the
 * first one's build instead of rewriting the bundle under a running server.
 */
export function ensureServerBuilt(): void {
  if (!isStale()) return;
  const lock = join(ROOT, "packages", "lsp", ".build-lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is not waited on for ever.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (!isStale()) return;
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0 || !existsSync(SERVER)) throw new Error(`node scripts/build.mjs failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export const FULL_CAPABILITIES: ClientCapabilities = {
  // As VS Code says it: its markdown renderer draws images.
  general: { markdown: { parser: "marked", version: "1.1.0" } },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
  textDocument: {
    hover: { contentFormat: ["markdown", "plaintext"] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    rename: { prepareSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** What the client answers to `workspace/configuration` for the `anneal` section. */
  settings?: unknown;
  /** The command line; the bundled server by default. */
  command?: string[];
}

export class TestClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  /** What the server showed with `window/showMessage`. */
  readonly shown: string[] = [];
  readonly stderr: string[] = [];
  settings: unknown;
  private waiters: (() => void)[] = [];
  initializeResult!: InitializeResult;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    settings: unknown,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const [cmd, ...args] = options.command ?? [process.execPath, SERVER, "--stdio"];
    const proc = spawn(cmd!, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, conn, options.settings);
    proc.stderr!.on("data", (d: Buffer) => client.stderr.push(d.toString()));
    conn.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      client.diagnostics.push(p);
      client.wake();
    });
    conn.onNotification("window/logMessage", (p: { message: string }) => {
      client.logs.push(p.message);
      client.wake();
    });
    conn.onNotification("window/showMessage", (p: { message: string }) => {
      client.shown.push(p.message);
      client.wake();
    });
    conn.onRequest("workspace/configuration", (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === "anneal" ? (client.settings ?? null) : null)));
    conn.onRequest("client/registerCapability", () => null);
    conn.listen();
    client.initializeResult = await conn.sendRequest("initialize", {
      processId: process.pid,
      rootUri: null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    });
    await conn.sendNotification("initialized", {});
    return client;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves with the first value `probe` returns that is not undefined, or fails after `ms`. */
  async until<T>(probe: () => T | undefined, what: string, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The first diagnostics published for `uri` after `after` (an index into `diagnostics`) that satisfy `ok`. */
  diagnosticsFor(uri: string, ok: (p: PublishDiagnosticsParams) => boolean = () => true, after = 0, ms?: number): Promise<PublishDiagnosticsParams> {
    return this.until(() => this.diagnostics.slice(after).find((p) => p.uri === uri && ok(p)), `diagnostics for ${uri}`, ms);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "anneal", version, text } });
  }

  /** Replaces the whole text (incremental sync accepts a change without a range). */
  change(uri: string, text: string, version: number): Promise<void> {
    return this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification("exit");
    } catch {
      // The process may already be gone; it is killed below either way.
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill("SIGKILL");
        resolve();
      }, 2000);
      this.proc.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}
