// The lint corpus: realistic training scripts, each either correct (`ok_*.py`, no
// diagnostic expected) or carrying exactly one mistake (`wrong_*.py`), marked with a
// trailing `# <- CODE` comment on the line where it must be reported. Scripts whose header
// says `# runs: torch` are complete programs that the torch test runs for real.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const lintCorpusDir = join(import.meta.dirname, "corpus");

export interface LintCase {
  file: string;
  path: string;
  text: string;
  /** The expected code and its 1-based line, for a mistaken script. */
  expected?: { code: string; line: number };
  runs: boolean;
}

export function loadLintCorpus(): LintCase[] {
  return readdirSync(lintCorpusDir)
    .filter((f) => f.endsWith(".py"))
    .sort()
    .map((file) => {
      const path = join(lintCorpusDir, file);
      const text = readFileSync(path, "utf8");
      const lines = text.split("\n");
      const marks = lines.flatMap((l, i) => {
        const m = /# <- (A\d{3})\s*$/.exec(l);
        return m ? [{ code: m[1]!, line: i + 1 }] : [];
      });
      if (file.startsWith("wrong_") && marks.length !== 1) throw new Error(`${file}: a mistaken script needs exactly one '# <- CODE' mark`);
      if (file.startsWith("ok_") && marks.length !== 0) throw new Error(`${file}: a correct script has no mark`);
      return { file, path, text, ...(marks[0] ? { expected: marks[0] } : {}), runs: /^# runs: torch$/m.test(lines.slice(0, 3).join("\n")) };
    });
}
