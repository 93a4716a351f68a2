# ReduceLROnPlateau stepped with the validation loss.
# runs: torch
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(8, 1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=8)
val_loader = DataLoader(TensorDataset(torch.randn(16, 8), torch.randn(16, 1)), batch_size=8)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)

for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        val_loss = sum(torch.nn.functional.mse_loss(model(x), y).item() for x, y in val_loader)
    scheduler.step(val_loss)
