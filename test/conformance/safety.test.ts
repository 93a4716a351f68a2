// Emission safety: text from the source (comments quoted in the header, the file name, a
// schedule name) must never break the generated code. Crafted inputs full of quotes,
// `"""`, `*/`, backslash escapes, line and paragraph separators, NEL, a BOM and a lone
// surrogate are emitted for every code target; the Python is compiled by a real Python
// (`compile()`, what `py_compile` does), the JavaScript is imported, the typings are parsed,
// and every string constant must read back exactly as crafted.

import fc from "fast-check";
import * as ts from "typescript";
import { describe, expect, test } from "vitest";
import { compile, type ScheduleIR } from "@anneal/compiler";
import { pyDocstring, pyString } from "../../packages/compiler/src/emit/escape.js";
import { emit, type EmitTarget } from "../../packages/compiler/src/emit/index.js";
import { missingBanner, runPython, torchRequired } from "./python.js";

const COMMENTS = [
  '# evil """ closes a docstring """ and */ closes a comment /* with \\ backslashes \\N{BULLET} \\x00 \'q\' "x"',
  "# a line separator \u2028 os.system('rm -rf /') and a paragraph separator \u2029 more ${template} `tick`",
  "# NEL \u0085 BOM \ufeff lone surrogate \ud800 tab\there, then a trailing backslash\\",
];

/** A real source file (CRLF line ends) whose schedule block carries the crafted comments. */
const SOURCE_TEXT = [
  "schedule evil_name {",
  `  ${COMMENTS[0]}`,
  "  lr 0.1  total 100",
  `  ${COMMENTS[1]}`,
  `  ${COMMENTS[2]}`,
  '  warmup 10 from 1% -> cosine to 0 # trailing """',
  "}",
  "",
].join("\r\n");

/** File and schedule names no parser produces, but that an IR or a path can hold. */
const FILE_NAME = 'we"ird\n*/ """ \u2028 name\\.anneal';
const EVIL_NAME = 'x"""\n*/\u2029\'"\\ \0 \ud800 end"';

function crafted(): { ir: ScheduleIR; renamed: ScheduleIR } {
  const result = compile(SOURCE_TEXT);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const ir = result.schedules[0]!.ir!;
  return { ir, renamed: { ...ir, name: EVIL_NAME } };
}

const PY_CHECK = String.raw`
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    try:
        tree = ast.parse(src)
        compile(tree, "<emitted>", "exec")
    except SyntaxError as exc:
        out.append({"error": "%s (line %s)" % (exc.msg, exc.lineno)})
        continue
    consts = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("SCHEDULE", "SOURCE"):
                consts[node.targets[0].id] = ast.literal_eval(node.value)
    names = sorted(n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))
    out.append({"doc": ast.get_docstring(tree, clean=False), "consts": consts, "defs": names})
print(json.dumps(out))
`;

const LITERAL_CHECK = String.raw`
import ast, json, sys
print(json.dumps([ast.literal_eval(lit) for lit in json.load(sys.stdin)]))
`;

