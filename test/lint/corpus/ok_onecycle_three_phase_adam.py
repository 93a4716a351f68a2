# OneCycleLR with every option spelled out: three phases, a linear anneal and Adam, whose
# first beta is the momentum OneCycleLR cycles.
# runs: torch
import torch
import torch.optim.lr_scheduler as sched

config = {
    "total_steps": 150,
    "max_lr": 3e-3,
    "pct_start": 0.25,
    "div_factor": 10.0,
    "final_div_factor": 100.0,
}

model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=config["max_lr"], betas=(0.9, 0.98))
scheduler = sched.OneCycleLR(
    optimizer,
    max_lr=config["max_lr"],
    total_steps=config["total_steps"],
    pct_start=config["pct_start"],
    anneal_strategy="linear",
    div_factor=config["div_factor"],
    final_div_factor=config["final_div_factor"],
    three_phase=True,
    base_momentum=0.8,
    max_momentum=0.92,
)

step = 0
while step < config["total_steps"]:
    x = torch.randn(16, 4)
    loss = model(x).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()
    step += 1
