"""Steps Hugging Face schedulers, built as a training script builds them.

Usage: imports_driver.py CASES.json. Each case gives the library, the optimizer's rate, the
constructor call (Python source that reads `optimizer`) and how many steps to record. A
transformers scheduler is a torch LambdaLR stepped once per optimizer step: the rate at step t
is the optimizer's after t steps. Prints one JSON object: per library its version or why it
is missing, and per case the rates.
"""

import json
import re
import sys
import warnings


def main():
    warnings.simplefilter("ignore")
    cases = json.load(open(sys.argv[1]))["cases"]
    try:
        import torch
    except Exception as e:
        print(json.dumps({"missing": {"torch": str(e)}}))
        return
    libraries = {}
    missing = {}
    for name in ("transformers",):
        try:
            libraries[name] = __import__(name)
        except Exception as e:
            missing[name] = f"{type(e).__name__}: {e}"
    results = {}
    for case in cases:
        library = case["library"]
        if library not in libraries:
            continue
        module = libraries[library]
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=case["lr"])
        scope = {"optimizer": optimizer}
        # Only the functions the call names: transformers loads its submodules lazily.
        scope.update({k: getattr(module, k) for k in re.findall(r"\b(get_\w+)\(", case["call"])})
        scheduler = eval(case["call"], scope)
        rates = [optimizer.param_groups[0]["lr"]]
        for _ in range(1, case["ticks"]):
            optimizer.step()
            scheduler.step()
            rates.append(optimizer.param_groups[0]["lr"])
        results[case["id"]] = rates
    versions = {k: getattr(m, "__version__", "?") for k, m in libraries.items()}
    print(json.dumps({"versions": versions, "missing": missing, "results": results}))


main()
