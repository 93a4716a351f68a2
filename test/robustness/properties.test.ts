// The robustness properties at `npm test` size: a fixed seed (override with
// ANNEAL_FUZZ_SEED to replay a fuzz run's failure), a few thousand cases each.
// `npm run fuzz` runs the same properties at a million cases in all.

import fc from "fast-check";
import { join } from "node:path";
import { describe, test } from "vitest";
import { loadExamples } from "./examples.js";
import { robustnessProperties } from "./properties.js";

const seed = Number(process.env.ANNEAL_FUZZ_SEED ?? 20_240_917);
const root = join(import.meta.dirname, "..", "..");

describe(`robustness properties (seed ${seed})`, () => {
  for (const p of robustnessProperties(loadExamples(root))) {
    test(p.name, () => {
      fc.assert(p.property, { seed, numRuns: p.runs });
    });
  }
});
