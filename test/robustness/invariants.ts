// What must hold for every input, whatever it is: `compile()` returns (it never throws), it
// reports no internal error (A000), every range it hands out lies inside the document, every
// code is a registered one, messages carry no `undefined` or `[object Object]`, and every
// schedule it lowers evaluates to finite, non-negative rates over clock ticks that cover
// [0, total) without gaps. A violation comes back as a line of text, so a property can show
// every broken rule of one input at once.

import { compile, type CompileOptions, type CompileResult, CODES } from "@anneal/compiler";
import type { Diagnostic, Range } from "@anneal/dsl";

function rangeProblem(r: Range | undefined, length: number): string | undefined {
  if (!r) return "missing range";
  const ok = Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= length;
  return ok ? undefined : `range [${r.start}, ${r.end}) outside the document [0, ${length}]`;
}

/** Words that, in a message, betray a value printed by mistake (unless the source has them). */
const LEAKS = ["undefined", "[object Object]", "NaN", "null"];

function diagnosticProblems(d: Diagnostic, length: number, source: string): string[] {
  const out: string[] = [];
  const where = `${d.code} "${d.message}"`;
  const r = rangeProblem(d.range, length);
  if (r) out.push(`${where}: ${r}`);
  for (const rel of d.related ?? []) {
    const p = rangeProblem(rel.range, length);
    if (p) out.push(`${where}: related "${rel.message}": ${p}`);
  }
  for (const fix of d.fixes ?? [])
    for (const e of fix.edits) {
      const p = rangeProblem(e.range, length);
      if (p) out.push(`${where}: fix "${fix.title}": ${p}`);
    }
  if (d.code === "A000") out.push(`internal error: ${d.message}`);
  if (!Object.hasOwn(CODES, d.code)) out.push(`${where}: unregistered code`);
  if (!["error", "warning", "info", "hint"].includes(d.severity)) out.push(`${where}: severity ${String(d.severity)}`);
  if (typeof d.message !== "string" || d.message.trim() === "") out.push(`${d.code}: empty message`);
  for (const w of LEAKS) if (d.message.includes(w) && !source.includes(w)) out.push(`${where}: message shows "${w}"`);
  return out;
}

/** Ticks at which to read each schedule: its ends, every segment's bounds, and past the end. */
function sampleTicks(total: number, starts: number[]): number[] {
  const out = new Set<number>([0, total - 1, total, total + 1, Math.floor(total / 2), -1]);
  for (const s of starts) for (const t of [s - 1, s, s + 1]) if (t >= 0) out.add(t);
  return [...out];
}

function scheduleProblems(r: CompileResult): string[] {
  const out: string[] = [];
  for (const s of r.schedules) {
    const ir = s.ir;
    if (!ir) continue;
    const where = `schedule ${s.name}`;
    if (!s.evaluator) out.push(`${where}: lowered without an evaluator`);
    // Up to 2^53 ticks: every tick below it is an exact integer.
    if (!(Number.isInteger(ir.total) && ir.total >= 1 && ir.total <= 2 ** 53)) out.push(`${where}: total ${ir.total}`);
    let at = 0;
    for (const seg of ir.segments) {
      if (seg.start !== at || !(seg.end > seg.start)) out.push(`${where}: segment [${seg.start}, ${seg.end}) after tick ${at}`);
      at = seg.end;
    }
    if (at !== ir.total) out.push(`${where}: segments end at ${at}, total is ${ir.total}`);
    if (!s.evaluator) continue;
    for (const t of sampleTicks(ir.total, ir.segments.map((x) => x.start))) {
      const v = s.evaluator.lrAt(t);
      if (!(Number.isFinite(v) && v >= 0)) out.push(`${where}: lrAt(${t}) = ${v}`);
    }
  }
  if (r.hasErrors !== r.diagnostics.some((d) => d.severity === "error")) out.push("hasErrors disagrees with the diagnostics");
  return out;
}

export interface Checked {
  result?: CompileResult;
  problems: string[];
}

/** Compiles `text` and lists every invariant it breaks (empty when all hold). */
export function checkCompile(text: string, options?: CompileOptions): Checked {
  let result: CompileResult;
  try {
    result = compile(text, options);
  } catch (e) {
    return { problems: [`compile threw: ${(e as Error)?.stack ?? String(e)}`] };
  }
  const problems: string[] = [];
  // Words in the options (an override of "NaN") may rightly appear in messages too.
  const source = `${text}\n${JSON.stringify(options ?? {})}`;
  for (const d of result.diagnostics) problems.push(...diagnosticProblems(d, text.length, source));
  problems.push(...scheduleProblems(result));
  return { result, problems };
}

/** Throws (for fast-check, which then shrinks the input) when an invariant is broken. */
export function assertCompiles(text: string, options?: CompileOptions): CompileResult | undefined {
  const { result, problems } = checkCompile(text, options);
  if (problems.length > 0) throw new Error(`${problems.length} broken invariant(s):\n  ${problems.slice(0, 8).join("\n  ")}\ninput: ${JSON.stringify(text)}`);
  return result;
}
