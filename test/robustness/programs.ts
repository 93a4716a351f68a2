// Valid Anneal programs, generated from the grammar in docs/language.md: top-level settings
// and `let`s, schedule blocks, and phase chains of every kind with every clause a kind
// accepts, in varied layouts (line ends, indentation, comments, chains broken at arrows).
//
// "Valid" means `compile()` reports no error: every duration is a whole number of ticks of
// at least one, the phases fit in `total`, rates are not negative, `exp` phases start and end
// above 0, `rsqrt` at tick 0 has a timescale, factors do not make the rate grow without
// bound. Warnings are allowed (a decay that rises, a cut restart cycle, an unused name):
// they are part of what the properties exercise. The generator computes each duration's
// ticks itself, with the same double arithmetic the checker uses, so that the phases it
// lays out are known to fit.

import fc from "fast-check";

/** Largest number of ticks a generated schedule has, so the evaluator checks stay fast. */
export const MAX_GENERATED_TICKS = 2_000_000;

interface Clock {
  /** Setting lines (`total ...`, `steps_per_epoch ...`, `clock ...`, `tokens_per_step ...`). */
  settings: string[];
  /** Ticks in the schedule. */
  ticks: number;
  unit: "steps" | "epochs";
  stepsPerEpoch?: number;
  tokensPerStep?: number;
}

// Steps, written as a bare count, with a suffix, with underscores, or with the unit.
const stepsClock: fc.Arbitrary<Clock> = fc.tuple(fc.oneof(fc.integer({ min: 100, max: 5000 }), fc.integer({ min: 5000, max: 200_000 }), fc.integer({ min: 200_000, max: MAX_GENERATED_TICKS })), fc.nat(3)).map(([t, style]): Clock => {
    const written = style === 1 && t % 1000 === 0 ? `${t / 1000}k` : style === 2 ? t.toLocaleString("en-US").replace(/,/g, "_") : style === 3 ? `${t} steps` : String(t);
    return { settings: [`total ${written}`], ticks: t, unit: "steps" };
  });

const clock: fc.Arbitrary<Clock> = fc.oneof(
  stepsClock,
  // Epochs, stepped once per epoch (optionally with steps_per_epoch) or once per batch.
  fc.tuple(fc.integer({ min: 10, max: 300 }), fc.integer({ min: 10, max: 2000 }), fc.nat(2)).map(([e, spe, mode]): Clock => {
    if (mode === 0) return { settings: [`total ${e} epochs`], ticks: e, unit: "epochs" };
    if (mode === 1) return { settings: [`total ${e} epochs`, `steps_per_epoch ${spe}`], ticks: e, unit: "epochs", stepsPerEpoch: spe };
    return { settings: [`total ${e} epochs`, `steps_per_epoch ${spe}`, "clock steps"], ticks: e * spe, unit: "steps", stepsPerEpoch: spe };
  }),
  // Tokens, converted to steps with tokens_per_step.
  fc.tuple(fc.integer({ min: 100, max: 400_000 }), fc.constantFrom([2048, "2048"], [500_000, "0.5M"], [1_000_000, "1M"])).map(([t, [tps, written]]): Clock => ({
    settings: [`total ${t * tps} tokens`, `tokens_per_step ${written}`],
    ticks: t,
    unit: "steps",
    tokensPerStep: tps,
  })),
);

/** A duration expression that resolves to exactly `d` ticks under `c`. */
function durationText(d: number, c: Clock, pick: number): string {
  const forms: string[] = [String(d)];
  if (d % 1000 === 0) forms.push(`${d / 1000}k`);
  // A percent of total, when a short decimal hits `d` exactly (the checker computes p / 100 * total).
  const p = Number(((d * 100) / c.ticks).toPrecision(6));
  if (Math.round((p / 100) * c.ticks) === d && Math.abs((p / 100) * c.ticks - d) < 1e-6) forms.push(`${p}%`);
  if (c.unit === "steps") forms.push(`${d} steps`);
  if (c.unit === "epochs") forms.push(`${d} epochs`);
  if (c.unit === "steps" && c.stepsPerEpoch !== undefined && d % c.stepsPerEpoch === 0) forms.push(`${d / c.stepsPerEpoch} epochs`);
  if (c.unit === "steps" && c.tokensPerStep !== undefined) forms.push(`${d * c.tokensPerStep} tokens`);
  if (d > 2) forms.push(`${d - 1} + 1`, `(${d - 2} + 2)`);
  for (const k of [2, 4, 10]) if (c.ticks % k === 0 && c.ticks / k === d) forms.push(`total / ${k}`);
  return forms[pick % forms.length]!;
}

