// The SVG renderer, checked by structure: well-formed XML, a curve through the exact values
// at the breakpoints (read back through the plot's own tick labels), vertical edges at
// drops, a bounded path, escaped names, and the compact hover form.

import { describe, expect, it } from "vitest";
import type { ScheduleIR } from "../../src/ir.js";
import { renderSvg, type SvgOptions } from "../../src/plot/svg.js";
import { gpt3, resnet, schedule, sgdr, wsd } from "./fixtures.js";
import { allElements, parseXml, pathPoints, textOf, type XmlElement } from "./xml.js";

function render(ir: ScheduleIR | ScheduleIR[], options?: SvgOptions): XmlElement {
  return parseXml(renderSvg(ir, options));
}

function byClass(root: XmlElement, cls: string): XmlElement[] {
  return allElements(root).filter((e) => e.attrs.class === cls);
}

/**
 * Pixel position of a (tick, value) pair, recovered from the drawn axes: x from two x-tick
 * labels (centred on their ticks), y from the baseline (value 0) and the spacing of the
 * y-tick labels. Independent of how the renderer computes its own scales.
 */
function axesOf(root: XmlElement, xUnit = 1) {
  const xt = byClass(root, "xtick").map((e) => ({ v: parseCount(textOf(e)), x: Number(e.attrs.x) }));
  const yt = byClass(root, "ytick").map((e) => ({ v: Number(textOf(e)), y: Number(e.attrs.y) }));
  const base = byClass(root, "baseline")[0]!;
  const [x0, x1] = [xt[0]!, xt[xt.length - 1]!];
  const [y0, y1] = [yt[0]!, yt[yt.length - 1]!];
  const perValue = (y0.y - y1.y) / (y1.v - y0.v);
  return {
    x: (t: number) => x0.x + ((t * xUnit - x0.v) * (x1.x - x0.x)) / (x1.v - x0.v),
    y: (v: number) => Number(base.attrs.y1) - v * perValue,
  };
}

function parseCount(label: string): number {
  const m = /^([\d.]+)([kMB]?)$/.exec(label)!;
  return Number(m[1]) * ({ "": 1, k: 1e3, M: 1e6, B: 1e9 } as Record<string, number>)[m[2]!]!;
}

function curvePoints(root: XmlElement): { x: number; y: number }[][] {
  return byClass(root, "curve").map((p) => pathPoints(p.attrs.d!));
}

const near = (a: number, b: number, tol = 0.05) => Math.abs(a - b) <= tol;

