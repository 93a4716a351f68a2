// The preview webview in a real browser: headless Chromium loads the page exactly as VS Code
// would (same HTML, same Content-Security-Policy, same bundled script), receives schedules
// the way the extension posts them, and is driven with a real mouse. Expected rates come
// from the published formulas (LANGUAGE.md section 4), never from the evaluator.
//
// Without Chromium the tests skip with the reason, unless ANNEAL_REQUIRE_BROWSER=1 (as in
// CI), where a missing browser is a failure. ANNEAL_UPDATE_SCREENSHOT=1 rewrites
// docs/preview.png from the page these tests load.

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { compile } from "@anneal/compiler";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScheduleEntry } from "../../packages/lsp/src/protocol.js";
import { resnet, WARMUP_COSINE, warmupCosine, wsd } from "./fixtures/schedules.js";
import { launchBrowser, missingBrowser, openPreview, type PreviewPage } from "./preview-page.js";
import { REPO_ROOT } from "./run-bin.js";

const missing = missingBrowser();
const required = process.env.ANNEAL_REQUIRE_BROWSER === "1";

if (missing && required) {
  describe("preview in headless Chromium", () => {
    it("needs a browser (ANNEAL_REQUIRE_BROWSER=1)", () => {
      throw new Error(missing);
    });
  });
} else if (missing) {
  console.warn(`skipping the preview browser tests: ${missing}`);
  describe.skip(`preview in headless Chromium (skipped: ${missing})`, () => {
    it("renders", () => undefined);
  });
} else {
  describe("preview in headless Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    const schedules = (...entries: ScheduleEntry[]) => ({
      type: "schedules" as const,
      fileName: "schedules.anneal",
      uri: "file:///work/schedules.anneal",
      version: 3,
      schedules: entries,
    });

    /** Moves the mouse over `step` of chart `index` and returns what the readout says. */
    async function hover(p: PreviewPage, index: number, step: number) {
      const overlay = p.page.locator(".chart").nth(index).locator("canvas.overlay");
      const box = (await overlay.boundingBox())!;
      const d = await overlay.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
      const [left, top, width, height, total] = [d.left, d.top, d.width, d.height, d.total].map(Number) as [number, number, number, number, number];
      const x = left + ((step + 0.5) / total) * width;
      await p.page.mouse.move(box.x + x, box.y + top + height / 2);
      const readout = p.page.locator(".chart").nth(index).locator("output.readout");
      await expect.poll(() => readout.getAttribute("data-step")).not.toBeNull();
      const attrs = await readout.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
      return {
        step: Number(attrs.step),
        rate: Number(attrs.rate),
        phase: attrs.phase,
        text: (await readout.textContent()) ?? "",
        /** How far from the aimed step one CSS pixel can land. */
        slack: Math.ceil(total / width) + 1,
      };
    }

    /** Painted pixels of chart `index`'s base canvas, and how many of them are pure red. */
    async function pixels(p: PreviewPage, index: number) {
      return p.page
        .locator(".chart")
        .nth(index)
        .locator("canvas.base")
        .evaluate((c) => {
          const canvas = c as HTMLCanvasElement;
          const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          let red = 0;
          let hash = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3]! > 0) painted++;
            if (data[i]! > 200 && data[i + 1]! < 60 && data[i + 2]! < 60 && data[i + 3]! > 200) red++;
            hash = (hash * 31 + data[i]! + data[i + 1]! * 7 + data[i + 2]! * 13 + data[i + 3]!) >>> 0;
          }
          return { painted, red, hash, size: canvas.width * canvas.height };
        });
    }

    const relClose = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));

    it("loads under its Content-Security-Policy and asks the host for data", async () => {
      const p = await openPreview(browser);
      expect(await p.posted()).toEqual([{ type: "ready" }]);
      expect(await p.page.locator("#charts").textContent()).toContain("Waiting for the language server");
      expect(p.errors).toEqual([]);
      await p.page.context().close();
    });

    it("draws one chart per schedule, and says which schedules have errors", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "warmup_cosine", ir: warmupCosine }, { name: "resnet", ir: resnet }, { name: "broken", ir: null }));
      expect(await p.page.locator(".chart h2").allTextContents()).toEqual(["warmup_cosine", "resnet", "broken"]);
      expect(await p.page.locator(".chart").nth(1).locator(".meta").textContent()).toContain("90 epochs");
      expect(await p.page.locator(".chart").nth(2).locator(".invalid").textContent()).toContain("has errors");
      expect(await p.page.locator(".chart").nth(2).locator(".plot").isHidden()).toBe(true);
      for (const i of [0, 1]) {
        const px = await pixels(p, i);
        // Bands, grid, labels and the filled curve cover a good part of the canvas.
        expect(px.painted).toBeGreaterThan(px.size * 0.2);
      }
      expect(await p.page.locator("#file").textContent()).toBe("schedules.anneal");
      expect(p.errors).toEqual([]);
      await p.page.context().close();
    });

    it("keeps a stale chart in place while its schedule has errors, dimmed and labelled", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "warmup_cosine", ir: warmupCosine, staleSince: 3 }));
      const chart = p.page.locator(".chart").nth(0);
      expect(await chart.locator(".invalid").textContent()).toBe("This schedule has errors: the chart shows version 3, the last without them.");
      expect(await chart.locator(".plot").isHidden()).toBe(false);
      expect(await chart.getAttribute("class")).toContain("stale");
      const px = await pixels(p, 0);
      expect(px.painted).toBeGreaterThan(px.size * 0.2);
      // Fixed again: the label goes.
      await p.send(schedules({ name: "warmup_cosine", ir: warmupCosine }));
      expect(await chart.locator(".invalid").isHidden()).toBe(true);
      expect(await chart.getAttribute("class")).not.toContain("stale");
      expect(p.errors).toEqual([]);
      await p.page.context().close();
    });

    it("reads out the exact rate under the crosshair: linear warmup, then cosine", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "warmup_cosine", ir: warmupCosine }));
      const { peak, warmup, total, floor } = WARMUP_COSINE;

      const w = await hover(p, 0, 400);
      expect(Math.abs(w.step - 400)).toBeLessThanOrEqual(w.slack);
      relClose(w.rate, (peak * w.step) / warmup);
      expect(w.phase).toBe("warmup");
      expect(w.text).toContain(`step ${w.step.toLocaleString("en-US")}`);
      expect(w.text).toContain("warmup");

      const c = await hover(p, 0, 5000);
      expect(Math.abs(c.step - 5000)).toBeLessThanOrEqual(c.slack);
      const progress = (c.step - warmup) / (total - warmup);
      relClose(c.rate, floor + ((peak - floor) * (1 + Math.cos(Math.PI * progress))) / 2);
      expect(c.phase).toBe("cosine");
      // The visible readout shows four significant digits of the same rate.
      expect(c.text).toContain(c.rate.toExponential(3).replace(/\.?0+e/, "e").replace("e-0", "e-"));
      await p.page.context().close();
    });

    it("reads out a step decay per epoch", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "resnet", ir: resnet }));
      for (const [aim, drops] of [
        [12, 0],
        [45, 1],
        [75, 2],
      ] as const) {
        const r = await hover(p, 0, aim);
        // With 90 ticks on about 900 pixels each epoch is many pixels wide: the hit is exact.
        expect(r.step).toBe(aim);
        relClose(r.rate, 0.1 * 0.1 ** Math.floor(r.step / 30));
        expect(Math.floor(r.step / 30)).toBe(drops);
        expect(r.text).toContain(`epoch ${aim}`);
      }
      await p.page.context().close();
    });

    it("follows the file as it changes", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "warmup_cosine", ir: warmupCosine }));
      const before = await hover(p, 0, 1500);
      expect(before.phase).toBe("cosine");
      // The same schedule with `warmup 2k`: step 1500 is now inside the warmup.
      const longer = structuredClone(warmupCosine);
      longer.segments[0]!.end = 2000;
      longer.segments[1]!.start = 2000;
      await p.send({ ...schedules({ name: "warmup_cosine", ir: longer }), version: 4 });
      expect(await p.page.locator("#version").textContent()).toBe("version 4");
      const after = await hover(p, 0, 1500);
      expect(after.phase).toBe("warmup");
      relClose(after.rate, (WARMUP_COSINE.peak * after.step) / 2000);
      await p.page.context().close();
    });

    it("switches to a log scale and remembers it", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "warmup_cosine", ir: warmupCosine }));
      const linear = await pixels(p, 0);
      await p.page.locator("#log-scale").check();
      expect(await p.state()).toMatchObject({ logScale: true, uri: "file:///work/schedules.anneal" });
      const log = await pixels(p, 0);
      expect(log.hash).not.toBe(linear.hash);
      // The crosshair still reads the exact rate on the log axis.
      const r = await hover(p, 0, 700);
      relClose(r.rate, (WARMUP_COSINE.peak * r.step) / WARMUP_COSINE.warmup);
      await p.page.context().close();
    });

    it("follows the editor's colour theme", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "wsd", ir: wsd }));
      expect((await pixels(p, 0)).red).toBe(0);
      // VS Code changes the variables on <html> when the user picks another theme.
      await p.page.evaluate(() => document.documentElement.style.setProperty("--vscode-charts-blue", "#ff0000"));
      await expect.poll(async () => (await pixels(p, 0)).red).toBeGreaterThan(500);
      await p.page.context().close();
    });

    it("asks the host to show a phase's source on a double-click", async () => {
      const p = await openPreview(browser);
      await p.send(schedules({ name: "warmup_cosine", ir: warmupCosine }));
      await hover(p, 0, 6000);
      await p.page.mouse.dblclick(...(await mousePosition(p)));
      const seg = warmupCosine.segments[1]!;
      expect(await p.posted()).toContainEqual({ type: "reveal", offset: seg.range.start, end: seg.range.end });
      await p.page.context().close();
    });

    it("says so when a file has no schedule or the server fails", async () => {
      const p = await openPreview(browser);
      await p.send(schedules());
      expect(await p.page.locator("#charts").textContent()).toContain("defines no schedule yet");
      await p.send({ type: "error", fileName: "x.anneal", uri: "file:///x.anneal", message: "The Anneal language server did not answer: boom" });
      expect(await p.page.locator("#charts .notice.error").textContent()).toContain("boom");
      expect(p.errors).toEqual([]);
      await p.page.context().close();
    });

    it("renders every example file, with the rates the compiler computes", async () => {
      const p = await openPreview(browser);
      const dir = `${REPO_ROOT}examples/`;
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".anneal"))) {
        const compiled = compile(readFileSync(dir + file, "utf8"));
        expect(compiled.hasErrors, file).toBe(false);
        await p.send({ ...schedules(...compiled.schedules.map((s) => ({ name: s.name, ir: s.ir ?? null }))), fileName: file });
        expect(await p.page.locator(".chart h2").allTextContents(), file).toEqual(compiled.schedules.map((s) => s.name));
        for (const [i, s] of compiled.schedules.entries()) {
          expect((await pixels(p, i)).painted, `${file}: ${s.name}`).toBeGreaterThan(1000);
          // The IR crossed a JSON message; the page's evaluation must still match the compiler's.
          const r = await hover(p, i, Math.floor(s.ir!.total * 0.37));
          expect(r.rate, `${file}: ${s.name} at ${r.step}`).toBe(s.evaluator!.lrAt(r.step));
        }
      }
      expect(p.errors).toEqual([]);
      await p.page.context().close();
    });

    it("renders the documentation screenshot", async () => {
      const p = await openPreview(browser, { width: 960, height: 900 });
      const compiled = compile(SCREENSHOT_SOURCE);
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      await p.send({ ...schedules(...compiled.schedules.map((s) => ({ name: s.name, ir: s.ir ?? null }))), fileName: "recipes.anneal" });
      // The crosshair in SGDR's third cycle, at epoch 45 (each epoch is 391 steps).
      await hover(p, 1, 391 * 45);
      const png = await p.page.screenshot({ fullPage: false });
      expect(png.length).toBeGreaterThan(20_000);
      if (process.env.ANNEAL_UPDATE_SCREENSHOT === "1") writeFileSync(`${REPO_ROOT}docs/preview.png`, png);
      await p.page.context().close();
    });
  });
}

/** The file the documentation screenshot shows: three well-known recipes. */
const SCREENSHOT_SOURCE = `# Three recipes side by side.
schedule wsd { lr 3e-3  total 100k  warmup 2% -> constant -> sqrt 20% to 0 }

schedule sgdr {
  lr 0.05  total 150 epochs  steps_per_epoch 391  clock steps
  cosine to 0 restart every 10 epochs x2
}

schedule gpt3 {
  lr 6e-4  total 300B tokens  tokens_per_step 0.5M
  warmup 375M tokens -> cosine 260B tokens to 10% -> constant
}
`;

/** Where the mouse is, read back from the page (Playwright does not expose it). */
async function mousePosition(p: PreviewPage): Promise<[number, number]> {
  const overlay = p.page.locator(".chart").first().locator("canvas.overlay");
  const box = (await overlay.boundingBox())!;
  const d = await overlay.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  const x = Number(d.left) + ((6000 + 0.5) / Number(d.total)) * Number(d.width);
  return [box.x + x, box.y + Number(d.top) + Number(d.height) / 2];
}
