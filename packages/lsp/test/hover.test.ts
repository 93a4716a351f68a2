// Hover: the resolved numbers, computed here by hand from the source, and the plot.
import { describe, expect, test } from "vitest";
import { hover } from "../src/hover.js";
import { at } from "./source.js";

function text(marked: string, markdown = false): string {
  const { a, offset } = at(marked);
  const h = hover(a, offset, { markdown });
  if (!h) return "";
  return typeof h.contents === "object" && "value" in h.contents ? h.contents.value : "";
}

function svgOf(markdownText: string): string {
  const m = /\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(markdownText);
  if (!m) throw new Error(`no SVG data URI in:\n${markdownText}`);
  return Buffer.from(m[1]!, "base64").toString("utf8");
}

describe("hover", () => {
  test("a hyperparameter chain shows its own values and plot; the schedule lists it", () => {
    const src = "lr 0.1\ntotal 1000\nonecycle\nmomen<|>tum: onecycle from 0.95 via 0.85 to 0.95\n";
    const t = text(src);
    expect(t).toContain("momentum beside the rate");
    // OneCycleLR's momentum: max_momentum 0.95 at the start and end, base_momentum 0.85 at the top of the rate.
    expect(t).toContain("starts at 0.95, between 0.85 and 0.95, holds 0.95 from step 1,000 on");
    const svg = svgOf(text(src, true));
    expect(svg).toContain("<svg");
    expect(text("lr 0.1\ntotal 1000\nonecycle\nweight_decay: constant at 0.05\nschedule x { lr 1  total 10  cos<|>ine }\n")).not.toContain("weight_decay");
  });

  const quickstart = "total 100k steps\nlr 3e-4\nwarmup 4<|>% linear -> cosine to 1e-6\n";

  test("a percent duration resolves against total: 4% of 100k is 4,000 steps", () => {
    const t = text(quickstart);
    expect(t).toContain("= 4,000 steps");
    expect(t).toContain("steps 0 → 4,000");
    expect(t).toContain("rate 0 → 3e-4");
  });

  test("epochs resolve with steps_per_epoch: 3 epochs of 391 steps are 1,173 steps", () => {
    const t = text("lr 0.05\ntotal 150 epochs\nsteps_per_epoch 391\nclock steps\nwarmup 3 ep<|>ochs -> cosine\n");
    expect(t).toContain("× 391 steps per epoch = 1,173 steps");
  });

  test("tokens resolve with tokens_per_step: 375M tokens at 0.5M per step are 750 steps", () => {
    const t = text("schedule gpt3 {\n  lr 6e-4  total 300B tokens  tokens_per_step 0.5M\n  warmup 375M to<|>kens -> cosine 260B tokens to 10% -> constant\n}\n");
    expect(t).toContain("= 750 steps");
  });

  test("a value relative to the peak: `to 10%` of 6e-4 is 6e-5", () => {
    const t = text("lr 6e-4\ntotal 600k\nwarmup 2k -> cosine to 10<|>%\n");
    expect(t).toContain("= 6e-5");
  });

  test("in a relative schedule a percent stays a fraction of the optimizer's rate", () => {
    const t = text("total 50k\nwarmup 1k linear from 1% -> cosine to 10<|>%\n");
    expect(t).toContain("= 10%");
  });

  test("a step decay's milestones are not read as a rate", () => {
    const t = text("lr 0.1\ntotal 90 epochs\nstep by 0.1 at 3<|>0 epochs, 60 epochs\n");
    expect(t).not.toMatch(/`at .*` =/);
    expect(t).toContain("epochs 0 → 90");
  });

  test("a phase keyword: the phase's steps and its rate at both ends", () => {
    const t = text("total 100k\nlr 3e-4\nwarmup 4% -> cos<|>ine to 1e-6\n");
    expect(t).toContain("steps 4,000 → 100,000 (96,000 steps)");
    expect(t).toContain("rate 3e-4 → 1e-6");
  });

  test("a schedule name: length, peak, final rate and each phase", () => {
    const t = text("schedule be<|>rt { lr 1e-4  total 1M steps  warmup 10k -> linear to 0 }\n");
    expect(t).toContain("1,000,000 steps, peak 1e-4, final 0");
    expect(t).toContain("warmup: steps 0 → 10,000");
    expect(t).toContain("linear: steps 10,000 → 1,000,000");
  });

  test("plain-text clients get a braille sparkline", () => {
    const t = text(quickstart);
    expect(t.split("\n")[1]).toMatch(/^[\u2800-\u28ff]{16}$/);
  });

  test("markdown clients get an SVG plot with the duration's end marked", () => {
    const t = text(quickstart, true);
    const svg = svgOf(t);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    // The warmup ends at 4% of the run, so the marker sits 4% of the way across the plot.
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
    const x = Number(/class="marker-line" x1="([\d.]+)"/.exec(svg)![1]);
    expect(x / width).toBeGreaterThan(0.03);
    expect(x / width).toBeLessThan(0.06);
  });

  test("markdown without the image when the plot is turned off: a sparkline instead", () => {
    const { a, offset } = at(quickstart);
    const h = hover(a, offset, { markdown: true, plot: false });
    const value = h && typeof h.contents === "object" && "value" in h.contents ? h.contents.value : "";
    expect(value).not.toContain("data:image");
    expect(value).toMatch(/`[\u2800-\u28ff]{16}`/);
    expect(value).toContain("4,000 steps");
  });

  test("a schedule with errors still gets its numbers, without a plot", () => {
    // Two phases without a duration (A203): no IR, but the warmup's 4k is still known.
    const t = text("lr 3e-4\nwarmup 4<|>k -> cosine to 1e-6 -> linear\n", true);
    expect(t).not.toContain("data:image");
    expect(t).toContain("= 4,000 steps");
  });

  test("the hover plot reads on any theme: transparent, with peak, final, step range and the marked step written on it", () => {
    // quickstart: lr 3e-4, cosine to 1e-6, total 100k; the hover on `4%` marks step 4,000,
    // where the warmup reaches the peak.
    const svg = svgOf(text(quickstart, true));
    expect(svg).not.toMatch(/<rect width="\d+" height="\d+" fill="#ffffff"/);
    const label = (cls: string) => new RegExp(`class="${cls}"[^>]*>([^<]*)<`).exec(svg)?.[1];
    expect(label("peak-label")).toBe("peak 3e-4");
    expect(label("final-label")).toBe("final 1e-6");
    expect(svg).toMatch(/class="range-label"[^>]*>100k steps</);
    expect(label("marker-label")).toBe("4k: 3e-4");
  });

  test("a restart clause: the cycles, their length, and where the last is cut", () => {
    // 100k - 4k = 96k of cosine in 13k cycles: 7 whole ones (91k) and a last one cut after
    // 5k, starting at step 4k + 91k = 95,000.
    const t = text("total 100k\nlr 3e-4\nwarmup 4% -> cosine to 1e-6 rest<|>art every 13k\n");
    expect(t).toContain("8 cycles, the last one cut short");
    expect(t).toContain("each 13,000 steps");
    expect(t).toContain("the last cycle starts at step 95,000 and is cut after 5,000 steps of its 13,000 steps");
    // 96k in 12k cycles: 8 whole ones.
    expect(text("total 100k\nlr 3e-4\nwarmup 4% -> cosine to 1e-6 rest<|>art every 12k\n")).toContain("8 cycles\n");
    // Doubling from 6k over 90k: 6k, 12k, 24k, 48k is 90k exactly.
    const doubling = text("total 100k\nlr 3e-4\nwarmup 10k -> cosine restart every 6k x<|>2\n");
    expect(doubling).toContain("4 cycles\n");
    expect(doubling).toContain("lengths 6,000 steps, 12,000 steps, 24,000 steps, 48,000 steps (× 2 each)");
  });

  test("a let name, defined or used: its definition, its uses, and what it came to there", () => {
    const src = "let wa<|>rm = 2k steps\nlr 3e-4\ntotal 100k\nwarmup warm -> cosine\n";
    const t = text(src);
    expect(t).toContain("let warm = 2k steps");
    expect(t).toContain("used once");
    const use = text(src.replace("wa<|>rm", "warm").replace("warmup warm", "warmup wa<|>rm"));
    expect(use).toContain("here: 2,000 steps");
  });

  test("steps_per_epoch, tokens_per_step and clock say what they convert", () => {
    // 90 epochs of 500 steps: 45,000 steps on a step clock.
    expect(text("clock steps\nsteps_per<|>_epoch 500\ntotal 90 epochs\nlr 0.1\nstep by 0.1 every 30 epochs\n")).toContain("total 90 epochs = 45,000 steps");
    // With an epoch total and no clock, the clock counts epochs.
    expect(text("steps_per<|>_epoch 500\ntotal 90 epochs\nlr 0.1\nstep by 0.1 every 30 epochs\n")).toContain("stepped once per epoch");
    expect(text("tokens_per<|>_step 1M\ntotal 300B tokens\nlr 6e-4\ncosine\n")).toContain("1,000,000 tokens per optimizer step");
    expect(text("cl<|>ock epochs\nsteps_per_epoch 500\ntotal 90 epochs\nlr 0.1\ncosine\n")).toContain("once per epoch");
  });

  test("nothing to say in a comment, and no failure past the end of the text", () => {
    expect(text("# a comm<|>ent\nlr 1e-3\ntotal 10\nlinear\n")).toBe("");
    const { a } = at("lr 1e-3\ntotal 10\nlinear<|>");
    expect(() => hover(a, 10_000, { markdown: true })).not.toThrow();
  });
});
