// Completion by context, read off the tokens before the cursor and the syntax tree, then
// held to what the grammar allows there (the dsl's `syntacticCompletion`):
// phase kinds after `->` and at the start of a line; units after a number in a duration
// position; settings, `let` and `schedule` where a statement starts; the shape words after
// `warmup D`; the clauses the current phase kind takes and has not used yet; `let` names in
// scope and `peak` (a rate) / `total` (a duration) where an expression of their type goes;
// `every` after `restart`, then `x` and `decay`; and, for clients that take snippets, whole
// phases with placeholders. Each item carries a short doc.

import { type AnnealFile, type ClauseKind, type Item, KEYWORDS, type Let, type PhaseKind, type Schedule, syntacticCompletion } from "@anneal/dsl";
import { CLAUSE_DOCS, CLAUSE_WORD, PHASE_CLAUSES, PHASE_FORMS } from "@anneal/compiler";
import { type CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind } from "vscode-languageserver";
import type { Analysis, SyntaxToken } from "./documents.js";
import { scheduleAt } from "./syntax.js";

// ---- What the language offers, with the one-line docs shown next to each item ----------

/** Each phase keyword with its form and doc: the compiler's own table. */
const PHASES: Record<string, { form: string; doc: string }> = PHASE_FORMS;

const SETTINGS: Record<string, { form: string; doc: string }> = {
  lr: { form: "lr V", doc: "The peak learning rate. Without it the schedule is relative: its peak is the optimizer's own rate." },
  total: { form: "total D", doc: "How long training lasts: steps (`100k`), epochs (`90 epochs`) or tokens (`300B tokens`). Its unit is the clock's." },
  steps_per_epoch: { form: "steps_per_epoch N", doc: "Optimizer steps in one epoch, to convert epochs to steps." },
  tokens_per_step: { form: "tokens_per_step N", doc: "Tokens in one optimizer step (batch size × sequence length), to convert tokens to steps." },
  clock: { form: "clock steps|epochs", doc: "How often the scheduler is stepped: once per optimizer step, or once per epoch." },
  let: { form: "let NAME = expr", doc: "Names a value or a duration, for this schedule (inside a block) or for the whole file." },
  schedule: { form: "schedule NAME { ... }", doc: "A named schedule: its own settings and `let`s, and one chain of phases." },
};

const UNITS: Record<string, string> = {
  steps: "Optimizer steps.",
  epochs: "Epochs; on a per-step clock they need `steps_per_epoch`.",
  tokens: "Tokens; converted to steps with `tokens_per_step`.",
  step: "One optimizer step.",
  epoch: "One epoch.",
  ep: "Epochs, abbreviated.",
  token: "One token.",
};

const SHAPES: Record<string, string> = {
  linear: "A straight ramp (the default).",
  cosine: "A half-cosine ramp: slow at both ends.",
  exp: "A geometric ramp; needs a positive `from`.",
};

/** The clauses a phase kind takes, from the checker's own table (shapes are offered separately, a table's points are written, not completed). */
function clauseKinds(type: PhaseKind): ClauseKind[] {
  return PHASE_CLAUSES[type].filter((c) => c !== "shape" && c !== "points" && c !== "over");
}

const EXPRESSION_WORDS: Record<string, string> = {
  peak: "The schedule's peak learning rate (its `lr`, or the optimizer's rate in a relative schedule).",
  total: "The schedule's `total`, as a duration.",
};

// ---- Token context --------------------------------------------------------------------

/** Tokens after which a value or a duration is expected. */
const EXPECTS_EXPR = new Set([
  "Kw_to", "Kw_from", "Kw_at", "Kw_by", "Kw_power", "Kw_gamma", "Kw_decay", "Kw_every", "Kw_timescale",
  "Kw_lr", "Kw_steps_per_epoch", "Kw_tokens_per_step", "Equals", "Plus", "Minus", "Star", "Slash", "LParen", "Comma", "Times",
]);

/** Tokens after which a number is a duration, so a unit may follow it. */
const DURATION_BEFORE = new Set(["Kw_every", "Kw_timescale", "Equals", "Comma"]);

const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

function name(t: SyntaxToken | undefined): string {
  return t?.tokenType.name ?? "";
}

function tokenEnd(t: SyntaxToken): number {
  return (t.endOffset ?? t.startOffset) + 1;
}

