// The timing harness every benchmark case uses, and the line protocol between a case and
// `bench/run.mjs`.
//
// A comparison runs its contenders in one process, alternating them round by round (and
// rotating who goes first), after a warm-up that lets the JIT settle on every one of them.
// What it reports is the median of each contender's rounds and the ratio of those medians:
// two contenders measured side by side on a busy machine drift together, so their ratio is
// far steadier than either time. A contender returns a number derived from its work so the
// work cannot be optimised away; the numbers are folded into a sink that is printed.

import { performance } from "node:perf_hooks";

let sink = 0;

/**
 * Times `contenders` ({ name: () => number }) and returns { name: { median, samples,
 * cpuMedian } } in milliseconds per call. Each round calls every contender once, in an
 * order rotated by one each round. `cpuMedian` is the median of the process's CPU time
 * (user + system, all threads, so the garbage collector's helpers count) over the same
 * calls: on a machine whose cores are shared it moves far less with the load than the wall
 * clock, which also counts the time the process waited for a core.
 */
export function compare(contenders, { warmup = 5, rounds = 15 } = {}) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < warmup; r++) for (const n of names) sink += contenders[n]();
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(r + j) % names.length];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      sink += contenders[n]();
      samples[n].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[n].push((c.user + c.system) / 1000);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { median: median(samples[n]), samples: samples[n], cpuMedian: median(cpu[n]) }]));
}

export function median(xs) {
  return quantile(xs, 0.5);
}

/** The q-quantile of `xs` by linear interpolation between order statistics. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** The work-dependent total of every contender's results, so no work is dead code. */
export function sinkValue() {
  return sink;
}

/** Prints a line for the reader (forwarded by run.mjs). */
export function say(line) {
  process.stdout.write(`${line}\n`);
}

/**
 * Hands one result to run.mjs: `name` is the entry in results.json, `value` the figure,
 * `goal` a readable target (`>= 0.9`, `report`), `met` true/false/null (null: no goal or
 * skipped), `detail` anything that explains the figure.
 */
export function result(name, value, unit, goal, met, detail = {}) {
  process.stdout.write(`@@result ${JSON.stringify({ name, value, unit, goal, met, detail })}\n`);
}

/** Reports an entry that could not be measured here, with the reason. */
export function skip(name, goal, reason) {
  say(`SKIP ${name}: ${reason}`);
  process.stdout.write(`@@result ${JSON.stringify({ name, value: null, unit: null, goal, met: null, detail: { skipped: reason } })}\n`);
}

/** Formats milliseconds for a table. */
export function ms(x) {
  return x >= 100 ? `${x.toFixed(0)} ms` : x >= 1 ? `${x.toFixed(2)} ms` : `${(x * 1000).toFixed(1)} us`;
}

/** Loads the built compiler bundle (`npm run build` makes it). */
export async function loadCompiler() {
  const url = new URL("../packages/compiler/dist/index.mjs", import.meta.url);
  try {
    return await import(url.href);
  } catch (e) {
    throw new Error(`cannot load ${url.pathname} (${e.message}); run \`npm run build\` first`);
  }
}

/** A deterministic pseudo-random generator (mulberry32), so every run measures the same inputs. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `file` (a case in "one comparison" mode) in `n` fresh processes with `args` and
 * returns what each printed as its last line, parsed as JSON. A JIT decides once per
 * process whether to inline a call or how to lay out a loop, and those one-off decisions
 * move a ratio by several percent; the median over a few processes does not hang on one.
 */
export async function inFreshProcesses(file, args, n) {
  const { spawnSync } = await import("node:child_process");
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, [file, ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} failed: ${r.stderr.trim().split("\n").slice(-5).join("\n")}`);
    out.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  }
  return out;
}
