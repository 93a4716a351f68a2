// The bundled examples (`examples/*.anneal`), read once: the seeds of the mutation property.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The text of every example under `root/examples`, in name order. */
export function loadExamples(root: string): string[] {
  const dir = join(root, "examples");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".anneal"))
    .sort()
    .map((f) => readFileSync(join(dir, f), "utf8"));
}
