// Invariants of the code base that no single package test can see.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";

const root = join(import.meta.dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"'`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

/** What each package's sources may import, beyond relative paths and Node built-ins. */
const ALLOWED: Record<string, RegExp> = {
  dsl: /^(chevrotain)$/,
  compiler: /^(@anneal\/dsl|@resvg\/resvg-js|@lezer\/python)$/,
  lsp: /^(@anneal\/dsl|@anneal\/compiler|vscode-languageserver(\/.*)?|vscode-languageserver-textdocument|vscode-languageserver-protocol)$/,
  "vscode-extension": /^(@anneal\/dsl|@anneal\/compiler|@anneal\/compiler\/.*|@anneal\/lsp|vscode|vscode-languageclient(\/.*)?)$/,
  // The playground is a client: CodeMirror and its LSP client (with the protocol's types), the
  // compiler for plots and code, and the examples its build compiles in. The server reaches it
  // as a bundle of packages/lsp's browser entry, run in a worker.
  playground: /^(@anneal\/compiler|@anneal\/lsp|@codemirror\/[a-z-]+|vscode-languageserver-protocol|anneal:examples)$/,
};

describe("dependency direction: dsl <- compiler <- lsp <- vscode-extension, playground", () => {
  for (const [pkg, allowed] of Object.entries(ALLOWED)) {
    test(`${pkg} imports only what lies below it`, () => {
      const dir = join(root, "packages", pkg, "src");
      const bad: string[] = [];
      for (const f of sourceFiles(dir))
        for (const spec of importsOf(f)) {
          if (spec.startsWith(".") || spec.startsWith("node:")) {
            // A relative import must stay inside its own package.
            if (spec.startsWith(".") && !join(f, "..", spec).startsWith(join(root, "packages", pkg))) bad.push(`${relative(root, f)}: ${spec}`);
            continue;
          }
          if (!allowed.test(spec)) bad.push(`${relative(root, f)}: ${spec}`);
        }
      expect(bad).toEqual([]);
    });
  }
});

test("the playground depends on lsp and compiler, runs lsp's browser entry, and nothing depends on it", () => {
  const manifest = (pkg: string) => JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string> };
  const playground = manifest("playground");
  expect(Object.keys(playground.dependencies ?? {}).filter((d) => d.startsWith("@anneal/")).sort()).toEqual(["@anneal/compiler", "@anneal/lsp"]);
  expect(readFileSync(join(root, "packages", "playground", "build.mjs"), "utf8")).toContain('"lsp", "src", "server-browser.ts"');
  const dependents: string[] = [];
  for (const pkg of readdirSync(join(root, "packages"))) {
    if (pkg === "playground") continue;
    if (playground.name in (manifest(pkg).dependencies ?? {})) dependents.push(`packages/${pkg}/package.json`);
    for (const f of sourceFiles(join(root, "packages", pkg, "src")))
      for (const spec of importsOf(f)) if (spec === playground.name || spec.includes("playground/")) dependents.push(`${relative(root, f)}: ${spec}`);
  }
  expect(dependents).toEqual([]);
});

test("the compiler core does no I/O: only the CLI touches the file system or processes", () => {
  const dir = join(root, "packages", "compiler", "src");
  const bad: string[] = [];
  for (const f of sourceFiles(dir)) {
    if (relative(dir, f).startsWith("cli")) continue;
    for (const spec of importsOf(f)) if (/^(node:)?(fs|fs\/promises|child_process|net|http|https)$/.test(spec)) bad.push(`${relative(root, f)}: ${spec}`);
  }
  expect(bad).toEqual([]);
});

test("only the language server imports vscode-languageserver, only the extension imports vscode", () => {
  const offenders: string[] = [];
  for (const pkg of ["dsl", "compiler", "lsp", "vscode-extension", "playground"])
    for (const f of sourceFiles(join(root, "packages", pkg, "src")))
      for (const spec of importsOf(f)) {
        // A client may use the protocol's types; the server library is the server's alone.
        const clientTypes = pkg === "playground" && spec === "vscode-languageserver-protocol";
        if (spec.startsWith("vscode-languageserver") && pkg !== "lsp" && !clientTypes) offenders.push(`${relative(root, f)}: ${spec}`);
        if ((spec === "vscode" || spec.startsWith("vscode-languageclient")) && pkg !== "vscode-extension") offenders.push(`${relative(root, f)}: ${spec}`);
      }
  expect(offenders).toEqual([]);
});

test("docs/diagnostics.md is generated from the current registry (run `npm run docs`)", async () => {
  const { renderDiagnosticsDoc } = await import("../../packages/compiler/src/index.js");
  expect(readFileSync(join(root, "docs", "diagnostics.md"), "utf8")).toBe(renderDiagnosticsDoc());
});

test("the front end writes no diagnostic code or severity: the registry gives both", () => {
  const found: string[] = [];
  for (const f of sourceFiles(join(root, "packages", "dsl", "src"))) {
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/["'`]A\d{3}["'`]|\bseverity:\s*["'`]/g)) found.push(`${relative(root, f)}: ${m[0]}`);
  }
  expect(found).toEqual([]);
});

test("every code reported anywhere in the sources is in the registry", async () => {
  const { CODES } = await import("../../packages/compiler/src/index.js");
  const used = new Set<string>();
  for (const pkg of ["dsl", "compiler", "lsp"])
    for (const f of sourceFiles(join(root, "packages", pkg, "src")))
      for (const m of readFileSync(f, "utf8").matchAll(/["'`](A\d{3})["'`]/g)) used.add(m[1]!);
  const missing = [...used].filter((c) => !(c in CODES));
  expect(missing).toEqual([]);
});
