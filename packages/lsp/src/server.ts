// The Anneal language server: capability negotiation, settings, and one line per feature
// handing the request to its provider. Every handler is guarded (guard.ts) and reads the
// document's one cached compile (documents.ts); nothing here analyses the language.
//
// The transport is the caller's: server-node.ts connects stdio (or IPC or a socket), and
// server-browser.ts a web worker's message port.

import {
  type CancellationToken,
  type ClientCapabilities,
  CodeActionKind,
  type CodeActionParams,
  type Connection,
  DidChangeConfigurationNotification,
  ErrorCodes,
  type InitializeResult,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from "vscode-languageserver";
import { LineIndex } from "@anneal/dsl";
import { TextDocument } from "vscode-languageserver-textdocument";
import { codeActions } from "./code-actions.js";
import { codeLenses, resolveLens } from "./code-lens.js";
import { describeCommand, emitCommand } from "./commands.js";
import { completions } from "./completion.js";
import { lineIndex, type PositionEncoding, toOffset, toOffsetRange } from "./convert.js";
import { DiagnosticsPublisher } from "./diagnostics.js";
import { type Analysis, DocumentCache, MAX_DOCUMENT_CHARS } from "./documents.js";
import { foldingRanges } from "./folding.js";
import { formatting } from "./formatting.js";
import { guardNotification, guardRequest, type Logger, throwIfCancelled } from "./guard.js";
import { hover } from "./hover.js";
import { inlayHints } from "./inlay-hints.js";
import { type ClientCommandsOption, DESCRIBE_COMMAND, EMIT_COMMAND, PREVIEW_COMMAND, SCHEDULES_REQUEST, type SchedulesParams } from "./protocol.js";
import { convertToSpecActions, isPythonUri } from "./python.js";
import { definition, highlights, prepareRename, references, rename } from "./references.js";
import { selectionRanges } from "./selection.js";
import { schedules } from "./schedules.js";
import { LEGEND, semanticTokens, SemanticTokensCache } from "./semantic-tokens.js";
import { annealSection, type AnnealSettings, DEFAULT_SETTINGS, readSettings, sameSettings } from "./settings.js";
import { documentSymbols, flatSymbols, workspaceSymbols } from "./symbols.js";

export const SERVER_NAME = "anneal";
export const SERVER_VERSION = "0.1.0";

/** How long a newly opened document waits for the client's settings before it is published anyway. */
const SETTINGS_WAIT_MS = 1000;

export interface ServerOptions {
  /** Debounce of diagnostics after an edit, in milliseconds. */
  debounceMs?: number;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  let encoding: PositionEncoding = "utf-16";
  // The text library applies edits in UTF-16 columns; with UTF-8 negotiated, each change's
  // range is translated against the text it applies to, one change after another.
  const documents = new TextDocuments<TextDocument>({
    create: TextDocument.create,
    update: (doc, changes, version) => {
      if (encoding === "utf-16") return TextDocument.update(doc, changes, version);
      let d = doc;
      for (const c of changes) {
        if (!("range" in c)) d = TextDocument.update(d, [c], version);
        else {
          const lines = lineIndex(d.getText(), encoding);
          const utf16 = new LineIndex(d.getText());
          const range = { start: utf16.positionAt(toOffset(lines, c.range.start)), end: utf16.positionAt(toOffset(lines, c.range.end)) };
          d = TextDocument.update(d, [{ range, text: c.text }], version);
        }
      }
      return d;
    },
  });
  const cache = new DocumentCache();
  const tokenResults = new SemanticTokensCache();
  const log: Logger = {
    error: (m) => connection.console.error(m),
    warn: (m) => connection.console.warn(m),
    info: (m) => connection.console.info(m),
  };
  let caps: ClientCapabilities = {};
  let settings: AnnealSettings = DEFAULT_SETTINGS;
  let settingsReady: Promise<void> = Promise.resolve();
  let lastProblems = "";
  let lensCommand = DESCRIBE_COMMAND;

  // Python documents reach only the diagnostics and the code actions (python.ts).
  const analyzeAny = (uri: string): Analysis | undefined => {
    const doc = documents.get(uri);
    return doc ? cache.get(doc) : undefined;
  };
  const analyze = (uri: string): Analysis | undefined => (isPythonUri(uri) ? undefined : analyzeAny(uri));
  const publisher = new DiagnosticsPublisher(
    { analyze: analyzeAny, send: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics }) },
    log,
    options.debounceMs,
  );

  // ---- Settings ------------------------------------------------------------------------
  const applySettings = (section: unknown, from: string) => {
    const { settings: next, problems } = readSettings(section);
    // Each problem is told once, in a window message and the log, until the settings change.
    const said = problems.join("\n");
    if (said !== lastProblems) {
      lastProblems = said;
      for (const p of problems) {
        log.warn(`${from}: ${p}`);
        void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Anneal settings: ${p}` });
      }
    }
    if (sameSettings(next, settings)) return;
    const lintChanged = !sameSettings({ ...next, hoverPlot: settings.hoverPlot }, settings);
    settings = next;
    if (!lintChanged) return;
    cache.setOptions({ lint: settings.lint, defaults: settings.defaults, pythonLint: settings.pythonLint });
    for (const doc of documents.all()) publisher.publishNow(doc.uri);
  };
  const pullSettings = async () => {
    const section: unknown = await connection.workspace.getConfiguration("anneal");
    // A client with no `anneal` section answers null: keep what initializationOptions gave.
    if (section !== null && section !== undefined) applySettings(section, "workspace/configuration");
  };

  // ---- Negotiation ---------------------------------------------------------------------
  connection.onInitialize((params): InitializeResult => {
    caps = params.capabilities ?? {};
    // The lens opens the preview only in a client that said it runs that command.
    const clientCommands = (params.initializationOptions as ClientCommandsOption | undefined)?.clientCommands;
    lensCommand = Array.isArray(clientCommands) && clientCommands.includes(PREVIEW_COMMAND) ? PREVIEW_COMMAND : DESCRIBE_COMMAND;
    encoding = caps.general?.positionEncodings?.includes("utf-8") ? "utf-8" : "utf-16";
    cache.setEncoding(encoding);
    const init = annealSection(params.initializationOptions);
    if (init !== undefined) applySettings(init, "initializationOptions");
    const literalActions = caps.textDocument?.codeAction?.codeActionLiteralSupport !== undefined;
    return {
      capabilities: {
        positionEncoding: encoding,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [">"], resolveProvider: false },
        codeActionProvider: literalActions ? { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.SourceFixAll] } : true,
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: LEGEND, full: { delta: true }, range: true },
        documentSymbolProvider: true,
        definitionProvider: true,
        documentHighlightProvider: true,
        selectionRangeProvider: true,
        workspaceSymbolProvider: true,
        referencesProvider: true,
        renameProvider: caps.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: true },
        inlayHintProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [EMIT_COMMAND, DESCRIBE_COMMAND] },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(
    guardNotification(log, "initialized", () => {
      if (caps.workspace?.didChangeConfiguration?.dynamicRegistration)
        void connection.client.register(DidChangeConfigurationNotification.type, { section: "anneal" }).catch(() => undefined);
      if (caps.workspace?.configuration) {
        const pulled = pullSettings().catch((e: unknown) => log.warn(`could not read the client's settings: ${e instanceof Error ? e.message : String(e)}`));
        settingsReady = Promise.race([pulled, new Promise<void>((r) => setTimeout(r, SETTINGS_WAIT_MS))]);
      }
    }),
  );

  connection.onDidChangeConfiguration(
    guardNotification(log, "workspace/didChangeConfiguration", async (params) => {
      const section = annealSection(params?.settings);
      if (section !== undefined) applySettings(section, "workspace/didChangeConfiguration");
      else if (caps.workspace?.configuration) await pullSettings();
    }),
  );

  // ---- Documents and diagnostics -------------------------------------------------------
  documents.onDidOpen(guardNotification(log, "textDocument/didOpen", (e) => void settingsReady.then(() => publisher.publishNow(e.document.uri))));
  documents.onDidChangeContent(guardNotification(log, "textDocument/didChange", (e) => publisher.changed(e.document.uri, e.document.version)));
  documents.onDidClose(
    guardNotification(log, "textDocument/didClose", (e) => {
      publisher.closed(e.document.uri);
      cache.drop(e.document.uri);
      tokenResults.drop(e.document.uri);
    }),
  );
  connection.onShutdown(() => publisher.dispose());

  // ---- Features ------------------------------------------------------------------------
  /** A request about one document: no answer (`empty`) when the document is not open. */
  const onDocument = <P extends { textDocument: { uri: string } }, R>(method: string, empty: R, run: (a: Analysis, params: P, token: CancellationToken) => R) =>
    guardRequest<P, R>(log, method, (params, token) => {
      const uri = params?.textDocument?.uri;
      if (typeof uri !== "string") throw new ResponseError(ErrorCodes.InvalidParams, `${method}: params.textDocument.uri is missing`);
      const a = analyze(uri);
      if (!a) return empty;
      throwIfCancelled(token);
      return run(a, params, token);
    });

  connection.onHover(
    onDocument("textDocument/hover", null, (a, p) =>
      hover(a, toOffset(a.lines, p.position), {
        markdown: caps.textDocument?.hover?.contentFormat?.includes("markdown") ?? false,
        // LSP has no capability for images in markdown: VS Code's renderer (marked) draws
        // them; other clients get the sparkline unless the setting asks for the image.
        plot: settings.hoverPlot ?? caps.general?.markdown?.parser === "marked",
      }),
    ),
  );
  connection.onCompletion(
    onDocument("textDocument/completion", [], (a, p) =>
      completions(a, toOffset(a.lines, p.position), { snippets: caps.textDocument?.completion?.completionItem?.snippetSupport === true }),
    ),
  );
  connection.onCodeAction(
    guardRequest(log, "textDocument/codeAction", (p: CodeActionParams) => {
      const a = typeof p?.textDocument?.uri === "string" ? analyzeAny(p.textDocument.uri) : undefined;
      if (!a) return [];
      const range = toOffsetRange(a.lines, p.range);
      const canCreate = caps.workspace?.workspaceEdit?.documentChanges === true && (caps.workspace.workspaceEdit.resourceOperations ?? []).includes("create");
      const refactor = !p.context?.only || p.context.only.some((k) => CodeActionKind.RefactorRewrite.startsWith(k));
      return [...codeActions(a, range, p.context?.only), ...(refactor ? convertToSpecActions(a, range, canCreate) : [])];
    }),
  );
  connection.onDocumentFormatting(onDocument("textDocument/formatting", [], (a, p) => formatting(a, p.options)));
  connection.languages.semanticTokens.on(onDocument("textDocument/semanticTokens/full", { data: [] }, (a) => tokenResults.full(a.uri, semanticTokens(a))));
  connection.languages.semanticTokens.onDelta(
    onDocument("textDocument/semanticTokens/full/delta", { data: [] }, (a, p) => tokenResults.delta(a.uri, String(p.previousResultId), semanticTokens(a))),
  );
  connection.languages.semanticTokens.onRange(onDocument("textDocument/semanticTokens/range", { data: [] }, (a, p) => semanticTokens(a, toOffsetRange(a.lines, p.range))));
  connection.onDocumentSymbol(
    onDocument("textDocument/documentSymbol", [], (a) => (caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport ? documentSymbols(a) : flatSymbols(a))),
  );
  connection.onDocumentHighlight(onDocument("textDocument/documentHighlight", [], (a, p) => highlights(a, toOffset(a.lines, p.position))));
  connection.onSelectionRanges(
    onDocument("textDocument/selectionRange", [], (a, p) => selectionRanges(a, (Array.isArray(p.positions) ? p.positions : []).map((x) => toOffset(a.lines, x)))),
  );
  connection.onWorkspaceSymbol(
    guardRequest(log, "workspace/symbol", (p) => {
      const open = documents.all().flatMap((d) => (d.getText().length <= MAX_DOCUMENT_CHARS ? [cache.get(d)] : []));
      return workspaceSymbols(open, typeof p?.query === "string" ? p.query : "");
    }),
  );
  connection.onDefinition(onDocument("textDocument/definition", null, (a, p) => definition(a, toOffset(a.lines, p.position))));
  connection.onReferences(onDocument("textDocument/references", [], (a, p) => references(a, toOffset(a.lines, p.position), p.context?.includeDeclaration ?? true)));
  connection.onPrepareRename(onDocument("textDocument/prepareRename", null, (a, p) => prepareRename(a, toOffset(a.lines, p.position))));
  connection.onRenameRequest(onDocument("textDocument/rename", null, (a, p) => rename(a, toOffset(a.lines, p.position), String(p.newName))));
  connection.onFoldingRanges(onDocument("textDocument/foldingRange", [], (a) => foldingRanges(a)));
  connection.onCodeLens(onDocument("textDocument/codeLens", [], (a) => codeLenses(a, lensCommand, true)));
  connection.onCodeLensResolve(
    guardRequest(log, "codeLens/resolve", (lens) => {
      const uri = (lens?.data as { uri?: unknown } | undefined)?.uri;
      return resolveLens(typeof uri === "string" ? analyze(uri) : undefined, lens, lensCommand);
    }),
  );
  connection.languages.inlayHint.on(onDocument("textDocument/inlayHint", [], (a, p) => inlayHints(a, toOffsetRange(a.lines, p.range))));

  connection.onExecuteCommand(
    guardRequest(log, "workspace/executeCommand", (params) => {
      if (params?.command === DESCRIBE_COMMAND) {
        const r = describeCommand(analyze, params.arguments);
        void connection.sendNotification(ShowMessageNotification.type, { type: "error" in r ? MessageType.Warning : MessageType.Info, message: "error" in r ? r.error : r.text });
        return r;
      }
      if (params?.command !== EMIT_COMMAND)
        throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${JSON.stringify(params?.command)}; this server runs ${EMIT_COMMAND} and ${DESCRIBE_COMMAND}`);
      return emitCommand(analyze, params.arguments);
    }),
  );
  connection.onRequest(
    SCHEDULES_REQUEST,
    guardRequest(log, SCHEDULES_REQUEST, (params: SchedulesParams) => {
      const uri = params?.uri;
      if (typeof uri !== "string") throw new ResponseError(ErrorCodes.InvalidParams, `${SCHEDULES_REQUEST}: params.uri is missing`);
      const a = analyze(uri);
      if (!a) throw new ResponseError(ErrorCodes.InvalidParams, `${SCHEDULES_REQUEST}: ${uri} is not open`);
      return schedules(a);
    }),
  );

  documents.listen(connection);
  connection.listen();
}
