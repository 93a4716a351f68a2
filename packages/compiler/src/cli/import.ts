// `anneal import FILE.py [-o OUT.anneal]`: each scheduler construction of a Python training
// script written as the equivalent Anneal spec. The work is `importPython()`; this file
// reads the script, prints the diagnostics and writes the spec.

import { importPython } from "../python/index.js";
import { CliError, type Command, exitStatusHelp } from "./command.js";
import { formatDiagnostics, lintHelp, lintOption, lintsFrom, useColor } from "./render.js";

export const importCommand: Command = {
  name: "import",
  summary: "write the schedulers of a Python training script as Anneal specs",
  help: `Usage: anneal import FILE.py [-o OUT.anneal] [--steps-per-epoch N]

Finds each learning-rate scheduler the script constructs (torch.optim.lr_scheduler,
Hugging Face get_scheduler and get_*_schedule_with_warmup, ...) and writes the Anneal
schedule that reproduces it step for step: the clock from where it is stepped, the
lengths as the script writes them, comments naming the source lines. A scheduler with no
exact spec (OneCycleLR, CyclicLR, ReduceLROnPlateau, an unusual lambda) gets a located
diagnostic instead of an approximation.

Options:
  -o, --output OUT         write the spec to OUT instead of standard output
  --steps-per-epoch N      the value written for len(loader), known only at run time
                           (default: a preview value of 100, with a note)
${lintHelp}

${exitStatusHelp("a scheduler found could not be written exactly, or none was found")}

Examples:
  anneal import train.py
  anneal import train.py -o schedule.anneal --steps-per-epoch 5005`,
  options: { output: { type: "string", short: "o" }, "steps-per-epoch": { type: "string" }, ...lintOption },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new CliError("anneal import: give exactly one FILE.py (see anneal import --help)");
    const path = args.positionals[0]!;
    const raw = args.values["steps-per-epoch"] as string | undefined;
    const spe = raw === undefined ? undefined : Number(raw.replace(/_/g, ""));
    if (spe !== undefined && !(Number.isInteger(spe) && spe >= 1 && spe <= 2 ** 40)) {
      throw new CliError(`anneal import: --steps-per-epoch ${raw}: expected a whole number of steps, at least 1`);
    }
    const text = io.readText(path);
    const shown = path === "-" ? "<stdin>" : path;
    const r = importPython(text, { file: shown, lint: lintsFrom(args), ...(spe !== undefined ? { stepsPerEpoch: spe } : {}) });
    if (r.diagnostics.length > 0) io.stderr(`${formatDiagnostics(r.diagnostics, shown, text, useColor(io))}\n`);
    const missed = r.diagnostics.some((d) => d.code === "A520" || d.code === "A521" || d.severity === "error");
    if (r.specs.length === 0) {
      if (!missed) io.stderr(`${shown}: no learning-rate scheduler construction found\n`);
      return 1;
    }
    const out = args.values.output as string | undefined;
    if (out === undefined || out === "-") await io.stdout(r.text);
    else io.writeFiles([{ path: out, data: r.text }], [path]);
    return missed ? 1 : 0;
  },
};
