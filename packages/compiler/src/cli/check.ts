// `anneal check FILE...`: every diagnostic of every file, as text or JSON.

import { LineIndex } from "@anneal/dsl";
import { type CliIO, type Command, exitStatusHelp, overrideHelp, overrideOptions, type ParsedArgs, warningHelp, warningOptions, warningsAsErrors } from "./command.js";
import { compileWithFlags, formatDiagnostics, lintHelp, lintOption, lintsFrom, useColor } from "./render.js";
import { didYouMean } from "../diagnostics/suggest.js";

export const checkCommand: Command = {
  name: "check",
  summary: "report errors and warnings in schedule files",
  help: `Usage: anneal check FILE... [--format text|json]

Checks each file and prints its diagnostics as
  file:line:col: severity CODE message
with the source line and the range underlined. A problem with an option, such as
'--total 10q', is shown on the option. '-' reads standard input.

Options:
  --format text|json     output format (default text)
${lintHelp}
${warningHelp}
${overrideHelp}

${exitStatusHelp("a file has errors (or warnings, with -W error)")}

Examples:
  anneal check examples/*.anneal
  anneal check train.anneal --lint A305=off --format json`,
  options: { format: { type: "string" }, ...lintOption, ...warningOptions, ...overrideOptions },
  run: runCheck,
};

async function runCheck(args: ParsedArgs, io: CliIO): Promise<number> {
  const format = (args.values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") {
    io.stderr(`anneal check: --format must be text or json, not '${format}'${didYouMean(format, ["text", "json"], "'")}\n`);
    return 2;
  }
  // Bad --lint or -W values are usage errors, refused before any file is read.
  lintsFrom(args);
  warningsAsErrors(args, "check");
  if (args.positionals.length === 0) {
    io.stderr("anneal check: no file given. Usage: anneal check FILE... (see anneal check --help)\n");
    return 2;
  }
  let errors = false;
  const json: unknown[] = [];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const path of args.positionals) {
    const text = io.readText(path);
    const shown = path === "-" ? "<stdin>" : path;
    const r = compileWithFlags(text, args, "check");
    errors ||= r.hasErrors;
    for (const d of r.diagnostics) counts[d.severity]++;
    if (format === "json") {
      const index = new LineIndex(text);
      json.push({
        file: shown,
        diagnostics: r.diagnostics.map((d) => {
          const s = index.positionAt(d.range.start);
          const e = index.positionAt(d.range.end);
          return { ...d, start: { line: s.line + 1, column: s.character + 1 }, end: { line: e.line + 1, column: e.character + 1 } };
        }),
      });
    } else if (r.diagnostics.length > 0) {
      await io.stdout(`${formatDiagnostics(r.diagnostics, shown, text, useColor(io))}\n\n`);
    }
  }
  if (format === "json") await io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  else {
    const parts = (["error", "warning", "info"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}${counts[k] === 1 ? "" : k === "info" ? "" : "s"}`);
    const files = args.positionals.length;
    io.stdout(parts.length === 0 ? `${files} file${files === 1 ? "" : "s"} checked: no problems\n` : `${files} file${files === 1 ? "" : "s"} checked: ${parts.join(", ")}\n`);
  }
  return errors ? 1 : 0;
}
