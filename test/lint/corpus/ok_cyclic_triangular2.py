# CyclicLR (Smith, 2017) in triangular2 mode: each cycle's height halves. Cycles of 10
# batches up and 6 down, with SGD's momentum cycled against the rate.
# runs: torch
import argparse

import torch
from torch import optim
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--base-lr", type=float, default=1e-4)
parser.add_argument("--max-lr", type=float, default=0.02)
args = parser.parse_args()


def train_one_batch(model, optimizer, scheduler, x, y):
    optimizer.zero_grad()
    torch.nn.functional.mse_loss(model(x), y).backward()
    optimizer.step()
    scheduler.step()


model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(80, 8), torch.randn(80, 1)), batch_size=8)
optimizer = optim.SGD(model.parameters(), lr=args.max_lr, momentum=0.9)
scheduler = optim.lr_scheduler.CyclicLR(optimizer, base_lr=args.base_lr, max_lr=args.max_lr, step_size_up=10, step_size_down=6, mode="triangular2")

for epoch in range(args.epochs):
    for x, y in loader:
        train_one_batch(model, optimizer, scheduler, x, y)
