// The extension's own code, run against stand-ins for the VS Code API and the language
// client: what `activate` registers and starts, how the preview panel talks to the server
// and to its webview, and what the Emit commands ask for and open.

import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fake, FakeDocument, FakeUri } from "./fake-vscode.js";
import { REPO_ROOT } from "./run-bin.js";

vi.mock("vscode", async () => (await import("./fake-vscode.js")).vscodeModule);
vi.mock("vscode-languageclient/node", async () => (await import("./fake-vscode.js")).languageClientModule);

const { activate } = await import("../../packages/vscode-extension/src/extension.js");
const clientNames = await import("../../packages/vscode-extension/src/server-protocol.js");
const serverNames = await import("../../packages/lsp/src/protocol.js");

const manifest = JSON.parse(readFileSync(`${REPO_ROOT}packages/vscode-extension/package.json`, "utf8")) as {
  contributes: { commands: { command: string }[] };
};

const EXT = FakeUri.file("/ext");
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

function openEditor(path: string, text: string): FakeDocument {
  const doc = new FakeDocument(FakeUri.file(path), text);
  fake.documents.push(doc);
  fake.activeTextEditor = { document: doc };
  return doc;
}

function start() {
  const context = { extensionUri: EXT, subscriptions: [] as { dispose(): unknown }[] };
  activate(context as never);
  return context;
}

beforeEach(() => fake.reset());
// The extension keeps one preview panel and reuses it; closing it ends each test cleanly.
afterEach(() => {
  for (const p of fake.panels) p.dispose();
});

describe("the protocol", () => {
  it("uses the server's names for its request and commands", () => {
    expect([clientNames.SCHEDULES_REQUEST, clientNames.EMIT_COMMAND, clientNames.PREVIEW_COMMAND]).toEqual([
      serverNames.SCHEDULES_REQUEST,
      serverNames.EMIT_COMMAND,
      serverNames.PREVIEW_COMMAND,
    ]);
  });
});

describe("activate", () => {
  it("registers every command the manifest contributes, and the code lens's preview command", () => {
    start();
    const contributed = manifest.contributes.commands.map((c) => c.command);
    expect([...fake.commands.keys()].sort()).toEqual([...contributed, "anneal.preview"].sort());
  });

  it("starts one language client on the bundled server over stdio", async () => {
    start();
    await tick();
    expect(fake.clients).toHaveLength(1);
    const c = fake.clients[0]!;
    // The id `anneal` is what makes the client read `anneal.trace.server`.
    expect(c.id).toBe("anneal");
    expect(c.started).toBe(true);
    expect(c.serverOptions).toMatchObject({ run: { module: "/ext/dist/server.js", transport: 0 } });
    expect(c.clientOptions).toMatchObject({
      documentSelector: [
        { scheme: "file", language: "anneal" },
        { scheme: "untitled", language: "anneal" },
        { scheme: "file", language: "python" },
      ],
      synchronize: { configurationSection: "anneal" },
    });
  });
});

