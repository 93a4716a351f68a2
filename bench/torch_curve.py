# Steps torch's built-in CosineAnnealingLR through a whole schedule and keeps every rate,
# as a training script would see them: the contender to `anneal eval` in curve_vs_torch.
# Usage: torch_curve.py STEPS PEAK FLOOR; prints the number of rates, the last one, and
# the seconds spent stepping (after the imports) on one line.
import sys
import time

import torch

steps, peak, floor = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
param = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([param], lr=peak)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=floor)
# One optimizer step first, as in training (torch warns when a scheduler steps before it);
# the loop then steps only the scheduler, which is what is being measured.
opt.step()
t0 = time.perf_counter()
rates = []
for _ in range(steps):
    rates.append(opt.param_groups[0]["lr"])
    sched.step()
elapsed = time.perf_counter() - t0
print(len(rates), repr(rates[-1]), elapsed)
