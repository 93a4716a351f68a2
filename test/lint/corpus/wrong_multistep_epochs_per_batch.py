# Milestones at half and three quarters of training, computed in epochs, stepped per batch.
# runs: torch
import argparse

import torch
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=8)
args = parser.parse_args()

model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=8)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
milestones = [int(0.5 * args.epochs), int(0.75 * args.epochs)]  # <- A501
scheduler = MultiStepLR(optimizer, milestones=milestones, gamma=0.1)

for epoch in range(args.epochs):
    for batch_idx, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
