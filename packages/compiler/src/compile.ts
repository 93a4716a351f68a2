// The one entry point: `compile(text, options)`. Pure (no I/O), and it never throws: every
// problem, including a bug in a later stage, comes back as a diagnostic next to whatever
// could still be computed. The CLI, the language server and the tests all call this.

import { type AnnealFile, type Diagnostic, type Expr, type Fix, type ParseResult, type PhaseChain, parse, parseExpression, NO_ROLES, type Range, type RoleTable, roleTable, type RoleToken, roleTokens, type Schedule, type SettingKey } from "@anneal/dsl";
import { bind, type Bound, type NameBinding, type UnresolvedName } from "./bind.js";
import { type OverrideExprs, reportWaitingChecks, type ResolvedDuration, type ResolvedPhase, resolveSchedule, type ScheduleSource, type SettingSource } from "./check/schedule.js";
import { type LetBinding, Scope } from "./check/values.js";
import { dropConsequences, type MisspelledSetting, suggestKeywords } from "./diagnostics/keywords.js";
import { finishDiagnostics, type LintLevel, lintLevelProblem, Reporter } from "./diagnostics/report.js";
import { createEvaluator, type Evaluator } from "./evaluate.js";
import type { ClockUnit, HyperParam, RuntimeKey, ScheduleIR } from "./ir.js";
import { LINTS, runFileLints, runLints } from "./lints/index.js";

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
   * How the caller's user wrote `overrides` and `lint`, so that a diagnostic about one names
   * it as written: `flags` (the default: `--total 10q`, `--lint A999=off`) or `settings`
   * (`anneal.total`, `anneal.lint.A999`). `defaults` are always named `anneal.defaults.*`.
   */
  optionNames?: "flags" | "settings";
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
  /** The lowered schedule; undefined when the schedule has errors, or a setting has no preview value. */
  ir?: ScheduleIR;
  /**
   * When the file writes a setting `?` with no preview value (`total ?`): those settings,
   * and the lowering the targets that take them at run time read (`emit` pytorch, keras,
   * optax). Its numbers are stand-ins, so nothing else may read them: the schedule has no
   * `ir`, no evaluator, and no phases or durations to annotate; A241 says so at the `?`.
   */
  runTimeOnly?: { settings: RuntimeKey[]; ir: ScheduleIR };
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
   * order, for semantic highlighting. Computed on first read, from `roles`.
   */
  tokens: RoleToken[];
  /** The same roles as columns of numbers (see `RoleTable`), which the language server reads. Computed on first read. */
  roles: RoleTable;
  /**
   * Every name the file defines (`let`s and schedule blocks), with its definition and every
   * reference to it, from the binder (`bind.ts`), in source order of the definitions.
   */
  names: NameBinding[];
  /** Uses of names defined nowhere in reach (each is also an A101 where it is evaluated). */
  unresolvedNames: UnresolvedName[];
}

const OVERRIDE_FLAGS = { total: "--total", lr: "--lr", stepsPerEpoch: "--steps-per-epoch", tokensPerStep: "--tokens-per-step" } as const;

/**
 * The lowering `emit()` reads for a schedule: its IR, or, when a setting has no preview
 * value, the run-time-only one (the targets that need its numbers refuse it, A406).
 */
export function emitIr(s: CompiledSchedule): ScheduleIR | undefined {
  return s.ir ?? s.runTimeOnly?.ir;
}

/** Why a schedule has no rates to show, as a clause for the tools that show them. */
export function noRatesReason(s: CompiledSchedule): string {
  if (!s.runTimeOnly) return "this schedule has errors";
  const keys = s.runTimeOnly.settings.map((k) => `\`${k}\``);
  return `${keys.join(" and ")} ${keys.length === 1 ? "is" : "are"} bound at run time with no preview value (write one after the \`?\`)`;
}