interface Context {
  ast: AnnealFile;
  text: string;
  /** Real tokens wholly before the cursor, not counting the word being typed. */
  before: SyntaxToken[];
  phaseStarts: Set<number>;
  settingStarts: Set<number>;
}

function phaseType(keyword: string): PhaseKind {
  return keyword === "hold" ? "constant" : (keyword as PhaseKind);
}

/** The phase the cursor is in: its keyword token's index, or undefined outside any phase. */
function currentPhase(cx: Context): number | undefined {
  for (let i = cx.before.length - 1; i >= 0; i--) {
    const t = cx.before[i]!;
    const prev = cx.before[i - 1];
    // The parser's phases, or a keyword right after `->` that it could not place yet.
    if (cx.phaseStarts.has(t.startOffset) || (name(prev) === "Arrow" && t.image in PHASES)) return i;
    if (cx.settingStarts.has(t.startOffset) || ["Kw_let", "Kw_schedule", "LCurly", "RCurly"].includes(name(t))) return undefined;
  }
  return undefined;
}

function startsStatement(cx: Context, offset: number): boolean {
  const prev = cx.before[cx.before.length - 1];
  if (!prev) return true;
  if (name(prev) === "LCurly" || name(prev) === "RCurly") return true;
  // Nothing but spaces between the previous token's line and the cursor's line start.
  return /[\r\n]/.test(cx.text.slice(tokenEnd(prev), offset));
}

// ---- Items ----------------------------------------------------------------------------

function item(label: string, kind: CompletionItemKind, detail: string, doc: string, group: number, insertText?: string): CompletionItem {
  return {
    label,
    kind,
    detail,
    documentation: { kind: MarkupKind.Markdown, value: doc },
    sortText: `${group}_${label}`,
    ...(insertText !== undefined ? { insertText } : {}),
  };
}

function phaseItems(group: number, leadingSpace = false, snippets = false): CompletionItem[] {
  const out = Object.entries(PHASES).map(([k, v]) => item(k, CompletionItemKind.Keyword, v.form, v.doc, group, leadingSpace ? ` ${k}` : undefined));
  if (snippets)
    for (const [label, body, doc] of SNIPPETS)
      out.push({ ...item(label, CompletionItemKind.Snippet, body.replace(/\$\{\d+:([^}]*)\}/g, "$1"), doc, group, `${leadingSpace ? " " : ""}${body}`), insertTextFormat: InsertTextFormat.Snippet });
  return out;
}

/** Whole phases with placeholders for their numbers, for clients that take snippets. */
const SNIPPETS: [string, string, string][] = [
  ["warmup-cosine", "warmup ${1:4%} -> cosine to ${2:1e-6}", "A linear warmup, then a cosine decay to a floor."],
  ["cosine-restarts", "cosine to ${1:1e-6} restart every ${2:25k}", "SGDR: cosine cycles that restart at the peak (add `x2` for each to be twice as long)."],
  ["step-decay", "step by ${1:0.1} every ${2:30k}", "Multiply the rate by a factor at a fixed interval."],
];

function settingItems(group: number, inBlock: boolean): CompletionItem[] {
  return Object.entries(SETTINGS)
    .filter(([k]) => !(inBlock && k === "schedule"))
    .map(([k, v]) => item(k, k === "let" || k === "schedule" ? CompletionItemKind.Keyword : CompletionItemKind.Property, v.form, v.doc, group));
}

function unitItems(group: number, words = Object.keys(UNITS)): CompletionItem[] {
  return words.map((u) => item(u, CompletionItemKind.Unit, "unit", UNITS[u] ?? "", group));
}

/** What the slot at the cursor takes: a duration, a rate, or either (a `let`, an operand). */
type Slot = "duration" | "rate" | "number" | "any";

/** Tokens after which a rate goes. */
const RATE_BEFORE = new Set(["Kw_to", "Kw_from", "Kw_at", "Kw_lr"]);
/** Tokens after which a plain number goes (a factor, an exponent, a count). */
const NUMBER_BEFORE = new Set(["Kw_by", "Kw_power", "Kw_gamma", "Kw_decay", "Times", "Kw_steps_per_epoch", "Kw_tokens_per_step"]);