/** Rates that are never negative, as literals, percents of the peak and small expressions. */
const RATES = ["0", "1e-6", "3e-5", "1e-4", "2.5e-4", "0.001", "10%", "0%", "100%", "2.5%", "50%", "peak / 10", "peak * 0.5", "0.1 * peak", "peak - peak / 4", "(1e-6 + 1e-7)", "2e-6 * 3", "peak / 100 + 1e-7", "1e-5 − 1e-6", "-(-1e-5)"];
/** Rates above 0, for `exp` phases and warmups, which interpolate geometrically. */
const POSITIVE_RATES = RATES.filter((r) => r !== "0" && r !== "0%");

interface PhaseSpec {
  keyword: string;
  /** Ticks, or undefined for the one phase that takes what remains. */
  ticks?: number;
  /** Clause texts, shuffled into the order they are written. */
  clauses: string[];
}

type Draw = <T>(arb: fc.Arbitrary<T>) => T;

function phaseSpec(draw: Draw, kind: string, ticks: number | undefined, first: boolean, c: Clock, rateLet: string | undefined): PhaseSpec {
  const rate = (positive = false) => {
    const pool = positive ? POSITIVE_RATES : RATES;
    return rateLet && !positive && draw(fc.nat(5)) === 0 ? rateLet : draw(fc.constantFrom(...pool));
  };
  const maybe = (text: () => string) => (draw(fc.boolean()) ? [text()] : []);
  const dur = (max: number) => durationText(draw(fc.integer({ min: 1, max: Math.max(1, max) })), c, draw(fc.nat()));
  const span = ticks ?? c.ticks;
  let keyword = kind;
  let clauses: string[] = [];
  switch (kind) {
    case "warmup": {
      const shape = draw(fc.constantFrom(undefined, "linear", "cosine", "exp"));
      if (shape) clauses.push(shape);
      if (shape === "exp") clauses.push(`from ${rate(true)}`, ...maybe(() => `to ${rate(true)}`));
      else clauses.push(...maybe(() => `from ${rate()}`), ...maybe(() => `to ${rate()}`));
      break;
    }
    case "constant":
      keyword = draw(fc.constantFrom("constant", "hold"));
      clauses.push(...maybe(() => `at ${rate()}`));
      break;
    case "linear":
    case "sqrt":
      clauses.push(...maybe(() => `from ${rate()}`), ...maybe(() => `to ${rate()}`));
      break;
    case "cosine":
      clauses.push(...maybe(() => `from ${rate()}`), ...maybe(() => `to ${rate()}`));
      if (draw(fc.boolean())) {
        const mult = draw(fc.constantFrom("", " x2", " x 2", " ×2", " × 1.5", " x1.0000001", " x1"));
        const decay = draw(fc.constantFrom("", " decay 0.5", " decay 0.9", " decay 1", " decay 50%"));
        clauses.push(`restart every ${dur(Math.max(1, Math.floor(span / 3)))}${mult}${decay}`);
      }
      break;
    case "exp":
      if (draw(fc.boolean())) clauses.push(`from ${rate(true)}`, `to ${rate(true)}`);
      else {
        const per = c.unit === "epochs" && c.stepsPerEpoch !== undefined ? [" per step", " per epoch", ""] : c.unit === "steps" && c.stepsPerEpoch !== undefined ? [" per epoch", " per step", ""] : c.unit === "steps" ? [" per step", ""] : [" per epoch", ""];
        clauses.push(`gamma ${draw(fc.constantFrom("0.9", "0.99", "0.5", "1", "0.999"))}${draw(fc.constantFrom(...per))}`, ...maybe(() => `from ${rate()}`));
      }
      break;
    case "poly":
      clauses.push(`power ${draw(fc.constantFrom("0.5", "1", "2", "3.5"))}`, ...maybe(() => `from ${rate()}`), ...maybe(() => `to ${rate()}`));
      break;
    case "rsqrt":
      // At tick 0 the timescale must be written (A210); elsewhere it defaults to the start.
      if (first || draw(fc.boolean())) clauses.push(`timescale ${dur(10_000)}`);
      clauses.push(...maybe(() => `from ${rate()}`));
      break;
    case "step": {
      clauses.push(`by ${draw(fc.constantFrom("0.1", "0.5", "0.9", "1", "0.25"))}`);
      if (draw(fc.boolean())) clauses.push(`every ${dur(Math.max(1, Math.floor(span / 2)))}`);
      else {
        const ms = draw(fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, span) }), { minLength: 1, maxLength: 4 })).sort((x, y) => x - y);
        clauses.push(`at ${ms.map((m) => durationText(m, c, draw(fc.nat()))).join(", ")}`);
      }
      clauses.push(...maybe(() => `from ${rate()}`));
      break;
    }
  }
  clauses = draw(fc.shuffledSubarray(clauses, { minLength: clauses.length, maxLength: clauses.length }));
  // A warmup's shape word must follow the keyword or duration on the same line; the order
  // of the other clauses is free.
  return { keyword, ...(ticks !== undefined ? { ticks } : {}), clauses };
}

