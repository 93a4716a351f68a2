# Mixed-precision training with gradient accumulation; the scheduler was left outside the gate.
# runs: torch
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 4
GRAD_ACCUM = 4

model = torch.nn.Linear(8, 1)
train_loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=4)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.cuda.amp.GradScaler(enabled=False)
scheduler = CosineAnnealingLR(optimizer, T_max=EPOCHS * len(train_loader))

for epoch in range(EPOCHS):
    for step, (x, y) in enumerate(train_loader):
        with torch.autocast("cpu", enabled=False):
            loss = torch.nn.functional.mse_loss(model(x), y) / GRAD_ACCUM
        scaler.scale(loss).backward()
        if (step + 1) % GRAD_ACCUM == 0:
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad()
        scheduler.step()  # <- A515