/** `let` names visible at the cursor (a block's own over the top level's), then `peak` and `total` where their type fits. */
function nameItems(cx: Context, block: Schedule | undefined, group: number, slot: Slot = "any"): CompletionItem[] {
  const names = new Map<string, string>();
  const add = (l: Let) => {
    if (l.name && !names.has(l.name.name)) names.set(l.name.name, l.value ? cx.text.slice(l.value.range.start, l.value.range.end) : "");
  };
  if (block) for (const b of block.body) if (b.kind === "Let") add(b);
  for (const i of cx.ast.items) if (i.kind === "Let") add(i);
  const out = [...names].map(([n, v]) => item(n, CompletionItemKind.Variable, v ? `let ${n} = ${v}` : `let ${n}`, "Defined with `let`.", group));
  for (const [w, doc] of Object.entries(EXPRESSION_WORDS)) {
    // `peak` is a rate and `total` a duration: neither is offered where the other goes.
    if ((w === "peak" && (slot === "duration" || slot === "number")) || (w === "total" && (slot === "rate" || slot === "number"))) continue;
    out.push(item(w, CompletionItemKind.Constant, "built in", doc, group + 1));
  }
  return out;
}

/** The clause words the phase at `index` takes and has not used before the cursor. */
function clauseItems(cx: Context, index: number, group: number): CompletionItem[] {
  const kw = cx.before[index]!;
  const type = phaseType(kw.image);
  const used = new Set(cx.before.slice(index + 1).map((t) => t.image));
  const out: CompletionItem[] = [];
  if (type === "warmup" && !cx.before.slice(index + 1).some((t) => t.image in SHAPES))
    for (const [s, doc] of Object.entries(SHAPES)) out.push(item(s, CompletionItemKind.EnumMember, "warmup shape", doc, group));
  for (const kind of clauseKinds(type)) {
    const c = CLAUSE_WORD[kind];
    const first = c.split(" ")[0]!;
    if (used.has(first)) continue;
    if (type === "step" && (c === "every" || c === "at") && (used.has("every") || used.has("at"))) continue;
    if (type === "exp" && ((c === "to" && used.has("gamma")) || (c === "gamma" && used.has("to")))) continue;
    out.push(item(c, CompletionItemKind.Keyword, `\`${kw.image}\` clause`, CLAUSE_DOCS[kind], group));
  }
  if (type === "cosine" && used.has("restart") && used.has("every") && !used.has("x") && !used.has("decay"))
    out.push(item("x", CompletionItemKind.Operator, "restart clause", "Each cycle M times as long as the one before, written right after `x`: `x2` (SGDR's T_mult).", group));
  if (type === "cosine" && used.has("restart") && used.has("every") && !used.has("decay"))
    out.push(item("decay", CompletionItemKind.Keyword, "restart clause", "Each cycle starts at the previous cycle's start times F: `decay 0.5`.", group));
  if (type === "exp" && used.has("gamma") && !used.has("per"))
    out.push(item("per", CompletionItemKind.Keyword, "gamma clause", "`per step` or `per epoch`: how often gamma applies.", group));
  return out;
}

// ---- The provider ---------------------------------------------------------------------

export interface CompletionOptions {
  /** The client expands snippets (`${1:4%}` placeholders). */
  snippets?: boolean;
}

export function completions(a: Analysis, offset: number, options: CompletionOptions = {}): CompletionItem[] {
  return grammatical(a, offset, contextual(a, offset, options));
}

/** Item kinds that stand for a reserved word, which the grammar must allow at the point. */
const WORD_KINDS = new Set<CompletionItemKind>([CompletionItemKind.Keyword, CompletionItemKind.Property, CompletionItemKind.EnumMember, CompletionItemKind.Unit, CompletionItemKind.Snippet]);

/**
 * The contextual items, less the reserved words the grammar does not allow here (the dsl's
 * `syntacticCompletion`, chevrotain's content assist). Where the grammar offers nothing (a
 * point inside broken text it cannot interpret) the contextual items stand.
 */
