// The packaged extension, as a user installs it: `npm run package -w anneal-vscode` builds
// the bundles and runs vsce; this test unpacks the .vsix and checks what VS Code will load
// from it, then starts the bundled language server from the unpacked copy (outside the
// repository, so nothing can come from node_modules) and talks LSP to it over stdio.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluator } from "../../packages/compiler/src/evaluate.js";
import type { SchedulesResult } from "../../packages/lsp/src/protocol.js";
import { REPO_ROOT } from "./run-bin.js";
import { readZip } from "./zip.js";

const EXTENSION_DIR = join(REPO_ROOT, "packages/vscode-extension");
const VSIX = join(EXTENSION_DIR, "anneal-vscode.vsix");

let files = new Map<string, Buffer>();
let unpacked = "";

beforeAll(() => {
  const r = spawnSync("npm", ["run", "package", "-w", "anneal-vscode"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 180_000 });
  if (r.status !== 0) throw new Error(`npm run package -w anneal-vscode failed:\n${r.stdout}\n${r.stderr}`);
  files = new Map(readZip(readFileSync(VSIX)).map((e) => [e.name, e.data]));
  unpacked = mkdtempSync(join(tmpdir(), "anneal-vsix-"));
  for (const [name, data] of files) {
    const path = join(unpacked, ...name.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
}, 200_000);

afterAll(() => {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

const manifest = () => JSON.parse(files.get("extension/package.json")!.toString("utf8")) as {
  name: string;
  main: string;
  icon?: string;
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    commands: { command: string }[];
  };
};

describe("the .vsix", () => {
  it("holds the manifest, the grammar, the language configuration, the snippets and the bundles", () => {
    for (const name of [
      "extension.vsixmanifest",
      "extension/package.json",
      "extension/dist/anneal.tmLanguage.json",
      "extension/language-configuration.json",
      "extension/snippets/anneal.code-snippets",
      "extension/dist/extension.js",
      "extension/dist/preview.js",
    ]) {
      expect([...files.keys()], name).toContain(name);
    }
    expect(
      [...files.keys()],
      "extension/dist/server.js is missing: the build skips it while packages/lsp/src/server-node.ts does not exist",
    ).toContain("extension/dist/server.js");
    expect([...files.keys()].some((n) => n.toLowerCase() === "extension/readme.md")).toBe(true);
  });

  it("holds nothing else: no sources, source maps or node_modules", () => {
    const allowed = /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(package\.json|readme\.md|icon\.png|language-configuration\.json|snippets\/anneal\.code-snippets|dist\/(extension|server|preview)\.js|dist\/anneal\.tmLanguage\.json|dist\/terminateProcess\.sh))$/i;
    expect([...files.keys()].filter((n) => !allowed.test(n))).toEqual([]);
  });

  it("contains every file its manifest names", () => {
    const m = manifest();
    expect(m.name).toBe("anneal-vscode");
    const named = [
      m.main,
      ...(m.icon ? [m.icon] : []),
      ...m.contributes.languages.map((l) => l.configuration),
      ...m.contributes.grammars.map((g) => g.path),
      ...m.contributes.snippets.map((s) => s.path),
    ];
    for (const path of named) expect([...files.keys()], path).toContain(posix.join("extension", path));
    expect(m.contributes.languages[0]).toMatchObject({ id: "anneal", extensions: [".anneal"] });
    expect(m.contributes.grammars[0]).toMatchObject({ language: "anneal", scopeName: "source.anneal" });
  });

  it("ships the repository's grammar and a language configuration with # comments and braces", () => {
    const grammar = files.get("extension/dist/anneal.tmLanguage.json")!;
    expect(grammar.equals(readFileSync(join(REPO_ROOT, "grammar/anneal.tmLanguage.json")))).toBe(true);
    const config = JSON.parse(files.get("extension/language-configuration.json")!.toString("utf8"));
    expect(config.comments.lineComment).toBe("#");
    expect(config.brackets).toEqual([
      ["{", "}"],
      ["(", ")"],
    ]);
  });

  it("has a client bundle that needs nothing at run time but VS Code and Node", () => {
    const client = files.get("extension/dist/extension.js")!.toString("utf8");
    const required = new Set([...client.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtins = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
    expect([...required].filter((r) => r !== "vscode" && !builtins.has(r))).toEqual([]);
    expect(required.has("vscode")).toBe(true);
  });
});

describe("the bundled language server", () => {
  let child: ChildProcess | undefined;
  let connection: MessageConnection | undefined;
  let stderr = "";
  const diagnostics = new Map<string, unknown[]>();

  let missing: string | undefined;

  beforeAll(async () => {
    const server = join(unpacked, "extension", "dist", "server.js");
    if (!existsSync(server)) {
      missing = "the .vsix has no extension/dist/server.js: the build skips it while packages/lsp/src/server-node.ts does not exist";
      return;
    }
    child = spawn(process.execPath, [server, "--stdio"], { cwd: unpacked, stdio: ["pipe", "pipe", "pipe"] });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    // Requests a server may make of its client: answer as a client with no settings would.
    connection.onRequest("workspace/configuration", (params: { items: unknown[] }) => params.items.map(() => null));
    connection.onRequest(() => null);
    connection.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: unknown[] }) => {
      diagnostics.set(p.uri, p.diagnostics);
    });
    connection.listen();
  });

  afterAll(async () => {
    connection?.dispose();
    if (child && child.exitCode === null) child.kill();
  });

  async function request<T>(method: string, params: unknown, what: string): Promise<T> {
    if (missing) throw new Error(missing);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer to ${what} within 15 s; server stderr:\n${stderr}`)), 15_000),
    );
    return Promise.race([connection!.sendRequest<T>(method, params), timeout]);
  }

  it("starts with `node server.js --stdio` and answers initialize", async () => {
    const result = await request<{ capabilities: Record<string, unknown> }>(
      "initialize",
      { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} },
      "initialize",
    );
    expect(result.capabilities.textDocumentSync).toBeDefined();
    await connection!.sendNotification("initialized", {});
  }, 30_000);

  it("reports a syntax error in a document it is sent", async () => {
    const uri = "file:///work/broken.anneal";
    if (missing) throw new Error(missing);
    await connection!.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "anneal", version: 1, text: "schedule {\n" },
    });
    await expect.poll(() => diagnostics.get(uri)?.length ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
  }, 30_000);

  it("answers anneal/schedules with IR that evaluates to the published formula", async () => {
    const uri = "file:///work/bert.anneal";
    if (missing) throw new Error(missing);
    await connection!.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "anneal", version: 7, text: "schedule bert { lr 1e-4  total 1M steps  warmup 10k -> linear to 0 }\n" },
    });
    const result = await request<SchedulesResult>("anneal/schedules", { uri }, "anneal/schedules");
    expect(result.version).toBe(7);
    expect(result.schedules.map((s) => s.name)).toEqual(["bert"]);
    const ir = result.schedules[0]!.ir!;
    expect(ir.total).toBe(1_000_000);
    const ev = createEvaluator(ir);
    // BERT: linear warmup to 1e-4 over 10k steps, then linear decay to 0 at 1M.
    for (const t of [0, 2500, 9999, 10_000, 505_000, 999_999]) {
      const expected = t < 10_000 ? 1e-4 * (t / 10_000) : 1e-4 + (0 - 1e-4) * ((t - 10_000) / 990_000);
      expect(Math.abs(ev.lrAt(t) - expected)).toBeLessThanOrEqual(1e-12 * 1e-4);
    }
  }, 30_000);

  it("shuts down and exits when asked", async () => {
    await request("shutdown", null, "shutdown");
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    await connection!.sendNotification("exit");
    expect(await exited).toBe(0);
  }, 30_000);
});
