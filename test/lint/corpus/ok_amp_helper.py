# AMP training with the optimizer and scheduler stepped in a per-batch helper.
# runs: torch
import argparse

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--lr", type=float, default=2e-3)
args = parser.parse_args()

model = torch.nn.Linear(8, 1)
train_loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=8)
optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
total_steps = args.epochs * len(train_loader)
scheduler = CosineAnnealingLR(optimizer, T_max=total_steps)
scaler = torch.cuda.amp.GradScaler(enabled=False)


def train_step(batch):
    x, y = batch
    with torch.autocast("cpu", enabled=False):
        loss = torch.nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    scheduler.step()
    return loss


for epoch in range(args.epochs):
    for batch in train_loader:
        train_step(batch)
