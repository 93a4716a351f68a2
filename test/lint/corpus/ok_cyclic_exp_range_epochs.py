# CyclicLR in exp_range mode, its half-cycle two epochs of batches, without the momentum
# cycle (the optimizer's momentum stays as set).
# runs: torch
import torch
from torch.optim.lr_scheduler import CyclicLR
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 8
model = torch.nn.Linear(8, 1)
train_loader = DataLoader(TensorDataset(torch.randn(40, 8), torch.randn(40, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = CyclicLR(
    optimizer,
    base_lr=0.001,
    max_lr=0.01,
    step_size_up=2 * len(train_loader),
    mode="exp_range",
    gamma=0.97,
    cycle_momentum=False,
)

for epoch in range(EPOCHS):
    for batch, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