const PHASE_KINDS = ["warmup", "constant", "linear", "cosine", "exp", "poly", "sqrt", "rsqrt", "step"];
const LET_NAMES = ["warm", "floor", "cool", "base", "d1", "tail_len", "lr_min", "hold_len"];
const SCHEDULE_NAMES = ["gpt", "bert", "wsd", "a1", "run_2", "Sched", "cifar"];

interface Layout {
  newline: string;
  indent: string;
  /** Break chains at arrows: 0 never, 1 arrow ends the line, 2 arrow starts the next line. */
  breakChains: number;
  comments: boolean;
  unicodeArrows: boolean;
}

const layout: fc.Arbitrary<Layout> = fc.record({
  newline: fc.constantFrom("\n", "\n", "\r\n"),
  indent: fc.constantFrom("  ", "    ", "\t", " "),
  breakChains: fc.nat(2),
  comments: fc.boolean(),
  unicodeArrows: fc.boolean(),
});

interface ScheduleText {
  /** Lines of the schedule's own settings, lets and chain, without indentation. */
  lines: string[];
}

/** One schedule's items: its clock, lr, lets and chain. */
function scheduleItems(draw: Draw, lay: Layout, withClock: boolean, c: Clock, relative: boolean): ScheduleText {
  const lines: string[] = [];
  if (withClock) lines.push(...c.settings);
  if (!relative) lines.push(`lr ${draw(fc.constantFrom("3e-4", "0.1", "6e-4", "1e-3", "1", "2.5e-4", "1e-3 * 2", "0.05"))}`);
  const rateLet = draw(fc.boolean()) ? draw(fc.constantFrom("floor", "lr_min")) : undefined;
  if (rateLet) lines.push(`let ${rateLet} = ${draw(fc.constantFrom(...RATES))}`);

  const n = draw(fc.integer({ min: 1, max: 6 }));
  const kinds = draw(fc.array(fc.constantFrom(...PHASE_KINDS), { minLength: n, maxLength: n }));
  // Which phase (if any) takes what remains, and how the rest share the ticks.
  const open = draw(fc.integer({ min: -1, max: n - 1 }));
  const weights = draw(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: n, maxLength: n }));
  const fill = draw(fc.constantFrom(1, 1, 0.9, 0.5));
  const available = Math.floor((open >= 0 ? c.ticks - 1 : c.ticks) * fill);
  const closedWeight = weights.reduce((s, w, i) => (i === open ? s : s + w), 0);
  const ticks = weights.map((w, i) => (i === open ? undefined : Math.max(1, Math.floor((w / closedWeight) * available))));
  let sum = ticks.reduce<number>((s, t) => s + (t ?? 0), 0);
  // Rounding up to one tick can overshoot a short total; take the excess back from the longest.
  while (sum > available) {
    const longest = ticks.reduce<number>((best, t, i) => ((t ?? 0) > (ticks[best] ?? 0) ? i : best), 0);
    if ((ticks[longest] ?? 0) <= 1) break;
    ticks[longest]! -= 1;
    sum -= 1;
  }
  const durationLet = draw(fc.boolean()) ? draw(fc.constantFrom("warm", "hold_len", "d1")) : undefined;
  const phases = kinds.map((k, i) => phaseSpec(draw, k, ticks[i], i === 0, c, rateLet));
  const phaseTexts = phases.map((p, i) => {
    let durationPart = "";
    if (p.ticks !== undefined) {
      const text = durationText(p.ticks, c, draw(fc.nat()));
      if (durationLet && i === 0) {
        lines.push(`let ${durationLet} = ${text}`);
        durationPart = ` ${durationLet}`;
      } else durationPart = ` ${text}`;
    }
    return [`${p.keyword}${durationPart}`, ...p.clauses].join(" ");
  });
  const arrow = lay.unicodeArrows ? "→" : "->";
  let chain: string;
  if (lay.breakChains === 1) chain = phaseTexts.join(` ${arrow}${lay.newline}${lay.indent}`);
  else if (lay.breakChains === 2) chain = phaseTexts.join(`${lay.newline}${lay.indent}${arrow} `);
  else chain = phaseTexts.join(` ${arrow} `);
  lines.push(chain);
  return { lines: draw(fc.boolean()) ? lines : [...lines.slice(0, -1).reverse(), lines[lines.length - 1]!] };
}

