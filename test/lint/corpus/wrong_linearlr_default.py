# Per-batch warmup with LinearLR's defaults, then cosine.
# runs: torch
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR
from torch.utils.data import DataLoader, TensorDataset

max_steps = 200
model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=8)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
warmup = LinearLR(optimizer)  # <- A508
decay = CosineAnnealingLR(optimizer, T_max=max_steps - 5, eta_min=1e-5)
scheduler = SequentialLR(optimizer, [warmup, decay], milestones=[5])

step = 0
while step < max_steps:
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
        step += 1
        if step >= max_steps:
            break
