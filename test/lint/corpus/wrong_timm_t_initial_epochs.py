# timm cosine schedule updated per optimizer step, with t_initial in epochs.
import torch
from timm.scheduler import CosineLRScheduler

num_epochs = 100
model = create_model()
loader_train = create_loader()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
lr_scheduler = CosineLRScheduler(
    optimizer,
    t_initial=num_epochs,  # <- A501
    lr_min=1e-6,
    warmup_t=500,
    warmup_lr_init=1e-6,
    t_in_epochs=False,
)

num_updates = 0
for epoch in range(num_epochs):
    for batch_idx, (input, target) in enumerate(loader_train):
        loss = model(input).sum()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        num_updates += 1
        lr_scheduler.step_update(num_updates=num_updates)
