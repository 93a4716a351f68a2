// compile_throughput: `compile()` (parse, check, lints, lowering to IR, evaluators) on a
// generated 5,000-line file, in MB of source per second, from the median of warm rounds.
// A 50-line file is timed alongside for the per-keystroke cost an editor pays.
// compile_broken_ms: a file of 3,000 broken lines, which the recovering parser reads
// (the robustness suite's pathological document), in ms per compile.
import { compare, loadCompiler, ms, result, say } from "../harness.mjs";
import { generateFile } from "../generate.mjs";

const compiler = await loadCompiler();
const big = generateFile(5000);
const small = generateFile(50);
for (const [text, lines] of [[big, 5000], [small, 50]]) {
  const r = compiler.compile(text);
  if (r.hasErrors) throw new Error(`the generated ${lines}-line file has errors: ${r.diagnostics[0].message}`);
}
const bytes = Buffer.byteLength(big, "utf8");
const r = compare({
  lines5000: () => compiler.compile(big).schedules.length,
  lines50: () => compiler.compile(small).schedules.length,
}, { warmup: 10, rounds: 25 });
const mbPerS = bytes / 1e6 / (r.lines5000.median / 1000);
say(`  5,000 lines (${(bytes / 1024).toFixed(0)} KiB, ${compiler.compile(big).schedules.length} schedules): ${ms(r.lines5000.median)} per compile = ${mbPerS.toFixed(2)} MB/s;  50 lines: ${ms(r.lines50.median)}`);
result("compile_throughput", mbPerS, "MB/s", ">= 5 MB/s", mbPerS >= 5, { bytes, lines: 5000, medianMs: r.lines5000.median, lines50MedianMs: r.lines50.median });

const broken = "lr let = warmup ,\n".repeat(3000);
const b = compare({ broken: () => compiler.compile(broken).diagnostics.length }, { warmup: 3, rounds: 9 });
say(`  3,000 broken lines: ${ms(b.broken.median)} per compile`);
result("compile_broken_ms", b.broken.median, "ms", "< 300 ms", b.broken.median < 300, { lines: 3000 });
