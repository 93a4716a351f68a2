// The plot layer's browser-safe entry (`@anneal/compiler/plot`): what a page needs to draw a
// schedule itself with the same extents, ticks, axes and number style as the CLI's plots and
// the server's hovers. Nothing here loads native modules or touches the file system.

export { type Column, tickColumns } from "./columns.js";
export { Curve, type Extent } from "./curve.js";
export { formatCount, formatRate, linearTicks, logTicks } from "./ticks.js";
export { describe, phaseSpans, type PhaseSpan } from "./axes.js";
export { sparkline, sparklineColumns, sparklineText } from "./sparkline.js";
/** Exact counts with thousands separators (`12,345`), as messages and hovers write them. */
export { formatNumber } from "../check/values.js";
