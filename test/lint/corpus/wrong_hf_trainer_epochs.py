# A custom schedule handed to the Hugging Face Trainer, which steps it every optimizer step.
import torch
from transformers import Trainer, TrainingArguments, get_linear_schedule_with_warmup

training_args = TrainingArguments(output_dir="out", num_train_epochs=3, learning_rate=2e-5)
model = load_model()
optimizer = torch.optim.AdamW(model.parameters(), lr=training_args.learning_rate)
num_epochs = 3
scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=0, num_training_steps=num_epochs)  # <- A503
trainer = Trainer(model=model, args=training_args, train_dataset=load_data(), optimizers=(optimizer, scheduler))
trainer.train()