describe("the preview panel", () => {
  const bert = { name: "bert", ir: null };

  it("opens beside the editor with the page, its script and a nonce-locked policy", async () => {
    start();
    openEditor("/work/a.anneal", "schedule bert { }");
    await fake.commands.get("anneal.openPreview")!();
    expect(fake.panels).toHaveLength(1);
    const p = fake.panels[0]!;
    expect(p.viewType).toBe("anneal.preview");
    expect(p.title).toBe("Preview a.anneal");
    expect(p.showOptions).toMatchObject({ viewColumn: -2, preserveFocus: true });
    const html = p.webview.html;
    const nonce = /script-src 'nonce-([0-9a-f]+)'/.exec(html)?.[1];
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(html).toContain(`<script nonce="${nonce}" src="https://webview.test/ext/dist/preview.js">`);
    expect(html).toContain("default-src 'none'");
  });

  it("asks the server for the schedules when the page is ready, and posts the answer", async () => {
    start();
    const doc = openEditor("/work/a.anneal", "schedule bert { }");
    fake.onRequest = (method) => (method === "anneal/schedules" ? { version: 1, schedules: [bert] } : null);
    await fake.commands.get("anneal.openPreview")!();
    const p = fake.panels[0]!;
    p.messageEmitter.fire({ type: "ready" });
    await tick(10);
    expect(fake.requests).toEqual([{ method: "anneal/schedules", params: { uri: "file:///work/a.anneal" } }]);
    expect(p.posted).toEqual([{ type: "schedules", fileName: "a.anneal", uri: doc.uri.toString(), version: 1, schedules: [bert] }]);
  });

  it("asks again once typing pauses, and drops an answer overtaken by a newer one", async () => {
    start();
    const doc = openEditor("/work/a.anneal", "x");
    const answers: ((v: unknown) => void)[] = [];
    fake.onRequest = () => new Promise((resolve) => answers.push(resolve));
    await fake.commands.get("anneal.openPreview")!();
    const p = fake.panels[0]!;
    p.messageEmitter.fire({ type: "ready" });
    await tick();
    // Three quick edits make one request after the pause, not three.
    for (let i = 0; i < 3; i++) fake.changeDocument.fire({ document: doc });
    await tick(40);
    expect(answers).toHaveLength(1);
    await tick(250);
    expect(answers).toHaveLength(2);
    answers[1]!({ version: 3, schedules: [] });
    await tick();
    answers[0]!({ version: 1, schedules: [bert] });
    await tick();
    expect(p.posted).toEqual([{ type: "schedules", fileName: "a.anneal", uri: "file:///work/a.anneal", version: 3, schedules: [] }]);
  });

  it("shows the server's failure in the page", async () => {
    start();
    openEditor("/work/a.anneal", "x");
    fake.onRequest = () => Promise.reject(new Error("Unhandled method anneal/schedules"));
    await fake.commands.get("anneal.openPreview")!();
    fake.panels[0]!.messageEmitter.fire({ type: "ready" });
    await tick(10);
    expect(fake.panels[0]!.posted).toEqual([
      { type: "error", fileName: "a.anneal", uri: "file:///work/a.anneal", message: "The Anneal language server did not answer: Unhandled method anneal/schedules" },
    ]);
  });

  it("opens from a schedule's code lens and scrolls to that schedule", async () => {
    start();
    const doc = new FakeDocument(FakeUri.file("/work/b.anneal"), "");
    fake.documents.push(doc);
    fake.onRequest = () => ({ version: 2, schedules: [bert, { name: "gpt", ir: null }] });
    await fake.commands.get("anneal.preview")!("file:///work/b.anneal", "gpt");
    fake.panels[0]!.messageEmitter.fire({ type: "ready" });
    await tick(10);
    expect(fake.panels[0]!.posted.map((m) => (m as { type: string }).type)).toEqual(["schedules", "focus"]);
    expect(fake.panels[0]!.posted[1]).toEqual({ type: "focus", name: "gpt" });
  });

  it("selects a phase's source when the page asks", async () => {
    start();
    const doc = openEditor("/work/a.anneal", "total 10k\nwarmup 1k -> cosine\n");
    await fake.commands.get("anneal.openPreview")!();
    fake.panels[0]!.messageEmitter.fire({ type: "reveal", offset: 23, end: 29 });
    await tick(10);
    expect(fake.shown).toHaveLength(1);
    expect(fake.shown[0]!.document).toBe(doc);
    expect(fake.shown[0]!.options).toMatchObject({ selection: { start: { line: 1, character: 13 }, end: { line: 1, character: 19 } } });
  });

  it("reuses its panel and follows the active Anneal editor", async () => {
    start();
    openEditor("/work/a.anneal", "");
    fake.onRequest = () => ({ version: 1, schedules: [] });
    await fake.commands.get("anneal.openPreview")!();
    await fake.commands.get("anneal.openPreview")!();
    expect(fake.panels).toHaveLength(1);
    expect(fake.panels[0]!.revealed).toBe(1);
    const other = new FakeDocument(FakeUri.file("/work/b.anneal"), "");
    fake.changeEditor.fire({ document: other });
    // Another language's editor leaves the preview where it is.
    fake.changeEditor.fire({ document: new FakeDocument(FakeUri.file("/work/c.py"), "", "python") });
    await tick(10);
    expect(fake.panels[0]!.title).toBe("Preview b.anneal");
    expect(fake.requests.at(-1)).toEqual({ method: "anneal/schedules", params: { uri: "file:///work/b.anneal" } });
  });

  it("refuses a file that is not Anneal", async () => {
    start();
    fake.activeTextEditor = { document: new FakeDocument(FakeUri.file("/work/a.py"), "", "python") };
    await fake.commands.get("anneal.openPreview")!();
    expect(fake.panels).toHaveLength(0);
    expect(fake.warnings[0]).toContain("open an .anneal file");
  });
});

