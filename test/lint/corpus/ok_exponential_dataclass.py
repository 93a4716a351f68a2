# Exponential decay per epoch from a dataclass config.
# runs: torch
from dataclasses import dataclass, field

import torch
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader, TensorDataset


@dataclass
class Config:
    lr: float = 0.01
    gamma: float = 0.9
    epochs: int = 15
    betas: tuple = field(default=(0.9, 0.999))


def main(cfg: Config):
    model = torch.nn.Linear(8, 1)
    loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randn(32, 1)), batch_size=8)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    scheduler = ExponentialLR(optimizer, gamma=cfg.gamma)
    for epoch in range(cfg.epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main(Config())
