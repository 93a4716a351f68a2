# Fine-tuning loop that counts T_max in batches but steps the scheduler once per epoch.
# runs: torch
import torch
import torch.optim.lr_scheduler as lr_sched
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 5
model = torch.nn.Linear(8, 1)
dataset = TensorDataset(torch.randn(48, 8), torch.randn(48, 1))
loader = DataLoader(dataset, batch_size=8)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
scheduler = lr_sched.CosineAnnealingLR(optimizer, T_max=EPOCHS * len(loader))  # <- A502

for epoch in range(EPOCHS):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
