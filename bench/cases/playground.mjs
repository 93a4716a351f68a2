// The playground (packages/playground/dist, built by `npm run build`): how much JavaScript a
// first visit downloads, gzipped, and how long a keystroke takes to reach the plot on a
// 200-line file in headless Chromium. Latency runs from the keydown (seen in the page,
// before the editor handles it) to the first animation frame after the plot pane's DOM
// changed, one keystroke at a time, each replacing a digit of one schedule's `lr`; the same
// keystrokes on a three-line file are measured in turns with it, for scale, and the page's
// User Timing entries split each keystroke into the editor's handling, compile(), each
// pane and the wait for the frame.
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
 * Opens the playground on `text` with the cursor after the first digit of its first `lr`
 * line; `type(n)` then types n digit replacements, one at a time, each waiting for its
 * plot, and `rows()` says, per keystroke, where its time went: from the keydown to the
 * start of compile() (the editor's own handling of the key), compile(), the plots, the
 * rates table and the code pane, and from the end of that work to the next frame.
 */
async function open(text) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await page.addInitScript((source) => {
    localStorage.setItem("anneal.playground.source", source);
    const w = window;
    w.__rows = [];
    let start = null;
    // Printable keys only: the measured keystroke is the one that edits the text.
    document.addEventListener("keydown", (e) => e.key.length === 1 && (start = performance.now()), true);
    document.addEventListener("DOMContentLoaded", () => {
      new MutationObserver(() => {
        if (start === null) return;
        const t0 = start;
        start = null;
        requestAnimationFrame(() => w.__rows.push({ keydown: t0, frame: performance.now() }));
      }).observe(document.getElementById("plots"), { childList: true, subtree: true });
    });
  }, text);
  await page.goto(site.url);
  await page.locator("#problem-list li").first().waitFor({ timeout: 60_000 });
  const charts = await page.locator(".chart").count();
  const lines = text.split("\n");
  const line = lines.findIndex((l) => /^\s*lr \d/.test(l));
  await page.locator('[aria-label="Schedule editor"]').click();
  await page.keyboard.press("ControlOrMeta+Home");
  for (let i = 0; i < line; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  for (let i = 0; i < lines[line].indexOf("lr ") + "lr 3".length; i++) await page.keyboard.press("ArrowRight");
  let typed = 0;
  return {
    charts,
    async type(n) {
      for (let i = 0; i < n; i++, typed++) {
        await page.keyboard.press("Shift+ArrowLeft");
        const before = await page.evaluate(() => window.__rows.length);
        await page.keyboard.press(typed % 2 === 0 ? "4" : "3");
        await page.waitForFunction((k) => window.__rows.length > k, before, { timeout: 30_000 });
      }
    },
    /** One row per keystroke after the warm-up; each keystroke ran one compile (its User Timing entries). */
    async rows() {
      const rows = await page.evaluate(() => {
        const of = (name) => performance.getEntriesByName(name);
        const [compile, plots, rates, code] = ["anneal:compile", "anneal:plots", "anneal:rates", "anneal:code"].map(of);
        // The first update (the page's own, at load) has pane entries but no compile entry.
        const skip = plots.length - compile.length;
        return window.__rows.map((r, i) => {
          const c = compile[compile.length - window.__rows.length + i];
          const j = compile.length - window.__rows.length + i + skip;
          const end = code[j].startTime + code[j].duration;
          return { total: r.frame - r.keydown, input: c.startTime - r.keydown, compile: c.duration, plots: plots[j].duration, rates: rates[j].duration, code: code[j].duration, frame: r.frame - end };
        });
      });
      await page.context().close();
      return rows.slice(WARMUP);
    },
  };
}

/** Median and p95 of one column of rows. */
const stats = (rows, key) => ({ median: median(rows.map((r) => r[key])), p95: quantile(rows.map((r) => r[key]), 0.95) });

try {
  const loadBefore = loadavg()[0];
  // The same keystrokes on a three-line file: what the editor, the browser and the machine's
  // load cost on their own, for scale. The two pages take turns, a block of keystrokes each,
  // so a change in the machine's load falls on both.
  const small = await open("total 1000\nlr 3e-3\nwarmup 2% -> cosine\n");
  const big = await open(generateFile(200));
  await small.type(WARMUP);
  await big.type(WARMUP);
  const BLOCK = 10;
  for (let done = 0; done < KEYSTROKES; done += BLOCK) {
    await small.type(BLOCK);
    await big.type(BLOCK);
  }
  const [base, rows] = [await small.rows(), await big.rows()];
  const loadAfter = loadavg()[0];
  const b = stats(base, "total");
  const t = stats(rows, "total");
  say(`  machine load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores shared)`);
  say(`  3 lines, 1 chart: keystroke to plot median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms`);
  say(`  200 lines, ${big.charts} charts: keystroke to plot median ${t.median.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms over ${rows.length} keystrokes`);
  const parts = ["input", "compile", "plots", "rates", "code", "frame"];
  const split = Object.fromEntries(parts.map((k) => [k, stats(rows, k)]));
  say(`  where a keystroke's time goes (median / p95 ms): ${parts.map((k) => `${k} ${split[k].median.toFixed(1)} / ${split[k].p95.toFixed(1)}`).join(", ")}`);
  say("    input: the keydown to compile()'s start (the editor handling the key); frame: the end of the panes' work to the next frame");
  result("playground_keystroke_to_plot_ms", t.p95, "ms (p95, keydown to the frame after the plot changed, 200 lines)", GOALS.latency, t.p95 < 50, {
    median: t.median,
    p95: t.p95,
    max: Math.max(...rows.map((r) => r.total)),
    keystrokes: rows.length,
    charts: big.charts,
    lines: 200,
    split,
    threeLines: b,
    // How much of the p95 the 200-line file adds to what a three-line file costs at the same load.
    p95OverThreeLines: t.p95 - b.p95,
    // Wall-clock latency in a browser moves with the machine's load; the figure says what it was.
    loadAverage: loadBefore,
    loadAverageAfter: loadAfter,
  });
} finally {
  await browser.close();
  await site.close();
}
