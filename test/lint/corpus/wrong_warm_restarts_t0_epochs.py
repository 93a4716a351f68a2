# SGDR with restarts every few epochs, stepped per batch (full module path).
# runs: torch
import torch
import torch.utils.data

restart_epochs = 2
epochs = 6

model = torch.nn.Linear(8, 1)
train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=restart_epochs, T_mult=2)  # <- A501

for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
