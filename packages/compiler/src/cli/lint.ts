// `anneal lint FILE.py...`: the scheduler mistakes in Python training scripts, as text,
// JSON or SARIF (for code-scanning uploads). The analysis is `lintPython()`; this file only
// reads the files and prints.

import { type Diagnostic, LineIndex } from "@anneal/dsl";
import { CODES } from "../diagnostics/registry.js";
import { lintPython } from "../python/index.js";
import { type CliIO, CliError, type Command, exitStatusHelp, type ParsedArgs } from "./command.js";
import { formatDiagnostics, lintHelp, lintOption, lintsFrom, useColor } from "./render.js";

const FORMATS = ["text", "json", "sarif"] as const;

export const lintCommand: Command = {
  name: "lint",
  summary: "check the learning-rate schedulers in Python training scripts",
  help: `Usage: anneal lint FILE.py... [--format text|json|sarif]

Reads PyTorch, Hugging Face, timm and Lightning training scripts and reports scheduler
mistakes (T_max in epochs stepped per batch, warmups and milestones that disagree,
schedulers stepped before the optimizer or twice, ...) as
  file:line:col: severity CODE message
Codes A500-A599 are listed in docs/lint.md. '-' reads standard input.

Options:
  --format text|json|sarif   output format (default text); sarif is SARIF 2.1.0
${lintHelp}

${exitStatusHelp("a file has an error")}

Examples:
  anneal lint train.py
  anneal lint scripts/*.py --lint A516=off
  anneal lint train.py --format sarif > anneal.sarif`,
  options: { format: { type: "string" }, ...lintOption },
  run: runLint,
};

interface FileResult {
  file: string;
  text: string;
  diagnostics: Diagnostic[];
}

function runLint(args: ParsedArgs, io: CliIO): number {
  const format = (args.values.format as string | undefined) ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`anneal lint: --format must be text, json or sarif, not '${format}'`);
  if (args.positionals.length === 0) throw new CliError("anneal lint: no file given. Usage: anneal lint FILE.py... (see anneal lint --help)");
  const lint = lintsFrom(args);
  const results: FileResult[] = [];
  let errors = false;
  for (const path of args.positionals) {
    const text = io.readText(path);
    const r = lintPython(text, { lint });
    errors ||= r.hasErrors;
    results.push({ file: path === "-" ? "<stdin>" : path, text, diagnostics: r.diagnostics });
  }
  if (format === "json") io.stdout(`${JSON.stringify(results.map(jsonFile), null, 2)}\n`);
  else if (format === "sarif") io.stdout(`${JSON.stringify(sarif(results), null, 2)}\n`);
  else {
    let count = 0;
    for (const r of results) {
      if (r.diagnostics.length === 0) continue;
      count += r.diagnostics.length;
      io.stdout(`${formatDiagnostics(r.diagnostics, r.file, r.text, useColor(io))}\n\n`);
    }
    const files = `${results.length} file${results.length === 1 ? "" : "s"}`;
    io.stdout(count === 0 ? `${files} linted: no problems\n` : `${files} linted: ${count} problem${count === 1 ? "" : "s"}\n`);
  }
  return errors ? 1 : 0;
}

/** One-based line and column of each end of a range. */
function located(index: LineIndex, d: { range: { start: number; end: number } }) {
  const s = index.positionAt(d.range.start);
  const e = index.positionAt(d.range.end);
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function jsonFile(r: FileResult) {
  const index = new LineIndex(r.text);
  return {
    file: r.file,
    diagnostics: r.diagnostics.map((d) => {
      const p = located(index, d);
      return { ...d, start: { line: p.startLine, column: p.startColumn }, end: { line: p.endLine, column: p.endColumn } };
    }),
  };
}

const SARIF_LEVEL = { error: "error", warning: "warning", info: "note", hint: "note" } as const;

/** SARIF 2.1.0, as GitHub code scanning reads it: one run, one rule per code reported. */
function sarif(results: FileResult[]) {
  const codes = [...new Set(results.flatMap((r) => r.diagnostics.map((d) => d.code)))].sort();
  const rules = codes.map((code) => {
    const info = (CODES as Record<string, { title: string; doc: string; severity: keyof typeof SARIF_LEVEL }>)[code];
    return {
      id: code,
      name: info?.title ?? code,
      shortDescription: { text: info?.title ?? code },
      fullDescription: { text: info?.doc ?? code },
      helpUri: `https://github.com/anneal-lang/anneal/blob/main/docs/lint.md#${code.toLowerCase()}`,
      defaultConfiguration: { level: SARIF_LEVEL[info?.severity ?? "warning"] },
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "anneal", informationUri: "https://github.com/anneal-lang/anneal", rules } },
        results: results.flatMap((r) => {
          const index = new LineIndex(r.text);
          const uri = r.file.replace(/\\/g, "/").replace(/^\.\//, "");
          const artifactLocation = { uri };
          return r.diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: codes.indexOf(d.code),
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [{ physicalLocation: { artifactLocation, region: located(index, d) } }],
            ...(d.fixes && d.fixes.length > 0
              ? {
                  fixes: d.fixes.map((f) => ({
                    description: { text: f.title },
                    artifactChanges: [{ artifactLocation, replacements: f.edits.map((e) => ({ deletedRegion: located(index, e), insertedContent: { text: e.newText } })) }],
                  })),
                }
              : {}),
          }));
        }),
      },
    ],
  };
}
