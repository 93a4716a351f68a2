"""Runs `anneal emit pytorch --native` modules with settings bound at run time, under real PyTorch.

The native run-time test describes cases in a JSON file: a module, the keywords to pass
(`total`, `steps_per_epoch`, `tokens_per_step`), the groups' base rates, how many steps to
run and where to resume. For each case this script:

- calls `build_scheduler(optimizer, **kwargs)` and, when it raises, reports the exception's
  class, its `code` and its text (the test compares them with `anneal check`'s diagnostics);
- steps the composed built-ins with a real SGD optimizer, recording each group's `lr`
  before every `optimizer.step()`;
- resumes: runs to `resume_at`, saves both state dicts through `torch.save`, builds a new
  optimizer and scheduler with the same keywords, loads both and records the rest, noting
  any warning the load raised (there must be none);
- loads the saved state into a scheduler built with other settings, which must warn;
- steps past twice the total, which must warn once, and not with `warn_past_end=False`.

Usage: python native_runtime_driver.py CASES.json  (prints one JSON object on stdout)
"""

import importlib.util
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver_common import make_optimizer, run_steps, saved_through_torch, torch  # noqa: E402


def load_module(path, n):
    spec = importlib.util.spec_from_file_location("anneal_native_%d" % n, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_case(case, n):
    module = load_module(case["module"], n)
    kwargs = case["kwargs"]
    lrs = case["lrs"]
    result = {"id": case["id"], "error": None}
    # torch's own deprecation notes (SequentialLR's, LinearLR's) are not this test's business.
    warnings.simplefilter("ignore")
    try:
        optimizer = make_optimizer(lrs)
        scheduler = module.build_scheduler(optimizer, **kwargs)
    except Exception as exc:
        result["error"] = {"type": type(exc).__name__, "code": getattr(exc, "code", None), "text": str(exc), "is_value_error": isinstance(exc, ValueError)}
        return result
    stepped = [[] for _ in lrs]
    run_steps(optimizer, scheduler, case["steps"], stepped)
    result["stepped"] = stepped

    optimizer = make_optimizer(lrs)
    scheduler = module.build_scheduler(optimizer, **kwargs)
    resumed = [[] for _ in lrs]
    run_steps(optimizer, scheduler, case["resume_at"], resumed)
    saved = saved_through_torch(optimizer, scheduler)
    optimizer = make_optimizer(lrs)
    scheduler = module.build_scheduler(optimizer, **kwargs)
    optimizer.load_state_dict(saved["optimizer"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", module.AnnealWarning)
        warnings.simplefilter("always", UserWarning)
        scheduler.load_state_dict(saved["scheduler"])
    result["resume_warnings"] = [str(w.message) for w in caught if "anneal" in str(w.message).lower() or isinstance(w.message, module.AnnealWarning)]
    run_steps(optimizer, scheduler, case["steps"] - case["resume_at"], resumed)
    result["resumed"] = resumed

    # Stepping past twice the total warns once, from the clock; `warn_past_end=False` silences it.
    if case.get("past_end"):
        for silence in (False, True):
            optimizer = make_optimizer(lrs)
            extra = {"warn_past_end": False} if silence else {}
            # Built first: the checks that waited for the settings may warn while building.
            scheduler = module.build_scheduler(optimizer, **kwargs, **extra)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for _ in range(2 * int(scheduler.settings["total"]) + 5):
                    optimizer.step()
                    scheduler.step()
            key = "past_end_silenced" if silence else "past_end_warnings"
            result[key] = [(type(w.message).__name__, str(w.message)) for w in caught if isinstance(w.message, module.AnnealWarning)]

    if case.get("other_kwargs") is not None:
        optimizer = make_optimizer(lrs)
        other = module.build_scheduler(optimizer, **case["other_kwargs"])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            other.load_state_dict(saved["scheduler"])
        result["other_warnings"] = [(type(w.message).__name__, str(w.message)) for w in caught if isinstance(w.message, module.AnnealWarning)]
    return result


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)["cases"]
    results = [run_case(c, n) for n, c in enumerate(cases)]
    print(json.dumps({"torch": torch.__version__, "results": results}))


main()
