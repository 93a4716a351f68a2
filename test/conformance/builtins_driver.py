"""Steps torch's own built-in schedulers and reports the rates they set, as JSON.

The tests hold Anneal's evaluator to torch's OneCycleLR, CyclicLR and friends step for
step. Each case names a constructor call (evaluated with `optimizer` and `lr_scheduler` in
scope) and a number of steps; this script builds an SGD optimizer with momentum, the
scheduler, and records every group's `lr` and `momentum` before each `optimizer.step()`.
Everything it reports comes from torch's optimizer.
Usage: python builtins_driver.py CASES.json  (prints one JSON object on stdout)
"""

import json
import sys
import warnings

try:
    import torch
    from torch.optim import lr_scheduler
except Exception as exc:  # torch missing or broken: the caller decides whether that is fatal
    print(json.dumps({"error": "cannot import torch: %s" % (exc,)}))
    sys.exit(3)


def run(case):
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in case["lrs"]]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, case["lrs"])]
    optimizer = torch.optim.SGD(groups, lr=case["lrs"][0], momentum=0.9)
    scheduler = eval(case["construct"], {"optimizer": optimizer, "lr_scheduler": lr_scheduler})
    lrs, momenta = [], []
    for _ in range(case["steps"]):
        lrs.append([g["lr"] for g in optimizer.param_groups])
        momenta.append([g["momentum"] for g in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return {"id": case["id"], "lr": lrs, "momentum": momenta}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)["cases"]
    warnings.simplefilter("ignore")
    print(json.dumps({"torch": torch.__version__, "results": [run(c) for c in cases]}))


if __name__ == "__main__":
    main()
