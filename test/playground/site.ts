// The built playground (packages/playground/dist) served on localhost and opened in headless
// Chromium, with everything a test needs to say the page is healthy: console errors,
// uncaught exceptions, Content-Security-Policy violations and any request that leaves the
// site. The browser is launched as the preview's tests launch it.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { REPO_ROOT } from "../extension/run-bin.js";

export { launchBrowser, missingBrowser } from "../extension/preview-page.js";

export const DIST = join(REPO_ROOT, "packages", "playground", "dist");

/** Why the built site is missing, or undefined when it is there. */
export function missingSite(): string | undefined {
  return existsSync(join(DIST, "index.html")) && existsSync(join(DIST, "app.js")) ? undefined : `${DIST} is not built: run \`npm run build\` first (npm test does)`;
}

interface ServeModule {
  serve(opts?: { dir?: string; port?: number }): Promise<{ url: string; close(): Promise<void> }>;
}

/** Serves dist/ with the playground's own server, on a free port. */
export async function serveSite(): Promise<{ url: string; close(): Promise<void> }> {
  const mod = (await import(join(REPO_ROOT, "packages", "playground", "serve.mjs"))) as ServeModule;
  return mod.serve({ port: 0 });
}

export interface SitePage {
  page: Page;
  /** Console errors, uncaught exceptions, CSP violations and requests that left the site. */
  problems(): Promise<string[]>;
  /** The source in the editor, read through the page's own "Download .anneal" button. */
  source(): Promise<string>;
  /** Waits until the language server has published diagnostics at least once. */
  ready(): Promise<void>;
  /** Every http(s) request the page (or its worker) made, in order. */
  requests: string[];
}

export interface OpenOptions {
  width?: number;
  height?: number;
  colorScheme?: "light" | "dark";
  /** Path and fragment after the site's URL. */
  path?: string;
}

/** Opens the playground in a fresh browser context, with its own empty localStorage. */
export async function openSite(browser: Browser, url: string, opts: OpenOptions = {}): Promise<SitePage> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 720 }, colorScheme: opts.colorScheme ?? "light", acceptDownloads: true, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`exception: ${String(e)}`));
  const requests: string[] = [];
  page.on("request", (r) => {
    const u = r.url();
    if (/^https?:/.test(u)) requests.push(u);
    if (!u.startsWith(url) && !u.startsWith("data:") && !u.startsWith("blob:")) errors.push(`request outside the site: ${u}`);
  });
  page.on("worker", (w) => w.on("console", (m) => m.type() === "error" && errors.push(`worker console: ${m.text()}`)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(url + (opts.path ?? ""));
  const site: SitePage = {
    page,
    requests,
    problems: async () => [...errors, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).map((v) => `CSP violation: ${v}`)],
    source: async () => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-source").click()]);
      return readFileSync((await download.path())!, "utf8");
    },
    ready: async () => {
      await page.locator("#problem-list li").first().waitFor({ timeout: 30_000 });
    },
  };
  await page.locator(".cm-content").waitFor({ timeout: 30_000 });
  return site;
}

/** Replaces the editor's text by typing it, line by line, as a person would. */
export async function typeSource(page: Page, lines: string[]): Promise<void> {
  await page.locator('[aria-label="Schedule editor"]').click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  for (const [i, line] of lines.entries()) {
    await page.keyboard.type(line);
    // Close the completion list, so Enter starts a new line instead of accepting an item.
    await page.keyboard.press("Escape");
    if (i < lines.length - 1) await page.keyboard.press("Enter");
  }
}
