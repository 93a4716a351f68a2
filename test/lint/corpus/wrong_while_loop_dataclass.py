# Step-based loop driven by a dataclass config; T_max was copied from the epoch count.
# runs: torch
from dataclasses import dataclass

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset


@dataclass
class TrainConfig:
    lr: float = 3e-4
    epochs: int = 3
    max_steps: int = 120
    batch_size: int = 8


cfg = TrainConfig()
model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=cfg.batch_size)
optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
scheduler = CosineAnnealingLR(optimizer, T_max=cfg.epochs)  # <- A501

step = 0
data_iter = iter(loader)
while step < cfg.max_steps:
    try:
        x, y = next(data_iter)
    except StopIteration:
        data_iter = iter(loader)
        x, y = next(data_iter)
    optimizer.zero_grad()
    torch.nn.functional.mse_loss(model(x), y).backward()
    optimizer.step()
    scheduler.step()
    step += 1
