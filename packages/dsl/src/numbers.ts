// Numbers and unit words as written: `3e-4`, `1_000`, `10k`, `1.5M`, `300B`, and which unit
// each unit word names. Both parsers (the fast path and the recovering one) read them here.

import type * as A from "./ast.js";

const SUFFIX: Record<string, number> = { k: 1e3, M: 1e6, B: 1e9, m: 1e-3 };

/** Whether a number is written with digits, a point and an exponent only, which `Number` reads as it is. */
function plain(written: string): boolean {
  for (let i = 0; i < written.length; i++) {
    const c = written.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d)) return false;
  }
  return true;
}

export function parseNumber(written: string): { value: number; suffix?: A.NumberLit["suffix"] } {
  if (plain(written)) return { value: Number(written) };
  // A Unicode minus in an exponent (`3e−4`, pasted from a paper) is an ASCII one.
  const raw = written.replace("\u2212", "-");
  const last = raw[raw.length - 1]!;
  if (last in SUFFIX) {
    const base = Number(raw.slice(0, -1).replace(/_/g, ""));
    // Multiplying by 1e3 can round (0.1 * 1e3 is 100.00000000000001); parsing the
    // exponent-shifted decimal keeps `1.5M` exactly 1500000.
    const exp = last === "k" ? 3 : last === "M" ? 6 : last === "B" ? 9 : -3;
    const shifted = Number(`${raw.slice(0, -1).replace(/_/g, "")}e${exp}`);
    return { value: Number.isNaN(shifted) ? base * SUFFIX[last]! : shifted, suffix: last as A.NumberLit["suffix"] };
  }
  return { value: Number(raw.replace(/_/g, "")) };
}

export const UNIT_OF: Record<string, A.Unit> = {
  step: "steps",
  steps: "steps",
  epoch: "epochs",
  epochs: "epochs",
  ep: "epochs",
  token: "tokens",
  tokens: "tokens",
};

