// The terminal renderer: width, labels, a drop drawn as a vertical run at its step, colour
// that changes nothing but escapes.

import { describe, expect, it } from "vitest";
import { renderTerminal } from "../../src/plot/terminal.js";
import { gpt3, resnet, wsd } from "./fixtures.js";

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const linesOf = (s: string) => s.replace(/\n$/, "").split("\n");

describe("renderTerminal", () => {
  it.each([40, 80, 123])("fits %i columns, with the x axis exactly that wide", (columns) => {
    for (const ir of [resnet(), wsd(), gpt3(), [wsd(), gpt3()]]) {
      const lines = linesOf(renderTerminal(ir, { columns }));
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(columns);
      const rule = lines.find((l) => l.includes("└"))!;
      expect(rule.length).toBe(columns);
    }
  });

  it("labels both axes and the peak and final values", () => {
    const lines = linesOf(renderTerminal(resnet(), { columns: 72, rows: 12 }));
    expect(lines[0]).toBe("lr 0.1 · 90 epochs");
    expect(lines[1]).toBe("peak 0.1 · final 1e-3");
    expect(lines[2]).toBe("learning rate");
    const plotRows = lines.filter((l) => / [┤│]/.test(l));
    expect(plotRows).toHaveLength(12);
    expect(plotRows[0]).toMatch(/^\s*0\.1 ┤/);
    expect(plotRows[11]).toMatch(/^\s*0 ┤/);
    const rule = lines.findIndex((l) => l.includes("└"));
    // The unit goes at the end of the tick labels, or under them when it does not fit.
    const below = lines.slice(rule + 1, rule + 3).join(" ");
    expect(below.trim().split(/\s+/)).toEqual(["0", "20", "40", "60", "80", "epochs"]);
  });

  it("draws the drop at epoch 30 as one vertical run of braille cells", () => {
    const columns = 64;
    const lines = linesOf(renderTerminal(resnet(), { columns, rows: 10 }));
    const plotRows = lines.filter((l) => / [┤│]/.test(l));
    const start = plotRows[0]!.search(/[┤│]/) + 1;
    const width = columns - start;
    // Rows strictly between the 0.1 line (top) and the 0.01 line hold only the edge.
    const middle = plotRows.slice(1, -2);
    expect(middle.length).toBeGreaterThan(3);
    const cols = middle.map((row) => {
      const cells = [...row.slice(start)];
      const filled = cells.map((c, i) => (c !== " " ? i : -1)).filter((i) => i >= 0);
      expect(filled).toHaveLength(1);
      return filled[0]!;
    });
    expect(new Set(cols).size).toBe(1);
    expect(Math.abs(cols[0]! - (width * 30) / 90)).toBeLessThanOrEqual(1);
  });

  it("colours with ANSI escapes only when asked, changing nothing else", () => {
    const plain = renderTerminal([wsd(), gpt3()], { columns: 90 });
    const coloured = renderTerminal([wsd(), gpt3()], { columns: 90, color: true });
    expect(plain).not.toContain("\x1b[");
    expect(coloured).toContain("\x1b[38;5;");
    expect(stripAnsi(coloured)).toBe(plain);
    expect(plain).toContain("━━ wsd 3e-3 → 0");
    expect(plain).toContain("━━ gpt3 6e-4 → 6e-5");
  });

  it("names the phases under the axis and reads tokens for a token schedule", () => {
    const text = renderTerminal(wsd(), { columns: 100 });
    expect(linesOf(text).at(-1)).toMatch(/╵\s+constant\s+╵\s+sqrt$/);
    const tokens = linesOf(renderTerminal(gpt3(), { columns: 100 }));
    expect(tokens.join("\n")).toMatch(/300B\s+tokens/);
    expect(tokens[1]).toBe("peak 6e-4 at 375M · final 6e-5");
  });

  it("says where zero is drawn on a log axis", () => {
    const text = renderTerminal(wsd(), { columns: 80, log: true });
    expect(linesOf(text)[2]).toMatch(/^learning rate \(log\) · 0 drawn at /);
  });
});
