// A308: a jump between phases that looks accidental.
//
// A phase's `from` (a constant's `at`) may differ from where the previous phase ended; the
// rate then jumps. A jump is deliberate when both of its ends are written: the previous
// phase states its target (`to`, or a constant's `at`), or has no target to state (a step
// decay, `exp ... gamma`, `rsqrt`), and this phase states its start. When the previous end is
// only a default (a warmup's peak, a decay's 0), the `from` most often restates that value
// wrongly, so the lint asks. Its first fix keeps the jump by writing the previous end; the
// second removes the `from` to continue.

import type { Clause } from "@anneal/dsl";
import { describeRate } from "../check/schedule.js";
import { formatNumber as fmt } from "../check/values.js";
import type { RateValue } from "../ir.js";
import type { Lint } from "./lint.js";
import { rateNumber, sameRate, startClause } from "./rates.js";

/** Shapes whose end is where they arrive, not a target: stepping, gamma and rsqrt decays. */
const NO_TARGET = new Set(["step", "multistep", "gamma", "rsqrt"]);

/** How to write `v` exactly in a rate position, or undefined when no short spelling is exact. */
function exactSpelling(v: RateValue, peak: number | undefined): string | undefined {
  if (v.scale === 0 && v.abs === 0) return "0";
  if (peak === undefined ? v.scale === 1 && v.abs === 0 : v.abs === peak) return "peak";
  if (v.scale === 0 && Number(fmt(v.abs)) === v.abs) return fmt(v.abs);
  return undefined;
}

export const jump: Lint = {
  name: "jump",
  codes: ["A308"],
  check({ schedule: s, report }) {
    for (const [i, p] of s.phases.entries()) {
      const prev = s.phases[i - 1];
      if (!p.explicitFrom || !p.previousEnd || !prev) continue;
      if (sameRate(rateNumber(p.from, s), rateNumber(p.previousEnd, s))) continue;
      const targetWord = prev.phase.type === "constant" ? "at" : "to";
      const prevStates = prev.phase.clauses.some((c: Clause) => c.kind === targetWord) || NO_TARGET.has(prev.shape.kind);
      if (prevStates) continue;
      const start = startClause(p);
      const r = start?.range ?? p.phase.keywordRange;
      const word = p.phase.type === "constant" ? "at" : "from";
      const spelled = exactSpelling(p.previousEnd, s.peak);
      const fixes = [];
      if (spelled !== undefined) {
        const at = prev.phase.range.end;
        fixes.push({ title: `Keep the jump: write where \`${prev.phase.keyword}\` ends (\`${targetWord} ${spelled}\`)`, edits: [{ range: { start: at, end: at }, newText: ` ${targetWord} ${spelled}` }] });
      }
      // Removing the clause and the space before it keeps the line tidy.
      fixes.push({ title: `Continue from the previous phase: remove this \`${word}\``, edits: [{ range: { start: r.start - 1, end: r.end }, newText: "" }] });
      report.report(
        "A308",
        r,
        `the rate jumps from ${describeRate(p.previousEnd, s.peak)}, where \`${prev.phase.keyword}\` ends, to ${describeRate(p.from, s.peak)}; if the jump is meant, write where \`${prev.phase.keyword}\` ends${spelled !== undefined ? ` (\`${targetWord} ${spelled}\`)` : ""}, otherwise remove this \`${word}\``,
        { fixes },
      );
    }
  },
  cases: [
    {
      name: "a `from` that restates the warmup's peak wrongly",
      source: `
lr 1e-3
total 10k
warmup 1k -> cosine from 5e-4
                    ^^^^^^^^^ A308 warning: the rate jumps from 0.001, where \`warmup\` ends, to 5e-4; if the jump is meant, write where \`warmup\` ends (\`to peak\`), otherwise remove this \`from\`
`,
    },
    {
      name: "a constant after a decay to its default 0",
      source: `
total 10k
cosine 5k -> constant at 10%
                      ^^^^^^ A308 warning: the rate jumps from 0, where \`cosine\` ends, to 10% of the peak; if the jump is meant, write where \`cosine\` ends (\`to 0\`), otherwise remove this \`at\`
`,
    },
    { name: "a jump with both ends written is deliberate", source: "lr 1e-3\ntotal 10k\nlinear 5k to 1e-4 -> cosine from 5e-4\n" },
    { name: "a jump after a step decay is deliberate", source: "lr 0.1\ntotal 90\nstep 60 by 0.1 every 30 -> constant at 0.05\n" },
    { name: "restating the same value is no jump", source: "lr 1e-3\ntotal 10k\nwarmup 1k -> cosine from 1e-3\n" },
  ],
};
