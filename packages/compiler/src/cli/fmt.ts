// `anneal fmt FILE...`: print, check or rewrite files in the canonical layout.

import { format, parse } from "@anneal/dsl";
import { type Command, CliError } from "./command.js";
import { formatDiagnostics } from "./render.js";

export const fmtCommand: Command = {
  name: "fmt",
  summary: "format schedule files",
  help: `Usage: anneal fmt FILE... [--check | --write]

Formats each file: one item per line, schedule bodies indented by two spaces, one space
between words, comments kept where they are. Without a flag the formatted text goes to
standard output. A file with syntax errors is left alone and its errors are printed.

Options:
  --check    print the files that are not formatted and exit 1 if there are any
  --write    rewrite the files in place

Examples:
  anneal fmt train.anneal
  anneal fmt --check examples/*.anneal`,
  options: { check: { type: "boolean" }, write: { type: "boolean" } },
  run(args, io) {
    if (args.positionals.length === 0) throw new CliError("anneal fmt: no file given (see anneal fmt --help)");
    if (args.values.check && args.values.write) throw new CliError("anneal fmt: --check and --write cannot be used together");
    let status = 0;
    for (const path of args.positionals) {
      const text = io.readText(path);
      const shown = path === "-" ? "<stdin>" : path;
      // One parse serves the formatter and, for a file it refuses, the syntax errors.
      const parsed = parse(text);
      const out = format(text, parsed);
      if (out === undefined) {
        const errors = parsed.diagnostics.filter((d) => d.severity === "error");
        io.stderr(`${shown}: not formatted, it has syntax errors:\n${formatDiagnostics(errors, shown, text, io.isTTY)}\n`);
        status = 1;
        continue;
      }
      if (args.values.check) {
        if (out !== text) {
          io.stdout(`${shown}\n`);
          status = 1;
        }
      } else if (args.values.write) {
        if (path === "-") throw new CliError("anneal fmt: --write needs a file, not standard input");
        if (out !== text) io.writeFile(path, out);
      } else {
        io.stdout(out);
      }
    }
    return status;
  },
};
