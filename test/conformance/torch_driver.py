"""Runs emitted Anneal schedulers under real PyTorch and reports what they did, as JSON.

The conformance tests write every emitted module to a temporary directory, describe the
runs they want in a JSON file, and call this script once (one Python start-up, since
importing torch costs seconds). For each case it:

- steps `build_scheduler(optimizer)` with a real SGD optimizer over one parameter group
  per entry of `lrs`, recording every group's `lr` before each `optimizer.step()`;
- resumes: runs to step `resume_at`, saves the optimizer's and scheduler's state dicts
  through `torch.save`, builds a new optimizer and scheduler, loads both, and records the
  rest of the run;
- probes far boundaries of long schedules with `build_scheduler(optimizer, last_epoch=k)`
  (closed-form target only), torch's own way of starting mid-run;
- calls `lr_at` at the requested points.

Everything the tests compare comes from torch's optimizer, not from this script.
Usage: python torch_driver.py CASES.json  (prints one JSON object on stdout)
"""

import importlib.util
import io
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver_common import torch  # noqa: E402


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OPTIMIZER = {"kind": "sgd"}


def make_optimizer(lrs):
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in lrs]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, lrs)]
    if OPTIMIZER["kind"] == "adamw":
        return torch.optim.AdamW(groups, lr=lrs[0])
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def hyper(group):
    """The hyperparameters a schedule may set, as the optimizer holds them."""
    out = {"weight_decay": group["weight_decay"]}
    if "betas" in group:
        out["momentum"], out["beta2"] = group["betas"][0], group["betas"][1]
    else:
        out["momentum"] = group["momentum"]
    return out


HYPER = []


def record(optimizer, rates):
    for i, group in enumerate(optimizer.param_groups):
        rates[i].append(group["lr"])
    HYPER.append([hyper(group) for group in optimizer.param_groups])


def advance(optimizer, scheduler):
    # The parameters have no gradients, so this step changes nothing, but torch expects
    # optimizer.step() before scheduler.step() and warns otherwise.
    optimizer.step()
    scheduler.step()


def run(build, lrs, steps):
    optimizer = make_optimizer(lrs)
    scheduler = build(optimizer)
    rates = [[] for _ in lrs]
    for _ in range(steps):
        record(optimizer, rates)
        advance(optimizer, scheduler)
    return rates


def resume(build, lrs, steps, resume_at):
    optimizer = make_optimizer(lrs)
    scheduler = build(optimizer)
    for _ in range(resume_at):
        advance(optimizer, scheduler)
    buffer = io.BytesIO()
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, buffer)
    buffer.seek(0)
    saved = torch.load(buffer)
    # A new process would start like this: a fresh optimizer and scheduler, then both states.
    optimizer = make_optimizer(lrs)
    scheduler = build(optimizer)
    optimizer.load_state_dict(saved["optimizer"])
    scheduler.load_state_dict(saved["scheduler"])
    rates = [[] for _ in lrs]
    for _ in range(resume_at, steps):
        record(optimizer, rates)
        advance(optimizer, scheduler)
    return rates


def probe(module, lrs, start, count):
    optimizer = make_optimizer(lrs)
    for group in optimizer.param_groups:
        group["initial_lr"] = group["lr"]
    # torch's convention: last_epoch=k makes the first rate the one of step k + 1.
    scheduler = module.build_scheduler(optimizer, last_epoch=start - 1)
    rates = [[] for _ in lrs]
    for _ in range(count):
        record(optimizer, rates)
        advance(optimizer, scheduler)
    return rates


def lr_at_points(module, relative, lrs, points):
    if relative:
        return [[module.lr_at(t, lr) for t in points] for lr in lrs]
    return [[module.lr_at(t) for t in points]]


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)["cases"]
    warnings.simplefilter("ignore")
    results = []
    for n, case in enumerate(cases):
        module = load_module(case["module"], "anneal_case_%d" % n)
        lrs = case["lrs"]
        OPTIMIZER["kind"] = case.get("optimizer", "sgd")
        del HYPER[:]
        stepped = run(module.build_scheduler, lrs, case["steps"])
        stepped_hyper = list(HYPER)
        out = {
            "id": case["id"],
            "stepped": stepped,
            "stepped_hyper": stepped_hyper if case.get("hyper") else None,
            "resumed": resume(module.build_scheduler, lrs, case["steps"], case["resume_at"]),
            "probes": [
                {"start": start, "rates": probe(module, lrs, start, case["probe_count"])}
                for start in case["probes"]
            ],
            "lr_at": lr_at_points(module, case["relative"], lrs, case["points"]),
        }
        if case.get("native"):
            native = load_module(case["native"], "anneal_native_%d" % n)
            steps = case["native_steps"]
            out["native_stepped"] = run(native.build_scheduler, lrs, steps)
            out["native_resumed"] = resume(native.build_scheduler, lrs, steps, case["native_resume_at"])
        results.append(out)
    print(json.dumps({"torch": torch.__version__, "python": sys.version.split()[0], "results": results}))


if __name__ == "__main__":
    main()
