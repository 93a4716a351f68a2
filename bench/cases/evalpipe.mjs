// eval_pipe_peak_rss: `anneal eval examples/gpt3.anneal --steps 0:40000000` into a pipe that
// this process drains, as `| wc -l` does. The figure is the child's peak resident set size
// (VmHWM from /proc, sampled until it exits): output written with backpressure keeps it
// flat whatever the range, where writing without waiting for `drain` once reached 4.3 GB.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { result, say, skip } from "../harness.mjs";

const NAME = "eval_pipe_peak_rss";
const STEPS = 40_000_000;
const GOAL_MB = 100;
const anneal = fileURLToPath(new URL("../../packages/compiler/bin/anneal.mjs", import.meta.url));
const spec = fileURLToPath(new URL("../../examples/gpt3.anneal", import.meta.url));

function peakKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

if (process.platform !== "linux") {
  skip(NAME, `< ${GOAL_MB} MB`, "needs /proc to read the child's peak memory");
  process.exit(0);
}
const child = spawn(process.execPath, [anneal, "eval", spec, "--steps", `0:${STEPS}`], { stdio: ["ignore", "pipe", "inherit"] });
const drained = new Promise((resolve) => child.stdout.on("close", resolve));
let lines = 0;
let peak = 0;
child.stdout.on("data", (chunk) => {
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
});
const timer = setInterval(() => (peak = Math.max(peak, peakKb(child.pid) ?? 0)), 20);
const t0 = performance.now();
const code = await new Promise((resolve) => child.on("exit", (c) => (peak = Math.max(peak, peakKb(child.pid) ?? 0), resolve(c))));
clearInterval(timer);
const seconds = (performance.now() - t0) / 1000;
await drained;
if (code !== 0 || lines !== STEPS + 1) throw new Error(`anneal eval exited ${code} after ${lines} lines (expected ${STEPS + 1})`);
const mb = peak / 1024;
say(`  ${STEPS.toLocaleString("en-US")} rows into a pipe in ${seconds.toFixed(1)} s; peak RSS ${mb.toFixed(0)} MB (goal < ${GOAL_MB} MB)`);
result(NAME, mb, "MB (peak RSS of a 40M-step eval into a pipe)", `< ${GOAL_MB}`, mb < GOAL_MB, { steps: STEPS, rows: lines, seconds });
