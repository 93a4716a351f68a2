// The one entry point: `compile(text, options)`. Pure (no I/O), and it never throws: every
// problem, including a bug in a later stage, comes back as a diagnostic next to whatever
// could still be computed. The CLI, the language server and the tests all call this.

import { type AnnealFile, type Diagnostic, type Expr, type ParseResult, type PhaseChain, parse, parseExpression, type Range, type RoleToken, type Schedule, type SettingKey, tokenRoles } from "@anneal/dsl";
import { bind, type Bound, type NameBinding, type UnresolvedName } from "./bind.js";
import { type OverrideExprs, type ResolvedDuration, type ResolvedPhase, resolveSchedule, type ScheduleSource, type SettingSource } from "./check/schedule.js";
import { type LetBinding, Scope } from "./check/values.js";
import { finishDiagnostics, type LintLevel, Reporter } from "./diagnostics/report.js";
import { createEvaluator, type Evaluator } from "./evaluate.js";
import type { ClockUnit, ScheduleIR } from "./ir.js";
import { runLints } from "./lints.js";

/** Setting values given from outside the file; strings use the language's syntax (`"90 epochs"`). */
export interface SettingValues {
  total?: string | number;
  lr?: string | number;
  stepsPerEpoch?: string | number;
  tokensPerStep?: string | number;
}

/**
 * The largest source Anneal's tools analyse: 2 MiB (bytes for the `anneal` command,
 * characters for the language server). Compiling takes some 300 bytes of memory per byte of
 * source (700 for a file of syntax errors), so a larger limit let big files end in an
 * out-of-memory crash instead of a message; real schedules are a few hundred bytes.
 */
export const MAX_SOURCE_SIZE = 2 * 1024 * 1024;

export interface CompileOptions {
  /** Values that win over the file's own settings. */
  overrides?: SettingValues;
  /**
   * Values used only where the file (and the schedule) sets none, such as an editor's
   * `anneal.defaults.total`.
   */
  defaults?: SettingValues;
  /** Severity per code for warnings and information (`off` drops them); errors stay errors. */
  lint?: Record<string, LintLevel>;
  /**
   * The parse of `text`, when the caller already has it (an editor that formats, highlights
   * and checks one document version parses it once). It must be `parse(text)` of this very
   * text; without it compile() parses.
   */
  parsed?: ParseResult;
}

export interface CompiledSchedule {
  name: string;
  nameRange: Range;
  range: Range;
  /** The lowered schedule; undefined when the schedule has errors. */
  ir?: ScheduleIR;
  /** An evaluator over `ir` (relative schedules at a peak of 1). */
  evaluator?: Evaluator;
  /** What one tick is, even when the schedule has errors and no IR. */
  clock: ClockUnit;
  /** The phases that resolved, with their ticks and values. */
  phases: ResolvedPhase[];
  /**
   * Every duration expression that resolved, with how it was converted: what was written
   * (a bare count, a percent of `total`, a unit), the settings the conversion used, the
   * ticks, and the value before rounding when rounding changed it.
   */
  durations: ResolvedDuration[];
  /** The schedule's node in `ast`: its `schedule` block, or the top-level chain of the file's default schedule. */
  node: Schedule | PhaseChain;
}

export interface CompileResult {
  ast: AnnealFile;
  diagnostics: Diagnostic[];
  schedules: CompiledSchedule[];
  hasErrors: boolean;
  /** The parse this result was built from; give it to `format(text, parsed)` instead of parsing again. */
  parsed: ParseResult;
  /**
   * Every token and comment with its role (phase, unit, setting, name, ...), in source
   * order, for semantic highlighting. Computed on first read.
   */
  tokens: RoleToken[];
  /**
   * Every name the file defines (`let`s and schedule blocks), with its definition and every
   * reference to it, from the binder (`bind.ts`), in source order of the definitions.
   */
  names: NameBinding[];
  /** Uses of names defined nowhere in reach (each is also an A101 where it is evaluated). */
  unresolvedNames: UnresolvedName[];
}

const OVERRIDE_FLAGS = { total: "--total", lr: "--lr", stepsPerEpoch: "--steps-per-epoch", tokensPerStep: "--tokens-per-step" } as const;

