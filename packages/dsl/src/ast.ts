// The typed syntax tree of an Anneal file. Every node carries its source range, and nodes
// that a half-typed line leaves incomplete keep what was written: fields are optional where
// the parser's error recovery can leave them out, so the checker and the editor features
// work on every file, not only on valid ones.

import type { Range } from "./diagnostic.js";

export type Unit = "steps" | "epochs" | "tokens";

export type Expr = NumberLit | NameRef | PeakRef | TotalRef | Binary | Unary | Paren | Quantity | Percent;

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
  op: "+" | "-" | "*" | "/";
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
  /** The value, for every key but `clock`. */
  value?: Expr;
  /** The clock unit, for `clock steps` / `clock epochs`. */
  clock?: "steps" | "epochs";
}

export interface Let {
  kind: "Let";
  range: Range;
  name?: Identifier;
  value?: Expr;
}

export type PhaseKind = "warmup" | "constant" | "linear" | "cosine" | "exp" | "poly" | "sqrt" | "rsqrt" | "step";

/** A clause of a phase. Which clauses a phase kind accepts is the checker's business. */
export type Clause =
  | { kind: "shape"; range: Range; shape: "linear" | "cosine" | "exp" }
  | { kind: "from"; range: Range; value?: Expr }
  | { kind: "to"; range: Range; value?: Expr }
  | { kind: "at"; range: Range; values: Expr[] }
  | { kind: "power"; range: Range; value?: Expr }
  | { kind: "gamma"; range: Range; value?: Expr; per?: "step" | "epoch"; perRange?: Range }
  | { kind: "by"; range: Range; value?: Expr }
  | { kind: "every"; range: Range; value?: Expr }
  | { kind: "timescale"; range: Range; value?: Expr }
  | {
      kind: "restart";
      range: Range;
      every?: Expr;
      mult?: Expr;
      multRange?: Range;
      decay?: Expr;
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

export interface PhaseChain {
  kind: "Chain";
  range: Range;
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
