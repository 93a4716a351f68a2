// lrAt_vs_handwritten: `lrAt` at random steps against a hand-written closed-form function
// of the same schedule. Both read the same 64k random ticks per call; the ratio is the
// hand-written time over lrAt's (above 1: lrAt is faster). Each schedule is compared in
// three fresh processes (this file, given the schedule's id) and the median ratio is kept.
import { fileURLToPath } from "node:url";
import { compare, inFreshProcesses, loadCompiler, median, ms, random, result, say } from "../harness.mjs";
import { ALL, compileSchedule, RANDOM_ACCESS } from "../schedules.mjs";

const N = 1 << 16;
const PROCESSES = 3;

async function compareOne(id) {
  const compiler = await loadCompiler();
  const s = ALL[id];
  const { ev } = compileSchedule(compiler, s);
  const rnd = random(42);
  const steps = new Float64Array(N);
  for (let i = 0; i < N; i++) steps[i] = Math.floor(rnd() * s.total);
  // Same curve: the two agree to rounding at every tick read.
  let worst = 0;
  for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(ev.lrAt(steps[i]) - s.at(steps[i])));
  if (!(worst <= 1e-12 * s.peak)) throw new Error(`${s.id}: lrAt and the hand-written form differ by ${worst}`);
  const hand = s.at;
  const r = compare({
    lrAt: () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += ev.lrAt(steps[i]);
      return acc;
    },
    handwritten: () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += hand(steps[i]);
      return acc;
    },
  }, { warmup: 20, rounds: 41 });
  return { lrAt: r.lrAt.median, handwritten: r.handwritten.median };
}

if (process.argv[2]) {
  process.stdout.write(`${JSON.stringify(await compareOne(process.argv[2]))}\n`);
} else {
  const ratios = {};
  for (const s of RANDOM_ACCESS) {
    const runs = await inFreshProcesses(fileURLToPath(import.meta.url), [s.id], PROCESSES);
    const perProcess = runs.map((r) => r.handwritten / r.lrAt);
    const ratio = median(perProcess);
    const lrAtMs = median(runs.map((r) => r.lrAt));
    const handMs = median(runs.map((r) => r.handwritten));
    ratios[s.id] = { ratio, perProcess, lrAt_ns: (lrAtMs * 1e6) / N, handwritten_ns: (handMs * 1e6) / N };
    say(`  ${s.id.padEnd(18)} lrAt ${ms(lrAtMs)}  hand-written ${ms(handMs)}  per ${N} steps  ratio ${ratio.toFixed(2)} (per process: ${perProcess.map((x) => x.toFixed(2)).join(", ")})`);
  }
  const worst = Math.min(...Object.values(ratios).map((x) => x.ratio));
  result("lrAt_vs_handwritten", worst, "x", ">= 0.9", worst >= 0.9, { worstOf: ratios, stepsPerCall: N, processes: PROCESSES });
}
