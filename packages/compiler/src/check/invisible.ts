// A320: characters that change how source text is displayed without being seen: the
// Unicode bidirectional controls (which can make a line read in an editor differently
// from how the compiler reads it, the "Trojan Source" attack) and zero-width characters
// (which make two names that look the same differ). Anneal never needs them, so each is
// a warning with a fix that removes it; the emitters also escape them in generated files.

import type { Range } from "@anneal/dsl";
import type { Reporter } from "../diagnostics/report.js";

/** Every invisible or direction-changing character, with its Unicode name. */
export const INVISIBLE_CHARACTERS: Readonly<Record<number, string>> = {
  0x061c: "ARABIC LETTER MARK",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE",
};

/** A pattern matching any one of them. */
export const INVISIBLE_PATTERN = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** True for the code point of one of them. */
export function isInvisible(cp: number): boolean {
  return Object.hasOwn(INVISIBLE_CHARACTERS, cp);
}

/** At most this many are reported per file; a file full of them needs one look, not a million. */
const MAX_REPORTED = 100;

/** Reports each invisible character of `text` (after a leading byte-order mark). */
export function reportInvisibleCharacters(text: string, report: Reporter): void {
  const found: Range[] = [];
  let more = 0;
  for (const m of text.matchAll(INVISIBLE_PATTERN)) {
    if (m.index === 0 && m[0] === "\ufeff") continue;
    if (found.length < MAX_REPORTED) found.push({ start: m.index, end: m.index + 1 });
    else more++;
  }
  for (const [i, range] of found.entries()) {
    const cp = text.charCodeAt(range.start);
    const hex = cp.toString(16).toUpperCase().padStart(4, "0");
    const tail = i === found.length - 1 && more > 0 ? ` (${more} more in this file are not listed)` : "";
    report.report(
      "A320",
      range,
      `invisible character U+${hex} (${INVISIBLE_CHARACTERS[cp]}): it can make this line display differently from how Anneal reads it; remove it${tail}`,
      { fixes: [{ title: `Remove U+${hex}`, edits: [{ range, newText: "" }] }] },
    );
  }
}
