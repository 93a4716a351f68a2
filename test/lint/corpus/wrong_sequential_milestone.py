# Linear warmup then cosine, composed with SequentialLR, stepped per epoch.
# runs: torch
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

num_epochs = 30
warmup_epochs = 5

model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=warmup_epochs)
cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs - warmup_epochs)
scheduler = lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[10])  # <- A505

for epoch in range(num_epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
