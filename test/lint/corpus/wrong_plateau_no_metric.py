# Reduce the rate when validation stops improving.
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau


def evaluate(model, loader):
    return sum(float(torch.nn.functional.mse_loss(model(x), y)) for x, y in loader)


def fit(model, train_loader, val_loader, epochs=20):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=3)
    for epoch in range(epochs):
        for x, y in train_loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        val_loss = evaluate(model, val_loader)
        print(epoch, val_loss)
        scheduler.step()  # <- A510
