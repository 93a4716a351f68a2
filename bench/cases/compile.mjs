// compile_throughput: `compile()` (parse, check, lints, lowering to IR, evaluators) on a
// generated 5,000-line file, in MB of source per second, from the median of warm rounds.
// A 50-line file is timed alongside for the per-keystroke cost an editor pays.
// compile_broken_ms: a file of 3,000 broken lines, which the recovering parser reads
// (the robustness suite's pathological document), in ms per compile.
// compile_garbage_2mib_s and compile_garbage_2mib_peak_mb: one compile of 2 MiB of that
// stray-token line in a fresh process, as an editor opening the document pays it (JIT
// warm-up included), and the process's peak resident memory; the median time and the
// largest peak of three such processes.
// Each time is wall time, with the CPU time beside it in the detail: on the shared 2-core
// machine the CPU time is what the work costs, the wall time what a user would wait.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { compare, loadCompiler, ms, result, say } from "../harness.mjs";
import { generateFile } from "../generate.mjs";

/** Wall and CPU milliseconds of `rounds` calls of `f`, after `warmup` calls; medians. */
function timed(f, { warmup, rounds }) {
  for (let i = 0; i < warmup; i++) f();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < rounds; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return { wall: med(wall), cpu: med(cpu) };
}

const compiler = await loadCompiler();
const big = generateFile(5000);
const small = generateFile(50);
for (const [text, lines] of [[big, 5000], [small, 50]]) {
  const r = compiler.compile(text);
  if (r.hasErrors) throw new Error(`the generated ${lines}-line file has errors: ${r.diagnostics[0].message}`);
}
const bytes = Buffer.byteLength(big, "utf8");
const r = compare({
  lines5000: () => compiler.compile(big).schedules.length,
  lines50: () => compiler.compile(small).schedules.length,
}, { warmup: 10, rounds: 25 });
const mbPerS = bytes / 1e6 / (r.lines5000.median / 1000);
const cpu5000 = timed(() => compiler.compile(big), { warmup: 2, rounds: 15 });
const mbPerCpuS = bytes / 1e6 / (cpu5000.cpu / 1000);
const load = () => Number(loadavg()[0].toFixed(2));
say(`  5,000 lines (${(bytes / 1024).toFixed(0)} KiB, ${compiler.compile(big).schedules.length} schedules): ${ms(r.lines5000.median)} per compile = ${mbPerS.toFixed(2)} MB/s (${ms(cpu5000.cpu)} of CPU = ${mbPerCpuS.toFixed(2)} MB/s);  50 lines: ${ms(r.lines50.median)}  [load ${load()}]`);
result("compile_throughput", mbPerS, "MB/s", ">= 5 MB/s", mbPerS >= 5, { bytes, lines: 5000, medianMs: r.lines5000.median, lines50MedianMs: r.lines50.median, cpuMs: cpu5000.cpu, mbPerCpuSecond: mbPerCpuS, loadAverage: load() });

const broken = "lr let = warmup ,\n".repeat(3000);
const b = compare({ broken: () => compiler.compile(broken).diagnostics.length }, { warmup: 3, rounds: 9 });
const brokenCpu = timed(() => compiler.compile(broken), { warmup: 1, rounds: 9 });
say(`  3,000 broken lines: ${ms(b.broken.median)} per compile (${ms(brokenCpu.cpu)} of CPU), ${compiler.compile(broken).diagnostics.length} diagnostics  [load ${load()}]`);
result("compile_broken_ms", b.broken.median, "ms", "< 300 ms", b.broken.median < 300, { lines: 3000, cpuMs: brokenCpu.cpu, loadAverage: load() });

// The 2 MiB document in a process of its own, so that its peak memory is its own.
const child = `
  const { compile } = await import(${JSON.stringify(new URL("../../packages/compiler/dist/index.mjs", import.meta.url).href)});
  const unit = "lr let = warmup ,\\n";
  const text = unit.repeat(Math.floor(2 ** 21 / unit.length));
  const before = process.resourceUsage().maxRSS;
  const c = process.cpuUsage();
  const t = performance.now();
  const r = compile(text);
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  console.log(JSON.stringify({ bytes: text.length, wall, cpu: (d.user + d.system) / 1000, peakMb: process.resourceUsage().maxRSS / 1024, loadedMb: before / 1024, diagnostics: r.diagnostics.length, last: r.diagnostics.at(-1)?.code }));`;
// Three fresh processes: the entry is the median time and the largest peak.
const runs = [];
for (let i = 0; i < 3; i++) {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8", cwd: fileURLToPath(new URL(".", import.meta.url)) });
  if (run.status !== 0) throw new Error(`the 2 MiB compile failed: ${run.stderr.slice(0, 400)}`);
  runs.push(JSON.parse(run.stdout));
}
const g = [...runs].sort((a, b) => a.wall - b.wall)[1];
const peakMb = Math.max(...runs.map((x) => x.peakMb));
say(`  2 MiB of stray tokens, fresh processes: ${runs.map((x) => ms(x.wall)).join(", ")} (${runs.map((x) => ms(x.cpu)).join(", ")} of CPU), ${g.diagnostics} diagnostics (last ${g.last}), peak ${runs.map((x) => x.peakMb.toFixed(0)).join(", ")} MB (${g.loadedMb.toFixed(0)} MB with the compiler loaded)  [load ${load()}]`);
result("compile_garbage_2mib_s", g.wall / 1000, "s (one compile, fresh process, median of 3)", "< 1 s", g.wall < 1000, { bytes: g.bytes, wallS: runs.map((x) => x.wall / 1000), cpuS: runs.map((x) => x.cpu / 1000), diagnostics: g.diagnostics, loadAverage: load() });
result("compile_garbage_2mib_peak_mb", peakMb, "MB (peak resident, fresh process, largest of 3)", "< 150 MB", peakMb < 150, { peaksMb: runs.map((x) => x.peakMb), loadedMb: g.loadedMb, loadAverage: load() });
