// Hyperparameters beside the rate are drawn on panels of their own, on axes that fit their
// values: a momentum cycling between 0.85 and 0.95 is read against that range, not 0.
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.js";
import { paramPanels, stackSvg } from "../../src/plot/panels.js";
import { renderSvg } from "../../src/plot/svg.js";
import { renderTerminal } from "../../src/plot/terminal.js";

const ONECYCLE = "lr 0.1\ntotal 1000\nonecycle\nmomentum: onecycle from 0.95 via 0.85 to 0.95\nweight_decay: constant at 0.05\n";

describe("hyperparameter panels", () => {
  const ir = compile(ONECYCLE).schedules[0]!.ir!;

  test("one panel per scheduled hyperparameter, in a fixed order", () => {
    const panels = paramPanels([ir]);
    expect(panels.map((p) => p.name)).toEqual(["momentum", "weight_decay"]);
    expect(panels[0]!.irs[0]!.valueName).toBe("momentum");
    expect(paramPanels([compile("lr 0.1\ntotal 10\ncosine\n").schedules[0]!.ir!])).toEqual([]);
  });

  test("the momentum axis fits 0.85 to 0.95 and is named after it", () => {
    const chart = renderTerminal(paramPanels([ir])[0]!.irs, { columns: 70, rows: 16, log: false, color: false, title: "momentum" });
    expect(chart).toContain("momentum");
    expect(chart).not.toContain("learning rate");
    const labels = [...chart.matchAll(/^\s*([0-9.]+) ┤/gm)].map((m) => Number(m[1]));
    expect(Math.min(...labels)).toBeGreaterThan(0.8);
    expect(Math.max(...labels)).toBeLessThanOrEqual(0.96);
  });

  test("panels stack below the rate's plot in one SVG", () => {
    const svgs = [renderSvg([ir], { width: 600, height: 300 }), ...paramPanels([ir]).map((p) => renderSvg(p.irs, { width: 600, height: 200, title: p.name }))];
    const stacked = stackSvg(svgs);
    expect(stacked).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="600" height="700" viewBox="0 0 600 700">/);
    expect(stacked.match(/<svg y="(\d+)"/g)).toEqual(['<svg y="0"', '<svg y="300"', '<svg y="500"']);
  });
});
