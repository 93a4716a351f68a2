// The playground end to end: the built site (packages/playground/dist) served on localhost
// and driven in headless Chromium with a real keyboard and mouse, the language server
// running in the page's web worker. Expected values come from outside the page: rates from
// the published formulas (linear warmup, cosine annealing), generated code from the real
// `anneal emit pytorch` run on the same file.
//
// Without Chromium the tests skip with the reason, unless ANNEAL_REQUIRE_BROWSER=1 (as in
// CI). ANNEAL_UPDATE_SCREENSHOT=1 rewrites docs/playground-*.png from the pages these tests
// load. Every wait is for a condition, with a generous bound; nothing is timed.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMIT_TARGETS } from "@anneal/compiler";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../extension/run-bin.js";
import { launchBrowser, missingBrowser, missingSite, openSite, serveSite, type SitePage, typeSource } from "./site.js";

const missing = missingBrowser();
const required = process.env.ANNEAL_REQUIRE_BROWSER === "1";
const WAIT = { timeout: 30_000 };

const ANNEAL = join(REPO_ROOT, "packages", "compiler", "bin", "anneal.mjs");

/** The schedule the core loop types: 1,000 steps, a 2% linear warmup to 1e-3, then cosine to 0. */
const TYPED = ["total 1000", "lr 1e-3", "warmup 2% -> cosine"];

