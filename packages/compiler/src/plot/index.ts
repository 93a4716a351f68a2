// The plot renderers, one set for every client: the CLI (terminal, SVG, PNG), the language
// server's hover (compact SVG, sparkline) and the preview. PNG rendering loads a native
// module on first use, so importing this folder stays cheap and browser-safe.

export { Curve, type Extent } from "./curve.js";
export { MAX_OVERLAID, undrawable } from "./drawable.js";
export { type Column, tickColumns } from "./columns.js";
export { sampleCurve, type Polyline, type SampleOptions } from "./sample.js";
export { formatCount, formatRate, linearTicks, logTicks, type Tick } from "./ticks.js";
export { renderSvg, escapeXml, PALETTE, type SvgOptions } from "./svg.js";
export { paramPanels, stackSvg, type Panel } from "./panels.js";
export { renderPng, svgToPng, type PngOptions } from "./png.js";
export { renderTerminal, type TerminalOptions } from "./terminal.js";
export { sparkline, sparklineColumns, sparklineText } from "./sparkline.js";
