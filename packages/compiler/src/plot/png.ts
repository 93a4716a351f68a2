// The PNG renderer: the SVG from svg.ts, rasterised by resvg.
//
// resvg is a native module, so it is loaded on first use: the editor, the browser playground
// and every command that never writes a PNG do not pay for it (or fail on a platform without
// its binary). resvg draws text only with fonts it can find; it is pointed at the system's
// fonts and asked for DejaVu Sans first, which Debian's fonts-dejavu-core provides.

import type { ScheduleIR } from "../ir.js";
import { renderSvg, type SvgOptions } from "./svg.js";

export interface PngOptions extends SvgOptions {
  /** Device pixels per CSS pixel (default 1; 2 for sharp images on high-density screens). */
  scale?: number;
}

/** Fonts the SVG asks for, in order; the first one found is the fallback for the rest. */
const FONT_FAMILIES = ["DejaVu Sans", "Liberation Sans", "Helvetica", "Arial"];

/** Draws one schedule or several overlaid as a PNG image. */
export async function renderPng(input: ScheduleIR | readonly ScheduleIR[], options: PngOptions = {}): Promise<Uint8Array> {
  const svg = renderSvg(input, options);
  return svgToPng(svg, options.scale ?? 1);
}

/** Rasterises an SVG document at `scale` device pixels per CSS pixel. */
export async function svgToPng(svg: string, scale = 1): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: scale === 1 ? { mode: "original" } : { mode: "zoom", value: scale },
    background: "#ffffff",
    font: {
      loadSystemFonts: true,
      defaultFontFamily: FONT_FAMILIES[0]!,
      sansSerifFamily: FONT_FAMILIES[0]!,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}
