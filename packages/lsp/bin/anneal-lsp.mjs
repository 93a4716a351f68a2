#!/usr/bin/env node
// The `anneal-lsp` command: the bundled language server (built by `npm run build` at the
// repository root into ../dist/server.mjs).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const server = fileURLToPath(new URL("../dist/server.mjs", import.meta.url));
if (!existsSync(server)) {
  process.stderr.write(`anneal-lsp: ${server} is missing; run 'npm run build' at the repository root first\n`);
  process.exit(2);
}
await import(pathToFileURL(server).href);
