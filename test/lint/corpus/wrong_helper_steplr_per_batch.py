# The scheduler is stepped in a per-batch helper; step_size was meant in epochs.
# runs: torch
import argparse

import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--lr-step-epochs", type=int, default=2)
args = parser.parse_args()

model = torch.nn.Linear(8, 1)
train_loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=args.lr_step_epochs, gamma=0.5)  # <- A501


def train_step(x, y):
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    scheduler.step()
    return loss.item()


for epoch in range(args.epochs):
    for x, y in train_loader:
        train_step(x, y)
