"""What every torch driver of the conformance tests starts with.

`torch` is imported here, and a missing or broken torch exits with code 3 and a JSON
`{"error": ...}`, which the tests read as "torch is unavailable" (a skip with a banner, or
a failure when ANNEAL_REQUIRE_TORCH is set); any other failure of a driver is a real one.
"""

import json
import sys


def fail(message, code):
    print(json.dumps({"error": message}))
    sys.exit(code)


try:
    import torch  # noqa: F401  (re-exported for the drivers)
except Exception as exc:  # torch missing or broken: the caller decides whether that is fatal
    fail("cannot import torch: %s" % (exc,), 3)


def make_optimizer(lrs, kind="sgd"):
    """A real optimizer with one parameter group per base rate in `lrs` (SGD with momentum, or AdamW)."""
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in lrs]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, lrs)]
    if kind == "adamw":
        return torch.optim.AdamW(groups, lr=lrs[0])
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def run_steps(optimizer, scheduler, count, out):
    """Steps `count` times, appending each group's `lr` before every `optimizer.step()` to `out[g]`."""
    for _ in range(count):
        for g, group in enumerate(optimizer.param_groups):
            out[g].append(group["lr"])
        optimizer.step()
        scheduler.step()


def saved_through_torch(optimizer, scheduler):
    """Both state dicts as a checkpoint holds them: written with `torch.save` and read back."""
    import io

    buffer = io.BytesIO()
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, buffer)
    buffer.seek(0)
    return torch.load(buffer)
