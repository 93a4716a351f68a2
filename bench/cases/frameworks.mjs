// pytorch_step_vs_lambdalr and optax_vs_warmup_cosine: the generated schedules inside
// their frameworks, against the frameworks' own way of writing the same warmup-cosine
// curve. The spec is emitted with the built CLI (`anneal emit pytorch`, `anneal emit
// optax`), and bench/frameworks_step.py times both contenders in one Python process,
// alternating, in CPU time. The interpreter is the one with torch 2.x, JAX and optax, found
// as the framework tests find it: $ANNEAL_PYTHON_FRAMEWORKS, else $ANNEAL_PYTHON_TORCH2, else
// the `python3` on PATH. A framework that does not import is a SKIP with the reason.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { result, say, skip } from "../harness.mjs";

const WARMUP = 500;
const TOTAL = 10_000;
const PEAK = 1e-3;
const ROUNDS = 9;
const python = process.env.ANNEAL_PYTHON_FRAMEWORKS ?? process.env.ANNEAL_PYTHON_TORCH2 ?? "python3";
const anneal = fileURLToPath(new URL("../../packages/compiler/bin/anneal.mjs", import.meta.url));
const driver = fileURLToPath(new URL("../frameworks_step.py", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "anneal-bench-frameworks-"));
const spec = join(dir, "warmup_cosine.anneal");
writeFileSync(spec, `lr ${PEAK}\ntotal ${TOTAL}\nwarmup ${WARMUP} linear from 0 to peak -> cosine from peak to 0\n`);

/** Emits the spec for `target` and runs the driver on it: its JSON, or { error }. */
function measure(target) {
  const emitted = spawnSync(process.execPath, [anneal, "emit", target, spec], { encoding: "utf8" });
  if (emitted.status !== 0) throw new Error(`anneal emit ${target} failed: ${emitted.stderr}`);
  const module = join(dir, `generated_${target}.py`);
  writeFileSync(module, emitted.stdout);
  const kind = target === "pytorch" ? "torch" : "optax";
  const r = spawnSync(python, [driver, kind, module, String(WARMUP), String(TOTAL), String(PEAK), String(ROUNDS)], { encoding: "utf8" });
  if (r.error) return { error: `cannot start ${python}: ${r.error.message}` };
  const last = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status === 3) return JSON.parse(last);
  if (r.status !== 0) throw new Error(`${driver} ${kind} failed under ${python}:\n${r.stderr.slice(-3000)}`);
  return JSON.parse(last);
}

try {
  const load = loadavg()[0].toFixed(1);
  const t = measure("pytorch");
  if (t.error) skip("pytorch_step_vs_lambdalr", "<= 1.0", `${python}: ${t.error}`);
  else {
    const ratio = t.anneal_us / t.reference_us;
    say(`  torch ${t.version}: one scheduler.step() of the generated scheduler ${t.anneal_us.toFixed(2)} us, LambdaLR with the same curve ${t.reference_us.toFixed(2)} us: ratio ${ratio.toFixed(2)} (CPU time, load average ${load}; rates agree within ${t.max_diff.toExponential(1)})`);
    result("pytorch_step_vs_lambdalr", ratio, "x (generated scheduler.step() / LambdaLR.step(), CPU time)", "<= 1.0", ratio <= 1.0, { ...t, python, steps: TOTAL - 1 });
  }
  const o = measure("optax");
  if (o.error) skip("optax_vs_warmup_cosine", "<= 1.0", `${python}: ${o.error}`);
  else {
    const ratio = o.anneal_ms / o.reference_ms;
    const call = o.anneal_call_us / o.reference_call_us;
    say(`  ${o.version}: jitted schedule on 1M counts ${o.anneal_ms.toFixed(2)} ms, optax.warmup_cosine_decay_schedule ${o.reference_ms.toFixed(2)} ms: ratio ${ratio.toFixed(2)}; one jitted call on a scalar ${o.anneal_call_us.toFixed(1)} us vs ${o.reference_call_us.toFixed(1)} us: ratio ${call.toFixed(2)} (CPU time; values agree within ${o.max_diff.toExponential(1)})`);
    result("optax_vs_warmup_cosine", ratio, "x (jitted generated schedule / optax.warmup_cosine_decay_schedule on 1M counts, CPU time)", "<= 1.0", ratio <= 1.0, { ...o, callRatio: call, python, counts: 1_000_000 });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
