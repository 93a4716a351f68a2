# timm's cosine schedule with warmup, stepped per epoch as timm's train.py does.
import torch
from timm.scheduler import CosineLRScheduler

num_epochs = 50
model = create_model()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
lr_scheduler = CosineLRScheduler(optimizer, t_initial=num_epochs, lr_min=1e-5, warmup_t=3, warmup_lr_init=1e-6)

for epoch in range(num_epochs):
    train_one_epoch(model, optimizer)
    lr_scheduler.step(epoch + 1)
