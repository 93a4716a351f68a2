# Staircase decay written as a LambdaLR, per epoch, with a module alias import.
# runs: torch
import torch
import torch.optim.lr_scheduler as sched
from torch.utils.data import DataLoader, TensorDataset

decay_every = 4
model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = sched.LambdaLR(optimizer, lambda epoch: 0.5 ** (epoch // decay_every))

for epoch in range(16):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
