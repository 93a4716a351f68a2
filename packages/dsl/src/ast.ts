// The typed syntax tree of an Anneal file. Every node carries its source range, and nodes
// that a half-typed line leaves incomplete keep what was written: fields are optional where
// the parser's error recovery can leave them out, so the checker and the editor features
// work on every file, not only on valid ones.

import type { Range } from "./diagnostic.js";

export type Unit = "steps" | "epochs" | "tokens";

export type Expr = NumberLit | NameRef | PeakRef | TotalRef | Binary | Unary | Paren | Quantity | Percent | Call;

/** A number as written: `3e-4`, `1_000`, `.5`, `10k`, `1.5M`, `300B`. */
export interface NumberLit {
  kind: "Number";
  range: Range;
  raw: string;
  /** The value with the magnitude suffix applied (may be Infinity for `1e400`). */
  value: number;
  /** The magnitude suffix, if any; `m` is kept so the checker can say `did you mean M?`. */
  suffix?: "k" | "M" | "B" | "m";
}

export interface NameRef {
  kind: "Name";
  range: Range;
  name: string;
}

export interface PeakRef {
  kind: "Peak";
  range: Range;
}

export interface TotalRef {
  kind: "Total";
  range: Range;
}

export interface Binary {
  kind: "Binary";
  range: Range;
  /** `**` binds tighter than unary minus on its left and is right-associative, as in Python. */
  op: "+" | "-" | "*" | "/" | "**";
  left: Expr;
  right?: Expr;
}

export interface Unary {
  kind: "Unary";
  range: Range;
  op: "-";
  operand?: Expr;
}

export interface Paren {
  kind: "Paren";
  range: Range;
  inner?: Expr;
}

/** `sqrt(x)`, `min(a, b)`, `max(a, b)`: the built-in functions. */
export interface Call {
  kind: "Call";
  range: Range;
  fn: "sqrt" | "min" | "max";
  fnRange: Range;
  /** The arguments as written; recovery may leave fewer than the function takes. */
  args: Expr[];
}

/** An expression with a unit: `2k steps`, `90 epochs`, `375M tokens`. */
export interface Quantity {
  kind: "Quantity";
  range: Range;
  value: Expr;
  unit: Unit;
  unitRange: Range;
}

/** `4%`: a fraction of `total` in a duration position, of the peak in a rate position. */
export interface Percent {
  kind: "Percent";
  range: Range;
  value: Expr;
}

export interface Identifier {
  name: string;
  range: Range;
}

export type SettingKey = "lr" | "total" | "steps_per_epoch" | "tokens_per_step" | "clock";

export interface Setting {
  kind: "Setting";
  range: Range;
  key: SettingKey;
  keyRange: Range;
  /** The value, for every key but `clock`; after `?` it is the preview value, if any. */
  value?: Expr;
  /** Where the `?` is, for a setting bound at run time (`total ?`, `steps_per_epoch ? 500`). */
  runtime?: Range;
  /** The clock unit, for `clock steps` / `clock epochs`. */
  clock?: "steps" | "epochs";
}

export interface Let {
  kind: "Let";
  range: Range;
  name?: Identifier;
  value?: Expr;
}

export type PhaseKind =
  | "warmup"
  | "constant"
  | "linear"
  | "cosine"
  | "exp"
  | "poly"
  | "sqrt"
  | "rsqrt"
  | "step"
  | "onecycle"
  | "cyclic"
  | "rex"
  | "table";

/** One point of a `table` phase: `10k: 5e-4` (offset from the phase start, then the value). */
export interface TablePoint {
  range: Range;
  at?: Expr;
  value?: Expr;
}

/** A clause of a phase. Which clauses a phase kind accepts is the checker's business. */
export type Clause =
  /** A shape word: a warmup's `linear|cosine|exp`, `onecycle`'s `linear|cosine`, a table's `step|linear|cosine`. */
  | { kind: "shape"; range: Range; shape: "linear" | "cosine" | "exp" | "step" }
  | { kind: "from"; range: Range; value?: Expr }
  | { kind: "to"; range: Range; value?: Expr }
  | { kind: "at"; range: Range; values: Expr[] }
  | { kind: "power"; range: Range; value?: Expr }
  | { kind: "gamma"; range: Range; value?: Expr; per?: "step" | "epoch"; perRange?: Range }
  | { kind: "by"; range: Range; value?: Expr }
  | { kind: "every"; range: Range; value?: Expr }
  | { kind: "timescale"; range: Range; value?: Expr }
  /** `up D`: the rising part of `onecycle` and `cyclic`. */
  | { kind: "up"; range: Range; value?: Expr }
  /** `via V`: `onecycle`'s top. */
  | { kind: "via"; range: Range; value?: Expr }
  /** `three phase`: `onecycle`'s `three_phase=True`. */
  | { kind: "threePhase"; range: Range }
  /** `decay F` directly on a phase (`cyclic ... decay 0.5`); a restart's `decay` stays inside `restart`. */
  | { kind: "decay"; range: Range; value?: Expr }
  /** `over D`: the length a decay's progress is measured against. */
  | { kind: "over"; range: Range; value?: Expr }
  /** A table's points, `{ D: V, ... }`; `close` is missing when the file ends inside it. */
  | { kind: "points"; range: Range; points: TablePoint[]; open: Range; close?: Range }
  | {
      kind: "restart";
      range: Range;
      every?: Expr;
      mult?: Expr;
      multRange?: Range;
      decay?: Expr;
      /** `limit N`: the number of cycles, after which the phase holds at `to`. */
      limit?: Expr;
      limitRange?: Range;
    };

export type ClauseKind = Clause["kind"];

export interface Phase {
  kind: "Phase";
  range: Range;
  /** The phase keyword as written (`hold` is kept so messages can echo it). */
  keyword: string;
  type: PhaseKind;
  keywordRange: Range;
  duration?: Expr;
  clauses: Clause[];
}

/** What a chain schedules: the learning rate, or a hyperparameter beside it. */
export type ChainTarget = "lr" | "momentum" | "beta2" | "weight_decay";

export interface PhaseChain {
  kind: "Chain";
  range: Range;
  /**
   * The label before the colon (`momentum: onecycle ...`), when written; an unlabelled
   * chain, like `lr:`, schedules the learning rate.
   */
  target?: { name: ChainTarget; range: Range };
  phases: Phase[];
  arrows: Range[];
}

export interface Schedule {
  kind: "Schedule";
  range: Range;
  name?: Identifier;
  keywordRange: Range;
  body: (Setting | Let)[];
  chains: PhaseChain[];
  /** Where the block's braces are; `close` is missing when the file ends inside the block. */
  open?: Range;
  close?: Range;
}

export type Item = Setting | Let | Schedule | PhaseChain;

export interface Comment {
  range: Range;
  text: string;
}

export interface AnnealFile {
  kind: "File";
  range: Range;
  items: Item[];
  comments: Comment[];
}
