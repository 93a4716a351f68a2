// `step by F at M1, M2, ...`: the rate times F at each milestone (offsets from the phase
// start, sorted, repeats counting twice as in torch's MultiStepLR).

import { startsAtBase } from "../emit/native-context.js";
import { intLiteral } from "../emit/escape.js";
import type { ShapeTicks, Sym } from "../ir.js";
import { bin, call, firstAndLastJump, lit, type Jumps, type ShapeModule, type ShapeOf } from "./shape.js";

type Multistep = ShapeOf<"multistep">;

/** How many sorted `milestones` are <= u. */
export function countAtOrBelow(milestones: readonly number[], u: number): number {
  let lo = 0;
  let hi = milestones.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (milestones[mid]! <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const jumps: Jumps<Multistep> = {
  has: (s) => s.milestones.length > 0,
  between(s, len, lo, hi, max) {
    const out: number[] = [];
    const stop = Math.min(hi, len);
    if (max <= 0 || !(stop > Math.max(lo, 0))) return out;
    const ms = s.milestones;
    for (let i = countAtOrBelow(ms, Math.max(lo, 0)); i < ms.length && out.length < max; i++) {
      const u = ms[i]!;
      if (u >= stop) break;
      // A milestone listed twice is one jump (by the factor squared).
      if (u > 0 && u > lo && out[out.length - 1] !== u) out.push(u);
    }
    return out;
  },
  lastBetween(s, len, lo, hi) {
    const stop = Math.min(hi, len);
    if (!(stop > Math.max(lo, 0))) return undefined;
    // Milestones strictly below `stop`: those at or below it, less any equal to it.
    const ms = s.milestones;
    let i = countAtOrBelow(ms, stop) - 1;
    while (i >= 0 && ms[i]! >= stop) i--;
    const u = i >= 0 && ms[i]! > 0 ? ms[i] : undefined;
    return u !== undefined && u > lo ? u : undefined;
  },
  leftLimit(s, a, _b, u) {
    const ms = s.milestones;
    let n = countAtOrBelow(ms, u);
    while (n > 0 && ms[n - 1]! >= u) n--;
    return a * s.factor ** n;
  },
};

function passed(s: Multistep, len: number): number {
  let n = 0;
  for (const m of s.milestones) if (m < len) n++;
  return n;
}

/** `factor ** (the milestones below len)` over run-time parameters, counted as `passed` counts them: `end`'s and `grow`'s factor. */
function endFactor(s: ShapeOf<"multistep">, p: ShapeTicks, len: Sym): Sym {
  let passed = lit(0);
  for (const m of p.milestones ?? s.milestones.map(lit)) passed = bin("+", passed, call("below", m, len));
  return call("pow", lit(s.factor), passed);
}

export const multistep: ShapeModule<Multistep> = {
  formula: "a factor ** (milestones passed)",
  at: (s, a, _b, u) => a * s.factor ** countAtOrBelow(s.milestones, u),
  end: (s, len) => ({ alpha: s.factor ** passed(s, len), beta: 0 }),
  grow: (s, len) => Math.max(1, s.factor ** passed(s, len)),
  jumps,
  critical: (s, len, lo, hi) => firstAndLastJump(jumps, s, len, lo, hi),
  usesB: false,
  helpers: ["countAtOrBelow"],
  spell: (s, n, d) => ({
    statements: [],
    value: `${n.a} * ${d.num(s.factor)} ** ${d.countAtOrBelow(n.params?.milestones ?? d.list(s.milestones.map((m) => d.num(m))), n.u)}`,
  }),
  // `end`: factor ** (the milestones below len), counted as `passed` counts them.
  runtimeEnd: (s, p, len) => ({ alpha: endFactor(s, p, len) }),
  runtimeGrow: (s, p, len) => call("max", lit(1), endFactor(s, p, len)),
  native(s, seg, cx) {
    const why = startsAtBase(seg, cx.view, "MultiStepLR");
    if (why !== undefined) return { reason: why };
    if (!s.milestones.every((m) => Number.isInteger(m) && m >= 0)) {
      return { reason: "MultiStepLR's milestones are whole step counts, and this phase has a fractional one" };
    }
    return {
      ok: {
        call: `lr_scheduler.MultiStepLR(optimizer, milestones=[${s.milestones.map(intLiteral).join(", ")}], gamma=${cx.py(s.factor)})`,
        label: cx.label,
        // Past the segment's end a milestone at or beyond it would still fire.
        holds: s.milestones.every((m) => m < cx.len),
        pastEnd: "MultiStepLR still applies its milestones at or past the end",
      },
    };
  },
};

/** The emitted `countAtOrBelow` helper in JavaScript (Python imports `bisect_right`). */
export function countAtOrBelowSource(indent: string): string[] {
  const I = indent;
  return [
    "/** How many of the sorted `milestones` are <= u. */",
    "function countAtOrBelow(milestones, u) {",
    `${I}let lo = 0;`,
    `${I}let hi = milestones.length;`,
    `${I}while (lo < hi) {`,
    `${I}${I}const mid = (lo + hi) >> 1;`,
    `${I}${I}if (milestones[mid] <= u) lo = mid + 1;`,
    `${I}${I}else hi = mid;`,
    `${I}}`,
    `${I}return lo;`,
    "}",
  ];
}

/**
 * `_count_at_or_below` for traced targets (namespace `ns`): one `where` per milestone,
 * elementwise, since a traced offset cannot be bisected. A repeated milestone counts twice,
 * as in `countAtOrBelow`.
 */
export function tracedCountAtOrBelowSource(ns: string, indent: string): string[] {
  const I = indent;
  return [
    "def _count_at_or_below(milestones, u):",
    `${I}"""How many of \`milestones\` are <= u, elementwise."""`,
    `${I}count = ${ns}.zeros_like(u)`,
    `${I}for m in milestones:`,
    `${I}${I}count = count + ${ns}.where(u >= m, 1.0, 0.0)`,
    `${I}return count`,
  ];
}