export function compile(text: string, options: CompileOptions = {}): CompileResult {
  let ast: AnnealFile = { kind: "File", range: { start: 0, end: text.length }, items: [], comments: [] };
  const report = new Reporter();
  const schedules: CompiledSchedule[] = [];
  let parsed: ParseResult = { ast, diagnostics: [], tokens: [] };
  let bound: Bound | undefined;
  try {
    parsed = options.parsed ?? parse(text);
    ast = parsed.ast;
    // A loop, not `push(...list)`: spreading a list of a hundred thousand syntax errors
    // into arguments overflows the stack.
    for (const d of parsed.diagnostics) report.diagnostics.push(d);
    const overrides = parseOverrides(options.overrides, report, "override");
    const defaults = parseOverrides(options.defaults, report, "default");
    const syntaxErrors = parsed.diagnostics.filter((d) => d.severity === "error");
    const touchesSyntaxError = overlapSearch(syntaxErrors.map((d) => d.range));
    bound = bind(ast, report);
    const { sources, bindings, nodes } = collect(ast, text, report, bound, touchesSyntaxError);
    const used = new Set<LetBinding>();
    for (const src of sources) {
      if (touchesSyntaxError(src.range)) src.broken = true;
      const r = resolveSchedule(src, report, overrides, used, defaults);
      if (r.ir) runLints(r, report);
      const compiled: CompiledSchedule = {
        name: src.name,
        nameRange: src.nameRange,
        range: src.range,
        clock: r.clock,
        phases: r.phases,
        durations: r.durations,
        node: nodes.get(src)!,
        ...(r.ir ? { ir: r.ir } : {}),
      };
      if (r.ir) lazyEvaluator(compiled, r.ir);
      schedules.push(compiled);
    }
    for (const b of bindings)
      if (!used.has(b) && b.decl.name)
        report.report("A313", b.decl.name.range, `\`${b.decl.name.name}\` is defined but never used`, {
          fixes: [{ title: `Remove \`let ${b.decl.name.name}\``, edits: [{ range: b.decl.range, newText: "" }] }],
        });
  } catch (e) {
    report.report("A000", { start: 0, end: 0 }, `internal error: ${(e as Error)?.message ?? String(e)}; please report this file`);
  }
  const diagnostics = finishDiagnostics(report.diagnostics, options.lint);
  const result = {
    ast,
    diagnostics,
    schedules,
    hasErrors: diagnostics.some((d) => d.severity === "error"),
    parsed,
    names: bound?.names ?? [],
    unresolvedNames: bound?.unresolved ?? [],
  } as CompileResult;
  const roles = parsed;
  let tokens: RoleToken[] | undefined;
  Object.defineProperty(result, "tokens", { get: () => (tokens ??= safeRoles(roles)), enumerable: true, configurable: true });
  return result;
}

/** The tokens' roles; a fault there leaves highlighting to the lexer's categories, never a throw. */
function safeRoles(parsed: ParseResult): RoleToken[] {
  try {
    return tokenRoles(parsed);
  } catch {
    return [];
  }
}

/**
 * Gives a schedule its evaluator on first use. Building one lays out its lookup tables,
 * which cost as much as checking the schedule, and most callers of `compile()` (the
 * checker's diagnostics, the formatter, hovers on other schedules) never evaluate.
 */
function lazyEvaluator(s: CompiledSchedule, ir: ScheduleIR): void {
  let evaluator: Evaluator | undefined;
  Object.defineProperty(s, "evaluator", {
    get: () => (evaluator ??= createEvaluator(ir)),
    enumerable: true,
    configurable: true,
  });
}

/**
 * Whether a range overlaps (or touches) any of `ranges`, which are sorted by start. A binary
 * search over the starts and a running maximum of the ends: asking each schedule against
 * every syntax error made a file of many broken schedules quadratic.
 */
function overlapSearch(ranges: Range[]): (r: Range) => boolean {
  const maxEnd: number[] = [];
  for (const [i, r] of ranges.entries()) maxEnd.push(Math.max(r.end, i > 0 ? maxEnd[i - 1]! : -Infinity));
  return (r) => {
    // The last range that starts at or before r.end; only those can overlap r.
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid]!.start <= r.end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1]! >= r.start;
  };
}

function parseOverrides(o: SettingValues | undefined, report: Reporter, kind: "override" | "default"): OverrideExprs {
  const out: OverrideExprs = {};
  if (!o) return out;
  for (const key of Object.keys(OVERRIDE_FLAGS) as (keyof typeof OVERRIDE_FLAGS)[]) {
    const raw = o[key];
    if (raw === undefined) continue;
    const text = String(raw);
    const r = parseExpression(text);
    if (!r.expr || r.diagnostics.some((d) => d.severity === "error")) {
      const why = r.diagnostics[0]?.message ?? "not a value";
      const name = kind === "override" ? OVERRIDE_FLAGS[key] : `the default ${key}`;
      report.report("A112", { start: 0, end: 0 }, `${name} ${JSON.stringify(text)} is not a valid value: ${why}`);
      continue;
    }
    // Overrides have no place in the file: their ranges point at its start.
    out[key] = anchor(r.expr);
  }
  return out;
}

function anchor(e: Expr): Expr {
  return JSON.parse(JSON.stringify(e), (k, v) => (k === "range" || k === "unitRange" ? { start: 0, end: 0 } : v)) as Expr;
}

function firstLineRange(text: string): Range {
  const nl = text.search(/[\r\n]/);
  return { start: 0, end: nl < 0 ? text.length : nl };
}

