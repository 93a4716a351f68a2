// The playground (packages/playground/dist, built by `npm run build`): how much JavaScript a
// first visit downloads, gzipped, and how long a keystroke takes to reach the plot on a
// 200-line file in headless Chromium. Latency runs from the keydown (seen in the page,
// before the editor handles it) to the first animation frame after the plot pane's DOM
// changed, one keystroke at a time, each replacing a digit of one schedule's `lr`; the same
// keystrokes on a three-line file are measured first, for scale.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { generateFile } from "../generate.mjs";
import { median, quantile, result, say, skip } from "../harness.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(ROOT, "packages", "playground", "dist");
const CHROMIUM = process.env.ANNEAL_CHROMIUM ?? "/usr/bin/chromium";
const GOALS = { size: "<= 600 KB", latency: "p95 < 50 ms on 200 lines" };
const KEYSTROKES = 120;
const WARMUP = 20;

if (!existsSync(join(DIST, "index.html"))) {
  skip("playground_js_gzip_kb", GOALS.size, `${DIST} is not built (npm run build makes it)`);
  skip("playground_keystroke_to_plot_ms", GOALS.latency, `${DIST} is not built`);
  process.exit(0);
}

// ---- Size: every script the page loads, gzipped as a static host would serve it.
const scripts = readdirSync(DIST).filter((f) => f.endsWith(".js"));
const sizes = Object.fromEntries(scripts.map((f) => [f, gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length / 1024]));
const totalKb = Object.values(sizes).reduce((a, b) => a + b, 0);
for (const [f, kb] of Object.entries(sizes)) say(`  ${f.padEnd(12)} ${kb.toFixed(1)} KB gzipped (${(readFileSync(join(DIST, f)).length / 1024).toFixed(0)} KB raw)`);
say(`  total        ${totalKb.toFixed(1)} KB gzipped`);
result("playground_js_gzip_kb", totalKb, "KB (gzipped JavaScript, app + language server)", GOALS.size, totalKb <= 600, { files: sizes });

// ---- Latency, in the real browser.
if (!existsSync(CHROMIUM)) {
  skip("playground_keystroke_to_plot_ms", GOALS.latency, `no Chromium at ${CHROMIUM} (apt-get install chromium, or set ANNEAL_CHROMIUM)`);
  process.exit(0);
}
const { chromium } = await import("playwright-core");
const { serve } = await import(pathToFileURL(join(ROOT, "packages", "playground", "serve.mjs")).href);
const site = await serve({ port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
/**
 * Types KEYSTROKES (after WARMUP) digit replacements into the first `lr` line of `text` and
 * returns each keystroke's latency, with the page's compile and pane times and chart count.
 */
async function measure(text) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await page.addInitScript((source) => {
    localStorage.setItem("anneal.playground.source", source);
    const w = window;
    w.__latencies = [];
    let start = null;
    // Printable keys only: the measured keystroke is the one that edits the text.
    document.addEventListener("keydown", (e) => e.key.length === 1 && (start = performance.now()), true);
    document.addEventListener("DOMContentLoaded", () => {
      new MutationObserver(() => {
        if (start === null) return;
        const t0 = start;
        start = null;
        requestAnimationFrame(() => w.__latencies.push(performance.now() - t0));
      }).observe(document.getElementById("plots"), { childList: true, subtree: true });
    });
  }, text);
  await page.goto(site.url);
  await page.locator("#problem-list li").first().waitFor({ timeout: 60_000 });
  const charts = await page.locator(".chart").count();
  // Put the cursor after the first digit of the first `lr` line.
  const lines = text.split("\n");
  const line = lines.findIndex((l) => /^\s*lr \d/.test(l));
  await page.locator('[aria-label="Schedule editor"]').click();
  await page.keyboard.press("ControlOrMeta+Home");
  for (let i = 0; i < line; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  for (let i = 0; i < lines[line].indexOf("lr ") + "lr 3".length; i++) await page.keyboard.press("ArrowRight");
  for (let i = 0; i < WARMUP + KEYSTROKES; i++) {
    await page.keyboard.press("Shift+ArrowLeft");
    const before = await page.evaluate(() => window.__latencies.length);
    await page.keyboard.press(i % 2 === 0 ? "4" : "3");
    await page.waitForFunction((n) => window.__latencies.length > n, before, { timeout: 30_000 });
  }
  const xs = (await page.evaluate(() => window.__latencies)).slice(WARMUP);
  // Where the time goes: the page's own User Timing entries for compile() and the panes.
  const split = await page.evaluate(() => {
    const of = (name) => performance.getEntriesByName(name).map((e) => e.duration);
    return { compile: of("anneal:compile"), panes: of("anneal:panes") };
  });
  await page.context().close();
  const work = split.compile.slice(WARMUP).map((c, i) => c + (split.panes[WARMUP + i] ?? 0));
  return { xs, charts, compileMs: median(split.compile.slice(WARMUP)), panesMs: median(split.panes.slice(WARMUP)), workP95: quantile(work, 0.95) };
}

try {
  // The same keystrokes on a three-line file first: what the editor, the browser and the
  // machine's load cost on their own, for scale.
  const base = await measure("total 1000\nlr 3e-3\nwarmup 2% -> cosine\n");
  const baseP95 = quantile(base.xs, 0.95);
  say(`  3 lines, 1 chart: keystroke to plot median ${median(base.xs).toFixed(1)} ms, p95 ${baseP95.toFixed(1)} ms`);
  const big = await measure(generateFile(200));
  const p95 = quantile(big.xs, 0.95);
  say(`  200 lines, ${big.charts} charts: keystroke to plot median ${median(big.xs).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${big.xs.length} keystrokes`);
  say(`  of which compile() median ${big.compileMs.toFixed(1)} ms, plots, rates and code median ${big.panesMs.toFixed(1)} ms (the two together: p95 ${big.workP95.toFixed(1)} ms)`);
  result("playground_keystroke_to_plot_ms", p95, "ms (p95, keydown to the frame after the plot changed, 200 lines)", GOALS.latency, p95 < 50, {
    median: median(big.xs),
    p95,
    compileMedian: big.compileMs,
    panesMedian: big.panesMs,
    compileAndPanesP95: big.workP95,
    max: Math.max(...big.xs),
    keystrokes: big.xs.length,
    charts: big.charts,
    lines: 200,
    threeLines: { median: median(base.xs), p95: baseP95 },
    // Wall-clock latency in a browser moves with the machine's load; the figure says what it was.
    loadAverage: loadavg()[0],
  });
} finally {
  await browser.close();
  await site.close();
}
