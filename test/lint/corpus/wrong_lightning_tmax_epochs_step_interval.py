# LightningModule: a per-step interval, but T_max in epochs.
from lightning.pytorch import LightningModule
from torch import nn, optim


class Classifier(LightningModule):
    def __init__(self, lr=1e-3, max_epochs=50):
        super().__init__()
        self.save_hyperparameters()
        self.model = nn.Linear(128, 10)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return nn.functional.cross_entropy(self.model(x), y)

    def configure_optimizers(self):
        opt = optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)
        sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.max_epochs)  # <- A501
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}
