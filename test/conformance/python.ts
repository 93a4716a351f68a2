// Finding and running the Python that has torch, and the rule for when it is missing.
//
// The interpreter is `ANNEAL_PYTHON`, else /usr/bin/python3 (where Debian's python3-torch
// lives; a `python3` on PATH may be another installation without torch). Without torch
// the runtime tests say so loudly and are skipped, unless `ANNEAL_REQUIRE_TORCH=1` (as in
// CI), which turns the absence into a failure. They never pass silently.

import { spawn } from "node:child_process";

export const pythonPath = process.env.ANNEAL_PYTHON ?? "/usr/bin/python3";
export const torchRequired = process.env.ANNEAL_REQUIRE_TORCH === "1";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

/** Runs Python (`python`, by default the one above) with `args` and optional standard input; never rejects. */
export function runPython(args: string[], stdin?: string, python = pythonPath): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const child = spawn(python, args, { stdio: ["pipe", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", (e) => resolve({ code: null, stdout, stderr, spawnError: e.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/** The banner printed when a runtime is missing, so a skipped run cannot go unnoticed. */
export function missingBanner(what: string, reason: string): string {
  const fix = torchRequired
    ? "ANNEAL_REQUIRE_TORCH=1 is set, so this is a failure."
    : "These tests are SKIPPED. Set ANNEAL_PYTHON to a Python with torch (ANNEAL_REQUIRE_TORCH=1 makes this fatal).";
  const line = "!".repeat(78);
  return `\n${line}\n!! ${what} unavailable (${pythonPath}): ${reason}\n!! ${fix}\n${line}\n`;
}
