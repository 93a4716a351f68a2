# SGDR stepped per batch with a fractional epoch, as torch's documentation shows.
import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

epochs = 30
model = build_model()
train_loader = build_loader()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2, eta_min=1e-5)
iters = len(train_loader)

for epoch in range(epochs):
    for i, (inputs, labels) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = model(inputs).sum()
        loss.backward()
        optimizer.step()
        scheduler.step(epoch + i / iters)
