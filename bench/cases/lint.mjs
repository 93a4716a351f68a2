// lint_throughput: `lintPython()` (parse with @lezer/python, bind, resolve, find stepping,
// run every check) on a generated 10,000-line training script, in lines per second from
// the median of warm rounds; `importPython()` on the same script alongside, and the bare
// @lezer/python parse, so the analysis's own share reads as a ratio whatever the machine's load.
import { loadavg } from "node:os";
import { parser } from "@lezer/python";
import { compare, loadCompiler, ms, result, say } from "../harness.mjs";

/** One block of a realistic script: argparse options, a model, a scheduler, its loop. */
function block(i) {
  return `
parser_${i} = argparse.ArgumentParser(description="experiment ${i}")
parser_${i}.add_argument("--epochs-${i}", type=int, default=${10 + (i % 80)})
parser_${i}.add_argument("--lr-${i}", type=float, default=0.1)
parser_${i}.add_argument("--accum-${i}", type=int, default=${1 + (i % 4)})
args_${i} = parser_${i}.parse_args()
config_${i} = {"warmup": ${i % 50}, "gamma": 0.9, "milestones": [30, 60]}
model_${i} = torch.nn.Linear(8, 1)
loader_${i} = DataLoader(dataset, batch_size=32)
optimizer_${i} = torch.optim.SGD(model_${i}.parameters(), lr=args_${i}.lr_${i})
steps_${i} = args_${i}.epochs_${i} * (len(loader_${i}) // args_${i}.accum_${i})
warmup_${i} = LinearLR(optimizer_${i}, start_factor=0.01, total_iters=config_${i}["warmup"] + 1)
decay_${i} = CosineAnnealingLR(optimizer_${i}, T_max=steps_${i}, eta_min=1e-6)
scheduler_${i} = SequentialLR(optimizer_${i}, [warmup_${i}, decay_${i}], milestones=[config_${i}["warmup"] + 1])


def train_step_${i}(x, y):
    optimizer_${i}.zero_grad()
    loss = torch.nn.functional.mse_loss(model_${i}(x), y)
    loss.backward()
    optimizer_${i}.step()
    scheduler_${i}.step()
    return loss.item()


for epoch in range(args_${i}.epochs_${i}):
    for step, (x, y) in enumerate(loader_${i}):
        if step % 100 == 0:
            print(f"epoch {epoch} step {step}")
        train_step_${i}(x, y)
`;
}

function generateScript(lines) {
  const head = "import argparse\nimport torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR\nfrom torch.utils.data import DataLoader\n";
  let text = head;
  for (let i = 0; text.split("\n").length < lines; i++) text += block(i);
  return text.split("\n").slice(0, lines).join("\n") + "\n";
}

const compiler = await loadCompiler();
const text = generateScript(10_000);
const lines = text.split("\n").length - 1;
const found = compiler.lintPython(text);
if (found.diagnostics.some((d) => d.code === "A000")) throw new Error(`internal error on the generated script: ${found.diagnostics[0].message}`);
const specs = compiler.importPython(text).specs.length;
if (specs < 100) throw new Error(`the generated script imported only ${specs} schedulers`);
const r = compare(
  { lint: () => compiler.lintPython(text).diagnostics.length, import: () => compiler.importPython(text).specs.length, parse: () => parser.parse(text).length },
  { warmup: 3, rounds: 9 },
);
const linesPerS = lines / (r.lint.median / 1000);
const load = loadavg()[0];
say(`  ${lines.toLocaleString("en-US")} lines (${(text.length / 1024).toFixed(0)} KiB): lint ${ms(r.lint.median)} = ${Math.round(linesPerS).toLocaleString("en-US")} lines/s;  import (${specs} specs) ${ms(r.import.median)};  the parse alone ${ms(r.parse.median)}  (load average ${load.toFixed(1)})`);
say(`  CPU time: lint ${ms(r.lint.cpuMedian)}, import ${ms(r.import.cpuMedian)}, the parse alone ${ms(r.parse.cpuMedian)}: lint / parse ${(r.lint.cpuMedian / r.parse.cpuMedian).toFixed(2)}, import / parse ${(r.import.cpuMedian / r.parse.cpuMedian).toFixed(2)}`);
const detail = { lines, medianMs: r.lint.median, cpuMs: r.lint.cpuMedian, importMedianMs: r.import.median, importCpuMs: r.import.cpuMedian, specs, loadAverage: load };
result("lint_throughput", linesPerS, "lines/s", ">= 20,000 lines/s (10k lines in 0.5 s)", linesPerS >= 20_000, detail);
result("lint_vs_parse", r.lint.median / r.parse.median, "x (lint time / bare @lezer/python parse time)", "<= 3", r.lint.median / r.parse.median <= 3, { parseMedianMs: r.parse.median, cpuRatio: r.lint.cpuMedian / r.parse.cpuMedian, importCpuRatio: r.import.cpuMedian / r.parse.cpuMedian });
