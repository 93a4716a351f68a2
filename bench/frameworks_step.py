"""The cost of the generated schedules inside the frameworks, against the frameworks' own.

Usage:
    python frameworks_step.py torch GENERATED.py WARMUP TOTAL PEAK ROUNDS
    python frameworks_step.py optax GENERATED.py WARMUP TOTAL PEAK ROUNDS

Both compare the same warmup-cosine curve (a linear warmup from 0 to PEAK over WARMUP
steps, then a cosine to 0 at TOTAL), in one process, the two contenders alternating round
by round after a warm-up, and print one JSON line with the median of each and their
values' largest difference. Times are the process's CPU time (`time.process_time`, every
thread, so XLA's own threads count), which moves far less than the wall clock when the
machine's cores are shared.

torch: one `scheduler.step()` of GENERATED.py's `build_scheduler(optimizer)` (from `anneal
emit pytorch`) against `torch.optim.lr_scheduler.LambdaLR` with the same curve written as
a Python function, as training scripts write it. Each round builds both afresh and steps
each TOTAL - 1 times; the figure is microseconds per step.

optax: GENERATED.py's `schedule` (from `anneal emit optax`) against
`optax.warmup_cosine_decay_schedule`, both under `jax.jit`: once on an array of a million
counts (what the schedule costs inside a compiled update, where it is traced in), and
once per call on a scalar count (the dispatch a Python loop pays).

Exit 3 with {"error": ...} when the framework cannot be imported.
"""

import importlib.util
import json
import math
import statistics
import sys
import time
import warnings


def load(path):
    spec = importlib.util.spec_from_file_location("anneal_generated", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alternate(contenders, rounds):
    """Runs each contender once per round, rotating who goes first; returns the samples."""
    names = list(contenders)
    samples = {n: [] for n in names}
    for n in names:
        contenders[n]()
    for r in range(rounds):
        for j in range(len(names)):
            n = names[(r + j) % len(names)]
            samples[n].append(contenders[n]())
    return {n: statistics.median(s) for n, s in samples.items()}


def require(*names):
    """Imports the framework's modules, or exits 3 saying which could not be imported."""
    try:
        return [importlib.import_module(n) for n in names]
    except Exception as e:  # noqa: BLE001 - any import failure means "not usable here"
        print(json.dumps({"error": "cannot import %s: %s" % (" and ".join(names), e)}))
        sys.exit(3)


def cpu_time(work, per):
    """The CPU time of `work()`, divided by `per`."""
    t0 = time.process_time()
    work()
    return (time.process_time() - t0) / per


def bench_torch(path, warmup, total, peak, rounds):
    (torch,) = require("torch")
    generated = load(path)
    warnings.simplefilter("ignore")

    def warmup_cosine(step):
        if step < warmup:
            return step / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))

    def optimizer():
        return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=peak)

    def run(make):
        def go():
            sched = make(optimizer())

            def steps():
                for _ in range(total - 1):
                    sched.step()

            return cpu_time(steps, total - 1) * 1e6

        return go

    medians = alternate(
        {
            "anneal": run(generated.build_scheduler),
            "lambdalr": run(lambda o: torch.optim.lr_scheduler.LambdaLR(o, warmup_cosine)),
        },
        rounds,
    )
    # Both follow the same curve: compare every rate once, outside the timed loops.
    a = generated.build_scheduler(optimizer())
    b = torch.optim.lr_scheduler.LambdaLR(optimizer(), warmup_cosine)
    diff = 0.0
    for _ in range(total - 1):
        diff = max(diff, abs(a.optimizer.param_groups[0]["lr"] - b.optimizer.param_groups[0]["lr"]))
        a.step()
        b.step()
    print(json.dumps({"version": torch.__version__, "anneal_us": medians["anneal"], "reference_us": medians["lambdalr"], "max_diff": diff}))


def bench_optax(path, warmup, total, peak, rounds):
    jax, jnp, optax = require("jax", "jax.numpy", "optax")
    generated = load(path)
    ours = jax.jit(generated.schedule)
    theirs = jax.jit(optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=peak, warmup_steps=warmup, decay_steps=total, end_value=0.0))
    counts = jnp.arange(1_000_000, dtype=jnp.int32) % total
    scalars = [jnp.asarray(k, dtype=jnp.int32) for k in range(0, total, max(1, total // 2000))]

    def batch(f):
        return lambda: cpu_time(lambda: f(counts).block_until_ready(), 1) * 1e3

    def scalar(f):
        return lambda: cpu_time(lambda: [f(c).block_until_ready() for c in scalars], len(scalars)) * 1e6

    big = alternate({"anneal": batch(ours), "optax": batch(theirs)}, rounds)
    small = alternate({"anneal": scalar(ours), "optax": scalar(theirs)}, max(3, rounds // 2))
    diff = float(jnp.max(jnp.abs(ours(counts) - theirs(counts))))
    print(
        json.dumps(
            {
                "version": "jax %s, optax %s" % (jax.__version__, optax.__version__),
                "anneal_ms": big["anneal"],
                "reference_ms": big["optax"],
                "anneal_call_us": small["anneal"],
                "reference_call_us": small["optax"],
                "max_diff": diff,
            }
        )
    )


def main():
    kind, path, warmup, total, peak, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    (bench_torch if kind == "torch" else bench_optax)(path, warmup, total, peak, rounds)


main()
