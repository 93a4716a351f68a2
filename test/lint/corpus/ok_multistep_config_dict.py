# Detection-style config dict with a multi-step schedule, stepped per epoch.
# runs: torch
import torch
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader, TensorDataset

cfg = dict(
    lr=0.02,
    epochs=12,
    milestones=[8, 11],
    gamma=0.1,
)

model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)
scheduler = MultiStepLR(optimizer, milestones=cfg["milestones"], gamma=cfg["gamma"])

for epoch in range(cfg["epochs"]):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
