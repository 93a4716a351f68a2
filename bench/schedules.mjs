// The schedules the benchmarks run, each as Anneal source next to the closed form a person
// would write by hand for it: `at(t)` for one tick, and `fill(out)` as the scalar loop over
// the whole schedule, segment by segment. The hand-written versions follow the language
// spec's formulas (LANGUAGE.md, section 4), not the evaluator's code, and the benchmarks
// check that both sides agree before timing them, so the race is over the same curve.

/** Warmup then SGDR cosine restarts: the spec's own opening example. */
const restarts = (() => {
  const PEAK = 3e-4;
  const TOTAL = 100_000;
  const W = 4000; // 4% of total
  const P = 10_000;
  const FLOOR = 1e-6;
  const cos = (u) => FLOOR + ((PEAK - FLOOR) * (1 + Math.cos(Math.PI * ((u % P) / P)))) / 2;
  // The last cycle is cut 6k ticks in; the schedule holds where it stops.
  const FINAL = FLOOR + ((PEAK - FLOOR) * (1 + Math.cos(Math.PI * 0.6))) / 2;
  return {
    id: "warmup+restarts",
    source: "lr 3e-4\ntotal 100k\nwarmup 4% linear -> cosine to 1e-6 restart every 10k\n",
    total: TOTAL,
    peak: PEAK,
    at(t) {
      if (t >= TOTAL) return FINAL;
      if (t < W) return PEAK * (t / W);
      return cos(t - W);
    },
    fill(out) {
      for (let t = 0; t < W; t++) out[t] = PEAK * (t / W);
      for (let c = W; c < TOTAL; c += P) {
        const end = Math.min(TOTAL, c + P);
        for (let t = c; t < end; t++) out[t] = FLOOR + ((PEAK - FLOOR) * (1 + Math.cos(Math.PI * ((t - c) / P)))) / 2;
      }
      return out;
    },
  };
})();

/** ResNet's step decay on an epoch clock (the spec's seed example). */
const stepDecay = (() => {
  const TOTAL = 90;
  return {
    id: "step-decay",
    source: "lr 0.1\ntotal 90 epochs\nstep by 0.1 every 30 epochs\n",
    total: TOTAL,
    peak: 0.1,
    at(t) {
      return 0.1 * 0.1 ** Math.floor(Math.min(t, TOTAL - 1) / 30);
    },
    fill(out) {
      for (let t = 0; t < TOTAL; t++) out[t] = 0.1 * 0.1 ** Math.floor(t / 30);
      return out;
    },
  };
})();

/** nanoGPT's GPT-2 recipe: 2k warmup, then one long cosine to a tenth of the peak. */
const nanogpt = (() => {
  const PEAK = 6e-4;
  const TOTAL = 600_000;
  const W = 2000;
  const FLOOR = PEAK / 10;
  const L = TOTAL - W;
  return {
    id: "nanogpt-cosine",
    source: "lr 6e-4\ntotal 600k\nwarmup 2k -> cosine to 6e-5\n",
    total: TOTAL,
    peak: PEAK,
    at(t) {
      if (t >= TOTAL) return FLOOR;
      if (t < W) return PEAK * (t / W);
      return FLOOR + ((PEAK - FLOOR) * (1 + Math.cos(Math.PI * ((t - W) / L)))) / 2;
    },
    fill(out) {
      for (let t = 0; t < W; t++) out[t] = PEAK * (t / W);
      for (let t = W; t < TOTAL; t++) out[t] = FLOOR + ((PEAK - FLOOR) * (1 + Math.cos(Math.PI * ((t - W) / L)))) / 2;
      return out;
    },
  };
})();

/** SGDR with doubling cycles, stepped per batch (the bundled example). */
const sgdr = (() => {
  const PEAK = 0.05;
  const TOTAL = 150 * 391;
  const P = 10 * 391;
  return {
    id: "sgdr-x2",
    source: "lr 0.05\ntotal 150 epochs\nsteps_per_epoch 391\nclock steps\ncosine to 0 restart every 10 epochs x2\n",
    total: TOTAL,
    peak: PEAK,
    at(t) {
      let c = 0;
      let len = P;
      while (c + len <= t) {
        c += len;
        len *= 2;
      }
      return (PEAK * (1 + Math.cos(Math.PI * ((t - c) / len)))) / 2;
    },
    fill(out) {
      for (let c = 0, len = P; c < TOTAL; c += len, len *= 2) {
        const end = Math.min(TOTAL, c + len);
        for (let t = c; t < end; t++) out[t] = (PEAK * (1 + Math.cos(Math.PI * ((t - c) / len)))) / 2;
      }
      return out;
    },
  };
})();

/** BERT: linear warmup, linear decay; piecewise linear over a million steps. */
const bert = (() => {
  const PEAK = 1e-4;
  const TOTAL = 1_000_000;
  const W = 10_000;
  return {
    id: "bert-linear",
    source: "lr 1e-4\ntotal 1M steps\nwarmup 10k -> linear to 0\n",
    total: TOTAL,
    peak: PEAK,
    at(t) {
      if (t >= TOTAL) return 0;
      return t < W ? PEAK * (t / W) : PEAK - PEAK * ((t - W) / (TOTAL - W));
    },
  };
})();

/** Warmup, plateau, linear cooldown (WSD with a linear tail). */
const wsdLinear = (() => {
  const PEAK = 3e-3;
  const TOTAL = 1_000_000;
  return {
    id: "wsd-linear",
    source: "lr 3e-3\ntotal 1M\nwarmup 2% -> constant -> linear 20% to 0\n",
    total: TOTAL,
    peak: PEAK,
    at(t) {
      if (t >= TOTAL) return 0;
      if (t < 20_000) return PEAK * (t / 20_000);
      if (t < 800_000) return PEAK;
      return PEAK - PEAK * ((t - 800_000) / 200_000);
    },
  };
})();

/** Schedules for `lrAt` at random steps. */
export const RANDOM_ACCESS = [restarts, stepDecay];
/** Cosine-heavy schedules for `fill`. */
export const COSINE_HEAVY = [nanogpt, restarts, sgdr];
/** Piecewise-linear schedules for `fill` against a plain write loop. */
export const PIECEWISE_LINEAR = [bert, wsdLinear];
/** Everything, by id. */
export const ALL = Object.fromEntries([restarts, stepDecay, nanogpt, sgdr, bert, wsdLinear].map((s) => [s.id, s]));

/** Compiles `s.source` with the bundle's `compile` and returns its one schedule's IR and evaluator. */
export function compileSchedule(compiler, s) {
  const r = compiler.compile(s.source);
  if (r.hasErrors) throw new Error(`${s.id}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  const c = r.schedules[0];
  return { ir: c.ir, ev: c.evaluator, ast: r.ast };
}

/** The largest |a[i] - b[i]| over two arrays of the same length. */
export function maxDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