/**
 * Whether a chain schedules a hyperparameter beside the learning rate (`momentum: ...`).
 * This compiler does not lower those yet, so each is reported on its label rather than
 * being taken for the learning-rate chain.
 */
function isHyperparameterChain(c: PhaseChain, code: "A215" | "A216", report: Reporter): boolean {
  if (!c.target || c.target.name === "lr") return false;
  report.report(code, c.target.range, `a \`${c.target.name}:\` chain is read but cannot be compiled by this version of Anneal; remove this chain to compile the learning rate`);
  return true;
}

/** Scopes, settings and schedule sources of a file, with the structural errors found on the way. */
function collect(ast: AnnealFile, text: string, report: Reporter, bound: Bound, touchesSyntaxError: (r: Range) => boolean): { sources: ScheduleSource[]; bindings: LetBinding[]; nodes: Map<ScheduleSource, Schedule | PhaseChain> } {
  const top = bound.top;
  const kept = new Set<Scope>([top]);
  const nodes = new Map<ScheduleSource, Schedule | PhaseChain>();
  const topSettings = new Map<SettingKey, SettingSource>();
  const addSetting = (map: Map<SettingKey, SettingSource>, own: Set<SettingKey>, s: SettingSource) => {
    if (own.has(s.setting.key)) {
      report.report("A213", s.setting.keyRange, `\`${s.setting.key}\` is set twice in this scope; keep one`, {
        related: [{ message: "first setting", range: map.get(s.setting.key)!.setting.keyRange }],
      });
      return;
    }
    own.add(s.setting.key);
    map.set(s.setting.key, s);
  };

  const topOwn = new Set<SettingKey>();
  const topChains: PhaseChain[] = [];
  for (const item of ast.items) {
    if (item.kind === "Setting") addSetting(topSettings, topOwn, { setting: item, scope: top });
    else if (item.kind === "Chain" && !isHyperparameterChain(item, "A216", report)) topChains.push(item);
  }

  const sources: ScheduleSource[] = [];
  if (topChains.length > 0) {
    const chain = topChains[0]!;
    for (const extra of topChains.slice(1))
      report.report("A216", extra.phases[0]!.keywordRange, "a second chain of phases at the top of the file; join it to the first with `->`, or give each its own `schedule NAME { ... }` block", {
        fixes: [{ title: "Join with ->", edits: [{ range: { start: extra.range.start, end: extra.range.start }, newText: "-> " }] }],
      });
    const source: ScheduleSource = { name: "default", nameRange: chain.phases[0]!.keywordRange, range: chain.range, chain, settings: topSettings, scope: top, broken: topChains.length > 1 };
    sources.push(source);
    nodes.set(source, chain);
  }
  const names = new Map<string, Range>();
  for (const item of ast.items) {
    if (item.kind !== "Schedule" || !item.name) continue;
    const prev = names.get(item.name.name);
    if (prev) {
      report.report("A214", item.name.range, `a schedule named \`${item.name.name}\` is already defined`, { related: [{ message: "first definition", range: prev }] });
      continue;
    }
    names.set(item.name.name, item.name.range);
    const scope = bound.scopes.get(item)!;
    kept.add(scope);
    const settings = new Map(topSettings);
    const own = new Set<SettingKey>();
    for (const b of item.body) if (b.kind === "Setting") addSetting(settings, own, { setting: b, scope });
    const chains = item.chains.filter((c) => !isHyperparameterChain(c, "A215", report));
    if (chains.length === 0) {
      // A block whose phases a syntax error swallowed is reported once, by that error.
      if (item.close && chains.length === item.chains.length && !touchesSyntaxError(item.range))
        report.report("A215", item.name.range, `schedule \`${item.name.name}\` has no phases; add a chain such as \`warmup 4% -> cosine\``);
      continue;
    }
    for (const extra of chains.slice(1))
      report.report("A215", extra.phases[0]!.keywordRange, "a second chain of phases in this schedule; join it to the first with `->`", {
        fixes: [{ title: "Join with ->", edits: [{ range: { start: extra.range.start, end: extra.range.start }, newText: "-> " }] }],
      });
    const source: ScheduleSource = { name: item.name.name, nameRange: item.name.range, range: item.range, chain: chains[0]!, settings, scope, broken: chains.length > 1 };
    sources.push(source);
    nodes.set(source, item);
  }
  if (sources.length === 0 && ast.items.length > 0 && !ast.items.some((i) => i.kind === "Schedule") && !report.hasErrors)
    report.report("A221", firstLineRange(text), "this file defines no schedule; add a chain of phases, such as `warmup 4% -> cosine`");
  // The lets of a block that is not compiled (a second block of one name) are never
  // evaluated, so they are not offered to the unused-name lint.
  return { sources, bindings: bound.lets.filter((b) => kept.has(b.scope)), nodes };
}
