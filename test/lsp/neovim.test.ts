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
      const source = readFileSync(join(ROOT, "examples", "quickstart.anneal"), "utf8").replace("restart every 12k", "restart every 13k");
      expect(source).toContain("restart every 13k");
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
      };
      expect(result.error).toBeUndefined();
      expect(result.steps).toEqual(["attached", "diagnostics", "hover", "inlay hints", "code lenses", "stopped"]);
      // The cut-short cycle, raised to an error by the lint setting Neovim passed on
      // (vim.diagnostic.severity.ERROR is 1).
      const a309 = result.diagnostics.find((d) => d.code === "A309");
      expect(a309).toBeDefined();
      expect(a309!.severity).toBe(1);
      expect(a309!.lnum).toBe(hoverLine);
      expect(result.hover.kind).toBe("markdown");
      const b64 = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(result.hover.value)?.[1];
      expect(Buffer.from(b64 ?? "", "base64").toString("utf8")).toMatch(/^<svg/);
      expect(result.hover.value).toContain("4,000 steps");
      const labels = result.inlay_hints.map((h) => h.label);
      expect(labels).toContain("= 4,000 steps");
      expect(labels.some((l) => /^[▁▂▃▄▅▆▇█]{16} 3e-4 → /.test(l))).toBe(true);
      expect(result.code_lenses[0]!.command.command).toBe("anneal.preview");
      expect(result.code_lenses[0]!.command.title).toMatch(/[▁▂▃▄▅▆▇█]{16}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