/** `anneal emit TARGET schedule.anneal`, run in a folder holding `source` under that name. */
function annealEmit(target: string, source: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "anneal-playground-"));
  try {
    writeFileSync(join(dir, "schedule.anneal"), source);
    const r = spawnSync(process.execPath, [ANNEAL, "emit", target, "schedule.anneal"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `anneal plot schedule.anneal -o - --width W --height H`: the SVG the CLI draws for `source`. */
function annealPlot(source: string, width: number, height: number): string {
  const dir = mkdtempSync(join(tmpdir(), "anneal-playground-"));
  try {
    writeFileSync(join(dir, "schedule.anneal"), source);
    const r = spawnSync(process.execPath, [ANNEAL, "plot", "schedule.anneal", "-o", "-", "--width", String(width), "--height", String(height)], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`anneal plot failed: ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `anneal import train.py [args]`, run in a folder holding `script` under that name. */
function annealImport(script: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "anneal-playground-"));
  try {
    writeFileSync(join(dir, "train.py"), script);
    const r = spawnSync(process.execPath, [ANNEAL, "import", "train.py", ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What `anneal lint train.py` prints for `script`. */
function annealLint(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), "anneal-playground-"));
  try {
    writeFileSync(join(dir, "train.py"), script);
    return spawnSync(process.execPath, [ANNEAL, "lint", "train.py"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The curve's path in the first chart, once there is one. */
async function curvePath(page: Page): Promise<string> {
  const path = page.locator(".chart svg path.curve").first();
  await path.waitFor(WAIT);
  return (await path.getAttribute("d")) ?? "";
}

/** Moves the mouse over tick `tick` of the first chart and returns what the readout says. */
async function readAt(page: Page, tick: number, total: number) {
  const host = page.locator(".chart .svg-host").first();
  const box = (await host.boundingBox())!;
  const base = host.locator("line.baseline");
  const [x1, x2] = [Number(await base.getAttribute("x1")), Number(await base.getAttribute("x2"))];
  await page.mouse.move(box.x + x1 + (tick / total) * (x2 - x1), box.y + box.height / 2);
  const readout = page.locator(".chart .readout").first();
  // One CSS pixel spans this many ticks; wait until the readout is at the aimed one.
  const slack = Math.ceil(total / (x2 - x1)) + 1;
  await expect.poll(async () => Math.abs(Number((await readout.getAttribute("data-tick")) ?? NaN) - tick), WAIT).toBeLessThanOrEqual(slack);
  const d = await readout.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  return { tick: Number(d.tick), rate: Number(d.rate), text: (await readout.textContent()) ?? "", slack };
}

/**
 * A json or csv table holds the rate at every tick, computed with the JavaScript engine's
 * Math.cos, Math.exp and Math.pow, and Chromium's V8 and Node 20's differ in the last bit
 * for some arguments (a cosine's `1 + cos` near its end then magnifies that, relative to
 * the rate). So the tables must match in every character but the digits of a rate, every
 * whole number exactly, and each rate to within 1e-15 of the table's largest rate (ten
 * times tighter than the evaluator's own tolerance for its fast routes).
 */
function sameTable(shown: string, cli: string, target: string): void {
  const NUM = /-?\d+(?:\.\d+)?(?:e-?\d+)?/g;
  expect(shown.replace(NUM, "#"), target).toBe(cli.replace(NUM, "#"));
  const a = shown.match(NUM)!;
  const b = cli.match(NUM)!;
  expect(a.length).toBe(b.length);
  const whole = (t: string) => /^-?\d+$/.test(t);
  const peak = Math.max(...b.filter((t) => !whole(t)).map((t) => Math.abs(Number(t))));
  const off = a.filter((t, i) => (whole(t) && whole(b[i]!) ? t !== b[i] : Math.abs(Number(t) - Number(b[i])) > 1e-15 * peak));
  expect(off, target).toEqual([]);
}

const relClose = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected) + 1e-300);

if ((missing || missingSite()) && required) {
  describe("playground in headless Chromium", () => {
    it("needs a browser and the built site (ANNEAL_REQUIRE_BROWSER=1)", () => {
      throw new Error(missing ?? missingSite());
    });
  });
} else if (missing || missingSite()) {
  const why = missing ?? missingSite();
  console.warn(`skipping the playground browser tests: ${why}`);
  describe.skip(`playground in headless Chromium (skipped: ${why})`, () => {
    it("runs", () => undefined);
  });
} else {
  describe("playground in headless Chromium", () => {
    let browser: Browser;
    let site: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      [browser, site] = await Promise.all([launchBrowser(), serveSite()]);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await site?.close();
    });

    it("the core loop: typing draws the plot, a mistake shows a coded problem, its quick fix clears it, hover plots, the code is anneal emit's", async () => {
      const s = await openSite(browser, site.url);
      const { page } = s;
      await s.ready();
      // Everything the page needs has arrived by now: the rest of this test fetches nothing.
      // (The browser asks for the icon, and for the service worker's script, whenever it
      // likes, so those are left out.)
      const fetched = () => s.requests.filter((u) => !u.endsWith("/icon.svg") && !u.endsWith("/sw.js"));
      const loaded = fetched();
      expect(loaded.map((u) => new URL(u).pathname).sort()).toEqual(["/", "/app.js", "/editor.css", "/server.js", "/style.css"]);
      await typeSource(page, TYPED);

      // The plot appears, and reads the exact rate of the published formulas.
      const before = await curvePath(page);
      expect(before).toMatch(/^M[\d.]+,[\d.]+L/);
      // The renderer's phase bands and labels are there.
      expect(await page.locator(".chart svg .phases rect").count()).toBeGreaterThan(0);
      expect(await page.locator(".chart svg text.phase").allTextContents()).toContain("cosine");
      const warm = await readAt(page, 10, 1000);
      expect(warm.tick).toBeGreaterThanOrEqual(10 - warm.slack);
      expect(warm.tick).toBeLessThanOrEqual(10 + warm.slack);
      // Linear warmup over 20 steps from 0: lr(t) = 1e-3 * t / 20.
      relClose(warm.rate, (1e-3 * warm.tick) / 20);
      expect(warm.text).toContain(`step ${warm.tick}`);
      const mid = await readAt(page, 600, 1000);
      // Cosine annealing from 1e-3 to 0 over steps 20..1000: 1e-3 * (1 + cos(pi * (t - 20) / 980)) / 2.
      relClose(mid.rate, (1e-3 * (1 + Math.cos((Math.PI * (mid.tick - 20)) / 980))) / 2);

      // The plot changes with the text: a longer warmup moves the peak.
      await page.keyboard.press("ControlOrMeta+End");
      await page.keyboard.press("Home");
      await page.keyboard.press("End");
      for (let i = 0; i < "% -> cosine".length; i++) await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("Backspace");
      await page.keyboard.type("8");
      await expect.poll(() => curvePath(page), WAIT).not.toBe(before);
      const peak = await readAt(page, 80, 1000);
      relClose(peak.rate, peak.tick <= 80 ? (1e-3 * peak.tick) / 80 : (1e-3 * (1 + Math.cos((Math.PI * (peak.tick - 80)) / 920))) / 2);

      // A mistake: a restart period that does not divide the cosine's 920 steps.
      await page.keyboard.press("End");
      await page.keyboard.type(" restart every 300");
      await page.keyboard.press("Escape");
      const problems = page.getByRole("region", { name: "Problems" });
      const a309 = problems.locator("li.problem", { hasText: "A309" });
      await a309.waitFor(WAIT);
      expect(await a309.textContent()).toContain("cycle of 300");
      // The editor marks the same problem with its code.
      await expect.poll(() => page.locator(".cm-lintRange-warning").count(), WAIT).toBeGreaterThan(0);

      // Its quick fix, from the Problems list, rewrites the period and the problem goes away.
      const fix = a309.locator("button.fix");
      expect(await fix.textContent()).toMatch(/Restart every \d+/);
      await fix.click();
      await expect.poll(() => problems.locator("li").allTextContents(), WAIT).toEqual(["No problems."]);
      const fixed = await s.source();
      expect(fixed).toMatch(/^total 1000\nlr 1e-3\nwarmup 8% -> cosine restart every \d+$/);
      const period = Number(/every (\d+)$/.exec(fixed)![1]);
      expect(920 % period).toBe(0);

      // Hover over a phase keyword shows the server's plot of the schedule.
      const cosine = page.locator(".cm-line", { hasText: "warmup" }).getByText("cosine", { exact: true });
      const kb = (await cosine.boundingBox())!;
      await page.mouse.move(kb.x + kb.width / 2, kb.y + kb.height / 2);
      const img = page.locator(".cm-lsp-hover-tooltip img");
      await img.waitFor(WAIT);
      const src = (await img.getAttribute("src"))!;
      expect(src).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(src.split(",")[1]!, "base64").toString("utf8")).toContain('class="curve"');
      expect(await page.locator(".cm-lsp-hover-tooltip").textContent()).toContain("phase 2 of 2");

      // Inlay hints from the server: what the percent comes to.
      await expect.poll(() => page.locator(".cm-inlay-hint").allTextContents(), WAIT).toEqual(expect.arrayContaining([expect.stringContaining("= 80 steps")]));

      // The code pane offers every target of the compiler's emit table, and holds exactly
      // what `anneal emit pytorch` writes for the same file.
      expect(await page.locator("#target option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([...EMIT_TARGETS]);
      for (const target of EMIT_TARGETS) {
        await page.locator("#target").selectOption(target);
        const shown = (await page.getByLabel("Generated code").textContent())!;
        const cli = annealEmit(target, fixed);
        // A target that cannot express the schedule fails in both, with the same code.
        if (cli.status !== 0) expect(shown, target).toContain(/\bA\d{3}\b/.exec(cli.stderr)![0]);
        else if (target === "json" || target === "csv") sameTable(shown, cli.stdout, target);
        else expect(shown, target).toBe(cli.stdout);
      }
      await page.locator("#target").selectOption("pytorch");
      const code = (await page.getByLabel("Generated code").textContent())!;
      expect(code).toContain("def build_scheduler(");
      expect(code).toBe(annealEmit("pytorch", fixed).stdout);
      // Copy puts the same text on the clipboard.
      await page.locator("#copy-code").click();
      await expect.poll(() => page.locator("#status").textContent(), WAIT).toBe("Code copied.");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
      // And its download is the same module.
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-code").click()]);
      expect(download.suggestedFilename()).toBe("schedule.py");
      expect(readFileSync((await download.path())!, "utf8")).toBe(code);

      // A log scale is the renderer's log axis, and the choice survives the next edit.
      expect(await page.locator(".chart svg .ylabel").textContent()).toBe("learning rate");
      await page.getByLabel("log scale").check();
      await expect.poll(() => page.locator(".chart svg .ylabel").textContent(), WAIT).toMatch(/^learning rate \(log\)/);
      await page.getByLabel("log scale").uncheck();
      await expect.poll(() => page.locator(".chart svg .ylabel").textContent(), WAIT).toBe("learning rate");

      // The rates table reads the same formulas at the chosen steps.
      await page.locator("#steps").fill("0, 40, 50%");
      const cells = await page.locator("table.rates tbody td").evaluateAll((tds) => tds.map((td) => [Number(td.firstChild!.textContent), Number((td as HTMLElement).dataset.tick)]));
      expect(cells.map(([, t]) => t)).toEqual([0, 40, 500]);
      expect(cells[0]![0]).toBe(0);
      relClose(cells[1]![0]!, (1e-3 * 40) / 80);
      // Step 500 is in the cosine phase; a restart every `period` steps starts each cycle afresh.
      const u = (500 - 80) % period;
      relClose(cells[2]![0]!, (1e-3 * (1 + Math.cos((Math.PI * u) / period))) / 2);

      expect(fetched()).toEqual(loaded);
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    it("a shared link reopens the same source, reloading keeps the last file, and a link never runs markup", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const long = [
        "# A schedule long enough that its link is compressed: <img src=x onerror=\"document.title='ran'\"> <script>document.title='ran'</script>",
        "total 100k steps",
        "lr 3e-4",
        "warmup 4% linear -> cosine to 1e-6 restart every 12k",
      ];
      await typeSource(s.page, long);
      await expect.poll(() => s.page.locator(".chart svg path.curve").count(), WAIT).toBe(1);
      const source = await s.source();
      expect(source).toBe(long.join("\n"));

      await s.page.locator("#share").click();
      const link = await s.page.locator("#share-link").inputValue();
      expect(link.startsWith(`${site.url}#src=~`)).toBe(true);
      expect(await s.page.evaluate(() => navigator.clipboard.readText())).toBe(link);

      // A fresh browser (no stored file) opens the link and shows the same source.
      const other = await openSite(browser, site.url, { path: link.slice(site.url.length) });
      await other.ready();
      expect(await other.source()).toBe(source);
      // The fragment is read once and dropped, so reloading keeps later edits.
      expect(new URL(other.page.url()).hash).toBe("");
      // Hovering the comment and the schedule shows text, never runs the markup in it.
      await other.page.locator(".cm-line").first().hover();
      await other.page.locator(".cm-line").nth(3).getByText("cosine", { exact: true }).hover();
      await other.page.locator(".cm-lsp-hover-tooltip").waitFor(WAIT);
      expect(await other.page.title()).toBe("Anneal playground");
      expect(await other.page.locator(".cm-lsp-hover-tooltip script, .cm-lsp-hover-tooltip [onerror]").count()).toBe(0);
      expect(await other.problems()).toEqual([]);
      await other.page.context().close();

      // A short source is shared uncompressed: the fragment is its base64url.
      await typeSource(s.page, ["total 10", "lr 1", "linear to 0"]);
      await expect.poll(() => s.page.locator("#rates td").first().textContent(), WAIT).toBe("1");
      await s.page.locator("#share").click();
      await expect
        .poll(() => s.page.locator("#share-link").inputValue(), WAIT)
        .toBe(`${site.url}#src=${Buffer.from("total 10\nlr 1\nlinear to 0").toString("base64url")}`);

      // A link pasted into the same tab opens too, as one edit that undo takes back.
      const pasted = "total 20\nlr 2\nlinear to 0";
      await s.page.evaluate((h) => (location.hash = h), `#src=${Buffer.from(pasted).toString("base64url")}`);
      await expect.poll(() => s.source(), WAIT).toBe(pasted);
      expect(new URL(s.page.url()).hash).toBe("");
      await s.page.locator('[aria-label="Schedule editor"]').click();
      await s.page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => s.source(), WAIT).toBe("total 10\nlr 1\nlinear to 0");

      // Reloading keeps the last file.
      await s.page.reload();
      await s.page.locator(".cm-content").waitFor(WAIT);
      expect(await s.source()).toBe("total 10\nlr 1\nlinear to 0");

      // A link opened where a file is kept replaces it, and keeps it one click away.
      await s.page.goto(`${site.url}index.html#src=${Buffer.from(pasted).toString("base64url")}`);
      await s.ready();
      expect(await s.source()).toBe(pasted);
      expect(await s.page.locator("#status").textContent()).toContain("Your previous file");
      await s.page.locator("#examples").selectOption("previous");
      await expect.poll(() => s.source(), WAIT).toBe("total 10\nlr 1\nlinear to 0");
      expect(await s.problems()).toEqual([]);
      await s.page.context().close();
    });

    it("shows the server's markup only as a few text elements and the plot image", async () => {
      // sanitize.ts exactly as app.js bundles it, run in a blank page of the same browser.
      const bundle = await build({ entryPoints: [join(REPO_ROOT, "packages", "playground", "src", "sanitize.ts")], bundle: true, format: "iife", globalName: "sanitize", write: false, logLevel: "silent" });
      const page = await (await browser.newContext()).newPage();
      await page.setContent("<!doctype html><title>sanitize</title>");
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const clean = (html: string) => page.evaluate((h) => (window as unknown as { sanitize: { sanitizeHtml(h: string): string } }).sanitize.sanitizeHtml(h), html);
      const plot = `data:image/svg+xml;base64,${Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>").toString("base64")}`;
      expect(await clean(`<p><strong>cosine</strong> <code>4%</code></p><ul><li>steps 0 → 4,000</li></ul><img src="${plot}" alt="plot">`)).toBe(
        `<p><strong>cosine</strong> <code>4%</code></p><ul><li>steps 0 → 4,000</li></ul><img src="${plot}" alt="plot">`,
      );
      expect(await clean(`<img src=x onerror="document.title='ran'">`)).toBe("");
      expect(await clean(`<img src="data:image/svg+xml,<svg onload=alert(1)>">`)).toBe("");
      expect(await clean("<script>document.title='ran'</script>ok")).toBe("document.title='ran'ok");
      expect(await clean(`<a href="javascript:alert(1)">link</a> <p style="color:red" onclick="x()">text</p>`)).toBe("link <p>text</p>");
      expect(await clean(`<iframe srcdoc="<script>x()</script>"></iframe><svg><a><text>t</text></a></svg>`)).toBe("t");
      expect(await page.title()).toBe("sanitize");
      await page.context().close();
    });

    it("works offline after the first visit", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      await expect.poll(() => s.page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), WAIT).toBe("activated");
      await s.page.context().setOffline(true);
      await s.page.reload();
      await s.page.locator(".cm-content").waitFor(WAIT);
      // The language server's worker, the styles and the page all came from the cache.
      await s.ready();
      await s.page.locator(".chart svg path.curve").first().waitFor(WAIT);
      await s.page.locator(".cm-sem-function").first().waitFor(WAIT);
      expect(await s.problems()).toEqual([]);
      await s.page.context().close();
    });

    it("a link that cannot be read says so and keeps the stored file", async () => {
      const s = await openSite(browser, site.url, { path: "#src=~not*base64" });
      await expect.poll(() => s.page.locator("#status").textContent(), WAIT).toContain("could not be read");
      await s.ready();
      expect(await s.source()).toContain("total");
      expect(await s.problems()).toEqual([]);
      await s.page.context().close();
    });

    it("takes VS Code's keys: Ctrl+. applies the quick fix under the cursor, Shift+Alt+F formats", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const { page } = s;
      await typeSource(page, ["total   1000", "lr 1e-3", "warmup 8% -> cosine restart every 300"]);
      const problems = page.getByRole("region", { name: "Problems" });
      await problems.locator("li.problem", { hasText: "A309" }).waitFor(WAIT);
      // The cursor sits at the end of the line, at the end of the `300` the problem marks.
      await expect.poll(() => page.locator(".cm-lintRange-warning").count(), WAIT).toBeGreaterThan(0);
      await page.keyboard.press("ControlOrMeta+.");
      await expect.poll(() => problems.locator("li").allTextContents(), WAIT).toEqual(["No problems."]);
      await page.keyboard.press("Shift+Alt+F");
      await expect.poll(() => s.source(), WAIT).toMatch(/^total 1000\nlr 1e-3\nwarmup 8% -> cosine restart every \d+\n?$/);
      // Completion comes from the server: after an arrow, the phases.
      await page.locator('[aria-label="Schedule editor"]').click();
      await page.keyboard.press("ControlOrMeta+End");
      await page.keyboard.type(" -> ");
      await page.keyboard.press("Control+Space");
      const options = page.locator(".cm-tooltip-autocomplete li");
      await expect.poll(() => options.allTextContents(), WAIT).toEqual(expect.arrayContaining([expect.stringContaining("constant"), expect.stringContaining("linear")]));
      await page.keyboard.press("Escape");
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    it("opens the bundled examples from its menu", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const { page } = s;
      const names = await page.locator("#examples option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v.startsWith("example:")));
      const files = readdirSync(join(REPO_ROOT, "examples")).filter((f) => f.endsWith(".anneal"));
      expect(names).toEqual(files.sort().map((f) => `example:${f.replace(/\.anneal$/, "")}`));
      await page.locator("#examples").selectOption("example:wsd");
      await expect.poll(() => s.source(), WAIT).toBe(readFileSync(join(REPO_ROOT, "examples", "wsd.anneal"), "utf8"));
      await page.locator(".chart svg path.curve").first().waitFor(WAIT);
      // Picking an example is an edit: undo brings the text back.
      await page.locator('[aria-label="Schedule editor"]').click();
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => s.source(), WAIT).toBe(readFileSync(join(REPO_ROOT, "examples", "quickstart.anneal"), "utf8"));
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    it("draws each hyperparameter chain on a panel of its own below the rate, as anneal plot does, under the same crosshair", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const { page } = s;
      const onecycle = readFileSync(join(REPO_ROOT, "examples", "onecycle.anneal"), "utf8");
      await page.locator("#examples").selectOption("example:onecycle");
      await expect.poll(() => s.source(), WAIT).toBe(onecycle);
      const chart = page.locator("figure.chart").first();
      const panel = chart.locator(".svg-host.panel svg");
      await expect.poll(() => panel.count(), WAIT).toBe(1);
      expect(await panel.locator("text.title tspan").first().textContent()).toBe("momentum");
      // The panel is the plot layer's own: the same curve and ticks as the panel that
      // `anneal plot` stacks below the rate at the same size.
      const [w, h] = [Number(await panel.getAttribute("width")), Number(await panel.getAttribute("height"))];
      const cli = annealPlot(onecycle, w, h);
      const cliPanel = cli.split(/<svg y="/)[2]!;
      expect(await panel.locator("path.curve").getAttribute("d")).toBe(/ d="([^"]+)"/.exec(cliPanel.slice(cliPanel.indexOf('class="curve"')))![1]);
      expect(await panel.locator("text.ytick").allTextContents()).toEqual([...cliPanel.matchAll(/class="ytick"[^>]*>([^<]*)</g)].map((m) => m[1]));
      // The crosshair reads the momentum beside the rate, from PyTorch's OneCycleLR with its
      // defaults (pct_start 0.3, cosine annealing, div_factor 25): phase one ends at step 299.
      await chart.focus();
      await page.keyboard.press("Home");
      for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
      const readout = chart.locator(".readout");
      await expect.poll(() => readout.getAttribute("data-tick"), WAIT).toBe("100");
      const cos = (Math.cos((Math.PI * 100) / 299) + 1) / 2;
      relClose(Number(await readout.getAttribute("data-momentum")), 0.85 + 0.1 * cos);
      relClose(Number(await readout.getAttribute("data-rate")), 0.1 + (0.1 / 25 - 0.1) * cos);
      expect(await readout.textContent()).toMatch(/^step 100 · lr [\d.e-]+ · momentum 0\.92/);
      // The crosshair moves on the panel too, and the marker is drawn on both drawings.
      const pbox = (await chart.locator(".svg-host.panel").boundingBox())!;
      const base = chart.locator(".svg-host.panel line.baseline");
      const [x1, x2] = [Number(await base.getAttribute("x1")), Number(await base.getAttribute("x2"))];
      await page.mouse.move(pbox.x + x1 + 0.65 * (x2 - x1), pbox.y + pbox.height / 2);
      await expect.poll(async () => Math.abs(Number(await readout.getAttribute("data-tick")) - 650), WAIT).toBeLessThanOrEqual(3);
      const t = Number(await readout.getAttribute("data-tick"));
      relClose(Number(await readout.getAttribute("data-momentum")), 0.95 - 0.1 * ((Math.cos((Math.PI * (t - 299)) / 700) + 1) / 2));
      expect(await chart.locator(".marker-line").count()).toBe(2);

      // Two chains: one panel each, in the order anneal plot stacks them; none without a chain.
      const two = ["total 1000", "lr 0.1", "onecycle", "weight_decay: constant at 0.05", "momentum: onecycle from 0.95 via 0.85 to 0.95"];
      await typeSource(page, two);
      await expect.poll(() => chart.locator(".svg-host.panel").count(), WAIT).toBe(2);
      const titles = [...annealPlot(two.join("\n"), 600, 200).matchAll(/<text class="title"[^>]*><tspan[^>]*>([^<]*)</g)].map((m) => m[1]).slice(1);
      expect(await chart.locator(".svg-host.panel text.title tspan[font-weight=bold]").allTextContents()).toEqual(titles);
      expect(titles).toEqual(["momentum", "weight_decay"]);
      await typeSource(page, ["total 1000", "lr 0.1", "cosine"]);
      await expect.poll(() => chart.locator(".svg-host.panel").count(), WAIT).toBe(0);
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    it("imports a pasted Python script as anneal import does, lists anneal lint's and the importer's problems, and takes the spec as one undoable edit", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const { page } = s;
      await typeSource(page, TYPED);
      const mine = TYPED.join("\n");
      await expect.poll(() => s.source(), WAIT).toBe(mine);
      const corpus = (f: string) => readFileSync(join(REPO_ROOT, "test", "lint", "corpus", f), "utf8");
      const dialog = page.getByRole("dialog", { name: "Import a Python training script" });
      const script = dialog.getByLabel("Python training script");
      const spec = dialog.getByLabel("Imported spec");
      const problems = dialog.getByRole("region", { name: "Import problems" }).locator("li");
      const take = dialog.getByRole("button", { name: "Replace the editor's text" });
      await page.getByRole("button", { name: "Import Python…" }).click();
      await dialog.waitFor(WAIT);
      expect(await take.isDisabled()).toBe(true);

      // A clean script with its loader's length given: the spec is anneal import's, byte for byte.
      const perBatch = corpus("ok_cosine_per_batch.py");
      await script.fill(perBatch);
      await dialog.getByLabel(/Steps per epoch/).fill("8");
      const cli8 = annealImport(perBatch, ["--steps-per-epoch", "8"]);
      expect(cli8.status).toBe(0);
      await expect.poll(() => spec.textContent(), WAIT).toBe(cli8.stdout);
      expect(await problems.allTextContents()).toEqual(["No problems."]);
      // A length that is not a whole number of steps is refused at the field, as the CLI refuses it.
      await dialog.getByLabel(/Steps per epoch/).fill("0.5");
      await expect.poll(() => dialog.locator("#import-spe-error").textContent(), WAIT).toContain("whole number");
      expect(annealImport(perBatch, ["--steps-per-epoch", "0.5"]).status).toBe(2);
      expect(await take.isDisabled()).toBe(true);
      await dialog.getByLabel(/Steps per epoch/).fill("");

      // A script with mistakes: the problems of anneal import and anneal lint, at their places.
      const accum = corpus("wrong_onecycle_accumulation.py");
      await script.fill(accum);
      const expected = [...annealImport(accum).stderr.matchAll(/^train\.py:(\d+):(\d+): \w+ (A\d{3}) /gm), ...annealLint(accum).matchAll(/^train\.py:(\d+):(\d+): \w+ (A\d{3}) /gm)]
        .map((m) => ({ line: Number(m[1]), col: Number(m[2]), text: `${m[3]} train.py:${m[1]}:${m[2]}` }))
        .sort((a, b) => a.line - b.line || a.col - b.col)
        .map((e) => e.text);
      expect(expected.length).toBeGreaterThanOrEqual(2);
      await expect.poll(async () => (await problems.locator(".go").allTextContents()).map((t) => t.split(" ").slice(0, 2).join(" ")), WAIT).toEqual(expected);
      // Its OneCycleLR still has a spec, anneal import's.
      await expect.poll(() => spec.textContent(), WAIT).toBe(annealImport(accum).stdout);
      expect(await take.isDisabled()).toBe(false);
      // Choosing a problem selects its place in the script.
      await problems.filter({ hasText: "A504" }).locator(".go").click();
      expect(await script.evaluate((t) => (t as HTMLTextAreaElement).value.slice((t as HTMLTextAreaElement).selectionStart, (t as HTMLTextAreaElement).selectionEnd))).toBe("len(train_loader)");

      // A scheduler that no spec equals (ReduceLROnPlateau): nothing to take, and why.
      await script.fill(corpus("ok_plateau.py"));
      await expect.poll(() => spec.textContent(), WAIT).toContain("No scheduler in this script has an exact Anneal spec");
      expect(await take.isDisabled()).toBe(true);

      // Taking a spec replaces the editor's text as one edit, and the plot follows it.
      const seq = corpus("ok_warmup_cosine_while.py");
      await script.fill(seq);
      const cli = annealImport(seq);
      expect(cli.status).toBe(0);
      await expect.poll(() => spec.textContent(), WAIT).toBe(cli.stdout);
      await take.click();
      await dialog.waitFor({ state: "hidden", ...WAIT });
      await expect.poll(() => s.source(), WAIT).toBe(cli.stdout);
      await expect.poll(() => page.locator("figure.chart").getAttribute("aria-label"), WAIT).toBe("Learning-rate plot of scheduler");
      expect(await page.locator("#status").textContent()).toContain("Imported 1 schedule");
      // Nothing typed is lost: Ctrl+Z brings it back, and it is also one click away in the menu.
      await page.locator('[aria-label="Schedule editor"]').click();
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => s.source(), WAIT).toBe(mine);
      await page.locator("#examples").selectOption("previous");
      await expect.poll(() => s.source(), WAIT).toBe(mine);

      // The pasted script is kept too: it is there after a reload.
      await page.reload();
      await page.locator(".cm-content").waitFor(WAIT);
      await page.getByRole("button", { name: "Import Python…" }).click();
      expect(await script.inputValue()).toBe(seq);
      await expect.poll(() => spec.textContent(), WAIT).toBe(cli.stdout);
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden", ...WAIT });
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    it("offers the editor extension's snippets as recipes, each opening as VS Code inserts it and computing the schedule it names", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const { page } = s;
      const snippets = JSON.parse(readFileSync(join(REPO_ROOT, "packages", "vscode-extension", "snippets", "anneal.code-snippets"), "utf8")) as Record<string, { prefix: string[]; description: string; body: string[] }>;
      // VS Code's snippet syntax: `${1:default}` inserts its default, `$0` inserts nothing.
      const inserted = (body: string[]) => body.join("\n").replace(/\$\{\d+:([^}]*)\}/g, "$1").replace(/\$\d+/g, "");
      const group = page.locator('#examples optgroup[label="Recipes"] option');
      expect(await group.allTextContents()).toEqual(Object.keys(snippets));
      for (const name of ["warmup-cosine", "wsd", "sgdr", "step-decay", "inverse-sqrt", "onecycle", "cyclic"]) expect(await group.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toContain(`recipe:${name}`);
      for (const snippet of Object.values(snippets)) {
        await page.locator("#examples").selectOption(`recipe:${snippet.prefix[0]}`);
        const text = await s.source();
        expect(text).toBe(`# ${snippet.description}\n${inserted(snippet.body).replace(/\n*$/, "\n")}`);
        await expect.poll(() => page.locator("#problem-list li").allTextContents(), WAIT).toEqual(["No problems."]);
        await page.locator("figure.chart svg path.curve").first().waitFor(WAIT);
      }
      /** The crosshair's exact rate at the last tick of training (the one before `total`). */
      // End, then one tick back: the readout settles on the last tick. Each key redraws in
      // its own frame, so a loaded machine may show the reading at `total` first; wait for
      // the last tick (a wrong one never comes, and the poll fails).
      const atLast = async (last: number) => {
        const chart = page.locator("figure.chart").first();
        await chart.focus();
        await page.keyboard.press("End");
        await page.keyboard.press("Shift+ArrowLeft");
        const readout = chart.locator(".readout");
        await expect.poll(async () => Number(await readout.getAttribute("data-tick")), WAIT).toBe(last);
        return { tick: Number(await readout.getAttribute("data-tick")), rate: Number(await readout.getAttribute("data-rate")) };
      };
      // Step decay as torch's StepLR(step_size=30, gamma=0.1): 0.1 * 0.1^floor(89 / 30) in epoch 89.
      await page.locator("#examples").selectOption("recipe:step-decay");
      await expect.poll(() => s.source(), WAIT).toContain("step by 0.1 every 30 epochs");
      const step = await atLast(89);
      expect(step.tick).toBe(89);
      relClose(step.rate, 0.1 * 0.1 ** 2);
      // fairseq's inverse_sqrt after a 4,000-step warmup: lr * sqrt(4000 / step).
      await page.locator("#examples").selectOption("recipe:inverse-sqrt");
      await expect.poll(() => s.source(), WAIT).toContain("rsqrt");
      const rsqrt = await atLast(299_999);
      expect(rsqrt.tick).toBe(299_999);
      relClose(rsqrt.rate, 5e-4 * Math.sqrt(4000 / 299_999));
      // A recipe is an edit like any other: undo brings the text back.
      await page.locator('[aria-label="Schedule editor"]').click();
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => s.source(), WAIT).toContain("step by 0.1 every 30 epochs");
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    it("a keystroke in a long file runs one compile, redraws only the chart it changed, rewrites only its rates, and changes the plot in the frame that shows the new text", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const { page } = s;
      // Twenty schedules of 1,000 steps: a 2% warmup to lr, then cosine to 0.
      const blocks = Array.from({ length: 20 }, (_, i) => `schedule s${i} {\n  total 1000\n  lr ${(i % 9) + 1}e-3\n  warmup 2% -> cosine\n}\n`);
      await page.evaluate((t) => localStorage.setItem("anneal.playground.source", t), blocks.join("\n"));
      await page.reload();
      await s.ready();
      await expect.poll(() => page.locator("figure.chart").count(), WAIT).toBe(20);
      await page.locator("#steps").fill("0, 10, 600");
      // Watch the page: animation frames as they pass, the frame in which the editor's text
      // changed, and the frame in which the plot did.
      await page.evaluate(() => {
        const w = window as unknown as { __frames: number; __keys: { textFrame?: number; plotFrame?: number; hosts: Set<string> }[] };
        w.__frames = 0;
        w.__keys = [];
        const count = () => {
          w.__frames++;
          requestAnimationFrame(count);
        };
        requestAnimationFrame(count);
        document.addEventListener("keydown", (e) => e.key.length === 1 && w.__keys.push({ hosts: new Set() }), true);
        const content = document.getElementById("editor")!.shadowRoot!.querySelector(".cm-content")!;
        new MutationObserver(() => {
          const key = w.__keys[w.__keys.length - 1];
          if (key) key.textFrame ??= w.__frames;
        }).observe(content, { childList: true, subtree: true, characterData: true });
        new MutationObserver((records) => {
          const key = w.__keys[w.__keys.length - 1];
          if (!key) return;
          key.plotFrame ??= w.__frames;
          for (const r of records) {
            const chart = (r.target as Element).closest?.("figure.chart");
            if (chart) key.hosts.add(chart.getAttribute("aria-label")!);
          }
        }).observe(document.getElementById("plots")!, { childList: true, subtree: true });
      });
      const table = await page.locator("table.rates").elementHandle();
      const compiles = () => page.evaluate(() => performance.getEntriesByName("anneal:compile").length);
      // Put the cursor after the digit of s5's `lr` and replace it, keystroke by keystroke.
      const lrLine = page.locator(".cm-line", { hasText: "lr 6e-3" }).first();
      await lrLine.click();
      await page.keyboard.press("End");
      for (let i = 0; i < "e-3".length; i++) await page.keyboard.press("ArrowLeft");
      const digits = ["2", "7", "4", "9", "5", "8"];
      for (const d of digits) {
        const before = await compiles();
        const keysBefore = await page.evaluate(() => (window as unknown as { __keys: unknown[] }).__keys.length);
        await page.keyboard.press("Shift+ArrowLeft");
        await page.keyboard.press(d);
        await expect.poll(() => page.evaluate((k) => (window as unknown as { __keys: { plotFrame?: number }[] }).__keys[k]?.plotFrame !== undefined, keysBefore), WAIT).toBe(true);
        // Exactly one compile for the keystroke.
        expect(await compiles()).toBe(before + 1);
      }
      const keys = await page.evaluate(() =>
        (window as unknown as { __keys: { textFrame?: number; plotFrame: number; hosts: Set<string> }[] }).__keys.map((k) => ({ text: k.textFrame !== undefined, same: k.plotFrame === k.textFrame, hosts: [...k.hosts] })),
      );
      expect(keys).toHaveLength(digits.length);
      for (const k of keys) {
        // The plot changed in the same task as the editor's text, before the browser could draw
        // a frame between them: the new text and the new plot appear together.
        expect(k.text).toBe(true);
        expect(k.same).toBe(true);
        // Only the edited schedule's chart was redrawn.
        expect(k.hosts).toEqual(["Learning-rate plot of s5"]);
      }
      // The rates table is the same element, its cells rewritten in place, with s5's new rates:
      // 8e-3 * 10 / 20 in the warmup, 8e-3 * (1 + cos(pi * (600 - 20) / 980)) / 2 in the cosine.
      expect(await page.locator("table.rates").evaluate((t, old) => t === old, table)).toBe(true);
      const column = await page.locator("table.rates thead th").allTextContents();
      const col = column.indexOf("s5");
      const cell = (row: number) => page.locator(`table.rates tbody tr:nth-child(${row}) td:nth-of-type(${col})`).evaluate((td) => Number(td.firstChild!.textContent));
      relClose(await cell(2), (8e-3 * 10) / 20);
      relClose(await cell(3), (8e-3 * (1 + Math.cos((Math.PI * 580) / 980))) / 2);
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    it("has the labels a screen reader needs", async () => {
      const s = await openSite(browser, site.url);
      await s.ready();
      const { page } = s;
      expect(await page.locator('[aria-label="Schedule editor"]').count()).toBe(1);
      expect(await page.getByRole("region", { name: "Problems" }).count()).toBe(1);
      expect(await page.locator('[aria-label="Generated code"]').count()).toBe(1);
      const plot = page.locator('[aria-label="Learning-rate plot"]');
      expect(await plot.count()).toBe(1);
      const chart = plot.locator("figure.chart").first();
      const summary = await page.locator(`#${await chart.getAttribute("aria-describedby")}`).textContent();
      expect(summary).toMatch(/^Schedule default: 100,000 steps; learning rate peaks at 3e-4 and ends at 1e-6\. 2 phases: warmup/);
      // The crosshair works from the keyboard too.
      await chart.focus();
      await page.keyboard.press("End");
      await expect.poll(() => chart.locator(".readout").getAttribute("data-tick"), WAIT).toBe("100000");
      expect(await chart.locator(".readout").textContent()).toContain("lr 0.000001");
      // On an epoch clock the crosshair reads the epoch and the step it starts on.
      await typeSource(page, ["total 10 epochs", "steps_per_epoch 100", "lr 0.1", "step by 0.1 every 5 epochs"]);
      await expect.poll(() => page.locator(".chart svg .xlabel").textContent(), WAIT).toBe("epochs");
      const epochs = page.locator("figure.chart").first();
      await epochs.focus();
      await page.keyboard.press("Home");
      for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
      const readout = epochs.locator(".readout");
      await expect.poll(() => readout.getAttribute("data-tick"), WAIT).toBe("6");
      expect(await readout.textContent()).toMatch(/^step 600 · epoch 6 · lr /);
      // Step decay: 0.1 * 0.1^floor(epoch / 5).
      relClose(Number(await readout.getAttribute("data-rate")), 0.1 * 0.1 ** Math.floor(6 / 5));
      expect(await s.problems()).toEqual([]);
      await page.context().close();
    });

    for (const colorScheme of ["light", "dark"] as const)
      for (const [size, width, height] of [
        ["desktop", 1280, 720],
        ["phone", 390, 844],
      ] as const)
        it(`looks right at ${width}x${height}, ${colorScheme}`, async () => {
          const s: SitePage = await openSite(browser, site.url, { width, height, colorScheme });
          await s.ready();
          const { page } = s;
          // Phone width: the editor sits above the plot.
          const editorBox = (await page.locator("#editor").boundingBox())!;
          const plotBox = (await page.locator("#plots").boundingBox())!;
          if (size === "phone") expect(plotBox.y).toBeGreaterThanOrEqual(editorBox.y + editorBox.height);
          else expect(plotBox.x).toBeGreaterThanOrEqual(editorBox.x + editorBox.width);
          // Nothing is wider than the screen.
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          expect(bg).toBe(colorScheme === "dark" ? "rgb(22, 24, 27)" : "rgb(255, 255, 255)");
          await page.locator(".chart svg path.curve").first().waitFor(WAIT);
          // The renderer's white background and dark ink follow the theme.
          const ink = await page.locator(".chart svg").first().evaluate((svg) => ({
            back: getComputedStyle(svg.querySelector("rect")!).fill,
            text: getComputedStyle(svg.querySelector("text.xtick")!).fill,
          }));
          expect(ink.back).toBe(bg);
          expect(ink.text).toBe(colorScheme === "dark" ? "rgb(160, 168, 176)" : "rgb(108, 117, 125)");
          // Semantic highlighting has arrived from the server.
          await page.locator(".cm-sem-function").first().waitFor(WAIT);
          const host = page.locator(".chart .svg-host").first();
          const box = (await host.boundingBox())!;
          await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
          await expect.poll(() => page.locator(".chart .readout").first().getAttribute("data-tick"), WAIT).not.toBeNull();
          const png = await page.screenshot();
          expect(png.length).toBeGreaterThan(20_000);
          if (process.env.ANNEAL_UPDATE_SCREENSHOT === "1") writeFileSync(join(REPO_ROOT, "docs", `playground-${size}-${colorScheme}.png`), png);
          expect(await s.problems()).toEqual([]);
          await page.context().close();
        });
  });
}
