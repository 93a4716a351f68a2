// The preview panel on the extension side: a webview beside the editor that shows the
// schedules of the active Anneal file. It asks the language server for the lowered schedules
// (`anneal/schedules`) when the webview loads, when the file changes (debounced) and when
// another Anneal editor becomes active, and posts the answer to the webview as it is.

import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { SCHEDULES_REQUEST, type SchedulesParams, type SchedulesResult } from "../server-protocol.js";
import { previewHtml } from "./html.js";
import type { FromWebview, ToWebview, WebviewState } from "./messages.js";

export const PREVIEW_VIEW_TYPE = "anneal.preview";

/** How long typing must pause before the preview asks for new data. */
const DEBOUNCE_MS = 150;

export class PreviewPanel {
  private static current: PreviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Incremented per request, so an answer that arrives after a newer request is dropped. */
  private sequence = 0;
  /** A schedule to scroll to once the next answer is shown. */
  private focus: string | undefined;

  /**
   * Shows the preview of `document` beside the editor, reusing the open panel, and scrolls
   * to the schedule called `focus` when given.
   */
  static show(extensionUri: vscode.Uri, client: () => Promise<LanguageClient>, document: vscode.TextDocument, focus?: string): void {
    if (PreviewPanel.current) {
      const current = PreviewPanel.current;
      current.focus = focus;
      current.panel.reveal(vscode.ViewColumn.Beside, true);
      if (document === current.document) void current.refresh();
      else current.follow(document);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      title(document),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist")] },
    );
    PreviewPanel.current = new PreviewPanel(panel, extensionUri, client, document);
    PreviewPanel.current.focus = focus;
  }

  /** Registers the serializer that brings a preview back after VS Code restarts. */
  static registerSerializer(extensionUri: vscode.Uri, client: () => Promise<LanguageClient>): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: WebviewState | undefined) {
        if (!state?.uri) {
          panel.dispose();
          return;
        }
        try {
          const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(state.uri));
          PreviewPanel.current?.panel.dispose();
          PreviewPanel.current = new PreviewPanel(panel, extensionUri, client, document);
        } catch {
          panel.dispose();
        }
      },
    });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: () => Promise<LanguageClient>,
    private document: vscode.TextDocument,
  ) {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist")] };
    webview.html = previewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "preview.js")).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString("hex"),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: FromWebview) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.languageId === "anneal") this.follow(editor.document);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("anneal")) this.schedule();
      }),
    );
  }

  private follow(document: vscode.TextDocument): void {
    if (document === this.document) return;
    this.document = document;
    this.panel.title = title(document);
    void this.refresh();
  }

  private receive(message: FromWebview): void {
    if (message.type === "ready") void this.refresh();
    else if (message.type === "reveal") void this.reveal(message.offset, message.end);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
  }

  private async refresh(): Promise<void> {
    const seq = ++this.sequence;
    const document = this.document;
    const uri = document.uri.toString();
    const fileName = baseName(document);
    let message: ToWebview;
    try {
      const client = await this.client();
      const params: SchedulesParams = { uri };
      const result = await client.sendRequest<SchedulesResult>(SCHEDULES_REQUEST, params);
      message = { type: "schedules", fileName, uri, version: result.version, schedules: result.schedules };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      message = { type: "error", fileName, uri, message: `The Anneal language server did not answer: ${reason}` };
    }
    if (seq !== this.sequence) return;
    await this.panel.webview.postMessage(message);
    if (this.focus !== undefined && message.type === "schedules") {
      const focus: ToWebview = { type: "focus", name: this.focus };
      this.focus = undefined;
      await this.panel.webview.postMessage(focus);
    }
  }

  /** Selects the source of a phase in an editor showing the document. */
  private async reveal(offset: number, end: number): Promise<void> {
    const document = this.document;
    const range = new vscode.Range(document.positionAt(offset), document.positionAt(end));
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private dispose(): void {
    if (PreviewPanel.current === this) PreviewPanel.current = undefined;
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function baseName(document: vscode.TextDocument): string {
  const path = document.uri.path;
  return path.slice(path.lastIndexOf("/") + 1) || document.uri.toString();
}

function title(document: vscode.TextDocument): string {
  return `Preview ${baseName(document)}`;
}
