"""Runs training scripts of the lint corpus on real torch and records their schedulers.

Usage: python torch_import_driver.py CASES.json

CASES.json holds {"cases": [{"path": ..., "specs": [{"first": L1, "last": L2,
"steps_per_epoch": EXPR or null}]}]}. Each script runs to completion (its argparse sees
no arguments) in this one process. For every scheduler constructed on lines L1..L2 of the
script, the driver records the learning rate of every parameter group before each
`.step()` the script itself makes (calls from inside torch, such as SequentialLR stepping
its parts, are not counted) and once more at the end, so entry k is the rate after k
steps; the groups' initial rates; and, when asked, the value of the steps-per-epoch
expression, evaluated where the scheduler is constructed. When several schedulers are
constructed on those lines (SequentialLR's parts written inline), the last is the one.

Prints {"torch": version, "results": [...]} on standard output. Exit 3 (with a JSON
error) when torch cannot be imported.
"""

import contextlib
import io
import json
import runpy
import sys
import warnings

try:
    import torch
    from torch.optim import lr_scheduler
except Exception as e:  # noqa: BLE001 - any import failure means "no usable torch"
    print(json.dumps({"error": "cannot import torch: %s" % e}))
    sys.exit(3)

BASE = getattr(lr_scheduler, "LRScheduler", None) or lr_scheduler._LRScheduler
CLASSES = [c for c in vars(lr_scheduler).values() if isinstance(c, type) and (issubclass(c, BASE) or c.__name__ in ("ReduceLROnPlateau", "ChainedScheduler"))]

state = {"path": None, "specs": [], "records": {}}


def script_frame():
    """The innermost frame that runs the script under test."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename != state["path"]:
        f = f.f_back
    return f


def spec_for_line(line):
    for i, s in enumerate(state["specs"]):
        if s["first"] <= line <= s["last"]:
            return i
    return None


def wrap_init(cls):
    original = cls.__dict__["__init__"]

    def __init__(self, *args, **kwargs):
        outer = not hasattr(self, "_anneal_seen")
        self._anneal_seen = True
        frame = script_frame() if outer else None
        original(self, *args, **kwargs)
        if frame is None:
            return
        index = spec_for_line(frame.f_lineno)
        if index is None:
            return
        # The last construction on the spec's lines is the scheduler itself: the parts of a
        # SequentialLR written inline are constructed before it.
        spec = state["specs"][index]
        spe = None
        if spec.get("steps_per_epoch"):
            spe = int(eval(spec["steps_per_epoch"], frame.f_globals, frame.f_locals))  # noqa: S307 - test corpus only
        state["records"][index] = {"scheduler": self, "lrs": [], "momenta": [], "steps_per_epoch": spe}

    cls.__init__ = __init__


def momentum_of(group):
    """The momentum the optimizer steps with: the first beta where there are betas, as
    OneCycleLR and CyclicLR decide; None for an optimizer without one."""
    if "betas" in group:
        return float(group["betas"][0])
    m = group.get("momentum")
    return None if m is None else float(m)


def wrap_step(cls):
    original = cls.__dict__["step"]

    def step(self, *args, **kwargs):
        caller = sys._getframe(1).f_code.co_filename
        if caller == state["path"]:
            for r in state["records"].values():
                if r["scheduler"] is self:
                    r["lrs"].append([g["lr"] for g in self.optimizer.param_groups])
                    r["momenta"].append([momentum_of(g) for g in self.optimizer.param_groups])
        return original(self, *args, **kwargs)

    cls.step = step


for c in CLASSES:
    if "__init__" in c.__dict__:
        wrap_init(c)
    if "step" in c.__dict__:
        wrap_step(c)


def run(case):
    state["path"] = case["path"]
    state["specs"] = case["specs"]
    state["records"] = {}
    sys.argv = [case["path"]]
    torch.manual_seed(0)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        runpy.run_path(case["path"], run_name="__main__")
    out = []
    for i in range(len(case["specs"])):
        r = state["records"].get(i)
        if r is None:
            out.append(None)
            continue
        groups = r["scheduler"].optimizer.param_groups
        lrs = r["lrs"] + [[g["lr"] for g in groups]]
        momenta = r["momenta"] + [[momentum_of(g) for g in groups]]
        out.append({"lrs": lrs, "momenta": momenta, "base": [g["initial_lr"] for g in groups], "steps_per_epoch": r["steps_per_epoch"]})
    return {"path": case["path"], "specs": out}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)["cases"]
    print(json.dumps({"torch": torch.__version__, "results": [run(c) for c in cases]}))


main()
