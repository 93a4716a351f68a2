// curve_vs_torch: materialising a 1M-step cosine curve. `anneal eval` runs as a process
// (start-up, compile, evaluate, print 1M CSV lines to a pipe) against a Python process
// that imports torch and steps its built-in CosineAnnealingLR 1M times, keeping every rate
// in a list. Whole processes are timed, alternately; the Python side also reports the
// time spent stepping alone. Needs python3 with torch: $ANNEAL_PYTHON or /usr/bin/python3.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, result, say, skip } from "../harness.mjs";

const NAME = "curve_vs_torch";
const STEPS = 1_000_000;
const python = process.env.ANNEAL_PYTHON || "/usr/bin/python3";
const probe = spawnSync(python, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
if (probe.status !== 0) {
  skip(NAME, "report", `no torch for ${python} (${(probe.error?.message ?? probe.stderr ?? "").trim().split("\n").pop()}); set ANNEAL_PYTHON to a python3 with torch`);
  process.exit(0);
}
const torchVersion = probe.stdout.trim();
const anneal = fileURLToPath(new URL("../../packages/compiler/bin/anneal.mjs", import.meta.url));
const script = fileURLToPath(new URL("../torch_curve.py", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "anneal-bench-"));
const file = join(dir, "cosine.anneal");
writeFileSync(file, `lr 1e-3\ntotal ${STEPS}\ncosine to 1e-5\n`);

function runAnneal(steps) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [anneal, "eval", file, "--steps", `0:${steps}`], { maxBuffer: 256 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`anneal eval failed: ${r.stderr}`);
  const lines = r.stdout.toString("latin1").trimEnd().split("\n");
  return { ms, rows: lines.length - 1, last: Number(lines[lines.length - 1].split(",")[1]) };
}

function runTorch(steps) {
  const t0 = performance.now();
  const r = spawnSync(python, [script, String(steps), "1e-3", "1e-5"], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  const [rows, last, stepping] = r.stdout.trim().split(" ");
  return { ms, rows: Number(rows), last: Number(last), steppingMs: Number(stepping) * 1000 };
}

try {
  // Warm-up: the file cache for node, the bundle, python and torch.
  runAnneal(1000);
  runTorch(1000);
  const a = [];
  const t = [];
  for (let round = 0; round < 2; round++) {
    if (round % 2 === 0) (t.push(runTorch(STEPS)), a.push(runAnneal(STEPS)));
    else (a.push(runAnneal(STEPS)), t.push(runTorch(STEPS)));
  }
  if (a[0].rows !== STEPS || t[0].rows !== STEPS) throw new Error(`expected ${STEPS} rates, got ${a[0].rows} and ${t[0].rows}`);
  const annealMs = median(a.map((x) => x.ms));
  const torchMs = median(t.map((x) => x.ms));
  const steppingMs = median(t.map((x) => x.steppingMs));
  const ratio = torchMs / annealMs;
  say(`  anneal eval (process, 1M CSV lines) ${(annealMs / 1000).toFixed(2)} s  torch ${torchVersion} CosineAnnealingLR (process) ${(torchMs / 1000).toFixed(2)} s, of which stepping ${(steppingMs / 1000).toFixed(2)} s  ratio ${ratio.toFixed(1)}`);
  say(`  last rate: anneal ${a[0].last}, torch ${t[0].last}`);
  result(NAME, ratio, "x (torch process time / anneal eval process time)", "report", null, {
    steps: STEPS,
    annealEvalMs: annealMs,
    torchProcessMs: torchMs,
    torchSteppingMs: steppingMs,
    torchVersion,
    python,
    lastRate: { anneal: a[0].last, torch: t[0].last },
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
