// Hyperparameters beside the rate get panels of their own: their values (a momentum near
// 0.9, a weight decay near 0.05) share no axis with a learning rate. Each scheduled
// hyperparameter is one panel below the rate's, over the same clock, with the chains of
// every plotted schedule that sets it.

import { paramSchedule } from "../evaluate.js";
import { HYPER_PARAMS, type HyperParam, type ScheduleIR } from "../ir.js";

export interface Panel {
  /** The hyperparameter, which titles the panel. */
  name: HyperParam;
  /** One schedule per plotted schedule that sets it, named after that schedule. */
  irs: ScheduleIR[];
}

/** The hyperparameter panels of the plotted schedules, in a fixed order; empty when none sets one. */
export function paramPanels(irs: readonly ScheduleIR[]): Panel[] {
  const out: Panel[] = [];
  for (const name of HYPER_PARAMS) {
    const chains = irs.flatMap((ir) => {
      const p = paramSchedule(ir, name);
      return p ? [{ ...p, name: ir.name }] : [];
    });
    if (chains.length > 0) out.push({ name, irs: chains });
  }
  return out;
}

/** Stacks SVG documents top to bottom into one, each at its own size. */
export function stackSvg(svgs: readonly string[]): string {
  if (svgs.length === 1) return svgs[0]!;
  const sizes = svgs.map((s) => {
    const m = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(s);
    return { width: Number(m?.[1] ?? 0), height: Number(m?.[2] ?? 0) };
  });
  const width = Math.max(...sizes.map((s) => s.width));
  const height = sizes.reduce((h, s) => h + s.height, 0);
  let y = 0;
  const parts = svgs.map((s, i) => {
    const body = s.replace(/^<svg\b/, `<svg y="${y}"`);
    y += sizes[i]!.height;
    return body;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
}
