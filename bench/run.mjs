// The benchmark suite's entry (`npm run bench`, after `npm run build`). Each comparison runs
// in a process of its own (bench/cases/*.mjs), so one comparison's JIT state and garbage do
// not leak into the next; inside it the contenders alternate after a warm-up (harness.mjs).
// This prints every case's medians and ratios, a summary with the goals, and writes
// bench/results.json with one entry per figure and the machine it was measured on.
//
//   node bench/run.mjs                 every case
//   node bench/run.mjs --only fill,lsp some cases; the other entries of results.json are kept

import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const CASES = [
  ["lrat", "lrAt at random steps vs a hand-written closed form"],
  ["fill", "fill over cosine-heavy schedules vs a hand-written scalar loop"],
  ["bandwidth", "fill over piecewise-linear schedules vs a plain write loop"],
  ["interpreter", "lrAt vs an AST-walking interpreter"],
  ["torch", "anneal eval vs torch's CosineAnnealingLR, 1M steps"],
  ["frameworks", "the generated PyTorch and optax schedules vs LambdaLR and optax's warmup-cosine"],
  ["compile", "compile() on a generated 5,000-line file"],
  ["lint", "lintPython() on a generated 10,000-line training script"],
  ["lsp", "the language server over stdio"],
  ["plot", "SVG plot of a 10M-step vs a 1k-step schedule"],
  ["evalpipe", "anneal eval of 40M steps into a pipe: peak memory"],
  ["playground", "the playground's bundle size and keystroke-to-plot latency in headless Chromium"],
];

const args = process.argv.slice(2);
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? "").split(",").filter(Boolean)) : undefined;
const unknown = only ? [...only].filter((c) => !CASES.some(([id]) => id === c)) : [];
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown case ${unknown.join(", ")}; the cases are ${CASES.map(([id]) => id).join(", ")}\n`);
  process.exit(2);
}
const resultsPath = fileURLToPath(new URL("./results.json", import.meta.url));
const bundle = fileURLToPath(new URL("../packages/compiler/dist/index.mjs", import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(`bench: ${bundle} is missing; run \`npm run build\` first (npm run bench does)\n`);
  process.exit(2);
}

/** Runs one case file, echoing its lines, and returns the results it reported. */
function runCase(id) {
  return new Promise((resolve) => {
    const file = fileURLToPath(new URL(`./cases/${id}.mjs`, import.meta.url));
    const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "pipe"] });
    const results = [];
    let pending = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) {
        if (line.startsWith("@@result ")) results.push(JSON.parse(line.slice("@@result ".length)));
        else process.stdout.write(`${line}\n`);
      }
    });
    child.stderr.on("data", (chunk) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, results, stderr }));
  });
}

function machine() {
  const cpu = cpus();
  let commit = null;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // Not a git checkout: the entry says so by its absence.
  }
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    commit,
  };
}

const started = new Date();
const loadBefore = loadavg()[0];
const previous = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, "utf8")) : { results: {} };
const entries = only ? { ...previous.results } : {};
let failed = false;
for (const [id, title] of CASES) {
  if (only && !only.has(id)) continue;
  process.stdout.write(`\n== ${id}: ${title}\n`);
  const t0 = performance.now();
  const { code, results, stderr } = await runCase(id);
  if (code !== 0) {
    failed = true;
    process.stdout.write(`FAILED ${id} (exit ${code}):\n${stderr.trim().split("\n").slice(-8).join("\n")}\n`);
    continue;
  }
  for (const r of results) entries[r.name] = { ...r, case: id, measuredAt: new Date().toISOString() };
  process.stdout.write(`   (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}

const fmt = (v) => (v === null ? "skipped" : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
process.stdout.write("\n== summary\n");
for (const [name, r] of Object.entries(entries)) {
  const verdict = r.met === true ? "met" : r.met === false ? "NOT MET" : r.value === null ? "skipped" : "reported";
  process.stdout.write(`  ${name.padEnd(28)} ${fmt(r.value).padStart(8)} ${(r.unit ?? "").padEnd(44)} goal ${String(r.goal).padEnd(32)} ${verdict}\n`);
}
const doc = {
  about: "Figures from `npm run bench` (bench/run.mjs); docs/performance.md explains each one.",
  started: started.toISOString(),
  machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] },
  results: entries,
};
writeFileSync(resultsPath, `${JSON.stringify(doc, null, 2)}\n`);
process.stdout.write(`\nwrote ${resultsPath}\n`);
process.exit(failed ? 1 : 0);
