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

/**
 * The Pythons the runtime tests run on: Debian's torch 1.13 (above) and a torch 2.x, which
 * `python3 -m pip install torch==2.13.0+cpu` puts under the `python3` first on PATH
 * (`ANNEAL_PYTHON_TORCH2` names another). `ANNEAL_REQUIRE_TORCH2=1` makes its absence fatal.
 */
export interface Interpreter {
  label: string;
  path: string;
  required: boolean;
}

export const interpreters: Interpreter[] = [
  { label: "torch 1.13 (Debian)", path: pythonPath, required: torchRequired },
  { label: "torch 2.x (pip)", path: process.env.ANNEAL_PYTHON_TORCH2 ?? "python3", required: process.env.ANNEAL_REQUIRE_TORCH2 === "1" },
];

/** Runs Python with `args` and optional standard input; never rejects. */
export function runPython(args: string[], stdin?: string, python: string = pythonPath): Promise<RunResult> {
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

/** What the banner says about the variables that choose a runtime and require it. */
export interface RuntimeVariables {
  require: string;
  how: string;
}

const TORCH_VARIABLES: RuntimeVariables = {
  require: "ANNEAL_REQUIRE_TORCH / ANNEAL_REQUIRE_TORCH2",
  how: "Set ANNEAL_PYTHON (torch 1.13) or ANNEAL_PYTHON_TORCH2 to a Python with torch (ANNEAL_REQUIRE_TORCH=1 / ANNEAL_REQUIRE_TORCH2=1 make this fatal).",
};

/**
 * The Python with Keras, JAX, optax and Lightning: `ANNEAL_PYTHON_FRAMEWORKS`, else the
 * torch 2.x one (the `python3` on PATH, where pip installs them).
 */
export const frameworksPython = process.env.ANNEAL_PYTHON_FRAMEWORKS ?? process.env.ANNEAL_PYTHON_TORCH2 ?? "python3";

/** The banner printed when a runtime is missing, so a skipped run cannot go unnoticed. */
export function missingBanner(what: string, reason: string, python: Interpreter = interpreters[0]!, variables = TORCH_VARIABLES): string {
  const fix = python.required
    ? `It is required (${variables.require}), so this is a failure.`
    : `These tests are SKIPPED. ${variables.how}`;
  const line = "!".repeat(78);
  return `\n${line}\n!! ${what} unavailable (${python.path}): ${reason}\n!! ${fix}\n${line}\n`;
}

/** What one interpreter's run of a driver reported: results by case id, or why it could not run. */
export type DriverOutcome<R> = { ok: true; version?: string; results: Map<string, R> } | { ok: false; reason: string };

/** A case's results under `py`, or a skip (a failure when that runtime is required). */
export function driverResult<R>(outcomes: Map<string, DriverOutcome<R>>, py: Interpreter, id: string, skip: () => void): R {
  const outcome = outcomes.get(py.label);
  if (!outcome || !outcome.ok) {
    if (py.required) throw new Error(`${py.label} is required but unavailable: ${outcome && !outcome.ok ? outcome.reason : "not run"}`);
    skip();
    throw new Error("unreachable: skipped");
  }
  const r = outcome.results.get(id);
  if (!r) throw new Error(`no torch result for ${id}`);
  return r;
}

/**
 * Runs a driver script (`driver.py CASES.json`) under every interpreter at once (importing
 * torch is most of the time) and returns what each reported, printing the banner for a
 * missing torch. Exit 3 is the driver's "torch is missing"; any other failure is a real one.
 */
export async function runDriverEverywhere<R extends { id: string }>(driver: string, casesPath: string, what: string): Promise<Map<string, DriverOutcome<R>>> {
  const outcomes = new Map<string, DriverOutcome<R>>();
  const runs = await Promise.all(interpreters.map((py) => runPython([driver, casesPath], undefined, py.path)));
  for (const [i, py] of interpreters.entries()) {
    const r = runs[i]!;
    let outcome: DriverOutcome<R>;
    if (r.spawnError !== undefined) outcome = { ok: false, reason: `cannot start Python: ${r.spawnError}` };
    else if (r.code === 3) outcome = { ok: false, reason: (JSON.parse(r.stdout) as { error: string }).error };
    else if (r.code !== 0) throw new Error(`the ${what} failed under ${py.label} (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
    else {
      const parsed = JSON.parse(r.stdout) as { torch: string; results: R[] };
      outcome = { ok: true, version: parsed.torch, results: new Map(parsed.results.map((x) => [x.id, x])) };
    }
    outcomes.set(py.label, outcome);
    if (!outcome.ok) console.warn(missingBanner(`PyTorch (${py.label})`, outcome.reason, py));
  }
  return outcomes;
}
