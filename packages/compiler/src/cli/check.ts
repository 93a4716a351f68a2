// `anneal check FILE...`: every diagnostic of every file, as text or JSON.

import { LineIndex } from "@anneal/dsl";
import { compile } from "../compile.js";
import { type CliIO, type Command, overrideHelp, overrideOptions, overridesFrom, type ParsedArgs } from "./command.js";
import { formatDiagnostics, lintHelp, lintOption, lintsFrom } from "./render.js";

export const checkCommand: Command = {
  name: "check",
  summary: "report errors and warnings in schedule files",
  help: `Usage: anneal check FILE... [--format text|json]

Checks each file and prints its diagnostics as
  file:line:col: severity CODE message
with the source line and the range underlined. '-' reads standard input.
Exit status: 0 when no file has errors, 1 when one does, 2 on a usage or I/O problem.

Options:
  --format text|json     output format (default text)
${lintHelp}
${overrideHelp}

Examples:
  anneal check examples/*.anneal
  anneal check train.anneal --lint A305=off --format json`,
  options: { format: { type: "string" }, ...lintOption, ...overrideOptions },
  run: runCheck,
};

async function runCheck(args: ParsedArgs, io: CliIO): Promise<number> {
  const format = (args.values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") {
    io.stderr(`anneal check: --format must be text or json, not '${format}'\n`);
    return 2;
  }
  if (args.positionals.length === 0) {
    io.stderr("anneal check: no file given. Usage: anneal check FILE... (see anneal check --help)\n");
    return 2;
  }
  const lint = lintsFrom(args);
  const overrides = overridesFrom(args);
  let errors = false;
  const json: unknown[] = [];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const path of args.positionals) {
    const text = io.readText(path);
    const shown = path === "-" ? "<stdin>" : path;
    const r = compile(text, { lint, overrides });
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
      await io.stdout(`${formatDiagnostics(r.diagnostics, shown, text, io.isTTY)}\n\n`);
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