export function compile(text: string, options: CompileOptions = {}): CompileResult {
  let ast: AnnealFile = { kind: "File", range: { start: 0, end: text.length }, items: [], comments: [] };
  const report = new Reporter(text.length);
  const schedules: CompiledSchedule[] = [];
  let parsed: ParseResult = { ast, diagnostics: [], tokens: [] };
  let bound: Bound | undefined;
  try {
    parsed = options.parsed ?? parse(text);
    ast = parsed.ast;
    // A loop, not `push(...list)`: spreading a list of a hundred thousand syntax errors
    // into arguments overflows the stack.
    for (const d of parsed.diagnostics) report.syntax(d);
    const misspelled = suggestKeywords(report.diagnostics, text);
    for (const t of misspelled.typos) report.keywordTypos.push(t);
    const names = options.optionNames ?? "flags";
    const overrides = parseOverrides(options.overrides, report, (key) => (names === "flags" ? OVERRIDE_FLAGS[key] : `anneal.${key}`));
    const defaults = parseOverrides(options.defaults, report, (key) => `anneal.defaults.${key}`);
    checkLintLevels(options.lint, report, names);
    // Every syntax problem is an error; a schedule that touches one is broken.
    const touchesSyntaxError = overlapSearch(parsed.diagnostics.map((d) => d.range));
    bound = bind(ast, report);
    const { sources, bindings, nodes } = collect(ast, text, report, bound, touchesSyntaxError, misspelled.settings);
    const used = new Set<LetBinding>();
    const lintOptions = { overrides, defaults };
    for (const src of sources) {
      if (touchesSyntaxError(src.range)) src.broken = true;
      const r = resolveSchedule(src, report, overrides, used, defaults);
      if (r.ir) {
        runLints(r, report, lintOptions, r.pending ? LINTS.filter((l) => !l.readsTicks) : LINTS);
        reportWaitingChecks(r, report, overrides);
      }
      // A schedule with a setting that has no preview has no numbers of its own to show.
      const shown = r.pending ? undefined : r.ir;
      const compiled: CompiledSchedule = {
        name: src.name,
        nameRange: src.nameRange,
        range: src.range,
        clock: r.clock,
        // Copied to their length: an array grown by `push` keeps room for 17 entries, and
        // five such arrays per schedule were 17 MB of a file of 25,000 schedules.
        phases: r.pending ? [] : r.phases.slice(),
        // Durations written in an option have no place in the file to annotate.
        durations: r.durations.filter((d) => !report.inOption(d.range)).slice(),
        node: nodes.get(src)!,
        ...(shown ? { ir: shown } : {}),
        ...(r.pending && r.ir ? { runTimeOnly: { settings: r.pending, ir: r.ir } } : {}),
      };
      if (shown) lazyEvaluator(compiled, shown);
      schedules.push(compiled);
    }
    runFileLints({ text, bindings, used, report });
  } catch (e) {
    report.report("A000", { start: 0, end: 0 }, `internal error: ${(e as Error)?.message ?? String(e)}; please report this file`);
  }
  const diagnostics = finishDiagnostics(dropConsequences(report.diagnostics, report.keywordTypos, text, ast), options.lint, report);
  const result = {
    ast,
    diagnostics,
    schedules,
    hasErrors: diagnostics.some((d) => d.severity === "error"),
    parsed,
    names: bound?.names ?? [],
    unresolvedNames: bound?.unresolved ?? [],
  } as CompileResult;
  withRoles(result, parsed);
  return result;
}

/**
 * Gives a result its `roles` and `tokens`, each computed on first read from `parsed`; a
 * fault there leaves highlighting to the editor's grammar, never a throw. For a result
 * built over a new parse (the server's reuse of a compile) as for `compile()`'s own.
 */
