# Language-model style: linear warmup then cosine, in a `while step < max_steps` loop.
# runs: torch
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

max_steps = 300
warmup_steps = 30
min_lr = 6e-5

model = torch.nn.Linear(16, 16)
optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4, betas=(0.9, 0.95), weight_decay=0.1)
warmup = LinearLR(optimizer, start_factor=0.01, end_factor=1.0, total_iters=warmup_steps)
decay = CosineAnnealingLR(optimizer, T_max=max_steps - warmup_steps, eta_min=min_lr)
scheduler = SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[warmup_steps])

step = 0
while step < max_steps:
    x = torch.randn(4, 16)
    loss = model(x).pow(2).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    scheduler.step()
    step += 1
