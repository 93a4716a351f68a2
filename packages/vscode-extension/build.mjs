// Builds the extension's dist/ folder, which is all the .vsix ships besides its manifest:
//   dist/extension.js          the client (CommonJS; `vscode` is provided by the editor)
//   dist/server.js             the language server with the whole compiler inside (CommonJS, Node)
//   dist/preview.js            the preview webview's script (IIFE, browser)
//   dist/anneal.tmLanguage.json  the grammar, copied from grammar/
//   dist/terminateProcess.sh   a helper vscode-languageclient runs from its own folder
// Run as `node build.mjs` (add --watch to rebuild on change); the root build calls it too.
// Another script may import `buildExtension()` instead; tests import `previewBuild` to bundle
// the webview script exactly as shipped.

import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dist = join(here, "dist");
const serverEntry = join(root, "packages", "lsp", "src", "server-node.ts");
const watch = process.argv.includes("--watch");
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  sourcemap: "linked",
  minify: !watch,
  legalComments: "none",
  logLevel: "warning",
};

/** The webview script: an IIFE for the browser, with the evaluator compiled in. */
export const previewBuild = {
  ...common,
  entryPoints: [join(here, "src", "preview", "main.ts")],
  outfile: join(dist, "preview.js"),
  platform: "browser",
  format: "iife",
  target: "chrome114",
};

/** @type {import("esbuild").BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: [join(here, "src", "extension.ts")],
    outfile: join(dist, "extension.js"),
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode"],
  },
  previewBuild,
];

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) await buildExtension();

/** Builds dist/; sets a failing exit code (after esbuild printed why) rather than throwing. */
export async function buildExtension() {
  if (existsSync(serverEntry)) {
    builds.push({
      ...common,
      entryPoints: [serverEntry],
      outfile: join(dist, "server.js"),
      platform: "node",
      format: "cjs",
      target: "node18",
      // The PNG renderer is a native module that cannot be bundled; the server must only
      // load it lazily (it never renders PNGs), so the bundle runs without it.
      external: ["@resvg/resvg-js"],
      // ESM sources that read import.meta.url still find their own path in the CommonJS bundle.
      define: { "import.meta.url": "__anneal_import_meta_url" },
      banner: { js: 'const __anneal_import_meta_url = require("url").pathToFileURL(__filename).href;' },
    });
  } else {
    console.warn(
      `anneal-vscode: skipping dist/server.js: the language server's entry ${relative(root, serverEntry)} does not exist yet. ` +
        "The extension will build, but it cannot start a server until that file exists.",
    );
  }

  mkdirSync(dist, { recursive: true });
  copyFileSync(join(root, "grammar", "anneal.tmLanguage.json"), join(dist, "anneal.tmLanguage.json"));
  const terminate = join(dirname(require.resolve("vscode-languageclient/node")), "lib", "node", "terminateProcess.sh");
  copyFileSync(terminate, join(dist, "terminateProcess.sh"));
  chmodSync(join(dist, "terminateProcess.sh"), 0o755);

  try {
    if (watch) {
      const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
      await Promise.all(contexts.map((c) => c.watch()));
      console.log("anneal-vscode: watching for changes");
    } else {
      await Promise.all(builds.map((b) => esbuild.build(b)));
    }
  } catch {
    // esbuild has already printed each error with its file and line.
    process.exitCode = 1;
  }
}