function grammatical(a: Analysis, offset: number, items: CompletionItem[]): CompletionItem[] {
  let allowed: ReturnType<typeof syntacticCompletion>;
  try {
    allowed = syntacticCompletion(a.result.parsed, offset);
  } catch {
    return items;
  }
  if (allowed.keywords.length === 0 && !allowed.name) return items;
  const words = new Set(allowed.keywords);
  return items.filter((it) => {
    if (!WORD_KINDS.has(it.kind ?? CompletionItemKind.Text)) return true;
    const first = (it.kind === CompletionItemKind.Snippet ? String(it.insertText ?? it.label) : it.label).trim().split(/[\s$]/)[0]!;
    // `let` and `schedule` are statement words the lexer reserves outside the categories.
    return words.has(first) || !KEYWORDS.includes(first);
  });
}

function contextual(a: Analysis, offset: number, options: CompletionOptions): CompletionItem[] {
  const ast = a.result.ast;
  if (ast.comments.some((c) => c.range.start < offset && offset <= c.range.end)) return [];
  let before = a.result.parsed.tokens.filter((t) => tokenEnd(t) <= offset);
  const last = before[before.length - 1];
  // The word under the cursor is what the items replace, not context.
  if (last && tokenEnd(last) === offset && WORD.test(last.image)) before = before.slice(0, -1);
  else if (last && tokenEnd(last) === offset && name(last) === "NumberLiteral") return [];

  const phaseStarts = new Set<number>();
  const settingStarts = new Set<number>();
  const visit = (items: readonly Item[]) => {
    for (const i of items) {
      if (i.kind === "Setting") settingStarts.add(i.keyRange.start);
      else if (i.kind === "Chain") for (const p of i.phases) phaseStarts.add(p.keywordRange.start);
      else if (i.kind === "Schedule") {
        visit(i.body);
        visit(i.chains);
      }
    }
  };
  visit(ast.items);
  const cx: Context = { ast, text: a.text, before, phaseStarts, settingStarts };
  const block = scheduleAt(ast, offset);
  const inBlock = block !== undefined && offset > (block.open?.start ?? block.range.end) && (!block.close || offset <= block.close.start);
  const prev = before[before.length - 1];
  const prevName = name(prev);
  const phase = currentPhase(cx);

  if (prevName === "Arrow") return phaseItems(0, prev !== undefined && tokenEnd(prev) === offset, options.snippets);
  // `restart` is always followed by `every`.
  if (prevName === "Kw_restart") return [item("every", CompletionItemKind.Keyword, "restart every D", CLAUSE_DOCS.restart, 0)];
  if (prevName === "Kw_let" || prevName === "Kw_schedule") return [];
  if (prevName === "Kw_clock") return unitItems(0, ["steps", "epochs"]);
  if (prevName === "Kw_per") return unitItems(0, ["step", "epoch"]);
  if (startsStatement(cx, offset)) {
    if (block && !inBlock) return [];
    return [...settingItems(0, inBlock), ...phaseItems(1, false, options.snippets)];
  }
  const isSetting = (t: SyntaxToken | undefined) => t !== undefined && settingStarts.has(t.startOffset);
  if (EXPECTS_EXPR.has(prevName) || isSetting(prev) || (phase !== undefined && phase === before.length - 1)) {
    const afterPhase = phase !== undefined && phase === before.length - 1;
    const slot: Slot =
      afterPhase || DURATION_BEFORE.has(prevName) || (prevName === "Kw_total" && isSetting(prev)) ? "duration" : RATE_BEFORE.has(prevName) ? "rate" : NUMBER_BEFORE.has(prevName) ? "number" : "any";
    const names = nameItems(cx, inBlock ? block : undefined, 0, prevName === "Equals" ? "any" : slot);
    // A phase keyword may be followed by its duration or, when it has none, a clause.
    return phase !== undefined && phase === before.length - 1 ? [...names, ...clauseItems(cx, phase, 2)] : names;
  }
  if (prevName === "NumberLiteral") {
    const pp = before[before.length - 2];
    const durationSlot = pp !== undefined && (DURATION_BEFORE.has(name(pp)) || (phase !== undefined && phase === before.length - 2) || (name(pp) === "Kw_total" && isSetting(pp)));
    const out = durationSlot ? unitItems(0) : [];
    if (phase !== undefined) out.push(...clauseItems(cx, phase, 1));
    else if (!durationSlot) out.push(...settingItems(1, inBlock), ...phaseItems(2));
    return out;
  }
  // After a complete expression (a name, `%`, a unit, `)`, a shape word).
  if (phase !== undefined) return clauseItems(cx, phase, 0);
  return [...settingItems(0, inBlock), ...phaseItems(1)];
}
