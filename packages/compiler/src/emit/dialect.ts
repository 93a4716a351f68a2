// How a target language spells the evaluator's formulas.
//
// Python and JavaScript share `**` with the same precedence and associativity and the
// same IEEE-754 arithmetic, so each shape's formula is written once (in its module under
// `shapes/`) and a dialect supplies the few spellings that differ. The traced dialects
// (`traced.ts`) spell the same formulas over keras.ops or jax.numpy arrays, for targets
// whose rate is computed inside a compiled graph.

export interface Dialect {
  /** Which language, for the helper functions a shape carries in source form. */
  lang: "python" | "js";
  /**
   * True for the traced dialects, which may compute in float32: a shape whose usual
   * spelling cancels away float32's bits may spell an equal form there (see cyclic.ts).
   */
  traced: boolean;
  /**
   * The function that rounds a duration to whole ticks as the checker does (`roundTicks`,
   * check/values.ts), for the run-time program; Python defines it in the module.
   */
  roundTicks: string;
  /** A float literal (negative ones parenthesised). */
  num(x: number): string;
  cos: string;
  sqrt: string;
  floor: string;
  pi: string;
  exp: string;
  min: string;
  /** `base ** exponent`; a traced dialect takes the log of a constant base in double precision. */
  pow(base: string, exponent: string): string;
  /** The larger of two values (elementwise in a traced dialect). */
  max: string;
  log: string;
  nan: string;
  /**
   * A conditional expression: `ifTrue` where `cond` holds, else `ifFalse`. In a traced
   * dialect (keras.ops, jax.numpy) this is an elementwise `where` that computes both sides.
   */
  select(cond: string, ifTrue: string, ifFalse: string): string;
  /** The base-rate parameter of a relative schedule's `lr_at`. */
  baseLr: string;
  /** Statement declaring a local: `name = expr`. */
  assign(name: string, expr: string): string;
  /** Statement assigning an existing variable or parameter. */
  reassign(name: string, expr: string): string;
  not(cond: string): string;
  isNaN(expr: string): string;
  /** Statement: unpack `restartCycle(u, period, mult)` into `cycle`, `offset`, `length`. */
  assignCycle(call: string): string;
  ret(expr: string): string;
  /** `ifFirst` when `cycle` is 0, else `otherwise`. */
  firstCycleOr(ifFirst: string, otherwise: string): string;
  /** Calls of the emitted helpers. */
  countAtOrBelow(milestones: string, u: string): string;
  /** `len` is the phase's length, which a traced target's helper reads (`tracedRestartCycleSource`). */
  restartCycle(u: string, period: string, mult: string, len: string): string;
  /** A list literal of tick offsets. */
  list(items: string[]): string;
  /** A line comment. */
  comment(text: string): string;
  /** The line opening an `if` block; `ifClose` closes it (undefined where indentation does). */
  ifOpen(cond: string): string;
  ifClose: string | undefined;
}