describe("the Emit commands", () => {
  const executed = () => fake.requests.filter((r) => r.method === "workspace/executeCommand").map((r) => r.params);

  it("emits the file's one schedule and opens the code beside it", async () => {
    start();
    openEditor("/work/bert.anneal", "schedule bert { }");
    fake.onRequest = (method) =>
      method === "anneal/schedules" ? { version: 1, schedules: [{ name: "bert", ir: null }] } : { text: "import torch\n", language: "python" };
    await fake.commands.get("anneal.emitPyTorch")!();
    expect(executed()).toEqual([{ command: "anneal.emit", arguments: ["file:///work/bert.anneal", "pytorch", "bert"] }]);
    expect(fake.opened).toEqual([{ content: "import torch\n", language: "python" }]);
    expect(fake.shown[0]!.options).toMatchObject({ viewColumn: -2 });
    expect(fake.quickPicks).toHaveLength(0);
  });

  it.each([
    ["anneal.emitPyTorchNative", "pytorch-native"],
    ["anneal.emitTfjs", "tfjs"],
  ])("%s asks for the %s target of the schedule picked", async (command, target) => {
    start();
    openEditor("/work/two.anneal", "");
    fake.onRequest = (method) =>
      method === "anneal/schedules"
        ? { version: 1, schedules: [{ name: "a", ir: null }, { name: "b", ir: null }] }
        : { text: "// code\n", language: "javascript" };
    fake.quickPickAnswer = "b";
    await fake.commands.get(command)!();
    expect(fake.quickPicks[0]!.items.map((i) => i.label)).toEqual(["a", "b"]);
    expect(executed()).toEqual([{ command: "anneal.emit", arguments: ["file:///work/two.anneal", target, "b"] }]);
    expect(fake.opened).toHaveLength(1);
  });

  it("does nothing when the pick is cancelled", async () => {
    start();
    openEditor("/work/two.anneal", "");
    fake.onRequest = () => ({ version: 1, schedules: [{ name: "a", ir: null }, { name: "b", ir: null }] });
    await fake.commands.get("anneal.emitTfjs")!();
    expect(executed()).toEqual([]);
    expect(fake.opened).toEqual([]);
  });

  it("shows the server's error and opens nothing", async () => {
    start();
    openEditor("/work/bad.anneal", "");
    fake.onRequest = (method) =>
      method === "anneal/schedules" ? { version: 1, schedules: [{ name: "s", ir: null }] } : { error: "schedule `s` has errors" };
    await fake.commands.get("anneal.emitPyTorch")!();
    expect(fake.errors).toEqual(["Anneal: could not emit PyTorch code: schedule `s` has errors"]);
    expect(fake.opened).toEqual([]);
  });
});

describe("the Import from Python command", () => {
  const script = `from torch.optim.lr_scheduler import StepLR
scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
for epoch in range(90):
    train_one_epoch()
    scheduler.step()
`;

  it("opens the imported spec beside the script", async () => {
    start();
    const doc = openEditor("/work/train.py", script);
    (doc as unknown as { languageId: string }).languageId = "python";
    await fake.commands.get("anneal.importPython")!();
    expect(fake.opened).toHaveLength(1);
    expect(fake.opened[0]!.language).toBe("anneal");
    expect(fake.opened[0]!.content).toContain("# train.py:2: scheduler = StepLR(optimizer, step_size=30, gamma=0.1)");
    expect(fake.opened[0]!.content).toContain("step from peak by 0.1 every 30");
    expect(fake.warnings).toEqual([]);
  });

  it("asks for a Python file, and says why nothing was imported", async () => {
    start();
    openEditor("/work/a.anneal", "");
    await fake.commands.get("anneal.importPython")!();
    expect(fake.warnings).toEqual(["Anneal: open a Python training script to import its schedulers."]);
    const doc = openEditor("/work/plateau.py", "from torch.optim.lr_scheduler import ReduceLROnPlateau\ns = ReduceLROnPlateau(opt)\n");
    (doc as unknown as { languageId: string }).languageId = "python";
    await fake.commands.get("anneal.importPython")!();
    expect(fake.warnings[1]).toMatch(/^Anneal: nothing to import from plateau\.py: ReduceLROnPlateau at line 2: it reacts to a metric measured during training/);
    expect(fake.opened).toEqual([]);
  });
});
