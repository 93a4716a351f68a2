// fill_vs_handwritten: `fill` over a whole cosine-heavy schedule against the scalar loop a
// person writes for it (the closed form per tick, segment by segment). The error of
// `fill` is measured against that closed form and against `lrAt` at every tick. Each
// schedule is compared in three fresh processes (this file, given the schedule's id) and
// the median ratio is kept.
import { fileURLToPath } from "node:url";
import { compare, inFreshProcesses, loadCompiler, median, ms, result, say } from "../harness.mjs";
import { ALL, compileSchedule, COSINE_HEAVY, maxDiff } from "../schedules.mjs";

const PROCESSES = 3;

async function compareOne(id) {
  const compiler = await loadCompiler();
  const s = ALL[id];
  const { ev } = compileSchedule(compiler, s);
  const ours = new Float64Array(s.total);
  const exact = new Float64Array(s.total);
  const hand = new Float64Array(s.total);
  s.fill(hand);
  ev.fill(ours, 0);
  ev.fillExact(exact, 0);
  for (let t = 0; t < s.total; t += 997) if (!Object.is(exact[t], ev.lrAt(t))) throw new Error(`${s.id}: fillExact differs from lrAt at ${t}`);
  const errorVsClosedForm = maxDiff(ours, hand) / s.peak;
  const errorVsLrAt = maxDiff(ours, exact) / s.peak;
  const r = compare({
    fill: () => ev.fill(ours, 0)[s.total >> 1],
    fillExact: () => ev.fillExact(exact, 0)[s.total >> 1],
    handwritten: () => s.fill(hand)[s.total >> 1],
  }, { warmup: 3, rounds: 11 });
  return { fill: r.fill.median, fillExact: r.fillExact.median, handwritten: r.handwritten.median, errorVsClosedForm, errorVsLrAt };
}

if (process.argv[2]) {
  process.stdout.write(`${JSON.stringify(await compareOne(process.argv[2]))}\n`);
} else {
  const cases = {};
  for (const s of COSINE_HEAVY) {
    const runs = await inFreshProcesses(fileURLToPath(import.meta.url), [s.id], PROCESSES);
    const perProcess = runs.map((r) => r.handwritten / r.fill);
    const ratio = median(perProcess);
    const [fillMs, exactMs, handMs] = ["fill", "fillExact", "handwritten"].map((k) => median(runs.map((r) => r[k])));
    const err = { vsClosedForm: runs[0].errorVsClosedForm, vsLrAt: runs[0].errorVsLrAt };
    cases[s.id] = {
      ratio,
      perProcess,
      fillExactRatio: handMs / exactMs,
      fill_ns_per_tick: (fillMs * 1e6) / s.total,
      fillExact_ns_per_tick: (exactMs * 1e6) / s.total,
      handwritten_ns_per_tick: (handMs * 1e6) / s.total,
      maxErrorTimesPeak: err,
    };
    say(`  ${s.id.padEnd(16)} ${String(s.total).padStart(6)} ticks: fill ${ms(fillMs)}  fillExact ${ms(exactMs)}  hand-written ${ms(handMs)}  ratio ${ratio.toFixed(2)} (per process: ${perProcess.map((x) => x.toFixed(2)).join(", ")})  max error ${Math.max(err.vsClosedForm, err.vsLrAt).toExponential(1)} x peak`);
  }
  const worst = Math.min(...Object.values(cases).map((c) => c.ratio));
  const worstErr = Math.max(...Object.values(cases).map((c) => Math.max(c.maxErrorTimesPeak.vsClosedForm, c.maxErrorTimesPeak.vsLrAt)));
  result("fill_vs_handwritten", worst, "x", ">= 3, max error <= 1e-14 x peak", worst >= 3 && worstErr <= 1e-14, { worstOf: cases, maxErrorTimesPeak: worstErr, processes: PROCESSES });
}
