// fill_vs_bandwidth: `fill` on piecewise-linear schedules against a plain loop that writes
// one number into every element of a Float64Array of the same length: the most any
// evaluator can do is write its output as fast as memory takes it. Each schedule is
// compared in three fresh processes and the median ratio is kept.
import { fileURLToPath } from "node:url";
import { compare, inFreshProcesses, loadCompiler, median, ms, result, say } from "../harness.mjs";
import { ALL, compileSchedule, PIECEWISE_LINEAR } from "../schedules.mjs";

const PROCESSES = 3;

function plainWrite(out, v) {
  for (let i = 0; i < out.length; i++) out[i] = v;
  return out;
}

async function compareOne(id) {
  const compiler = await loadCompiler();
  const s = ALL[id];
  const { ev } = compileSchedule(compiler, s);
  const ours = new Float64Array(s.total);
  const plain = new Float64Array(s.total);
  // Same curve: `fill` is within its tolerance of `lrAt` and of the closed form.
  ev.fill(ours, 0);
  for (let t = 0; t < s.total; t += 101) {
    if (!(Math.abs(ours[t] - ev.lrAt(t)) <= 1e-14 * s.peak)) throw new Error(`${s.id}: fill differs from lrAt at ${t}`);
    if (!(Math.abs(ours[t] - s.at(t)) <= 1e-14 * s.peak)) throw new Error(`${s.id}: fill differs from the closed form at ${t}`);
  }
  const r = compare({
    fill: () => ev.fill(ours, 0)[s.total >> 1],
    fillExact: () => ev.fillExact(ours, 0)[s.total >> 1],
    plainWrite: () => plainWrite(plain, s.peak)[s.total >> 1],
  }, { warmup: 5, rounds: 15 });
  return { fill: r.fill.median, fillExact: r.fillExact.median, plainWrite: r.plainWrite.median };
}

if (process.argv[2]) {
  process.stdout.write(`${JSON.stringify(await compareOne(process.argv[2]))}\n`);
} else {
  const cases = {};
  for (const s of PIECEWISE_LINEAR) {
    const runs = await inFreshProcesses(fileURLToPath(import.meta.url), [s.id], PROCESSES);
    const perProcess = runs.map((r) => r.plainWrite / r.fill);
    const ratio = median(perProcess);
    const [fillMs, exactMs, plainMs] = ["fill", "fillExact", "plainWrite"].map((k) => median(runs.map((r) => r[k])));
    cases[s.id] = {
      ratio,
      perProcess,
      fillExactRatio: plainMs / exactMs,
      fill_ns_per_tick: (fillMs * 1e6) / s.total,
      fillExact_ns_per_tick: (exactMs * 1e6) / s.total,
      plain_ns_per_tick: (plainMs * 1e6) / s.total,
    };
    say(`  ${s.id.padEnd(16)} ${s.total} ticks: fill ${ms(fillMs)}  fillExact ${ms(exactMs)}  plain write loop ${ms(plainMs)}  ratio ${ratio.toFixed(2)} (per process: ${perProcess.map((x) => x.toFixed(2)).join(", ")})`);
  }
  const worst = Math.min(...Object.values(cases).map((c) => c.ratio));
  result("fill_vs_bandwidth", worst, "x", ">= 0.5", worst >= 0.5, { worstOf: cases, processes: PROCESSES });
}
