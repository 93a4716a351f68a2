# accelerate-style loop with transformers.get_scheduler.
import math

import torch
from accelerate import Accelerator
from transformers import get_scheduler

accelerator = Accelerator(gradient_accumulation_steps=2)
num_train_epochs = 3
model = build_model()
train_dataloader = build_dataloader()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
num_update_steps_per_epoch = math.ceil(len(train_dataloader) / 2)
max_train_steps = num_train_epochs * num_update_steps_per_epoch
lr_scheduler = get_scheduler(
    name="cosin",  # <- A513
    optimizer=optimizer,
    num_warmup_steps=100,
    num_training_steps=max_train_steps,
)
model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(model, optimizer, train_dataloader, lr_scheduler)
for epoch in range(num_train_epochs):
    for batch in train_dataloader:
        with accelerator.accumulate(model):
            loss = model(**batch).loss
            accelerator.backward(loss)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
