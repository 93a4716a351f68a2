// The editor: CodeMirror 6 with VS Code's key bindings, talking LSP to the Anneal language
// server, which runs in a web worker (dist/server.js, built from packages/lsp's browser
// entry). Completion, hover (with the server's plot), formatting, rename, go to definition
// and references come from @codemirror/lsp-client; coded diagnostics with quick fixes,
// semantic highlighting and inlay hints from lsp-features.ts.

import { closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, StreamLanguage } from "@codemirror/language";
import { forEachDiagnostic, lintGutter, lintKeymap } from "@codemirror/lint";
import {
  findReferencesKeymap,
  formatDocument,
  formatKeymap,
  hoverTooltips,
  jumpToDefinitionKeymap,
  LSPClient,
  renameKeymap,
  serverCompletion,
  type Transport,
} from "@codemirror/lsp-client";
import { highlightSelectionMatches, openSearchPanel, searchKeymap } from "@codemirror/search";
import { EditorState, type Extension } from "@codemirror/state";
import {
  crosshairCursor,
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from "@codemirror/view";
import { decorationFields, diagnosticsHandler, type Problem, refreshDecorations } from "./lsp-features.js";
import { sanitizeHtml } from "./sanitize.js";

/** The document's name: the server's emit header and `anneal emit` both call it this. */
export const FILE_NAME = "schedule.anneal";
const FILE_URI = `file:///${FILE_NAME}`;

/** How long after the last keystroke the server is sent the edits. */
const SYNC_DELAY_MS = 200;

/**
 * The language as CodeMirror knows it: its name and its `#` line comments, for Ctrl+/.
 * Colours come from the server's semantic tokens.
 */
const annealLanguage = StreamLanguage.define<null>({
  name: "anneal",
  startState: () => null,
  token(stream) {
    if (stream.match(/^#.*/)) return "comment";
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
});

/** Ctrl+. as in VS Code: the first quick fix of the problem under the cursor. */
function quickFix(view: EditorView): boolean {
  const at = view.state.selection.main.head;
  let done = false;
  forEachDiagnostic(view.state, (d, from, to) => {
    if (done || at < from || at > to || !d.actions?.length) return;
    d.actions[0]!.apply(view, from, to);
    done = true;
  });
  return done;
}

/** postMessage to and from the worker, as the LSP client's string transport. */
function workerTransport(worker: Worker): Transport {
  const handlers = new Set<(message: string) => void>();
  worker.addEventListener("message", (e: MessageEvent) => {
    const text = JSON.stringify(e.data);
    for (const h of handlers) h(text);
  });
  return {
    send: (message) => worker.postMessage(JSON.parse(message)),
    subscribe: (h) => void handlers.add(h),
    unsubscribe: (h) => void handlers.delete(h),
  };
}

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  /** Every change of the text, as it happens. */
  onChange(text: string): void;
  /** The server's problems for the latest version it analysed. */
  onProblems(problems: Problem[], view: EditorView): void;
  /** The language server could not be started or stopped answering. */
  onServerError(message: string): void;
}

export function createEditor(opts: EditorOptions): { view: EditorView; client: LSPClient; format(): void } {
  const worker = new Worker(new URL("./server.js", import.meta.url), { type: "module", name: "anneal-language-server" });
  worker.addEventListener("error", (e) => opts.onServerError(`the language server stopped: ${e.message || "it could not be loaded"}`));
  const client = new LSPClient({
    rootUri: "file:///",
    timeout: 10_000,
    sanitizeHTML: sanitizeHtml,
    notificationHandlers: diagnosticsHandler(opts.onProblems, (view) => void refreshDecorations(view)),
    extensions: [serverCompletion(), hoverTooltips({ hoverTime: 250 })],
  }).connect(workerTransport(worker));
  client.initializing.catch((e: unknown) => opts.onServerError(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`));

  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  const extensions: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    foldGutter(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    lintGutter(),
    annealLanguage,
    keymap.of([
      { key: "Mod-.", run: quickFix, preventDefault: true },
      { key: "Mod-h", run: openSearchPanel, preventDefault: true },
      ...formatKeymap,
      ...renameKeymap,
      ...jumpToDefinitionKeymap,
      ...findReferencesKeymap,
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...completionKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ "aria-label": "Schedule editor" }),
    EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      opts.onChange(u.state.doc.toString());
      // The server hears of edits after a pause in typing, and analyses after its own pause.
      clearTimeout(syncTimer);
      syncTimer = setTimeout(() => client.sync(), SYNC_DELAY_MS);
    }),
    decorationFields,
    client.plugin(FILE_URI, "anneal"),
  ];
  // CodeMirror styles a shadow root with constructed style sheets, which a strict
  // Content-Security-Policy allows; in the document itself it would need an inline <style>.
  const shadow = opts.parent.attachShadow({ mode: "open" });
  const sheet = document.createElement("link");
  sheet.rel = "stylesheet";
  sheet.href = new URL("./editor.css", import.meta.url).href;
  const host = document.createElement("div");
  host.id = "host";
  shadow.append(sheet, host);
  const view = new EditorView({ parent: host, root: shadow, state: EditorState.create({ doc: opts.doc, extensions }) });
  return { view, client, format: () => void formatDocument(view) };
}
