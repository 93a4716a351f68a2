#!/usr/bin/env node
// The `anneal` launcher. The compiler's CLI is bundled into dist/anneal.mjs by `npm run build`;
// `anneal lsp` hands over to the language server's bundle, which lives in its own package.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target =
  process.argv[2] === "lsp"
    ? join(here, "..", "..", "lsp", "dist", "server.mjs")
    : join(here, "..", "dist", "anneal.mjs");
if (!existsSync(target)) {
  process.stderr.write(`anneal: ${target} is missing; run 'npm run build' at the repository root first\n`);
  process.exit(2);
}
if (process.argv[2] === "lsp") process.argv.splice(2, 1);
await import(pathToFileURL(target).href);
