// Robustness of `lintPython` and `importPython`: arbitrary Python-like text and mutations of
// the corpus never make them throw, report an internal error, or place a range outside the
// file; every spec they write compiles; and their work grows linearly with the script
// (counted as V8 block coverage, as test/robustness does, never timed).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Diagnostic } from "@anneal/dsl";
import { compile } from "../../packages/compiler/src/compile.js";
import { importPython, lintPython } from "../../packages/compiler/src/python/index.js";
import { countedWork } from "../robustness/properties.js";
import { loadLintCorpus } from "./corpus.js";

const seed = Number(process.env.ANNEAL_FUZZ_SEED ?? 20_241_201);
const corpus = loadLintCorpus().map((c) => c.text);

const FRAGMENTS = [
  "import torch\n", "from torch.optim.lr_scheduler import CosineAnnealingLR, SequentialLR, LinearLR, StepLR, OneCycleLR\n",
  "from transformers import get_scheduler, get_linear_schedule_with_warmup\n", "import torch.optim.lr_scheduler as S\n",
  "for epoch in range(args.epochs):\n", "for x, y in loader:\n", "for i, b in enumerate(train_loader):\n", "while step < max_steps:\n",
  "    ", "        ", "\n", "scheduler.step()", "optimizer.step()", "scaler.step(optimizer)", "scheduler = ", "S.StepLR(", "CosineAnnealingLR(",
  "SequentialLR(opt, [a, b], milestones=[", "LinearLR(opt", "get_scheduler(", "OneCycleLR(opt, max_lr=1, total_steps=", "lambda e: ", "0.5 ** (e // 3)",
  "min(1.0, (e + 1) / 10)", "len(loader)", "args.epochs", "cfg[\"epochs\"]", "T_max=", "total_iters=", "milestones=", "num_training_steps=",
  "optimizer", ", ", "(", ")", "[", "]", "{", "}", ":", "=", "*", "**", "//", "+", "-", "1e-6", "90", "0", "-1", "\"cosine\"", "'step'",
  "if (i + 1) % accum == 0:\n", "def train():\n", "def configure_optimizers(self):\n", "return {\"optimizer\": o, \"lr_scheduler\": {\"scheduler\": s, \"interval\": ",
  "class C:\n", "@dataclass\n", "parser.add_argument(\"--epochs\", type=int, default=", "args = parser.parse_args()\n", "#", "\"\"\"", "\\", "\t", "é", "\r\n",
];

const pythonish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }).map((xs) => xs.join(""));

/** A corpus script with slices deleted, duplicated or swapped. */
const mutated = fc
  .tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom("delete", "duplicate", "insert")), { minLength: 1, maxLength: 6 }), fc.constantFrom(...FRAGMENTS))
  .map(([text, edits, frag]) => {
    let t = text;
    for (const [a, b, op] of edits) {
      const i = a % (t.length + 1);
      const j = Math.min(t.length, i + (b % 200));
      t = op === "delete" ? t.slice(0, i) + t.slice(j) : op === "duplicate" ? t.slice(0, j) + t.slice(i, j) + t.slice(j) : t.slice(0, i) + frag + t.slice(i);
    }
    return t;
  });

function assertInside(ds: readonly Diagnostic[], text: string): void {
  for (const d of ds) {
    if (d.code === "A000") throw new Error(`internal error: ${d.message}\ninput: ${JSON.stringify(text)}`);
    if (!(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length)) throw new Error(`range ${JSON.stringify(d.range)} outside the text (${text.length})`);
    for (const f of d.fixes ?? []) for (const e of f.edits) if (!(e.range.start >= 0 && e.range.start <= e.range.end && e.range.end <= text.length)) throw new Error("fix range outside the text");
    for (const r of d.related ?? []) if (!(r.range.start >= 0 && r.range.end <= text.length)) throw new Error("related range outside the text");
  }
}

function check(text: string): void {
  assertInside(lintPython(text).diagnostics, text);
  const imp = importPython(text);
  assertInside(imp.diagnostics, text);
  for (const s of imp.specs) expect(compile(s.text).hasErrors, s.text).toBe(false);
}

describe(`lint and import robustness (seed ${seed})`, () => {
  test("Python-like fragments", () => {
    fc.assert(fc.property(pythonish, check), { seed, numRuns: 400 });
  });

  test("mutated corpus scripts", () => {
    fc.assert(fc.property(mutated, check), { seed, numRuns: 300 });
  });

  test("arbitrary text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { seed, numRuns: 300 });
  });

  test("deep nesting and long lines stay within bounds", () => {
    for (const text of ["(".repeat(50_000), "x = " + "[".repeat(20_000) + "]".repeat(20_000), `s = CosineAnnealingLR(o, T_max=${"1 + ".repeat(20_000)}1)\n`, "if a:\n" + " ".repeat(4).repeat(1) + "for x in loader:\n".repeat(300)]) check(text);
  });

  test("work grows linearly with the script", () => {
    // Eight times the script must cost less than twelve times the work: linear stages
    // cost eight, a quadratic one (names looked up once per assignment, helpers fanned
    // out per call site) sixty-four.
    const body = corpus.slice(0, 12).join("\n");
    const texts = [body, Array.from({ length: 8 }, () => body).join("\n")];
    for (const run of [lintPython, importPython] as const) {
      const [small, big] = countedWork(texts, (t) => run(t));
      expect(big! / small!).toBeLessThan(12);
    }
  });
});
