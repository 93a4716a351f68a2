# ResNet-style step decay: 0.1, divided by 10 every few epochs, stepped once per epoch.
# runs: torch
import argparse

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description="ImageNet-style training")
parser.add_argument("--epochs", default=12, type=int, metavar="N")
parser.add_argument("--lr", "--learning-rate", default=0.1, type=float, dest="lr")
parser.add_argument("--lr-step", default=4, type=int)
parser.add_argument("--momentum", default=0.9, type=float)
args = parser.parse_args()

model = nn.Linear(8, 4)
train_loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randint(0, 4, (32,))), batch_size=8)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), args.lr, momentum=args.momentum, weight_decay=1e-4)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=args.lr_step, gamma=0.1)


def train(loader, model, criterion, optimizer, epoch):
    model.train()
    for i, (images, target) in enumerate(loader):
        loss = criterion(model(images), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


for epoch in range(args.epochs):
    train(train_loader, model, criterion, optimizer, epoch)
    scheduler.step()
