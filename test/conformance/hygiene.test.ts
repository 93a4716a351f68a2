// What generated files say about their source must be safe to read and to paste: the
// header's "regenerate with" command, run by a real POSIX shell, passes hostile file names
// as one argument each and runs nothing; bidirectional controls and zero-width characters
// from comments never appear raw in the .py, .js or .d.ts (Trojan Source), while the file
// still parses in the real Python and the real JavaScript engine.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "@anneal/compiler";
import { emit, type EmitTarget } from "../../packages/compiler/src/emit/index.js";
import { missingBanner, runPython, torchRequired } from "./python.js";

const dir = mkdtempSync(join(tmpdir(), "anneal-hygiene-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODE_TARGETS: EmitTarget[] = ["pytorch", "pytorch-native", "tfjs", "tfjs-dts"];
const IR = compile("lr 0.1\ntotal 100\nwarmup 10 from 1% -> cosine\n").schedules[0]!.ir!;

/** The command between backquotes on the header's "regenerate with" line. */
function regenerateLine(text: string): string {
  // To the end of the line: a backquote in a file name must not end the command early.
  const m = /regenerate with `(.*)`\.$/m.exec(text);
  expect(m, text.slice(0, 400)).not.toBeNull();
  return m![1]!;
}

describe("the regenerate command of a spec read from standard input", () => {
  test("reads the spec from standard input again, and reproduces the file", () => {
    const spec = "lr 0.1\ntotal 100\nwarmup 10 from 1% -> cosine\n";
    const bin = join(import.meta.dirname, "..", "..", "packages", "compiler", "bin", "anneal.mjs");
    const first = spawnSync(process.execPath, [bin, "emit", "pytorch", "-"], { input: spec, encoding: "utf8" });
    expect(first.status, first.stderr).toBe(0);
    const cmd = regenerateLine(first.stdout);
    expect(cmd).toBe("anneal emit pytorch --schedule default - < SPEC.anneal");
    // Pasted with the spec saved as SPEC.anneal, the command writes the same module.
    writeFileSync(join(dir, "SPEC.anneal"), spec);
    const again = spawnSync("sh", ["-c", `anneal() { ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"; }\n${cmd}`], { cwd: dir, encoding: "utf8" });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });
});

describe("the regenerate command is shell-safe", () => {
  // Names that once ran a command when pasted, injected flags, or split into words.
  const NAMES = ["$(touch PWNED).anneal", "`touch PWNED`.anneal", "my spec -o x.py.anneal", "-o evil.anneal", "it's; touch PWNED", "plain.anneal", "dir/sub dir/*.anneal"];

  test.each(NAMES)("%s: one argument, nothing run", (name) => {
    for (const target of CODE_TARGETS) {
      const cmd = regenerateLine(emit(target, IR, { source: name }).text);
      // A stand-in `anneal` prints each argument on its own line; a real POSIX shell runs the
      // pasted command in an empty directory, where PWNED would appear if anything ran.
      const r = spawnSync("sh", ["-c", `anneal() { for a in "$@"; do printf '%s\\n' "$a"; done; }\n${cmd}`], { cwd: dir, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      // The typings come with the module, so they regenerate with `tfjs`.
      const word = target === "pytorch-native" ? ["pytorch", "--native"] : target === "tfjs-dts" ? ["tfjs"] : [target];
      expect(r.stdout.split("\n").slice(0, -1)).toEqual(["emit", ...word, "--schedule", "default", "--", name]);
      expect(existsSync(join(dir, "PWNED"))).toBe(false);
    }
  });
});

describe("bidirectional and zero-width characters never reach generated files raw", () => {
  const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
  const SOURCE = "# access level: \u202e } \u2066if admin\u2069 \u2067 \u200b\u200d\u2060 end\nlr 0.1\ntotal 100\nwarmup 10 from 1% -> cosine\n";
  const result = compile(SOURCE);
  const ir = result.schedules[0]!.ir!;

  test("the source gets A320 at each of them", () => {
    expect(result.diagnostics.map((d) => [d.code, SOURCE.codePointAt(d.range.start)!.toString(16)])).toEqual(
      ["202e", "2066", "2069", "2067", "200b", "200d", "2060"].map((cp) => ["A320", cp]),
    );
    expect(result.diagnostics[0]!.message).toMatch(/U\+202E \(RIGHT-TO-LEFT OVERRIDE\).*remove it/);
  });

  test("Python escapes them and still compiles; its docstring holds the comment as written", async (ctx) => {
    const sources = (["pytorch", "pytorch-native"] as const).map((t) => emit(t, ir, { source: "s\u202e.anneal", text: SOURCE }).text);
    for (const s of sources) expect(s).not.toMatch(INVISIBLE);
    const check = "import ast, json, sys\nprint(json.dumps([ast.get_docstring(ast.parse(s), clean=False) for s in json.load(sys.stdin)]))";
    const r = await runPython(["-c", check], JSON.stringify(sources));
    if (r.spawnError !== undefined) {
      console.warn(missingBanner("Python", r.spawnError));
      if (torchRequired) throw new Error(`Python is required but unavailable: ${r.spawnError}`);
      ctx.skip();
    }
    expect(r.code, r.stderr).toBe(0);
    for (const doc of JSON.parse(r.stdout) as string[]) expect(doc).toContain(SOURCE.split("\n")[0]!);
  });

  test("JavaScript and typings escape them; the module imports and keeps the file name exactly", async () => {
    const js = emit("tfjs", ir, { source: "s\u202e.anneal", text: SOURCE }).text;
    const dts = emit("tfjs-dts", ir, { source: "s\u202e.anneal", text: SOURCE }).text;
    expect(js).not.toMatch(INVISIBLE);
    expect(dts).not.toMatch(INVISIBLE);
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`)) as { SOURCE: string };
    expect(mod.SOURCE).toBe("s\u202e.anneal");
  });
});
