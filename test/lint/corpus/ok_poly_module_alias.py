# Polynomial decay per epoch, `from torch.optim import lr_scheduler` style.
# runs: torch
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 10
model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
scheduler = lr_scheduler.PolynomialLR(optimizer, total_iters=EPOCHS, power=2.0)

for epoch in range(EPOCHS):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
