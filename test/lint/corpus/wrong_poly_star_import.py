# Polynomial decay with a star import; total_iters in epochs while stepping per batch.
# runs: torch
import torch
from torch.optim.lr_scheduler import *
from torch.utils.data import DataLoader, TensorDataset

n_epochs = 4
model = torch.nn.Linear(8, 1)
dl = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
scheduler = PolynomialLR(optimizer, total_iters=n_epochs, power=2.0)  # <- A501

for epoch in range(n_epochs):
    for x, y in dl:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
