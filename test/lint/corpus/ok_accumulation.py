# Gradient accumulation: the schedule counts optimizer steps, not batches.
# runs: torch
import argparse

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--accum-steps", type=int, default=2)
args = parser.parse_args()

model = torch.nn.Linear(8, 1)
train_loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=4)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
updates_per_epoch = len(train_loader) // args.accum_steps
scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs * updates_per_epoch, eta_min=1e-6)

for epoch in range(args.epochs):
    for i, (x, y) in enumerate(train_loader):
        loss = torch.nn.functional.mse_loss(model(x), y) / args.accum_steps
        loss.backward()
        if (i + 1) % args.accum_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()
