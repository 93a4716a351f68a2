// `anneal plot FILE`: the schedule as a picture, in the terminal or as an SVG or PNG file.
//
// One renderer serves every output (plot/): the terminal gets braille sized to its width,
// `-o x.svg` the SVG, `-o x.png` the same SVG rasterised. A file with errors draws nothing:
// its diagnostics go to standard error and the exit code is 1.

import { basename } from "node:path";
import { paramPanels, stackSvg } from "../plot/panels.js";
import { renderPng, svgToPng } from "../plot/png.js";
import { renderSvg } from "../plot/svg.js";
import { renderTerminal } from "../plot/terminal.js";
import { undrawable } from "../plot/drawable.js";
import type { ScheduleIR } from "../ir.js";
import { type Command, CliError, exitStatusHelp, overrideHelp, overrideOptions, type ParsedArgs, warningHelp, warningOptions } from "./command.js";
import { parseStepRange } from "./eval.js";
import { type CompiledFile, compileForCommand, lintHelp, lintOption, noSchedule, requireValues, useColor } from "./render.js";

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
  help: `Usage: anneal plot FILE... [--schedule NAME...] [--steps A:B] [-o out.svg|out.png] [--width W] [--height H] [--log]

Draws the learning rate over the whole schedule, or over steps A to B-1 with --steps.
Every drop is drawn at its exact step, whatever the schedule's length. Without -o the
plot goes to the terminal in braille characters; with -o it is written as SVG or PNG,
chosen by the file's extension. Several schedules (from several files, repeated
--schedule, or every schedule of a file when none is named) are overlaid with a legend.
A relative schedule (no 'lr') reads as a multiple of the base lr.

Options:
  --schedule NAME        a schedule to draw (repeatable; default: every schedule)
  --steps A:B            zoom on steps A to B-1 of the first schedule's clock; also A:
                         (to total) and :B
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
${warningHelp}
${overrideHelp}

${exitStatusHelp("a file has errors, so nothing is drawn")}

Examples:
  anneal plot examples/wsd.anneal
  anneal plot examples/gpt3.anneal --log
  anneal plot examples/sgdr.anneal -o sgdr.png --width 960 --height 400 --scale 2
  anneal plot examples/quickstart.anneal --steps 0:8k
  anneal plot examples/bert.anneal examples/wsd.anneal
  anneal plot schedules.anneal --schedule warm --schedule cold -o compare.svg`,
  options: {
    schedule: { type: "string", multiple: true },
    steps: { type: "string" },
    output: { type: "string", short: "o" },
    width: { type: "string" },
    height: { type: "string" },
    scale: { type: "string" },
    log: { type: "boolean" },
    ...lintOption,
    ...warningOptions,
    ...overrideOptions,
  },
  async run(args, io) {
    if (args.positionals.length === 0) throw new CliError("anneal plot: give at least one FILE (see anneal plot --help)");
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

    // Every file is compiled and its diagnostics shown before anything is drawn.
    const files: CompiledFile[] = [];
    let failed = false;
    for (const path of args.positionals) {
      const file = compileForCommand(path, args, io, {}, "plot");
      if (file) files.push(file);
      else failed = true;
    }
    if (failed) return 1;
    const several = files.length > 1;
    const stemOf = (f: CompiledFile) => (f.path === "<stdin>" ? "stdin" : basename(f.path).replace(/\.anneal$/i, ""));
    const wanted = (args.values.schedule as string[] | undefined) ?? [];
    for (const name of wanted)
      if (!files.some((f) => f.result.schedules.some((s) => s.name === name))) throw new CliError(noSchedule(files[0]!, name));
    const irs: ScheduleIR[] = [];
    for (const f of files)
      for (const s of f.result.schedules) {
        if (wanted.length > 0 && !wanted.includes(s.name)) continue;
        requireValues(f, s, "plot");
        if (!s.ir) continue;
        // With several files, each curve is named after its file (and its schedule).
        const stem = stemOf(f);
        const name = !several ? s.name : s.name === "default" || s.name === stem ? (s.name === "default" ? stem : s.name) : `${stem}: ${s.name}`;
        irs.push(name === s.ir.name ? s.ir : { ...s.ir, name });
      }
    if (irs.length === 0) throw new CliError(`${files[0]!.path}: the file defines no schedule to plot`, 1);
    const problem = undrawable(irs);
    if (problem !== undefined) throw new CliError(`${files[0]!.path}: ${problem}`, 1);
    const steps = args.values.steps as string | undefined;
    const window = steps === undefined ? undefined : parseStepRange(steps, irs[0]!.total, false);

    // The file's name titles a plot of its unnamed schedule, or of several at once.
    const stem = several || files[0]!.path === "<stdin>" ? "" : stemOf(files[0]!);
    const title = irs.length === 1 && irs[0]!.name !== "default" ? irs[0]!.name : stem;
    const log = args.values.log === true;
    const zoom = window ? { window: { from: window[0], to: window[1] } } : {};

    // Each scheduled hyperparameter gets a panel of its own below the rate's.
    const panels = paramPanels(irs);
    if (kind === "terminal") {
      const terminal = { columns: width ?? io.columns ?? 80, rows: height ?? 16, log, color: useColor(io), ...zoom };
      const charts = [renderTerminal(irs, { ...terminal, title }), ...panels.map((p) => renderTerminal(p.irs, { ...terminal, log: false, title: p.name }))];
      await io.stdout(charts.join("\n"));
      return 0;
    }
    const options = { log, title, ...zoom, ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}) };
    const svg = () => stackSvg([renderSvg(irs, options), ...panels.map((p) => renderSvg(p.irs, { ...options, log: false, title: p.name }))]);
    const data =
      kind === "svg" ? svg() : panels.length === 0 ? await renderPng(irs, { ...options, ...(scale !== undefined ? { scale } : {}) }) : await svgToPng(svg(), scale ?? 1);
    if (output === "-") await io.stdout(data as string);
    else io.writeFiles([{ path: output!, data }], args.positionals);
    return 0;
  },
};
