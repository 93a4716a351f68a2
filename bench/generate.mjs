// Generates Anneal files of a given number of lines for the compile and language-server
// benchmarks: a sweep of experiments as a team keeps them in one file, each a commented
// schedule block with its own names, cycling through the common shapes (cosine with and
// without restarts, WSD, step decay on epochs, exp, poly, rsqrt). Every block is valid, so
// the whole pipeline (parse, check, lints, lowering) runs on every line.

const BLOCKS = [
  (i) => [
    `# run ${i}: warmup then cosine to a floor`,
    `let warm${i} = ${1 + (i % 5)}k steps`,
    `let floor${i} = peak / ${10 + (i % 90)}`,
    `schedule cosine${i} {`,
    `  lr ${(3 + (i % 7)) / 10}e-3`,
    `  total ${100 + (i % 400)}k`,
    `  warmup warm${i} -> cosine to floor${i}`,
    `}`,
  ],
  (i) => [
    `# run ${i}: SGDR, cycles doubling`,
    `schedule sgdr${i} {`,
    `  lr 0.05  total 150 epochs  steps_per_epoch ${300 + (i % 200)}  clock steps`,
    `  cosine to 0 restart every 10 epochs x2 decay 0.${5 + (i % 4)}`,
    `}`,
  ],
  (i) => [
    `# run ${i}: warmup, stable, decay`,
    `schedule wsd${i} {`,
    `  lr ${1 + (i % 9)}e-3`,
    `  total ${50 + (i % 200)}k`,
    `  warmup 2% -> constant -> sqrt ${10 + (i % 15)}% to 0`,
    `}`,
  ],
  (i) => [
    `# run ${i}: step decay on an epoch clock`,
    `schedule step${i} {`,
    `  lr 0.1  total ${90 + (i % 30)} epochs`,
    `  step by 0.1 every 30 epochs`,
    `}`,
  ],
  (i) => [
    `# run ${i}: exponential then polynomial tail`,
    `let peakish${i} = ${2 + (i % 8)}e-4`,
    `schedule tail${i} {`,
    `  lr peakish${i}  total ${200 + (i % 100)}k`,
    `  warmup 1k cosine -> exp 60% to 1e-5 -> poly power 2 to 0`,
    `}`,
  ],
  (i) => [
    `# run ${i}: fairseq inverse square root`,
    `schedule rsqrt${i} {`,
    `  lr 5e-4  total ${300 + (i % 100)}k`,
    `  warmup 4k -> rsqrt`,
    `}`,
  ],
];

/** A file of exactly `lines` lines (the last block may be cut to a comment line). */
export function generateFile(lines) {
  const out = [];
  for (let i = 0; out.length < lines; i++) {
    const block = [...BLOCKS[i % BLOCKS.length](i), ""];
    if (out.length + block.length > lines) {
      while (out.length < lines) out.push(`# padding line ${out.length + 1}`);
      break;
    }
    out.push(...block);
  }
  return `${out.join("\n")}\n`;
}