describe("emission safety", () => {
  test("Python string and docstring literals read back exactly, for arbitrary strings", async (ctx) => {
    const unit = fc.oneof(
      fc.constantFrom('"', "'", "\\", "\n", "\r", "\t", "\u2028", "\u2029", "\u0085", "\ufeff", "\0", "\ud800", "\udfff", "N{", "x"),
      fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
    );
    const strings = fc.sample(fc.string({ unit, maxLength: 30 }), { numRuns: 400, seed: 20240601 });
    const literals = strings.flatMap((s) => [pyString(s), pyDocstring(s)]);
    const r = await runPython(["-c", LITERAL_CHECK], JSON.stringify(literals));
    if (r.spawnError !== undefined) {
      console.warn(missingBanner("Python", r.spawnError));
      if (torchRequired) throw new Error(`Python is required but unavailable: ${r.spawnError}`);
      ctx.skip();
    }
    expect(r.code, r.stderr).toBe(0);
    const back = JSON.parse(r.stdout) as string[];
    expect(back).toEqual(strings.flatMap((s) => [s, s]));
  });

  test("crafted comments and names give Python that compiles and reads back exactly", async (ctx) => {
    const { ir, renamed } = crafted();
    const targets: EmitTarget[] = ["pytorch", "pytorch-native"];
    const sources = targets.flatMap((t) => [
      emit(t, ir, { source: FILE_NAME, text: SOURCE_TEXT }).text,
      emit(t, renamed, { source: FILE_NAME, text: SOURCE_TEXT }).text,
    ]);
    const r = await runPython(["-c", PY_CHECK], JSON.stringify(sources));
    if (r.spawnError !== undefined) {
      console.warn(missingBanner("Python", r.spawnError));
      if (torchRequired) throw new Error(`Python is required but unavailable: ${r.spawnError}`);
      ctx.skip();
    }
    expect(r.code, r.stderr).toBe(0);
    const checked = JSON.parse(r.stdout) as { error?: string; doc: string; consts: Record<string, string>; defs: string[] }[];
    checked.forEach((c, i) => {
      expect(c.error).toBeUndefined();
      expect(c.consts.SOURCE).toBe(FILE_NAME);
      expect(c.consts.SCHEDULE).toBe(i % 2 === 0 ? "evil_name" : EVIL_NAME);
      // The docstring quotes the schedule's lines verbatim (CRLF read as LF).
      for (const line of COMMENTS) expect(c.doc).toContain(line);
      // Nothing leaked out of the docstring into code: only the expected definitions exist.
      // The class name is built from the schedule name's letters and digits only.
      const cls = [["EvilNameLR"], ["XEndLR"], [], []][i]!;
      // The state helpers and the past-end warning (emit/state.ts) are shared by both forms; `_checked` is native only.
      const state = [...(i < 2 ? [] : ["_checked"]), "_checked_settings", "_checked_state", "_spec_name", "_stamp", "_warn_past_end"];
      // The closed form also gives Lightning its scheduler config.
      const lightning = i < 2 ? ["lightning_scheduler_config"] : [];
      // And both resolve the settings bound at run time (emit/runtime.ts).
      const runtime = ["AnnealError", "AnnealWarning", "_closed_forms", "_fmt", "_forms", "_round_ticks", "_setting", "resolve_settings"];
      expect(c.defs).toEqual([...cls, ...state, ...lightning, ...runtime, "build_scheduler", "lr_at"].sort());
    });
  });

  test("crafted comments and names give a JavaScript module that imports and reads back exactly", async () => {
    const { ir, renamed } = crafted();
    for (const schedule of [ir, renamed]) {
      const text = emit("tfjs", schedule, { source: FILE_NAME, text: SOURCE_TEXT }).text;
      const mod = (await import(`data:text/javascript;base64,${Buffer.from(text).toString("base64")}`)) as Record<string, unknown>;
      expect(Object.keys(mod).sort()).toEqual(["AnnealError", "BOUND_AT_RUN_TIME", "CLOCK", "FINGERPRINT", "PEAK", "RELATIVE", "SCHEDULE", "SETTINGS", "SOURCE", "TOTAL_STEPS", "buildSchedule", "lrAt", "lrCallback", "resolveSettings"]);
      expect(mod.SCHEDULE).toBe(schedule.name);
      expect(mod.SOURCE).toBe(FILE_NAME);
      expect((mod.lrAt as (t: number) => number)(0)).toBeCloseTo(0.001, 15);
      // The header comment shows the comments, with `*/` broken up so it cannot close early.
      expect(text).toContain("evil \"\"\" closes a docstring \"\"\" and *\\/ closes a comment");
    }
  });

  test("the typings parse, and JSON / CSV round-trip the names", () => {
    const { renamed } = crafted();
    const dts = emit("tfjs-dts", renamed, { source: FILE_NAME, text: SOURCE_TEXT }).text;
    // Declarations are valid TypeScript too, so the transpiler reports any syntax error.
    const out = ts.transpileModule(dts, { reportDiagnostics: true, fileName: "schedule.ts" });
    expect(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    const sf = ts.createSourceFile("schedule.d.ts", dts, ts.ScriptTarget.ES2022, true);
    const declared = sf.statements.filter((s) => !ts.isInterfaceDeclaration(s)).length;
    // Nine constants (PEAK, FINGERPRINT and the settings included), four functions and the
    // error class: nothing else escaped the comment.
    expect(declared).toBe(14);
    const json = JSON.parse(emit("json", renamed, { source: FILE_NAME }).text) as { schedule: string; source: string };
    expect(json.schedule).toBe(EVIL_NAME);
    expect(json.source).toBe(FILE_NAME);
    expect(emit("csv", renamed).text.split("\n")[0]).toBe("step,lr");
  });
});
