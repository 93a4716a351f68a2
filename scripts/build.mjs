// Builds the bundles every runnable part of Anneal uses: the `anneal` CLI and the compiler's
// public API (for scripts), the language server, the VS Code extension and the playground. Type checking is
// separate (`tsc -b`); esbuild only strips types and bundles.
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const p = (...parts) => join(root, ...parts);

// CommonJS dependencies bundled into an ES module still call `require`; give them one.
const banner = { js: "import { createRequire as __annealCreateRequire } from 'node:module'; const require = __annealCreateRequire(import.meta.url);" };
const common = { bundle: true, platform: "node", target: "node20", format: "esm", banner, logLevel: "warning", external: ["@resvg/resvg-js"], sourcemap: false };

const jobs = [
  build({ ...common, entryPoints: [p("packages/compiler/src/cli/entry.ts")], outfile: p("packages/compiler/dist/anneal.mjs") }),
  build({ ...common, entryPoints: [p("packages/compiler/src/index.ts")], outfile: p("packages/compiler/dist/index.mjs") }),
];
if (existsSync(p("packages/lsp/src/server-node.ts")))
  jobs.push(build({ ...common, entryPoints: [p("packages/lsp/src/server-node.ts")], outfile: p("packages/lsp/dist/server.mjs") }));
await Promise.all(jobs);

const ext = p("packages/vscode-extension/build.mjs");
if (existsSync(ext)) {
  const mod = await import(pathToFileURL(ext).href);
  if (typeof mod.buildExtension === "function") await mod.buildExtension();
}

const playground = p("packages/playground/build.mjs");
if (existsSync(playground)) await (await import(pathToFileURL(playground).href)).buildPlayground();
