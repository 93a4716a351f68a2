# LightningModule returning lists: the scheduler is stepped once per epoch by default.
import pytorch_lightning as pl
import torch


class Net(pl.LightningModule):
    def __init__(self, max_epochs=100, lr=0.1):
        super().__init__()
        self.max_epochs = max_epochs
        self.lr = lr
        self.layer = torch.nn.Linear(16, 4)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.cross_entropy(self.layer(x), y)

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=self.lr, momentum=0.9)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=self.max_epochs)
        return [optimizer], [scheduler]
