# Config-dict driven training; the cosine is stepped per epoch for more epochs than T_max.
# runs: torch
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR as Cosine
from torch.utils.data import DataLoader, TensorDataset

config = {
    "lr": 0.1,
    "epochs": 40,
    "cosine_epochs": 25,
    "batch_size": 16,
}

model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=config["batch_size"])
optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"])
scheduler = Cosine(optimizer, T_max=config["cosine_epochs"])  # <- A509

for epoch in range(config["epochs"]):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
