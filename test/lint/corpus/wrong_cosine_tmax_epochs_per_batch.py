# Image classifier: cosine schedule over the run, stepped after every batch.
# runs: torch
import argparse

import torch
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset


def get_args():
    parser = argparse.ArgumentParser(description="train a classifier")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=8)
    return parser.parse_args()


args = get_args()
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
data = TensorDataset(torch.randn(64, 8), torch.randint(0, 2, (64,)))
train_loader = DataLoader(data, batch_size=args.batch_size, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=1e-5)  # <- A501
criterion = nn.CrossEntropyLoss()

for epoch in range(args.epochs):
    model.train()
    for images, targets in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), targets)
        loss.backward()
        optimizer.step()
        scheduler.step()
    print(f"epoch {epoch}: lr {scheduler.get_last_lr()[0]:.5f}")
