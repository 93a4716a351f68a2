// Renders `docs/diagnostics.md` from the registry, so the documentation of every code is
// the registry's own text. `npm run docs` writes it; a test checks the file is current.

import { CODES } from "./registry.js";

const BANDS: [string, string][] = [
  ["A0", "Lexing and parsing"],
  ["A1", "Names, types and units"],
  ["A2", "Schedule structure"],
  ["A3", "Lints"],
  ["A4", "Emitters"],
  ["A5", "Python training scripts"],
];

export function renderDiagnosticsDoc(): string {
  const all = Object.values(CODES).sort((a, b) => a.code.localeCompare(b.code));
  const out: string[] = [
    "# Diagnostics",
    "",
    "<!-- Generated from packages/compiler/src/diagnostics/registry.ts by `npm run docs`; edit the registry, not this file. -->",
    "",
    "Every problem Anneal reports has a stable code. Codes are never reused or renumbered.",
    "Errors stop a schedule from being evaluated, plotted or emitted, and cannot be silenced.",
    "Warnings and information can be silenced or raised per code: `anneal check --lint A305=off`",
    "on the command line, or the `anneal.lint` setting in the editor (`{ \"A305\": \"off\" }`).",
    "",
    "| code | severity | title |",
    "|---|---|---|",
    ...all.map((c) => `| [${c.code}](#${c.code.toLowerCase()}) | ${c.severity} | ${c.title} |`),
    "",
  ];
  for (const [prefix, name] of BANDS) {
    const inBand = all.filter((c) => c.code.startsWith(prefix));
    if (inBand.length === 0) continue;
    out.push(`## ${name}`, "");
    for (const c of inBand) out.push(`### ${c.code}`, "", `**${c.title}** (${c.severity})`, "", c.doc, "");
  }
  return out.join("\n");
}
