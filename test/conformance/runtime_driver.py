"""Runs emitted Anneal modules with settings bound at run time, under real PyTorch, as JSON.

The run-time settings test describes cases in a JSON file: a module, the keywords to pass
(`total`, `steps_per_epoch`, `tokens_per_step`, `lr`), the groups' base rates, the points at which
to call `lr_at`, how many steps to run and where to resume. For each case this script:

- calls `resolve_settings` without each required keyword (a `?` with no preview value), and
  reports what it raises;
- calls `resolve_settings(**kwargs)`, recording its warnings, and, when it raises, reports the exception's class,
  its `code` and its text (the test compares them with `anneal check`'s diagnostics);
- calls `lr_at(point, [base_lr,] **kwargs)` at every point;
- steps `build_scheduler(optimizer, **kwargs)` with a real SGD optimizer, recording each
  group's `lr` before every `optimizer.step()`;
- resumes: runs to `resume_at`, saves both state dicts through `torch.save`, builds a new
  optimizer and scheduler with the same keywords, loads both and records the rest, noting
  any warning the load raised (there must be none).

Usage: python runtime_driver.py CASES.json  (prints one JSON object on stdout)
"""

import importlib.util
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver_common import make_optimizer, run_steps, saved_through_torch, torch  # noqa: E402


# Keras on its JAX backend, and optax, where this Python has them (the pip one does; Debian's torch 1.13 does not), in
# double precision, so its schedule is held to the closed form's tolerance.
os.environ.setdefault("KERAS_BACKEND", "jax")
try:
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    HAVE_JAX = True
except Exception:
    HAVE_JAX = False
try:
    import keras

    HAVE_KERAS = HAVE_JAX and keras.backend.backend() == "jax"
except Exception:
    HAVE_KERAS = False

MODULES = {}


def load_module(path):
    if path not in MODULES:
        spec = importlib.util.spec_from_file_location("anneal_case_%d" % len(MODULES), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        MODULES[path] = module
    return MODULES[path]


def run_optax(case, result):
    """`make_schedule(**kwargs)` of the optax module: its rates at the points, or its error."""
    module = load_module(case["optax"])
    extra = {"base_lr": case["lrs"][0]} if case["relative"] else {}
    try:
        schedule = module.make_schedule(**extra, **case["kwargs"])
    except Exception as exc:
        result["optax_error"] = {"type": type(exc).__name__, "text": str(exc)}
        return
    run = jax.jit(schedule) if case["jit"] else schedule
    result["optax"] = [float(x) for x in run(jnp.asarray(case["points"], dtype=jnp.float64))]


def run_keras(case, result):
    """`build_schedule(**kwargs)` of the Keras module (float32): its rates at the points, or its error."""
    module = load_module(case["keras"])
    extra = {"base_lr": case["lrs"][0]} if case["relative"] else {}
    try:
        schedule = module.build_schedule(**extra, **case["kwargs"])
    except Exception as exc:
        result["keras_error"] = {"type": type(exc).__name__, "text": str(exc)}
        return
    # A schedule rebuilt from its config resolves the same settings.
    back = type(schedule).from_config(schedule.get_config())
    result["keras"] = [float(x) for x in back(keras.ops.convert_to_tensor(case["points"], dtype="float32"))]


def run_case(case):
    module = load_module(case["module"])
    kwargs = case["kwargs"]
    result = {"id": case["id"], "error": None}
    if HAVE_JAX and case.get("optax"):
        run_optax(case, result)
    if HAVE_KERAS and case.get("keras"):
        run_keras(case, result)
    # A keyword the file gives no preview for is required: leaving it out is a TypeError naming it.
    result["missing"] = {}
    for key in case.get("required", []):
        try:
            module.resolve_settings(**{k: v for k, v in kwargs.items() if k != key})
            result["missing"][key] = None
        except Exception as exc:
            result["missing"][key] = [type(exc).__name__, str(exc)]
    try:
        # The checks' warnings (AnnealWarning) are recorded as the settings resolve.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module.resolve_settings(**kwargs)
        result["build_warnings"] = [[type(w.message).__name__, str(w.message)] for w in caught]
    except Exception as exc:
        result["error"] = {"type": type(exc).__name__, "code": getattr(exc, "code", None), "text": str(exc), "is_value_error": isinstance(exc, ValueError)}
        return result
    lrs = case["lrs"]
    if case["relative"]:
        result["lr_at"] = [[module.lr_at(p, lr, **kwargs) for p in case["points"]] for lr in lrs]
    else:
        result["lr_at"] = [[module.lr_at(p, **kwargs) for p in case["points"]]]
    with warnings.catch_warnings():
        # Stepping past twice the total warns by design; the resume below must not warn.
        warnings.simplefilter("ignore", module.AnnealWarning)
        optimizer = make_optimizer(lrs, case["optimizer"])
        scheduler = module.build_scheduler(optimizer, **kwargs)
        stepped = [[] for _ in lrs]
        run_steps(optimizer, scheduler, case["steps"], stepped)
        result["stepped"] = stepped
        result["total_steps"] = scheduler.total_steps

        optimizer = make_optimizer(lrs, case["optimizer"])
        scheduler = module.build_scheduler(optimizer, **kwargs)
        resumed = [[] for _ in lrs]
        run_steps(optimizer, scheduler, case["resume_at"], resumed)
        saved = saved_through_torch(optimizer, scheduler)
    optimizer = make_optimizer(lrs, case["optimizer"])
    scheduler = module.build_scheduler(optimizer, **kwargs)
    optimizer.load_state_dict(saved["optimizer"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.load_state_dict(saved["scheduler"])
    result["resume_warnings"] = [str(w.message) for w in caught]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", module.AnnealWarning)
        run_steps(optimizer, scheduler, case["steps"] - case["resume_at"], resumed)
    result["resumed"] = resumed

    # Stepping past twice the total warns once, from the clock; `warn_past_end=False` silences it.
    if case.get("past_end"):
        for silence in (False, True):
            optimizer = make_optimizer(lrs, case["optimizer"])
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                extra = {"warn_past_end": False} if silence else {}
                scheduler = module.build_scheduler(optimizer, **kwargs, **extra)
                for _ in range(2 * scheduler.total_steps + 5):
                    optimizer.step()
                    scheduler.step()
            key = "past_end_silenced" if silence else "past_end_warnings"
            result[key] = [(type(w.message).__name__, str(w.message)) for w in caught]

    # Loading the state into a scheduler built with other settings warns, naming both.
    if case.get("other_kwargs") is not None:
        optimizer = make_optimizer(lrs, case["optimizer"])
        other = module.build_scheduler(optimizer, **case["other_kwargs"])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            other.load_state_dict(saved["scheduler"])
        result["other_warnings"] = [(type(w.message).__name__, str(w.message)) for w in caught]
    return result


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)["cases"]
    results = [run_case(c) for c in cases]
    print(json.dumps({"torch": torch.__version__, "results": results}))


main()
