// The language server in a real editor: headless Neovim (0.7+, its built-in LSP client)
// runs test/lsp/e2e.lua against a schedule with a mistake and reports what it saw as JSON.
// Without `nvim` on the PATH (or at $ANNEAL_NVIM) the test is skipped, or fails when
// ANNEAL_REQUIRE_NVIM=1.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ensureServerBuilt, ROOT, SERVER } from "./client.js";

function findNvim(): string | undefined {
  const candidate = process.env.ANNEAL_NVIM || "nvim";
  const r = spawnSync(candidate, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? candidate : undefined;
}

const nvim = findNvim();
const required = process.env.ANNEAL_REQUIRE_NVIM === "1";
const missing = "nvim is not installed (Debian: apt-get install neovim); the editor end-to-end test needs it";

if (!nvim && required) {
  test("neovim end to end", () => {
    throw new Error(`${missing}, and ANNEAL_REQUIRE_NVIM=1 makes it required`);
  });
} else {
  test.skipIf(!nvim)(`neovim end to end${nvim ? "" : ` (skipped: ${missing})`}`, () => {
    ensureServerBuilt();
    const dir = mkdtempSync(join(tmpdir(), "anneal-nvim-"));
    try {
      // The quickstart example with a restart period that does not divide the 96k-step
      // cosine: 96k = 7 × 13k + 5k, so the last cycle is cut short (A309).
      // A `let` to rename, and a line the formatter will tidy.
      const source = readFileSync(join(ROOT, "examples", "quickstart.anneal"), "utf8")
        .replace("restart every 12k", "restart every 13k")
        .replace("cosine to 1e-6", "cosine to floor")
        .replace("lr 3e-4", "let floor = 1e-6\nlr   3e-4");
      expect(source).toContain("restart every 13k");
      expect(source).toContain("cosine to floor");
      const file = join(dir, "mistake.anneal");
      writeFileSync(file, source);
      const lines = source.split("\n");
      const hoverLine = lines.findIndex((l) => l.includes("warmup 4%"));
      const out = join(dir, "result.json");
      const r = spawnSync(nvim!, ["--headless", "--clean", "-c", `luafile ${join(ROOT, "test", "lsp", "e2e.lua")}`], {
        cwd: dir,
        encoding: "utf8",
        timeout: 30_000,
        env: {
          ...process.env,
          ANNEAL_SERVER: SERVER,
          ANNEAL_FILE: file,
          ANNEAL_OUT: out,
          ANNEAL_HOVER_LINE: String(hoverLine),
          ANNEAL_HOVER_CHAR: String(lines[hoverLine]!.indexOf("4%") + 1),
        },
      });
      let json: string;
      try {
        json = readFileSync(out, "utf8");
      } catch {
        throw new Error(`nvim wrote no result (status ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
      }
      const result = JSON.parse(json) as {
        error?: string;
        steps: string[];
        diagnostics: { code: string; severity: number; lnum: number }[];
        hover: { kind: string; value: string };
        inlay_hints: { label: string }[];
        code_lenses: { command: { title: string; command: string } }[];
        completion: string[];
        renamed: string;
        format_edits: number;
        formatted: string;
        stale_lenses: { command: { title: string; command: string } }[];
      };
      expect(result.error).toBeUndefined();
      expect(result.steps).toEqual(["attached", "diagnostics", "hover", "inlay hints", "code lenses", "completion", "rename", "formatting", "stale", "stopped"]);
      // The cut-short cycle, raised to an error by the lint setting Neovim passed on
      // (vim.diagnostic.severity.ERROR is 1).
      const a309 = result.diagnostics.find((d) => d.code === "A309");
      expect(a309).toBeDefined();
      expect(a309!.severity).toBe(1);
      expect(a309!.lnum).toBe(hoverLine);
      // Neovim shows markdown as text and never said it draws images: a sparkline, not an
      // 11 KB data URI.
      expect(result.hover.kind).toBe("markdown");
      expect(result.hover.value).not.toContain("data:image");
      expect(result.hover.value).toMatch(/[\u2800-\u28ff]{16}/);
      expect(result.hover.value).toContain("4,000 steps");
      const labels = result.inlay_hints.map((h) => h.label);
      expect(labels).toContain("= 4,000 steps");
      expect(labels.some((l) => /^[\u2800-\u28ff]{16} 3e-4 → /.test(l))).toBe(true);
      // No preview in Neovim: the lens runs a command the server executes itself.
      expect(result.code_lenses[0]!.command.command).toBe("anneal.describe");
      expect(result.code_lenses[0]!.command.title).toMatch(/[\u2800-\u28ff]{16}/);
      expect(result.completion).toEqual(expect.arrayContaining(["cosine", "linear", "constant", "step"]));
      // The rename reached the definition and the use, and nothing else.
      expect(result.renamed).toBe(source.replace(/\n$/, "").replaceAll("floor", "min_lr"));
      // One small edit (the spaces after `lr`), and the file as the formatter writes it.
      expect(result.format_edits).toBe(1);
      expect(result.formatted).toContain("\nlr 3e-4\n");
      expect(result.formatted.replace("lr 3e-4", "")).toBe(result.renamed.replace("lr   3e-4", ""));
      // While `total` is broken, the lens keeps its place and the last good figures.
      expect(result.stale_lenses).toHaveLength(1);
      expect(result.stale_lenses[0]!.command.title).toBe(`${result.code_lenses[0]!.command.title} · stale (has errors)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
