# OneCycleLR with gradient accumulation: the optimizer (and the scheduler) step every
# `accum_steps` batches.
import argparse

import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--accum-steps", type=int, default=4)
parser.add_argument("--max-lr", type=float, default=1e-3)
args = parser.parse_args()

model = torch.nn.Linear(8, 1)
train_loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=4)
optimizer = torch.optim.Adam(model.parameters(), lr=args.max_lr)
scheduler = OneCycleLR(
    optimizer,
    max_lr=args.max_lr,
    epochs=args.epochs,
    steps_per_epoch=len(train_loader),  # <- A504
)

for epoch in range(args.epochs):
    for i, (x, y) in enumerate(train_loader):
        loss = torch.nn.functional.mse_loss(model(x), y) / args.accum_steps
        loss.backward()
        if (i + 1) % args.accum_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()
