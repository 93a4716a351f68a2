# Mixed precision with GradScaler; the scheduler is stepped before scaler.step(optimizer).
# runs: torch
import torch
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader, TensorDataset

warmup_steps = 20
model = torch.nn.Linear(8, 1)
loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randn(64, 1)), batch_size=8)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
scheduler = LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup_steps))
scaler = torch.cuda.amp.GradScaler(enabled=False)

for epoch in range(5):
    for x, y in loader:
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type="cpu", enabled=False):
            loss = torch.nn.functional.mse_loss(model(x), y)
        scaler.scale(loss).backward()
        scheduler.step()  # <- A506
        scaler.step(optimizer)
        scaler.update()
