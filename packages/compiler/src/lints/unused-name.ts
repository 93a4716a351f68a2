// A313: a `let` that no schedule uses. The fix removes it. A name is used when any
// schedule's evaluation reads it, directly or through another name.

import type { FileLint } from "./lint.js";

export const unusedName: FileLint = {
  name: "unused-name",
  codes: ["A313"],
  check({ bindings, used, report }) {
    for (const b of bindings)
      if (!used.has(b) && b.decl.name)
        report.report("A313", b.decl.name.range, `\`${b.decl.name.name}\` is defined but never used`, {
          fixes: [{ title: `Remove \`let ${b.decl.name.name}\``, edits: [{ range: b.decl.range, newText: "" }] }],
        });
  },
  cases: [
    {
      name: "a spare name",
      source: `
let spare = 1k
    ^^^^^ A313 info: \`spare\` is defined but never used
total 10k
cosine
`,
    },
    {
      name: "a name used only through another is used",
      source: "let w = 1k\nlet warm = 2 * w\ntotal 10k\nwarmup warm -> cosine\n",
    },
  ],
};
