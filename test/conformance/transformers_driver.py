"""Runs emitted PyTorch modules inside a real Hugging Face `Trainer` and reports the rates.

Usage: transformers_driver.py CASES.json. Each case names an emitted module, the Trainer's
`max_steps`, its gradient accumulation, how the scheduler is handed over ("optimizers": the
`optimizers=(optimizer, build_scheduler(optimizer))` tuple; "create_scheduler": an override
of `Trainer.create_scheduler`, with the optimizer the Trainer builds itself), and optionally
one of transformers' own schedules to run the same way as a reference ("hf_linear",
"hf_cosine", with their warmup). "settings" are keywords for `build_scheduler`; a bound
`total` becomes the Trainer's `num_training_steps` in the `create_scheduler` override. The rate recorded for an optimizer update is the one that
update applied: `on_optimizer_step` runs after `optimizer.step()` and before the scheduler
steps. Prints one JSON object: the transformers version and, per case, the rates by update.
"""

import importlib.util
import json
import sys
import tempfile
import warnings


def main():
    try:
        import torch
        import transformers
        from transformers import Trainer, TrainerCallback, TrainingArguments
    except Exception as e:  # the runtime is missing: report it, the test decides
        print(json.dumps({"missing": f"{type(e).__name__}: {e}"}))
        return

    # The Trainer prints its own summaries: keep standard output for the JSON result.
    result_stream, sys.stdout = sys.stdout, sys.stderr
    warnings.simplefilter("ignore")
    transformers.logging.set_verbosity_error()
    cases = json.load(open(sys.argv[1]))["cases"]

    class Tiny(torch.nn.Module):
        """A two-weight regression: enough for the Trainer to run real updates."""

        def __init__(self):
            super().__init__()
            self.w = torch.nn.Linear(2, 1)

        def forward(self, x, labels):
            loss = ((self.w(x).squeeze(-1) - labels) ** 2).mean()
            return {"loss": loss}

    class Data(torch.utils.data.Dataset):
        def __len__(self):
            return 64

        def __getitem__(self, i):
            x = torch.tensor([float(i % 7), float(i % 3)])
            return {"x": x, "labels": x.sum()}

    class Record(TrainerCallback):
        def __init__(self):
            self.rates = []

        def on_optimizer_step(self, args, state, control, **kwargs):
            optimizer = kwargs["optimizer"]
            self.rates.append([state.global_step, optimizer.param_groups[0]["lr"]])

    def load(path):
        spec = importlib.util.spec_from_file_location("schedule_module", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    results = {}
    for case in cases:
        torch.manual_seed(0)
        model = Tiny()
        record = Record()
        with tempfile.TemporaryDirectory() as out:
            args = TrainingArguments(
                output_dir=out,
                max_steps=case["max_steps"],
                per_device_train_batch_size=4,
                gradient_accumulation_steps=case["accumulation"],
                learning_rate=case["learning_rate"],
                report_to=[],
                save_strategy="no",
                logging_strategy="no",
                disable_tqdm=True,
                use_cpu=True,
                dataloader_num_workers=0,
            )
            reference = case.get("reference")
            if reference is not None:
                optimizer = torch.optim.SGD(model.parameters(), lr=case["learning_rate"])
                make = {
                    "hf_linear": transformers.get_linear_schedule_with_warmup,
                    "hf_cosine": transformers.get_cosine_schedule_with_warmup,
                }[reference]
                scheduler = make(optimizer, num_warmup_steps=case["warmup"], num_training_steps=case["max_steps"])
                trainer = Trainer(model=model, args=args, train_dataset=Data(), optimizers=(optimizer, scheduler), callbacks=[record])
            else:
                module = load(case["module"])
                settings = case.get("settings", {})
                if case["handover"] == "optimizers":
                    optimizer = torch.optim.SGD(model.parameters(), lr=case["learning_rate"])
                    scheduler = module.build_scheduler(optimizer, **settings)
                    trainer = Trainer(model=model, args=args, train_dataset=Data(), optimizers=(optimizer, scheduler), callbacks=[record])
                else:

                    class AnnealTrainer(Trainer):
                        def create_scheduler(self, num_training_steps, optimizer=None):
                            if self.lr_scheduler is None:
                                opt = optimizer if optimizer is not None else self.optimizer
                                # As docs/emit.md writes it: the total is the Trainer's own count.
                                bound = {**settings, "total": num_training_steps} if "total" in settings else settings
                                self.lr_scheduler = module.build_scheduler(opt, **bound)
                            return self.lr_scheduler

                    trainer = AnnealTrainer(model=model, args=args, train_dataset=Data(), callbacks=[record])
            trainer.train()
        results[case["id"]] = record.rates
    print(json.dumps({"version": transformers.__version__, "results": results}), file=result_stream)


main()
