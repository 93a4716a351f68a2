// The preview webview's page, as one pure function of where its script lives, so the tests
// load exactly this page in a real browser. It follows the editor's colour theme through
// VS Code's `--vscode-*` CSS variables; the fallbacks are VS Code's Dark Modern colours, for
// a browser outside VS Code.

export interface PreviewHtmlOptions {
  /** The URI of the bundled `dist/preview.js`, as the webview may load it. */
  scriptUri: string;
  /** The webview's `cspSource`, allowed to serve scripts and images. */
  cspSource: string;
  /** A fresh random token; only the script and style carrying it may run. */
  nonce: string;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const STYLE = `
:root {
  --bg: var(--vscode-editor-background, #1f1f1f);
  --fg: var(--vscode-foreground, #cccccc);
  --muted: var(--vscode-descriptionForeground, #9d9d9d);
  --border: var(--vscode-panel-border, #2b2b2b);
  --card: var(--vscode-sideBar-background, #181818);
  --accent: var(--vscode-charts-blue, #3794ff);
  --error: var(--vscode-errorForeground, #f85149);
  --focus: var(--vscode-focusBorder, #0078d4);
  --mono: var(--vscode-editor-font-family, ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace);
}
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: var(--bg); color: var(--fg); }
body {
  font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  padding: 0 16px 16px;
}
.toolbar {
  position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 12px;
  padding: 10px 0 8px; background: var(--bg); border-bottom: 1px solid var(--border); margin-bottom: 12px;
}
.toolbar .file { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.toolbar .version { color: var(--muted); font-size: 0.92em; }
.toolbar .spacer { flex: 1; }
.toolbar label { display: inline-flex; align-items: center; gap: 6px; cursor: pointer; user-select: none; color: var(--fg); }
.toolbar input[type=checkbox] { accent-color: var(--accent); margin: 0; }
.notice { color: var(--muted); padding: 24px 4px; line-height: 1.6; }
.notice code { font-family: var(--mono); color: var(--fg); }
.notice.error { color: var(--error); }
.chart { margin: 0 0 14px; padding: 10px 12px 6px; border: 1px solid var(--border); border-radius: 6px; background: var(--card); }
.chart.focused { border-color: var(--focus); transition: border-color 0.2s; }
.chart header { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; margin-bottom: 4px; min-height: 1.6em; }
.chart h2 { font-size: 1.08em; margin: 0; font-weight: 600; }
.chart .meta { color: var(--muted); font-size: 0.92em; }
.chart .readout { margin-left: auto; font-family: var(--mono); font-size: 0.92em; color: var(--fg); white-space: nowrap; }
.chart .readout .phase { color: var(--muted); }
.chart .readout .rate { color: var(--accent); font-weight: 600; }
.chart .invalid { color: var(--error); padding: 18px 0; }
.chart.stale .invalid { padding: 4px 0; }
.chart.stale canvas { opacity: 0.55; }
.plot { position: relative; width: 100%; }
.plot canvas { position: absolute; left: 0; top: 0; display: block; }
.plot canvas.overlay { cursor: crosshair; outline: none; }
.plot canvas.overlay:focus-visible { outline: 1px solid var(--focus); outline-offset: 2px; }
`;

/** The full HTML of the preview page. */
export function previewHtml({ scriptUri, cspSource, nonce }: PreviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Anneal Preview</title>
<style nonce="${escapeAttr(nonce)}">${STYLE}</style>
</head>
<body>
<div class="toolbar" role="toolbar">
  <span class="file" id="file">Anneal preview</span>
  <span class="version" id="version"></span>
  <span class="spacer"></span>
  <label title="Plot the rate on a logarithmic axis"><input type="checkbox" id="log-scale"> Log scale</label>
</div>
<main id="charts" aria-live="polite"><p class="notice">Waiting for the language server…</p></main>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}

