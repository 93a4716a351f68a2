// Writes docs/diagnostics.md from the diagnostic registry (run through `npm run docs`).
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderDiagnosticsDoc } from "../packages/compiler/dist/index.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
writeFileSync(join(root, "docs", "diagnostics.md"), renderDiagnosticsDoc());
console.log("wrote docs/diagnostics.md");
