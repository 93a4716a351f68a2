// The editor features @codemirror/lsp-client leaves to its users, built on its client:
// diagnostics that keep their code and carry the server's quick fixes, semantic highlighting
// and inlay hints. Each asks the server only after it has analysed the version the editor
// synced (the server's diagnostics for that version say so), and each reads positions in
// that synced document, mapped through whatever was typed since. An analysis that arrives
// after more typing is dropped: the next pause in typing brings a fresh one, and showing
// a stale one would only take time from the keystrokes.

import { type LSPClient, LSPPlugin } from "@codemirror/lsp-client";
import { type Diagnostic as LintDiagnostic, setDiagnostics } from "@codemirror/lint";
import { type ChangeSpec, RangeSetBuilder, StateEffect, StateField, type Text } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, WidgetType } from "@codemirror/view";
import type * as lsp from "vscode-languageserver-protocol";

/** A problem as the page lists it: the server's diagnostic, placed in the current document. */
export interface Problem {
  code: string;
  severity: LintDiagnostic["severity"];
  message: string;
  from: number;
  to: number;
  line: number;
  column: number;
  fixes: string[];
}

const SEVERITY: Record<number, LintDiagnostic["severity"]> = { 1: "error", 2: "warning", 3: "info", 4: "hint" };

interface Sync {
  plugin: LSPPlugin;
  /** Converts a position in the synced document to one in the editor's current document. */
  map(p: lsp.Position): number;
}

/** The editor's plugin, when the server's positions can still be placed in the editor. */
function synced(view: EditorView, doc: Text): Sync | undefined {
  const plugin = LSPPlugin.get(view);
  if (!plugin || plugin.syncedDoc !== doc) return undefined;
  return { plugin, map: (p) => plugin.unsyncedChanges.mapPos(plugin.fromPosition(p, doc)) };
}

/** The whole document as an LSP range. */
function wholeRange(plugin: LSPPlugin, doc: Text): lsp.Range {
  return { start: { line: 0, character: 0 }, end: plugin.toPosition(doc.length, doc) };
}

/** Asks for the quick fixes of `diagnostics` and applies the one titled `title`, if it is still offered. */
async function applyFix(view: EditorView, diagnostic: lsp.Diagnostic, title: string): Promise<boolean> {
  const plugin = LSPPlugin.get(view);
  if (!plugin) return false;
  // Fresh fixes for the current text: the server's edits are then positions in what it has.
  plugin.client.sync();
  const doc = plugin.syncedDoc;
  const actions = await plugin.client.request<lsp.CodeActionParams, (lsp.CodeAction | lsp.Command)[] | null>("textDocument/codeAction", {
    textDocument: { uri: plugin.uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic], only: ["quickfix"] },
  });
  const action = (actions ?? []).find((a): a is lsp.CodeAction => "title" in a && a.title === title && "edit" in a);
  const s = synced(view, doc);
  const edits = action?.edit?.changes?.[plugin.uri];
  if (!s || !edits) return false;
  const changes: ChangeSpec[] = edits.map((e) => ({ from: s.map(e.range.start), to: s.map(e.range.end), insert: e.newText }));
  view.dispatch({ changes, userEvent: "quickfix" });
  return true;
}

/** Whether the editor's text has changed since it was last sent to the server. */
function typingSinceSync(plugin: LSPPlugin): boolean {
  return !plugin.unsyncedChanges.empty;
}

/** The diagnostics handler: the editor's lint markers and the page's problem list, from one notification. */
export function diagnosticsHandler(onProblems: (problems: Problem[], view: EditorView) => void, onAnalysed: (view: EditorView) => void) {
  return {
    "textDocument/publishDiagnostics": (client: LSPClient, params: lsp.PublishDiagnosticsParams) => {
      const file = client.workspace.getFile(params.uri);
      if (!file || (params.version != null && params.version !== file.version)) return false;
      const view = file.getView();
      const plugin = view && LSPPlugin.get(view);
      if (!view || !plugin) return false;
      // Typed since the editor synced: the next pause syncs again and brings the analysis of
      // the text as it is, so this one (and the requests it would start, and the work of
      // showing them in the middle of a burst of keystrokes) is skipped.
      if (typingSinceSync(plugin)) return true;
      void showDiagnostics(view, plugin, params.diagnostics, onProblems);
      onAnalysed(view);
      return true;
    },
  };
}

async function showDiagnostics(view: EditorView, plugin: LSPPlugin, diagnostics: lsp.Diagnostic[], onProblems: (problems: Problem[], view: EditorView) => void) {
  const doc = plugin.syncedDoc;
  // One request for every fix in the file; each fix names the diagnostic it belongs to.
  let actions: (lsp.CodeAction | lsp.Command)[] = [];
  if (diagnostics.length > 0) {
    try {
      actions =
        (await plugin.client.request<lsp.CodeActionParams, (lsp.CodeAction | lsp.Command)[] | null>("textDocument/codeAction", {
          textDocument: { uri: plugin.uri },
          range: wholeRange(plugin, doc),
          context: { diagnostics, only: ["quickfix"] },
        })) ?? [];
    } catch {
      // Without fixes the problems still show; the next analysis asks again.
      actions = [];
    }
  }
  const s = synced(view, doc);
  if (!s || typingSinceSync(plugin)) return;
  const same = (a: lsp.Diagnostic, b: lsp.Diagnostic) =>
    a.code === b.code && a.message === b.message && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
  const problems: Problem[] = [];
  const lint: LintDiagnostic[] = diagnostics.map((d) => {
    const titles = actions.filter((a): a is lsp.CodeAction => "title" in a && "kind" in a && ((a as lsp.CodeAction).diagnostics ?? []).some((x) => same(x, d))).map((a) => a.title);
    const from = s.map(d.range.start);
    const to = Math.max(from, s.map(d.range.end));
    const severity = SEVERITY[d.severity ?? 1] ?? "error";
    const code = typeof d.code === "string" || typeof d.code === "number" ? String(d.code) : "";
    problems.push({ code, severity, message: d.message, from, to, line: d.range.start.line + 1, column: d.range.start.character + 1, fixes: titles });
    return {
      from,
      to,
      severity,
      source: code,
      message: d.message,
      actions: titles.map((title) => ({ name: title, apply: (v: EditorView) => void applyFix(v, d, title) })),
    };
  });
  view.dispatch(setDiagnostics(view.state, lint));
  fixByIndex = (v, i, title) => applyFix(v, diagnostics[i]!, title);
  onProblems(problems, view);
}

