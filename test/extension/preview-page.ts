// Loads the preview webview's real page (the HTML from `previewHtml` and the script bundled
// exactly as build.mjs ships it) into headless Chromium, with a stand-in for VS Code's
// `acquireVsCodeApi` that records what the page posts and stores. Nothing leaves the
// machine: the page's origin is served from memory by request interception.

import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { BuildOptions } from "esbuild";
import * as esbuild from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { previewHtml } from "../../packages/vscode-extension/src/preview/html.js";
import type { FromWebview, ToWebview, WebviewState } from "../../packages/vscode-extension/src/preview/messages.js";
import { REPO_ROOT } from "./run-bin.js";

export const CHROMIUM = process.env.ANNEAL_CHROMIUM ?? "/usr/bin/chromium";
const ORIGIN = "https://anneal-preview.test";

/** Why the browser tests cannot run here, or undefined when they can. */
export function missingBrowser(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `headless Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or point ANNEAL_CHROMIUM at a Chromium binary`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

let bundled: Promise<string> | undefined;

/** dist/preview.js as build.mjs makes it, bundled in memory so the test never reads a stale file. */
export function previewScript(): Promise<string> {
  bundled ??= (async () => {
    const url = pathToFileURL(`${REPO_ROOT}packages/vscode-extension/build.mjs`).href;
    const { previewBuild } = (await import(url)) as { previewBuild: BuildOptions };
    const r = await esbuild.build({ ...previewBuild, write: false, sourcemap: false, logLevel: "silent" });
    return r.outputFiles![0]!.text;
  })();
  return bundled;
}

export interface PreviewPage {
  page: Page;
  /** Messages the page sent to the extension host. */
  posted(): Promise<FromWebview[]>;
  /** The state the page stored with `setState`. */
  state(): Promise<WebviewState | undefined>;
  /** Delivers a message from the extension host, as VS Code does, and waits for a frame. */
  send(message: ToWebview): Promise<void>;
  /** Console errors and uncaught exceptions (CSP violations show up here). */
  errors: string[];
}

export interface OpenOptions {
  width?: number;
  height?: number;
  /** CSS variables to set on <html>, as VS Code does for the active colour theme. */
  themeVars?: Record<string, string>;
  bodyClass?: string;
  deviceScaleFactor?: number;
}

export async function openPreview(browser: Browser, opts: OpenOptions = {}): Promise<PreviewPage> {
  const script = await previewScript();
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1000, height: opts.height ?? 700 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const html = previewHtml({ scriptUri: `${ORIGIN}/dist/preview.js`, cspSource: ORIGIN, nonce: "t3stn0nce7f3a9c2b1d4e5f60718293a" });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/index.html") return route.fulfill({ contentType: "text/html", body: html });
    if (path === "/dist/preview.js") return route.fulfill({ contentType: "text/javascript", body: script });
    return route.fulfill({ status: 404, body: "" });
  });
  await page.addInitScript(
    ({ themeVars, bodyClass }) => {
      const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
      w.__posted = [];
      w.__state = undefined;
      w.acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => w.__posted.push(m),
        getState: () => w.__state,
        setState: (s: unknown) => {
          w.__state = s;
        },
      });
      document.addEventListener("DOMContentLoaded", () => {
        for (const [k, v] of Object.entries(themeVars)) document.documentElement.style.setProperty(k, v);
        if (bodyClass) document.body.classList.add(bodyClass);
      });
    },
    { themeVars: opts.themeVars ?? {}, bodyClass: opts.bodyClass ?? "" },
  );
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  return {
    page,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted),
    state: () => page.evaluate(() => (window as unknown as { __state: WebviewState | undefined }).__state),
    send: async (message) => {
      await page.evaluate((m) => window.postMessage(m, "*"), message);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    },
  };
}