/** A whole file: a top-level schedule, or one to three schedule blocks. */
export const validProgram: fc.Arbitrary<string> = fc.tuple(layout, fc.boolean(), fc.integer({ min: 1, max: 3 })).chain(([lay, topLevel, blocks]) =>
  fc.gen().map((g) => {
    const draw: Draw = (arb) => g(() => arb);
    const out: string[] = [];
    const comment = (text: string) => (lay.comments && draw(fc.boolean()) ? `${text}  # ${draw(fc.constantFrom("note", "warmup -> cosine", "½ peak", "TODO: tune", ""))}` : text);
    if (lay.comments) out.push(`# ${draw(fc.constantFrom("a schedule", "GPT-3 style", "ünïcödé comment"))}`);
    if (topLevel) {
      const c = draw(clock);
      for (const l of scheduleItems(draw, lay, true, c, draw(fc.boolean())).lines) out.push(comment(l));
    } else {
      // A shared top-level total that blocks may override (only `total`, so that a block's
      // own clock never inherits a `clock` or `steps_per_epoch` it did not ask for), and a
      // shared peak.
      const shared = draw(fc.boolean()) ? draw(stepsClock) : undefined;
      if (shared) out.push(...shared.settings);
      const sharedLr = draw(fc.boolean());
      if (sharedLr) out.push("lr 3e-4");
      const names = draw(fc.uniqueArray(fc.constantFrom(...SCHEDULE_NAMES), { minLength: blocks, maxLength: blocks }));
      for (const name of names) {
        const own = shared && draw(fc.boolean()) ? undefined : draw(clock);
        const c = own ?? shared!;
        const items = scheduleItems(draw, lay, own !== undefined, c, sharedLr || draw(fc.boolean()));
        if (draw(fc.boolean())) out.push("");
        out.push(`schedule ${name} {`);
        for (const l of items.lines) out.push(comment(`${lay.indent}${l}`));
        out.push("}");
      }
    }
    return out.join(lay.newline) + (draw(fc.boolean()) ? lay.newline : "");
  }),
);
