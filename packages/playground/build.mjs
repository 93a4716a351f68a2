// Builds the playground's dist/ folder, a static site any host can serve as it is:
//   dist/index.html   the page, with its Content-Security-Policy in a meta tag
//   dist/style.css    the page's styles (light and dark); editor.css, the editor's
//   dist/icon.svg     the project's icon
//   dist/sw.js        the service worker that keeps the site working offline
//   dist/app.js       the page's script: the editor, the LSP client, plots, code and sharing
//   dist/server.js    the Anneal language server, run by the page in a web worker
// Nothing is loaded from elsewhere: no CDN, no web fonts. The bundled examples are compiled
// into app.js from examples/*.anneal, and the recipes from the editor extension's snippets. Run as `node build.mjs`; the root build calls
// `buildPlayground()`.

import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dist = join(here, "dist");

/**
 * The page's policy: its own scripts, worker and styles only; images from itself or from
 * data URIs (the hover plots) and blob URLs (downloads); no network at all beyond the site.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * The recipes: the editor extension's snippets (the common schedules), each as the text VS
 * Code inserts when every placeholder keeps its default, under a comment with its
 * description. `[{ name, title, text }]`, named by each snippet's first prefix.
 */
function recipes() {
  const file = join(root, "packages", "vscode-extension", "snippets", "anneal.code-snippets");
  const snippets = JSON.parse(readFileSync(file, "utf8"));
  return Object.entries(snippets).map(([title, s]) => {
    const body = s.body
      .join("\n")
      .replace(/\$\{\d+:([^}]*)\}/g, "$1")
      .replace(/\$\d+/g, "");
    return { name: s.prefix[0], title, text: `# ${s.description}\n${body.replace(/\n*$/, "\n")}` };
  });
}

/** The bundled examples and recipes, as a module: `[{ name, title, text }]` each, examples in file-name order. */
function examplesModule() {
  const dir = join(root, "examples");
  const examples = readdirSync(dir)
    .filter((f) => f.endsWith(".anneal"))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      // The first comment line says what the example is; the menu shows it as the title.
      const first = /^#\s*(.*)$/m.exec(text);
      return { name: f.replace(/\.anneal$/, ""), title: first ? first[1].trim() : f, text };
    });
  return `export default ${JSON.stringify(examples)};\nexport const recipes = ${JSON.stringify(recipes())};`;
}

const examplesPlugin = {
  name: "anneal-examples",
  setup(build) {
    build.onResolve({ filter: /^anneal:examples$/ }, () => ({ path: "examples", namespace: "anneal-examples" }));
    build.onLoad({ filter: /.*/, namespace: "anneal-examples" }, () => ({ contents: examplesModule(), loader: "js", watchDirs: [join(root, "examples")], watchFiles: [join(root, "packages", "vscode-extension", "snippets", "anneal.code-snippets")] }));
  },
};

const common = {
  bundle: true,
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  platform: "browser",
  format: "esm",
  target: "chrome114",
  sourcemap: false,
  // The PNG renderer's native module is loaded lazily and never in the browser.
  external: ["@resvg/resvg-js"],
  // Only the Anneal language server runs in the worker; Node's `process` is not there.
  define: { "process.env.NODE_ENV": '"production"' },
};

/** The two bundles, exported so the tests and the benchmark build exactly what ships. */
export const builds = [
  { ...common, entryPoints: [join(here, "src", "main.ts")], outfile: join(dist, "app.js"), plugins: [examplesPlugin] },
  { ...common, entryPoints: [join(root, "packages", "lsp", "src", "server-browser.ts")], outfile: join(dist, "server.js") },
];

/** Builds dist/; sets a failing exit code (after esbuild printed why) rather than throwing. */
export async function buildPlayground() {
  mkdirSync(dist, { recursive: true });
  try {
    await Promise.all(builds.map((b) => esbuild.build(b)));
  } catch {
    process.exitCode = 1;
    return;
  }
  const html = readFileSync(join(here, "src", "index.html"), "utf8").replace("%CSP%", CONTENT_SECURITY_POLICY);
  writeFileSync(join(dist, "index.html"), html);
  for (const f of ["style.css", "editor.css"]) copyFileSync(join(here, "src", f), join(dist, f));
  copyFileSync(join(root, "packages", "vscode-extension", "icon.svg"), join(dist, "icon.svg"));
  // The service worker caches every file of the site, under a version made from their bytes.
  const files = ["index.html", "app.js", "server.js", "style.css", "editor.css", "icon.svg"];
  const hash = createHash("sha256");
  for (const f of files) hash.update(readFileSync(join(dist, f)));
  const sw = readFileSync(join(here, "src", "sw.js"), "utf8")
    .replace("%VERSION%", hash.digest("hex").slice(0, 16))
    .replace("%FILES%", JSON.stringify(["./", ...files.map((f) => `./${f}`)]));
  writeFileSync(join(dist, "sw.js"), sw);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) await buildPlayground();
