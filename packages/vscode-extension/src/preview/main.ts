// The preview webview's script (bundled to dist/preview.js). It receives the lowered
// schedules of the file from the extension host, evaluates them itself with the reference
// evaluator, and keeps one chart per schedule, updated in place as the file changes.

import type { Segment } from "@anneal/compiler/ir";
import { readTheme, ScheduleChart } from "./chart.js";
import type { FromWebview, ToWebview, WebviewState } from "./messages.js";

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state: WebviewState = { logScale: false, ...vscode.getState() };

const chartsEl = document.getElementById("charts")!;
const fileEl = document.getElementById("file")!;
const versionEl = document.getElementById("version")!;
const logToggle = document.getElementById("log-scale") as HTMLInputElement;
logToggle.checked = state.logScale;

let charts: ScheduleChart[] = [];
let theme = readTheme();

function saveState(): void {
  vscode.setState(state);
}

/** Chart height: one chart fills the view; several share it, within readable bounds. */
function chartHeight(count: number): number {
  const available = window.innerHeight - 70 - count * 56;
  return Math.round(Math.min(420, Math.max(200, available / Math.max(1, count))));
}

function reveal(segment: Segment): void {
  vscode.postMessage({ type: "reveal", offset: segment.range.start, end: segment.range.end });
}

function notice(text: string, className = "notice"): void {
  for (const c of charts) c.root.remove();
  charts = [];
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  chartsEl.replaceChildren(p);
}

function showSchedules(message: Extract<ToWebview, { type: "schedules" }>): void {
  fileEl.textContent = message.fileName;
  versionEl.textContent = `version ${message.version}`;
  if (message.schedules.length === 0) {
    notice("This file defines no schedule yet. Type warmup-cosine and pick the snippet to start one.");
    return;
  }
  const height = chartHeight(message.schedules.length);
  // Keep the chart of a schedule whose name stays, so the crosshair survives an edit.
  const byName = new Map(charts.map((c) => [c.name, c]));
  const next = message.schedules.map((entry) => {
    const existing = byName.get(entry.name);
    if (existing) {
      byName.delete(entry.name);
      existing.setHeight(height);
      existing.setEntry(entry);
      return existing;
    }
    return new ScheduleChart(entry, { logScale: state.logScale, theme, height, onReveal: reveal });
  });
  for (const c of byName.values()) c.root.remove();
  chartsEl.replaceChildren(...next.map((c) => c.root));
  charts = next;
  // A new chart has its width only once it is in the page.
  for (const c of charts) c.render();
}

window.addEventListener("message", (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === "schedules") {
    if (state.uri !== message.uri) {
      state.uri = message.uri;
      saveState();
    }
    showSchedules(message);
  } else if (message.type === "focus") {
    const chart = charts.find((c) => c.name === message.name);
    if (chart) {
      chart.root.scrollIntoView({ block: "nearest", behavior: "smooth" });
      chart.root.classList.add("focused");
      setTimeout(() => chart.root.classList.remove("focused"), 1200);
    }
  } else if (message.type === "error") {
    fileEl.textContent = message.fileName;
    versionEl.textContent = "";
    notice(message.message, "notice error");
  }
});

logToggle.addEventListener("change", () => {
  state.logScale = logToggle.checked;
  saveState();
  for (const c of charts) c.setLogScale(state.logScale);
});

// Redraw when the panel is resized; the charts' own height changes are not resizes.
let lastSize = "";
new ResizeObserver(() => {
  const size = `${chartsEl.clientWidth}x${window.innerHeight}`;
  if (size === lastSize) return;
  lastSize = size;
  const height = chartHeight(charts.length);
  for (const c of charts) c.setHeight(height);
}).observe(chartsEl);

// VS Code swaps the theme by changing the class of <body> and the variables on <html>.
const themeObserver = new MutationObserver(() => {
  theme = readTheme();
  for (const c of charts) c.setTheme(theme);
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ["class"] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["style", "class"] });

vscode.postMessage({ type: "ready" });
