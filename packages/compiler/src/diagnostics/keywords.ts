// Misspelled keywords. The parser sees `cosin`, `warmpu` or `totl` as a name where a line
// cannot start with one and says so; when the word is one edit or so from a keyword, the
// first real cause is the spelling, so the message becomes a did-you-mean with a fix. A
// misspelled setting also tells the checker that the file did try to set it, so a schedule
// does not get "this schedule has no `total`" on top of `totl 10k`.

import { type AnnealFile, type Diagnostic, KEYWORDS, type Phase, type Range, type SettingKey, SETTING_KEYWORDS } from "@anneal/dsl";
import { CODES } from "./registry.js";
import { closest } from "./suggest.js";

export interface MisspelledSetting {
  key: SettingKey;
  range: Range;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Edit-distance cells one file may spend on keyword suggestions: a file of a hundred
 * thousand misspellings stays linear, and the ones past the budget keep the parser's words.
 */
const KEYWORD_SUGGESTION_WORK = 2_000_000;

/**
 * Rewrites the syntax errors that sit on a misspelled keyword (in place), and returns the
 * settings those keywords name. Words under three letters are left alone (see `closest`): too many
 * keywords are one edit from them.
 */
export function suggestKeywords(diagnostics: Diagnostic[], text: string): { settings: MisspelledSetting[]; typos: Range[] } {
  const settings: MisspelledSetting[] = [];
  const typos: Range[] = [];
  const budget = { left: KEYWORD_SUGGESTION_WORK };
  for (const [i, d] of diagnostics.entries()) {
    if (d.code !== "A002") continue;
    const word = text.slice(d.range.start, d.range.end);
    if (!NAME.test(word)) continue;
    if (budget.left <= 0) break;
    const near = closest(word, KEYWORDS, budget);
    if (near === undefined) continue;
    diagnostics[i] = {
      code: "A002",
      severity: CODES.A002.severity,
      message: `\`${word}\` is not a keyword; did you mean \`${near}\`?`,
      range: d.range,
      fixes: [{ title: `Change to ${near}`, edits: [{ range: d.range, newText: near }] }],
    };
    typos.push(d.range);
    if ((SETTING_KEYWORDS as readonly string[]).includes(near)) settings.push({ key: near as SettingKey, range: d.range });
  }
  return { settings, typos };
}

/**
 * Drops what follows from a misspelled keyword: the errors after it on its own line (the
 * parser read the rest of that line without the keyword), a second report of the same
 * typo (the parser's and the checker's), and "a required clause is missing" on the phase
 * whose clause it was (`exp gama 0.99`).
 */
export function dropConsequences(diagnostics: Diagnostic[], typos: readonly Range[], text: string, ast?: AnnealFile): Diagnostic[] {
  if (typos.length === 0) return diagnostics;
  const missingClause = new Set(phasesAround(typos, ast).map((p) => p.keywordRange.start));
  const reported = new Set<number>();
  // Each typo shadows the rest of its line. Typos are sorted, and so are their lines' ends,
  // so the last typo that starts at or before a diagnostic decides: one binary search each.
  const sorted = [...typos].sort((a, b) => a.start - b.start);
  const ends: number[] = [];
  for (const t of sorted) {
    // A typo on the same line as the one before shares its line's end: no second scan.
    const prev = ends[ends.length - 1];
    let e = prev !== undefined && prev >= t.end ? prev : t.end;
    while (e < text.length && text[e] !== "\n" && text[e] !== "\r") e++;
    ends.push(e);
  }
  const starts = new Set(sorted.map((t) => t.start));
  return diagnostics.filter((d) => {
    if (d.severity !== "error") return true;
    if (starts.has(d.range.start)) {
      if (reported.has(d.range.start)) return false;
      reported.add(d.range.start);
      return true;
    }
    if (d.code === "A207" && missingClause.has(d.range.start)) return false;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.end <= d.range.start) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 || d.range.start > ends[lo - 1]!;
  });
}

/** The phases that contain a typo, found by one pass over the file's chains. */
function phasesAround(typos: readonly Range[], ast: AnnealFile | undefined): Phase[] {
  if (!ast) return [];
  const chains = ast.items.flatMap((i) => (i.kind === "Chain" ? [i] : i.kind === "Schedule" ? i.chains : []));
  const sorted = [...typos].sort((a, b) => a.start - b.start);
  const out: Phase[] = [];
  for (const c of chains)
    for (const p of c.phases) {
      // The first typo at or after the phase's start, by binary search.
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]!.start < p.range.start) lo = mid + 1;
        else hi = mid;
      }
      const t = sorted[lo];
      if (t && t.end <= p.range.end) out.push(p);
    }
  return out;
}
