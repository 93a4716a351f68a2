// Work that checking a file must not do, counted (never timed). The run-time program of a
// schedule that binds nothing at run time is left for an emitter to ask for: built for every
// schedule of every compile, it was a quarter of what checking allocated, and an editor
// compiles on every keystroke.

import { afterEach, describe, expect, test, vi } from "vitest";
import { runtimeProgram } from "../../src/check/schedule.js";
import { RuntimeRecorder } from "../../src/check/runtime.js";
import { compile } from "../../src/compile.js";
import { emit } from "../../src/emit/index.js";

/** Schedules that use every conversion the run-time program follows (percents, epochs, tokens), and a hyperparameter chain. */
function file(n: number): string {
  const blocks: string[] = [];
  for (let i = 0; i < n; i++)
    blocks.push(
      [
        `schedule a${i} {\n  lr 3e-4\n  total ${100 + i}k\n  warmup 2% -> cosine to 10%\n}`,
        `schedule b${i} {\n  lr 0.1  total 90 epochs  steps_per_epoch ${300 + i}  clock steps\n  warmup 5 epochs -> cosine restart every 10 epochs x2\n}`,
        `schedule c${i} {\n  lr 6e-4  total 300B tokens  tokens_per_step 0.5M\n  warmup 375M tokens -> constant -> linear 20% to 0\n}`,
        `schedule d${i} {\n  lr 5e-4  total 100 epochs  steps_per_epoch 1000  clock steps\n  warmup 10 epochs -> cosine to 1e-6\n  weight_decay: cosine from 0.04 to 0.4\n}`,
      ][i % 4]!,
    );
  return blocks.join("\n");
}

afterEach(() => vi.restoreAllMocks());

describe("the run-time program while checking", () => {
  test("is not built for schedules that bind nothing at run time", () => {
    const named = vi.spyOn(RuntimeRecorder.prototype, "name");
    const finished = vi.spyOn(RuntimeRecorder.prototype, "finish");
    const r = compile(file(90));
    expect(r.hasErrors).toBe(false);
    expect(r.schedules.filter((s) => s.ir)).toHaveLength(90);
    expect(r.schedules[3]!.ir!.params?.weight_decay).toBeDefined();
    expect(named).toHaveBeenCalledTimes(0);
    expect(finished).toHaveBeenCalledTimes(0);
    // One schedule's program, asked for, is resolved for that schedule alone.
    const rt = runtimeProgram(r.schedules[1]!.ir!)!;
    expect(finished).toHaveBeenCalledTimes(1);
    expect(rt.settings.map((s) => [s.key, s.bound, s.value])).toEqual([
      ["total", false, 90 * 301],
      ["steps_per_epoch", false, 301],
      ["tokens_per_step", false, undefined],
      ["lr", false, 0.1],
    ]);
    // Asked again, it is the one already resolved.
    expect(runtimeProgram(r.schedules[1]!.ir!)).toBe(rt);
    expect(finished).toHaveBeenCalledTimes(1);
    expect(runtimeProgram(r.schedules[3]!.ir!)!.params?.weight_decay).toBeDefined();
  });

  test("is built while checking when a setting is bound at run time, and reads the same either way", () => {
    const bound = compile("lr 0.1\ntotal 90 epochs\nsteps_per_epoch ? 5005\nclock steps\nwarmup 5 epochs from 1% -> cosine to 0\n").schedules[0]!.ir!;
    expect(bound.runtime).toBeDefined();
    const finished = vi.spyOn(RuntimeRecorder.prototype, "finish");
    const fixed = compile("lr 0.1\ntotal 90 epochs\nsteps_per_epoch 5005\nclock steps\nwarmup 5 epochs from 1% -> cosine to 0\n").schedules[0]!.ir!;
    expect(fixed.runtime).toBeUndefined();
    expect(finished).toHaveBeenCalledTimes(0);
    const rt = runtimeProgram(fixed)!;
    // The same statements and checks as the bound one: only whether the keyword is bound differs.
    expect(rt.program).toEqual(bound.runtime!.program);
    expect(rt.settings.map((s) => [s.key, s.value])).toEqual(bound.runtime!.settings.map((s) => [s.key, s.value]));
    // An emitter still offers the written settings as keywords.
    expect(emit("pytorch", fixed).text).toContain("*, total=None, steps_per_epoch=None, tokens_per_step=None");
  });
});
