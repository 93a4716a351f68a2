// plot_10M_vs_1k: rendering the SVG plot (the one the language server's hover and `anneal
// plot` draw) of a schedule over 10M steps against the same schedule over 1k steps. Plots
// sample by pixel columns and breakpoints, not by steps, so the ratio should stay near 1.
// The ratio is taken over schedules written in fractions of the run, which draw the same
// curve at both sizes. A schedule that restarts every 10 steps is timed too, as a detail:
// at 10M steps it has a million cycles, and its plot is a different picture (a band, drawn
// through every column's minimum and maximum) with more points than the 1k-step one.
import { compare, loadCompiler, ms, result, say } from "../harness.mjs";

const compiler = await loadCompiler();
const irOf = (text) => {
  const r = compiler.compile(text);
  if (r.hasErrors) throw new Error(r.diagnostics[0].message);
  return r.schedules[0].ir;
};
const SCALED = {
  "warmup, restarts every 10%": (total) => `lr 3e-4\ntotal ${total}\nwarmup 2% -> cosine to 1e-6 restart every 10%\n`,
  "warmup, cosine to 10%": (total) => `lr 6e-4\ntotal ${total}\nwarmup 1% -> cosine to 10%\n`,
  "step decay every 10%": (total) => `lr 0.1\ntotal ${total}\nstep by 0.7 every 10%\n`,
};
const DENSE = { "restarts every 10 steps": (total) => `lr 3e-4\ntotal ${total}\nwarmup 2% -> cosine to 1e-6 restart every 10\n` };

function measure(cases) {
  const out = {};
  for (const [name, src] of Object.entries(cases)) {
    const big = irOf(src("10M"));
    const small = irOf(src("1k"));
    const svgBig = compiler.renderSvg(big);
    const svgSmall = compiler.renderSvg(small);
    const r = compare({ steps10M: () => compiler.renderSvg(big).length, steps1k: () => compiler.renderSvg(small).length }, { warmup: 10, rounds: 31 });
    const ratio = r.steps10M.median / r.steps1k.median;
    out[name] = { ratio, ms10M: r.steps10M.median, ms1k: r.steps1k.median, svgBytes10M: svgBig.length, svgBytes1k: svgSmall.length };
    say(`  ${name.padEnd(28)} 10M steps ${ms(r.steps10M.median)}  1k steps ${ms(r.steps1k.median)}  ratio ${ratio.toFixed(2)}  (SVG ${(svgBig.length / 1024).toFixed(0)} KiB vs ${(svgSmall.length / 1024).toFixed(0)} KiB)`);
  }
  return out;
}

const scaled = measure(SCALED);
const dense = measure(DENSE);
const worst = Math.max(...Object.values(scaled).map((c) => c.ratio));
result("plot_10M_vs_1k", worst, "x (time at 10M / time at 1k)", "<= 1.5", worst <= 1.5, { worstOf: scaled, denseNotInRatio: dense });
