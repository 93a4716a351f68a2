// Runs one of the repository's installed command-line tools (node_modules/.bin) and
// collects what it printed, so tests can spawn the real tools rather than re-implement them.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface BinResult {
  status: number | null;
  output: string;
}

/** Runs `node_modules/.bin/<name> ...args` in `cwd` and returns its exit status and output. */
export function runBin(name: string, args: string[], cwd = REPO_ROOT, timeoutMs = 120_000): BinResult {
  const bin = `${REPO_ROOT}node_modules/.bin/${name}`;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm install at the repository root`);
  const r = spawnSync(bin, args, { cwd, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
