# accelerate: the scheduler is prepared with the model, stepped per update inside accumulate().
import math

import torch
from accelerate import Accelerator
from transformers import get_scheduler


def main(num_epochs=3, gradient_accumulation_steps=4, learning_rate=5e-5):
    accelerator = Accelerator(gradient_accumulation_steps=gradient_accumulation_steps)
    model = build_model()
    train_dataloader = build_dataloader()
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    num_update_steps_per_epoch = math.ceil(len(train_dataloader) / gradient_accumulation_steps)
    max_train_steps = num_epochs * num_update_steps_per_epoch
    lr_scheduler = get_scheduler(
        "linear",
        optimizer=optimizer,
        num_warmup_steps=int(0.05 * max_train_steps),
        num_training_steps=max_train_steps * accelerator.num_processes,
    )
    model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(model, optimizer, train_dataloader, lr_scheduler)
    for epoch in range(num_epochs):
        model.train()
        for step, batch in enumerate(train_dataloader):
            with accelerator.accumulate(model):
                loss = model(**batch).loss
                accelerator.backward(loss)
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()


if __name__ == "__main__":
    main()