export function withRoles(result: CompileResult, parsed: ParseResult): void {
  let table: RoleTable | undefined;
  let tokens: RoleToken[] | undefined;
  const roles = (): RoleTable => {
    if (table) return table;
    try {
      table = roleTable(parsed);
    } catch {
      table = NO_ROLES;
    }
    return table;
  };
  Object.defineProperty(result, "roles", { get: roles, enumerable: false, configurable: true });
  Object.defineProperty(result, "tokens", { get: () => (tokens ??= roleTokens(roles())), enumerable: true, configurable: true });
}

/**
 * Gives a schedule its evaluator on first use. Building one lays out its lookup tables,
 * which cost as much as checking the schedule, and most callers of `compile()` (the
 * checker's diagnostics, the formatter, hovers on other schedules) never evaluate.
 */
function lazyEvaluator(s: CompiledSchedule, ir: ScheduleIR): void {
  built.set(s, { ir });
  Object.defineProperty(s, "evaluator", { get: evaluatorOf, enumerable: true, configurable: true });
}

/**
 * Each schedule's IR and, once built, its evaluator. One getter shared by every schedule,
 * not a closure per schedule: V8 gives an object whose accessor is a new function a hidden
 * class of its own, so a file of 25,000 schedules made 25,000 classes (and as many property
 * tables), and every reader of a schedule's fields went megamorphic.
 */
const built = new WeakMap<CompiledSchedule, { ir: ScheduleIR; evaluator?: Evaluator }>();

