// `npm run fuzz`: the robustness properties of test/robustness at a million cases in all,
// then the heavier checks at fuzzing size (the emitted code of thousands of generated
// programs, tens of thousands of edits to the language server, the 10 MB file), and the
// summary of the run written into docs/robustness.md, between its fuzz-summary markers.
//
// The properties are TypeScript that imports the compiler's sources, so they are bundled
// with esbuild into a temporary directory first. Environment:
//   ANNEAL_FUZZ_CASES   total cases of the properties (default 1,000,000)
//   ANNEAL_FUZZ_SEED    the seed (default: a random one, printed and recorded)
//   ANNEAL_FUZZ_ONLY    a substring: run only the properties whose name contains it
//   ANNEAL_FUZZ_NO_DOC  set to leave docs/robustness.md alone
// A failure is replayed in `npm test` with ANNEAL_FUZZ_SEED set to the recorded seed and
// the property's case count (or from the counterexample, printed in full in the log).

import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const total = Number(process.env.ANNEAL_FUZZ_CASES ?? 1_000_000);
const seed = Number(process.env.ANNEAL_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const only = process.env.ANNEAL_FUZZ_ONLY;
const started = Date.now();
const log = (line) => process.stdout.write(`[fuzz ${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);

log(`seed ${seed}, ${total.toLocaleString("en-US")} cases`);
const dir = mkdtempSync(join(tmpdir(), "anneal-fuzz-"));
const bundle = join(dir, "properties.mjs");
await build({
  stdin: {
    contents: [
      `export { robustnessProperties } from "./test/robustness/properties.ts";`,
      `export { loadExamples } from "./test/robustness/examples.ts";`,
      `export { default as fc } from "fast-check";`,
    ].join("\n"),
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  outfile: bundle,
  // resvg is a native module the properties never load (plots are not fuzzed here).
  external: ["@resvg/resvg-js"],
  logLevel: "warning",
  banner: { js: "import { createRequire as __annealCreateRequire } from 'node:module'; const require = __annealCreateRequire(import.meta.url);" },
});
const { robustnessProperties, loadExamples, fc } = await import(pathToFileURL(bundle).href);

const properties = robustnessProperties(loadExamples(root)).filter((p) => !only || p.name.includes(only));
const weights = properties.reduce((s, p) => s + p.weight, 0);
const results = [];
for (const p of properties) {
  const runs = Math.max(1, Math.round((total * p.weight) / weights));
  log(`${p.name}: ${runs.toLocaleString("en-US")} cases`);
  const t0 = Date.now();
  const details = fc.check(p.property, { seed, numRuns: runs });
  const seconds = (Date.now() - t0) / 1000;
  const failure = details.failed
    ? {
        counterexample: JSON.stringify(details.counterexample).slice(0, 2000),
        error: String(details.errorInstance?.message ?? details.error ?? "").split("\n").slice(0, 6).join("\n"),
        path: details.counterexamplePath,
      }
    : undefined;
  results.push({ name: p.name, runs: details.numRuns, seconds, failure });
  log(`${p.name}: ${failure ? `FAILED after ${details.numRuns} cases\n${failure.error}\ncounterexample: ${failure.counterexample}` : "passed"} (${seconds.toFixed(0)} s)`);
}
rmSync(dir, { recursive: true, force: true });

// The heavier checks, through vitest at fuzzing size: one process per file, so a crash or a
// hang in one is reported and the others still run.
const heavy = only
  ? []
  : [
      { name: "emitted code of 3,000 generated programs", file: "test/robustness/emitted-code.test.ts", env: { ANNEAL_EMIT_PROGRAMS: "3000" } },
      { name: "language server, 50,000 edits and requests", file: "test/robustness/lsp-under-fire.test.ts", env: { ANNEAL_LSP_EDITS: "50000" } },
      { name: "pathological inputs, with the 10 MB file", file: "test/robustness/pathological.test.ts", env: { ANNEAL_SLOW: "1" } },
    ];
if (heavy.length > 0 && !existsSync(join(root, "packages", "compiler", "dist", "index.mjs"))) spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
for (const h of heavy) {
  log(`${h.name}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", h.file], {
    cwd: root,
    env: { ...process.env, ...h.env, ANNEAL_FUZZ_SEED: String(seed), NO_COLOR: "1", FORCE_COLOR: "0" },
    encoding: "utf8",
    timeout: 3_600_000,
    maxBuffer: 256 * 2 ** 20,
  });
  const seconds = (Date.now() - t0) / 1000;
  const output = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  const tests = /Tests\s+(.*)/.exec(output)?.[1]?.trim() ?? "no summary";
  const note = /10 MB: (\d[^\n]*)/.exec(output)?.[1];
  const failure = r.status === 0 ? undefined : { error: r.error ? r.error.message : output.split("\n").filter((l) => /FAIL|Error|expected/.test(l)).slice(0, 8).join("\n") };
  results.push({ name: h.name, runs: `vitest: ${tests}`, seconds, failure, note });
  log(`${h.name}: ${failure ? `FAILED\n${failure.error}` : "passed"} (${tests}; ${seconds.toFixed(0)} s)${note ? `; 10 MB: ${note}` : ""}`);
}

const failed = results.filter((r) => r.failure);
const seconds = (Date.now() - started) / 1000;
log(`done: ${failed.length} failing of ${results.length}, ${seconds.toFixed(0)} s`);

if (!process.env.ANNEAL_FUZZ_NO_DOC) {
  const docPath = join(root, "docs", "robustness.md");
  const begin = "<!-- fuzz-summary -->";
  const end = "<!-- /fuzz-summary -->";
  const cases = results.filter((r) => typeof r.runs === "number").reduce((s, r) => s + r.runs, 0);
  const summary = [
    begin,
    `Last run: ${new Date().toISOString().slice(0, 10)}, seed ${seed}, ${cases.toLocaleString("en-US")} property cases, ${(seconds / 60).toFixed(0)} minutes on ${process.platform} with Node ${process.versions.node}${only ? ` (only "${only}")` : ""}.`,
    "",
    "| check | cases | failures | time |",
    "|---|---|---|---|",
    ...results.map((r) => `| ${r.name} | ${typeof r.runs === "number" ? r.runs.toLocaleString("en-US") : r.runs} | ${r.failure ? "**1**" : "0"} | ${r.seconds.toFixed(0)} s${r.note ? ` (10 MB file: ${r.note})` : ""} |`),
    "",
    failed.length === 0
      ? "No crash, internal error, broken invariant or superlinear stage was found."
      : failed.map((r) => `- **${r.name}**: ${(r.failure.error || "").replace(/\n/g, " ").slice(0, 600)}${r.failure.counterexample ? ` Counterexample: \`${r.failure.counterexample.slice(0, 400)}\`` : ""}`).join("\n"),
    end,
  ].join("\n");
  const doc = existsSync(docPath) ? readFileSync(docPath, "utf8") : `# Robustness\n\n${begin}\n${end}\n`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  writeFileSync(docPath, i >= 0 && j > i ? `${doc.slice(0, i)}${summary}${doc.slice(j + end.length)}` : `${doc.trimEnd()}\n\n${summary}\n`);
  log(`summary written to docs/robustness.md`);
}
process.exitCode = failed.length === 0 ? 0 : 1;
