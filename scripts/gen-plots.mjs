#!/usr/bin/env node
// Regenerates docs/plots/NAME.png for every examples/NAME.anneal, with the same renderer
// `anneal plot -o NAME.png` uses. A file with several schedules gives one image with them
// overlaid. Images of examples that no longer exist are removed.
//
// The compiler is TypeScript, so this script bundles the two entry points it needs
// (`compile` and `renderPng`) from source with esbuild into node_modules/.cache and
// imports the bundle: the images always match the source, with or without a prior build.
//
// Usage: node scripts/gen-plots.mjs [--check]
//   --check   exit 1 if an image would change (or is missing or stale) instead of writing.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const examplesDir = join(root, "examples");
const outDir = join(root, "docs", "plots");
const check = process.argv.includes("--check");

/** Image size in CSS pixels, drawn at twice the resolution for high-density screens. */
const WIDTH = 720;
const HEIGHT = 360;
const SCALE = 2;

async function loadCompiler() {
  const cacheDir = join(root, "node_modules", ".cache", "anneal");
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, "gen-plots.mjs");
  await build({
    stdin: {
      contents: [
        'export { compile } from "./packages/compiler/src/compile.ts";',
        'export { renderPng } from "./packages/compiler/src/plot/png.ts";',
        'export { formatDiagnostics } from "./packages/compiler/src/cli/render.ts";',
      ].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // A native module: loaded from node_modules at run time, never bundled.
    external: ["@resvg/resvg-js"],
    outfile,
    logLevel: "warning",
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

const { compile, renderPng, formatDiagnostics } = await loadCompiler();

const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".anneal"))
  .sort();
if (examples.length === 0) {
  console.error(`gen-plots: no .anneal files in ${relative(root, examplesDir)}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

let failed = false;
const expected = new Set();
for (const name of examples) {
  const stem = name.replace(/\.anneal$/, "");
  const source = join(examplesDir, name);
  const text = readFileSync(source, "utf8");
  const result = compile(text);
  const shown = relative(root, source);
  if (result.hasErrors) {
    console.error(formatDiagnostics(result.diagnostics.filter((d) => d.severity === "error"), shown, text));
    failed = true;
    continue;
  }
  const irs = result.schedules.flatMap((s) => (s.ir ? [s.ir] : []));
  const title = irs.length === 1 && irs[0].name !== "default" ? irs[0].name : stem;
  const png = Buffer.from(await renderPng(irs, { width: WIDTH, height: HEIGHT, scale: SCALE, title }));
  const target = join(outDir, `${stem}.png`);
  expected.add(`${stem}.png`);
  const same = existsSync(target) && readFileSync(target).equals(png);
  if (check) {
    if (!same) {
      console.error(`gen-plots: ${relative(root, target)} is out of date; run node scripts/gen-plots.mjs`);
      failed = true;
    }
  } else if (!same) {
    writeFileSync(target, png);
    console.log(`wrote ${relative(root, target)}`);
  }
}
// An example that failed to compile keeps its old image until it is fixed.
for (const f of failed ? [] : readdirSync(outDir)) {
  if (!f.endsWith(".png") || expected.has(f)) continue;
  if (check) {
    console.error(`gen-plots: ${relative(root, join(outDir, f))} has no example`);
    failed = true;
  } else {
    rmSync(join(outDir, f));
    console.log(`removed ${relative(root, join(outDir, f))}`);
  }
}
process.exit(failed ? 1 : 0);
