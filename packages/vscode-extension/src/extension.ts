// The extension's entry point: starts the Anneal language server (bundled as dist/server.js)
// and registers the preview, emit and import commands. Everything about the language lives in the
// server; this side only connects VS Code to it.

import { EDITOR_TARGETS, targetInfo } from "@anneal/compiler/emit";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { PREVIEW_COMMAND } from "./server-protocol.js";
import { emitActiveFile } from "./emit.js";
import { importActivePython } from "./import-python.js";
import { PreviewPanel } from "./preview/panel.js";

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const module = vscode.Uri.joinPath(context.extensionUri, "dist", "server.js").fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "anneal" },
      { scheme: "untitled", language: "anneal" },
      // Python scripts get the "Convert to an Anneal spec" action, and diagnostics when
      // `anneal.pythonLint` is on (the server decides).
      { scheme: "file", language: "python" },
    ],
    // The server reads the `anneal` settings section and is told when it changes.
    synchronize: { configurationSection: "anneal" },
    // The code lenses run the preview, which this extension provides.
    initializationOptions: { clientCommands: [PREVIEW_COMMAND] },
  };
  // The id `anneal` makes the client honour the `anneal.trace.server` setting.
  const lc = new LanguageClient("anneal", "Anneal", serverOptions, clientOptions);
  client = lc;
  const started = lc.start().then(() => lc);
  // The client reports a failed start in its output channel; the commands report it again.
  started.catch(() => undefined);
  const ready = () => started;

  context.subscriptions.push(
    PreviewPanel.registerSerializer(context.extensionUri, ready),
    vscode.commands.registerCommand("anneal.openPreview", (uri?: vscode.Uri) => {
      const document = uri
        ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
        : vscode.window.activeTextEditor?.document;
      if (!document || document.languageId !== "anneal") {
        void vscode.window.showWarningMessage("Anneal: open an .anneal file to preview its schedules.");
        return;
      }
      PreviewPanel.show(context.extensionUri, ready, document);
    }),
    // The code lens above each schedule runs this with `[uri, scheduleName]`.
    vscode.commands.registerCommand(PREVIEW_COMMAND, async (uri: string, name?: string) => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      PreviewPanel.show(context.extensionUri, ready, document, name);
    }),
    // One Emit command per editor target of the emit table; package.json lists the same ones.
    ...EDITOR_TARGETS.map((target) => vscode.commands.registerCommand(targetInfo(target).editorCommand!, () => emitActiveFile(ready, target))),
    vscode.commands.registerCommand("anneal.importPython", () => importActivePython()),
  );
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