/** Applies fix `title` of problem `index` of the last list shown; the problem list's buttons call it. */
export let fixByIndex: (view: EditorView, index: number, title: string) => Promise<boolean> = async () => false;

// ---- Semantic highlighting and inlay hints ----------------------------------------------

const setSemantic = StateEffect.define<DecorationSet>();
const setHints = StateEffect.define<DecorationSet>();

function decorationField(effect: typeof setSemantic) {
  return StateField.define<DecorationSet>({
    create: () => Decoration.none,
    update(value, tr) {
      for (const e of tr.effects) if (e.is(effect)) return e.value;
      return value.map(tr.changes);
    },
    provide: (f) => EditorView.decorations.from(f),
  });
}

const semanticField = decorationField(setSemantic);
const hintField = decorationField(setHints);

class HintWidget extends WidgetType {
  constructor(
    readonly label: string,
    readonly tooltip: string,
  ) {
    super();
  }
  override eq(other: HintWidget): boolean {
    return other.label === this.label && other.tooltip === this.tooltip;
  }
  toDOM(): HTMLElement {
    const span = document.createElement("span");
    span.className = "cm-inlay-hint";
    span.textContent = this.label;
    if (this.tooltip) span.title = this.tooltip;
    span.setAttribute("aria-hidden", "true");
    return span;
  }
}

/** Decodes LSP's relative semantic-token encoding into classed marks. */
function semanticDecorations(data: readonly number[], legend: lsp.SemanticTokensLegend, s: Sync, doc: Text): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  const marks = new Map<string, Decoration>();
  let line = 0;
  let char = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    line += data[i]!;
    char = data[i] === 0 ? char + data[i + 1]! : data[i + 1]!;
    if (line >= doc.lines) break;
    const from = s.map({ line, character: char });
    const to = s.map({ line, character: char + data[i + 2]! });
    if (!(to > from)) continue;
    const type = legend.tokenTypes[data[i + 3]!] ?? "unknown";
    const mods = legend.tokenModifiers.filter((_, bit) => (data[i + 4]! >> bit) & 1);
    const cls = [`cm-sem-${type}`, ...mods.map((m) => `cm-sem-${m}`)].join(" ");
    let mark = marks.get(cls);
    if (!mark) marks.set(cls, (mark = Decoration.mark({ class: cls })));
    builder.add(from, to, mark);
  }
  return builder.finish();
}

function hintDecorations(hints: readonly lsp.InlayHint[], s: Sync): DecorationSet {
  const ranges = hints
    .map((h) => {
      const label = typeof h.label === "string" ? h.label : h.label.map((p) => p.value).join("");
      const text = `${h.paddingLeft ? " " : ""}${label}${h.paddingRight ? " " : ""}`;
      const tooltip = typeof h.tooltip === "string" ? h.tooltip : (h.tooltip?.value ?? "");
      return Decoration.widget({ widget: new HintWidget(text, tooltip), side: 1 }).range(s.map(h.position));
    })
    .sort((a, b) => a.from - b.from);
  return Decoration.set(ranges, true);
}

/** Refreshes the semantic tokens and inlay hints of `view` from the server. */
export async function refreshDecorations(view: EditorView): Promise<void> {
  const plugin = LSPPlugin.get(view);
  if (!plugin) return;
  const doc = plugin.syncedDoc;
  const caps = plugin.client.serverCapabilities;
  const legend = (caps?.semanticTokensProvider as lsp.SemanticTokensOptions | undefined)?.legend;
  const uri = plugin.uri;
  const [tokens, hints] = await Promise.all([
    legend
      ? plugin.client.request<lsp.SemanticTokensParams, lsp.SemanticTokens | null>("textDocument/semanticTokens/full", { textDocument: { uri } }).catch(() => null)
      : null,
    caps?.inlayHintProvider
      ? plugin.client
          .request<lsp.InlayHintParams, lsp.InlayHint[] | null>("textDocument/inlayHint", { textDocument: { uri }, range: wholeRange(plugin, doc) })
          .catch(() => null)
      : null,
  ]);
  const s = synced(view, doc);
  if (!s || typingSinceSync(plugin)) return;
  const effects: StateEffect<DecorationSet>[] = [];
  if (tokens && legend) effects.push(setSemantic.of(semanticDecorations(tokens.data, legend, s, doc)));
  if (hints) effects.push(setHints.of(hintDecorations(hints, s)));
  if (effects.length > 0) view.dispatch({ effects });
}

/** The editor extensions that hold what `refreshDecorations` draws. */
export const decorationFields = [semanticField, hintField];
