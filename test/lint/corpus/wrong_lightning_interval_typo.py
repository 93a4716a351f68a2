# LightningModule with a per-step cosine schedule.
import pytorch_lightning as pl
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR


class LitModel(pl.LightningModule):
    def __init__(self, lr=3e-4):
        super().__init__()
        self.lr = lr
        self.layer = torch.nn.Linear(32, 2)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.cross_entropy(self.layer(x), y)

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=self.lr)
        scheduler = CosineAnnealingLR(optimizer, T_max=self.trainer.estimated_stepping_batches)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {
                "scheduler": scheduler,
                "interval": "steps",  # <- A512
                "frequency": 1,
            },
        }
