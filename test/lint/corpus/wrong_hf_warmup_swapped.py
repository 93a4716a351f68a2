# Warmup and total passed positionally, in the wrong order.
import torch
from transformers.optimization import get_linear_schedule_with_warmup

total_steps = 10000
warmup_steps = 12000

model = torch.nn.Linear(16, 16)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
scheduler = get_linear_schedule_with_warmup(optimizer, warmup_steps, total_steps)  # <- A514

step = 0
while step < total_steps:
    loss = model(torch.randn(4, 16)).pow(2).mean()
    loss.backward()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    step += 1
