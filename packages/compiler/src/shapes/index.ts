// The shape table: one module per kind of segment, keyed by the kind.
//
// The mapped type makes this table the place where a new shape must be registered: a kind
// in `ir.ts` without a row here, or a row without every piece of `ShapeModule`, does not
// type-check. Code that needs something of a shape asks the table (`shapeModule(s)`)
// instead of switching over kinds.
//
// To add a shape: its variant in `ir.ts`, its module in this folder, its row here, the
// phase that lowers to it (`check/phases.ts`), the parser's word (`packages/dsl`), and its
// paragraph in docs/language.md. The evaluator gives it a fast route only if profiling
// says so; otherwise it evaluates through the module's `at`.

import type { Shape, ShapeKind } from "../ir.js";
import { constant } from "./constant.js";
import { cosine } from "./cosine.js";
import { cyclic } from "./cyclic.js";
import { exp } from "./exp.js";
import { gamma } from "./gamma.js";
import { linear } from "./linear.js";
import { multistep } from "./multistep.js";
import { poly } from "./poly.js";
import { restarts } from "./restarts.js";
import { rex } from "./rex.js";
import { rsqrt } from "./rsqrt.js";
import type { ShapeModule, ShapeOf } from "./shape.js";
import { sqrt } from "./sqrt.js";
import { step } from "./step.js";

export type ShapeTable = { readonly [K in ShapeKind]: ShapeModule<ShapeOf<K>> };

export const SHAPES: ShapeTable = {
  constant,
  linear,
  cosine,
  exp,
  gamma,
  poly,
  sqrt,
  rsqrt,
  step,
  multistep,
  restarts,
  rex,
  cyclic,
};

/** The module of a shape, typed for that shape. */
export function shapeModule<S extends Shape>(s: S): ShapeModule<S> {
  return SHAPES[s.kind] as unknown as ShapeModule<S>;
}

export type { ShapeModule, ShapeOf, Spelled, EmitNames, Jumps, Helper } from "./shape.js";
