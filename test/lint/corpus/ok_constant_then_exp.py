# A short constant warmup at a third of the rate, then exponential decay, per epoch.
# runs: torch
import torch
from torch.optim.lr_scheduler import ConstantLR, ExponentialLR, SequentialLR
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
constant = ConstantLR(optimizer, factor=0.25, total_iters=3)
exponential = ExponentialLR(optimizer, gamma=0.8)
scheduler = SequentialLR(optimizer, schedulers=[constant, exponential], milestones=[3])

for epoch in range(15):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
