# Text classification fine-tuning with a Hugging Face warmup + cosine schedule.
import argparse

import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, get_cosine_schedule_with_warmup


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--model_name_or_path", default="bert-base-uncased")
    p.add_argument("--num_train_epochs", type=int, default=3)
    p.add_argument("--num_warmup_steps", type=int, default=500)
    p.add_argument("--learning_rate", type=float, default=2e-5)
    return p.parse_args()


def main():
    args = parse_args()
    model = AutoModelForSequenceClassification.from_pretrained(args.model_name_or_path)
    train_dataloader = DataLoader(load_dataset(), batch_size=32, shuffle=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)
    lr_scheduler = get_cosine_schedule_with_warmup(
        optimizer,
        num_warmup_steps=args.num_warmup_steps,
        num_training_steps=args.num_train_epochs,  # <- A503
    )
    model.train()
    for epoch in range(args.num_train_epochs):
        for batch in train_dataloader:
            outputs = model(**batch)
            outputs.loss.backward()
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()


if __name__ == "__main__":
    main()