describe("renderSvg", () => {
  it("writes well-formed, self-contained XML for every kind of plot", () => {
    const cases: [ScheduleIR | ScheduleIR[], SvgOptions][] = [
      [wsd(), {}],
      [resnet(), { log: true }],
      [gpt3(), { width: 1000, height: 500, marker: 300_000 }],
      [[wsd(), gpt3(), sgdr(100_000, 10_000)], { title: "three & more" }],
      [wsd(), { compact: true, marker: 1234 }],
    ];
    for (const [ir, options] of cases) {
      const text = renderSvg(ir, options);
      const root = parseXml(text);
      expect(root.name).toBe("svg");
      expect(root.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
      // Nothing is fetched from elsewhere: no links, no stylesheets, no external images.
      expect(text).not.toMatch(/href|<style|@import|url\(/);
    }
  });

  it("draws the curve through the exact values at the phase boundaries", () => {
    const root = render(wsd());
    const ax = axesOf(root);
    const pts = curvePoints(root)[0]!;
    const passes = (t: number, v: number) => pts.some((p) => near(p.x, ax.x(t)) && near(p.y, ax.y(v)));
    expect(passes(0, 0)).toBe(true);
    expect(passes(2000, 3e-3)).toBe(true);
    expect(passes(80_000, 3e-3)).toBe(true);
    // The sqrt cooldown at 90k: 3e-3 * (1 - sqrt(0.5)).
    expect(passes(100_000, 0)).toBe(true);
    expect(pts.every((p) => p.y <= ax.y(0) + 0.01 && p.y >= ax.y(3e-3) - 0.01)).toBe(true);
  });

  it("draws a step decay's drops as vertical edges at their epochs", () => {
    const root = render(resnet());
    const ax = axesOf(root);
    const pts = curvePoints(root)[0]!;
    const edge = (t: number, from: number, to: number) =>
      pts.some((p, i) => {
        const q = pts[i + 1];
        return q !== undefined && near(p.x, ax.x(t)) && p.x === q.x && near(p.y, ax.y(from)) && near(q.y, ax.y(to));
      });
    expect(edge(30, 0.1, 0.01)).toBe(true);
    expect(edge(60, 0.01, 0.001)).toBe(true);
  });

  it("keeps the path of a 10M-step schedule bounded by the width", () => {
    const width = 720;
    const root = render(sgdr(10_000_000, 10), { width });
    const pts = curvePoints(root)[0]!;
    expect(pts.length).toBeGreaterThan(width / 2);
    expect(pts.length).toBeLessThanOrEqual(4 * width);
  });

  it("escapes names and titles", () => {
    const evil = { ...wsd(), name: `a<b&"c'>` };
    const text = renderSvg([evil, resnet()], { title: "</svg><script>" });
    const root = parseXml(text);
    expect(text).toContain("a&lt;b&amp;&quot;c&apos;&gt;");
    expect(textOf(byClass(root, "title")[0]!)).toBe("</svg><script>");
    expect(byClass(root, "legend-item").map(textOf).some((t) => t.startsWith(`a<b&"c'>`))).toBe(true);
  });

  it("labels the peak, the final value, the phases and the axes", () => {
    const root = render(wsd());
    expect(textOf(byClass(root, "peak")[0]!)).toBe("peak 3e-3 at 2k");
    expect(textOf(byClass(root, "final")[0]!)).toBe("final 0");
    expect(byClass(root, "phase").map(textOf)).toEqual(["constant", "sqrt"]);
    expect(byClass(root, "xtick").map(textOf)).toEqual(["0", "20k", "40k", "60k", "80k", "100k"]);
    expect(byClass(root, "ytick").map(textOf)).toEqual(["0", "1e-3", "2e-3", "3e-3"]);
    expect(textOf(byClass(root, "xlabel")[0]!)).toBe("steps");
    expect(textOf(byClass(root, "title")[0]!)).toContain("wsd");
  });

  it("reads a token schedule in tokens and an epoch schedule in epochs", () => {
    const tokens = render(gpt3());
    expect(textOf(byClass(tokens, "xlabel")[0]!)).toBe("tokens");
    expect(byClass(tokens, "xtick").map(textOf)).toContain("300B");
    // The warmup ends at 375M tokens = 750 steps of 0.5M tokens.
    expect(textOf(byClass(tokens, "peak")[0]!)).toBe("peak 6e-4 at 375M");
    const epochs = render(resnet());
    expect(textOf(byClass(epochs, "xlabel")[0]!)).toBe("epochs");
  });

  it("says on a log axis where zero is drawn", () => {
    const root = render(wsd(), { log: true });
    const label = textOf(byClass(root, "ylabel")[0]!);
    expect(label).toMatch(/^learning rate \(log\) · 0 drawn at \d/);
    const base = Number(byClass(root, "baseline")[0]!.attrs.y1);
    for (const p of curvePoints(root)[0]!) expect(p.y).toBeLessThanOrEqual(base + 0.01);
    // Decade ticks only.
    for (const t of byClass(root, "ytick").map(textOf)) expect(t).toMatch(/^1e-\d+$/);
  });

  it("reads a relative schedule as a multiplier of the base lr", () => {
    const rel: ScheduleIR = {
      ...schedule("rel", 1000, 1, [{ start: 0, end: 1000, shape: { kind: "cosine" }, from: 0, to: 0, phase: "cosine" }], 0),
      peak: undefined,
      relative: true,
    };
    rel.segments[0]!.from = { scale: 1, abs: 0 };
    rel.segments[0]!.to = { scale: 0.1, abs: 0 };
    rel.final = { scale: 0.1, abs: 0 };
    const root = render(rel);
    expect(textOf(byClass(root, "ylabel")[0]!)).toBe("× base lr");
    expect(textOf(byClass(root, "final")[0]!)).toBe("final 0.1");
  });

  it("overlays several schedules with a legend", () => {
    const root = render([wsd(), gpt3()]);
    const curves = byClass(root, "curve");
    expect(curves.map((c) => c.attrs["data-schedule"])).toEqual(["wsd", "gpt3"]);
    expect(new Set(curves.map((c) => c.attrs.stroke)).size).toBe(2);
    expect(byClass(root, "legend-item").map(textOf)).toEqual(["wsd  3e-3 → 0", "gpt3  6e-4 → 6e-5"]);
  });

  it("draws the compact hover form without text, with a marker line and dot", () => {
    const root = render(wsd(), { compact: true, width: 320, height: 120, marker: 90_000 });
    expect(root.attrs.width).toBe("320");
    expect(root.attrs.height).toBe("120");
    expect(allElements(root).filter((e) => e.name === "text")).toEqual([]);
    const line = byClass(root, "marker-line")[0]!;
    const base = byClass(root, "baseline")[0]!;
    const left = Number(base.attrs.x1);
    const right = Number(base.attrs.x2);
    expect(near(Number(line.attrs.x1), left + (right - left) * 0.9)).toBe(true);
    // The dot sits on the curve at 90k: 3e-3 * (1 - sqrt(0.5)), read off the curve's own
    // extremes (0 at the baseline, 3e-3 at the plateau).
    const dot = byClass(root, "marker")[0]!.children.find((e) => e.name === "circle")!;
    const pts = curvePoints(root)[0]!;
    const yTop = Math.min(...pts.map((p) => p.y));
    const yBase = Number(base.attrs.y1);
    const expected = yBase - (yBase - yTop) * (1 - Math.sqrt(0.5));
    expect(near(Number(dot.attrs.cy), expected)).toBe(true);
  });
});
