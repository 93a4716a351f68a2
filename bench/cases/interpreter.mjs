// eval_vs_interpreter: the compiled evaluator (`lrAt`) against the AST-walking interpreter
// in bench/interpreter.mjs, at the same random steps. The ratio is the interpreter's time
// over lrAt's: what lowering a schedule to closed-form segments buys.
import { compare, loadCompiler, ms, random, result, say } from "../harness.mjs";
import { interpret } from "../interpreter.mjs";
import { ALL, compileSchedule } from "../schedules.mjs";

const compiler = await loadCompiler();
const N = 4096;
const cases = {};
for (const id of ["warmup+restarts", "step-decay", "nanogpt-cosine", "sgdr-x2"]) {
  const s = ALL[id];
  const { ev, ast } = compileSchedule(compiler, s);
  const lr = interpret(ast);
  const rnd = random(7);
  const steps = Float64Array.from({ length: N }, () => Math.floor(rnd() * s.total));
  // The interpreter is a fair yardstick only if it computes the same schedule.
  for (const t of steps) {
    const d = Math.abs(lr(t) - ev.lrAt(t));
    if (!(d <= 1e-12 * s.peak)) throw new Error(`${id}: the interpreter gives ${lr(t)} at ${t}, lrAt ${ev.lrAt(t)}`);
  }
  const r = compare({
    lrAt: () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += ev.lrAt(steps[i]);
      return acc;
    },
    interpreter: () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += lr(steps[i]);
      return acc;
    },
  }, { warmup: 5, rounds: 15 });
  const ratio = r.interpreter.median / r.lrAt.median;
  cases[id] = { ratio, lrAt_ns: (r.lrAt.median * 1e6) / N, interpreter_ns: (r.interpreter.median * 1e6) / N };
  say(`  ${id.padEnd(18)} lrAt ${ms(r.lrAt.median)}  interpreter ${ms(r.interpreter.median)}  per ${N} steps  ratio ${ratio.toFixed(0)}`);
}
const geo = Math.exp(Object.values(cases).reduce((s, c) => s + Math.log(c.ratio), 0) / Object.keys(cases).length);
result("eval_vs_interpreter", geo, "x (geometric mean)", "report", null, { cases });