function evaluatorOf(this: CompiledSchedule): Evaluator | undefined {
  const held = built.get(this);
  if (!held) return undefined;
  return (held.evaluator ??= createEvaluator(held.ir));
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

/** What each setting given as an option is, for A112's message. */
const OPTION_KINDS = {
  total: "a duration, such as `200k`, `90 epochs` or `300B tokens`",
  lr: "a learning rate, such as `3e-4`",
  stepsPerEpoch: "a number, such as `500`",
  tokensPerStep: "a number, such as `0.5M`",
} as const;

/**
 * Parses the options' values into the offsets after the file's text (see
 * `diagnostics/report.ts`), so their diagnostics land on the option. A value that does not
 * parse gets one A112 and becomes a setting with no value, which the checker treats as
 * unknown: nothing that depends on it is reported on top.
 */
function parseOverrides(o: SettingValues | undefined, report: Reporter, nameOf: (key: keyof typeof OVERRIDE_FLAGS) => string): OverrideExprs {
  const out: OverrideExprs = {};
  if (!o) return out;
  for (const key of Object.keys(OVERRIDE_FLAGS) as (keyof typeof OVERRIDE_FLAGS)[]) {
    const raw = o[key];
    if (raw === undefined) continue;
    const text = String(raw);
    const base = report.addOption(nameOf(key), text);
    const r = parseExpression(text);
    if (!r.expr || r.diagnostics.length > 0) {
      const first = r.diagnostics[0];
      const at = first && first.range.end > first.range.start ? first.range : { start: 0, end: text.length };
      const what = text.trim() === "" ? "an empty value" : `\`${text}\``;
      report.report("A112", { start: base + at.start, end: base + Math.max(at.end, at.start + 1) }, `${what} is not ${OPTION_KINDS[key]}`);
      // Empty parentheses have no value and report nothing: the setting is given, unknown.
      out[key] = { kind: "Paren", range: { start: base, end: base + text.length } };
      continue;
    }
    out[key] = shift(r.expr, base);
  }
  return out;
}

/** Moves an option's expression into its place in the shared offset space. */
function shift(e: Expr, by: number): Expr {
  return JSON.parse(JSON.stringify(e), (k, v) => (k === "range" || k === "unitRange" ? { start: v.start + by, end: v.end + by } : v)) as Expr;
}

/** A114 for lint levels that name no code, no level, or lower an error; each is ignored. */
function checkLintLevels(levels: Record<string, LintLevel> | undefined, report: Reporter, names: "flags" | "settings"): void {
  for (const [code, level] of Object.entries(levels ?? {})) {
    const problem = lintLevelProblem(code, String(level));
    if (problem === undefined) continue;
    const [option, text] = names === "flags" ? ["--lint", `${code}=${level}`] : [`anneal.lint.${code}`, String(level)];
    const base = report.addOption(option, text);
    report.report("A114", { start: base, end: base + text.length }, `${problem}; this setting is ignored`);
  }
}

function firstLineRange(text: string): Range {
  const nl = text.search(/[\r\n]/);
  return { start: 0, end: nl < 0 ? text.length : nl };
}

/**
 * Sorts a chain by what it schedules: a `momentum:`, `beta2:` or `weight_decay:` chain goes
 * into `params` (a second chain for the same one is an error, reported with `code`), and
 * the function answers false; the learning-rate chain (unlabelled, or `lr:`) answers true.
 */
function sortChain(c: PhaseChain, params: Map<HyperParam, PhaseChain>, code: "A215" | "A216", report: Reporter): boolean {
  if (!c.target || c.target.name === "lr") return true;
  const name = c.target.name;
  const prev = params.get(name);
  if (prev) {
    report.report(code, c.target.range, `\`${name}\` is scheduled twice here; keep one \`${name}:\` chain`, {
      related: [{ message: `the first \`${name}:\` chain`, range: prev.target!.range }],
    });
  } else params.set(name, c);
  return false;
}

/** A hyperparameter chain in a schedule that has no learning-rate chain for it to go beside. */
function reportLonelyParam(c: PhaseChain, report: Reporter): void {
  report.report("A231", c.target!.range, `a \`${c.target!.name}:\` chain goes beside the learning-rate chain, and this schedule has none; add one, such as \`warmup 4% -> cosine\``);
}

/**
 * The fix for a second chain: right after the chain before it, an arrow joins the two; with
 * a setting or a `let` between them, an arrow there would start a line, so the chain moves
 * to the end of the first one.
 */
function joinFix(first: PhaseChain, before: PhaseChain, extra: PhaseChain, items: readonly { range: Range }[], text: string): Fix {
  const between = items.some((it) => it.range.start >= before.range.end && it.range.end <= extra.range.start);
  if (!between) return { title: "Join with ->", edits: [{ range: { start: extra.range.start, end: extra.range.start }, newText: "-> " }] };
  return {
    title: "Move it to the end of the first chain, joined with ->",
    edits: [
      { range: { start: first.range.end, end: first.range.end }, newText: ` -> ${text.slice(extra.range.start, extra.range.end)}` },
      { range: extra.range, newText: "" },
    ],
  };
}

/** Scopes, settings and schedule sources of a file, with the structural errors found on the way. */
function collect(
  ast: AnnealFile,
  text: string,
  report: Reporter,
  bound: Bound,
  touchesSyntaxError: (r: Range) => boolean,
  misspelled: readonly MisspelledSetting[] = [],
): { sources: ScheduleSource[]; bindings: LetBinding[]; nodes: Map<ScheduleSource, Schedule | PhaseChain> } {
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
  const topParams = new Map<HyperParam, PhaseChain>();
  for (const item of ast.items) {
    if (item.kind === "Setting") addSetting(topSettings, topOwn, { setting: item, scope: top });
    else if (item.kind === "Chain" && sortChain(item, topParams, "A216", report)) topChains.push(item);
  }
  // A misspelled setting (`totl 10k`) was meant to set it: the setting is given, with no
  // value, so the checker treats it as unknown rather than reporting it missing.
  const schedules = ast.items.filter((i) => i.kind === "Schedule");
  const attempted = (map: Map<SettingKey, SettingSource>, own: Set<SettingKey>, scope: Scope, inside: (r: Range) => boolean) => {
    for (const m of misspelled)
      if (inside(m.range) && !own.has(m.key) && m.key !== "clock") {
        own.add(m.key);
        map.set(m.key, { setting: { kind: "Setting", range: m.range, key: m.key, keyRange: m.range, value: { kind: "Paren", range: m.range } }, scope });
      }
  };
  attempted(topSettings, topOwn, top, (r) => !schedules.some((sc) => sc.range.start <= r.start && r.end <= sc.range.end));

  const sources: ScheduleSource[] = [];
  if (topChains.length === 0) for (const c of topParams.values()) reportLonelyParam(c, report);
  if (topChains.length > 0) {
    const chain = topChains[0]!;
    for (const [i, extra] of topChains.slice(1).entries())
      report.report("A216", extra.phases[0]!.keywordRange, "a second chain of phases at the top of the file; join it to the first with `->`, or give each its own `schedule NAME { ... }` block", {
        fixes: [joinFix(chain, topChains[i]!, extra, ast.items, text)],
      });
    const source: ScheduleSource = { name: "default", nameRange: chain.phases[0]!.keywordRange, range: chain.range, chain, params: topParams, settings: topSettings, scope: top, broken: topChains.length > 1 };
    sources.push(source);
    nodes.set(source, chain);
  }
  const names = new Map<string, Range>();
  // The chain at the top of the file is the schedule `default`: a block of that name
  // beside it is a second `default`, and `--schedule default` could not tell them apart.
  if (sources[0]?.name === "default") names.set("default", sources[0].nameRange);
  for (const item of ast.items) {
    if (item.kind !== "Schedule" || !item.name) continue;
    const prev = names.get(item.name.name);
    if (prev) {
      const topLevel = item.name.name === "default" && prev === sources[0]?.nameRange;
      report.report(
        "A214",
        item.name.range,
        topLevel
          ? "the phases at the top of the file are already the schedule named `default`; rename this block, or put the top-level chain in a block of its own"
          : `a schedule named \`${item.name.name}\` is already defined`,
        { related: [{ message: topLevel ? "the top-level chain, named `default`" : "first definition", range: prev }] },
      );
      continue;
    }
    names.set(item.name.name, item.name.range);
    const scope = bound.scopes.get(item)!;
    kept.add(scope);
    const settings = new Map(topSettings);
    const own = new Set<SettingKey>();
    for (const b of item.body) if (b.kind === "Setting") addSetting(settings, own, { setting: b, scope });
    attempted(settings, own, scope, (r) => item.range.start <= r.start && r.end <= item.range.end);
    const params = new Map<HyperParam, PhaseChain>();
    const chains = item.chains.filter((c) => sortChain(c, params, "A215", report));
    if (chains.length === 0) {
      for (const c of params.values()) reportLonelyParam(c, report);
      // A block whose phases a syntax error swallowed is reported once, by that error.
      if (item.close && params.size === 0 && chains.length === item.chains.length && !touchesSyntaxError(item.range))
        report.report("A215", item.name.range, `schedule \`${item.name.name}\` has no phases; add a chain such as \`warmup 4% -> cosine\``);
      continue;
    }
    for (const [i, extra] of chains.slice(1).entries())
      report.report("A215", extra.phases[0]!.keywordRange, "a second chain of phases in this schedule; join it to the first with `->`", {
        fixes: [joinFix(chains[0]!, chains[i]!, extra, item.body, text)],
      });
    const source: ScheduleSource = { name: item.name.name, nameRange: item.name.range, range: item.range, chain: chains[0]!, params, settings, scope, broken: chains.length > 1 };
    sources.push(source);
    nodes.set(source, item);
  }
  if (sources.length === 0 && ast.items.length > 0 && !ast.items.some((i) => i.kind === "Schedule") && !report.hasErrors)
    report.report("A221", firstLineRange(text), "this file defines no schedule; add a chain of phases, such as `warmup 4% -> cosine`");
  // The lets of a block that is not compiled (a second block of one name) are never
  // evaluated, so they are not offered to the unused-name lint.
  return { sources, bindings: bound.lets.filter((b) => kept.has(b.scope)), nodes };
}
