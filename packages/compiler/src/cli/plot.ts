// `anneal plot FILE`: the schedule as a picture, in the terminal or as an SVG or PNG file.
//
// One renderer serves every output (plot/): the terminal gets braille sized to its width,
// `-o x.svg` the SVG, `-o x.png` the same SVG rasterised. A file with errors draws nothing:
// its diagnostics go to standard error and the exit code is 1.

import { basename } from "node:path";
import { renderPng } from "../plot/png.js";
import { renderSvg } from "../plot/svg.js";
import { renderTerminal } from "../plot/terminal.js";
import { undrawable } from "../plot/drawable.js";
import type { ScheduleIR } from "../ir.js";
import { type Command, CliError, overrideHelp, overrideOptions, type ParsedArgs } from "./command.js";
import { compileForCommand, lintHelp, lintOption } from "./render.js";

/** The most device pixels a PNG may have (width × height × scale²). */
const MAX_PNG_PIXELS = 40_000_000;

/** Reads `--NAME N` as a whole number in [min, max], or undefined when absent. */
function sizeFlag(args: ParsedArgs, name: "width" | "height" | "scale", min: number, max: number): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const whole = name !== "scale";
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
    throw new CliError(`anneal plot: --${name} ${String(raw)}: expected ${whole ? "a whole number" : "a number"} from ${min} to ${max}`);
  }
  return n;
}

export const plotCommand: Command = {
  name: "plot",
  summary: "draw a schedule in the terminal, or to an SVG or PNG file",
  help: `Usage: anneal plot FILE [--schedule NAME...] [-o out.svg|out.png] [--width W] [--height H] [--log]

Draws the learning rate over the whole schedule. Every drop is drawn at its exact step,
whatever the schedule's length. Without -o the plot goes to the terminal in braille
characters; with -o it is written as SVG or PNG, chosen by the file's extension.
Several schedules (repeat --schedule, or give none to draw all of the file's) are
overlaid with a legend. A relative schedule (no 'lr') reads as a multiple of the base lr.

Options:
  --schedule NAME        a schedule to draw (repeatable; default: every schedule)
  -o, --output FILE      write FILE.svg or FILE.png instead of drawing in the terminal
                         ('-' writes the SVG to standard output)
  --width W              width: terminal columns (default: the terminal's, or 80),
                         or image pixels (default 720)
  --height H             height: plot rows in the terminal (default 16), or image
                         pixels (default 360)
  --scale S              PNG only: device pixels per image pixel (default 1; 2 for sharp
                         images on high-density screens)
  --log                  a log-scale y axis (zero is drawn at the smallest value shown)
${lintHelp}
${overrideHelp}

Examples:
  anneal plot examples/wsd.anneal
  anneal plot examples/gpt3.anneal --log
  anneal plot examples/sgdr.anneal -o sgdr.png --width 960 --height 400 --scale 2
  anneal plot schedules.anneal --schedule warm --schedule cold -o compare.svg`,
  options: {
    schedule: { type: "string", multiple: true },
    output: { type: "string", short: "o" },
    width: { type: "string" },
    height: { type: "string" },
    scale: { type: "string" },
    log: { type: "boolean" },
    ...lintOption,
    ...overrideOptions,
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new CliError("anneal plot: give exactly one FILE (see anneal plot --help)");
    const output = args.values.output as string | undefined;
    // `-o -` is standard output, as SVG: a picture for a pipe, not braille for a terminal.
    const kind = output === undefined ? "terminal" : output === "-" || /\.svg$/i.test(output) ? "svg" : /\.png$/i.test(output) ? "png" : undefined;
    if (kind === undefined) throw new CliError(`anneal plot: -o ${output}: the file name must end in .svg or .png`);
    const width = sizeFlag(args, "width", kind === "terminal" ? 24 : 160, kind === "terminal" ? 1000 : 10_000);
    const height = sizeFlag(args, "height", kind === "terminal" ? 3 : 100, kind === "terminal" ? 500 : 10_000);
    const scale = sizeFlag(args, "scale", 0.25, 8);
    if (scale !== undefined && kind !== "png") throw new CliError("anneal plot: --scale applies to PNG output only (-o FILE.png)");
    if (kind === "png") {
      // Each flag is bounded, but together they asked for up to 80,000 × 80,000 device
      // pixels (25 GB of RGBA): anneal ran for minutes and was killed. 40 million pixels
      // take some 3 s and 400 MB.
      const pixels = (width ?? 720) * (height ?? 360) * (scale ?? 1) ** 2;
      if (pixels > MAX_PNG_PIXELS)
        throw new CliError(`anneal plot: a ${width ?? 720} × ${height ?? 360} image at --scale ${scale ?? 1} has ${Math.round(pixels / 1e6)} million pixels; at most ${MAX_PNG_PIXELS / 1e6} million`);
    }

    const file = compileForCommand(args.positionals[0]!, args, io);
    if (!file) return 1;
    const all = file.result.schedules;
    const wanted = (args.values.schedule as string[] | undefined) ?? [];
    for (const name of wanted) {
      if (!all.some((s) => s.name === name)) {
        throw new CliError(`${file.path}: no schedule named '${name}'; it has ${all.map((x) => `'${x.name}'`).join(", ") || "none"}`);
      }
    }
    const chosen = wanted.length > 0 ? wanted.map((name) => all.find((s) => s.name === name)!) : all;
    const irs: ScheduleIR[] = chosen.flatMap((s) => (s.ir ? [s.ir] : []));
    if (irs.length === 0) throw new CliError(`${file.path}: the file defines no schedule to plot`, 1);
    const problem = undrawable(irs);
    if (problem !== undefined) throw new CliError(`${file.path}: ${problem}`, 1);

    // The file's name titles a plot of its unnamed schedule, or of several at once.
    const stem = file.path === "<stdin>" ? "" : basename(file.path).replace(/\.anneal$/i, "");
    const title = irs.length === 1 && irs[0]!.name !== "default" ? irs[0]!.name : stem;
    const log = args.values.log === true;

    if (kind === "terminal") {
      await io.stdout(renderTerminal(irs, { columns: width ?? io.columns ?? 80, rows: height ?? 16, log, color: io.isTTY, title }));
      return 0;
    }
    const options = { log, title, ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}) };
    const data = kind === "svg" ? renderSvg(irs, options) : await renderPng(irs, { ...options, ...(scale !== undefined ? { scale } : {}) });
    if (output === "-") await io.stdout(data as string);
    else io.writeFiles([{ path: output!, data }], [args.positionals[0]!]);
    return 0;
  },
};
