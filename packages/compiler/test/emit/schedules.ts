// Hand-made schedules for the emitter tests, written as the checker lowers them: segments
// with closed-form shapes, each with its own source range so diagnostics can be located.

import type { RateValue, ScheduleIR, Segment, Shape } from "../../src/ir.js";

export const abs = (v: number): RateValue => ({ scale: 0, abs: v });
export const rel = (scale: number, absPart = 0): RateValue => ({ scale, abs: absPart });

export interface SegmentSpec {
  end: number;
  shape: Shape;
  from: RateValue;
  to: RateValue;
  phase?: string;
}

/**
 * A schedule of consecutive segments starting at 0; the last one ends at `total`. Segment
 * i gets the source range [100 i, 100 i + 50), so a test can tell which one a diagnostic is on.
 */
export function makeSchedule(
  opts: { name?: string; peak?: number; clock?: "steps" | "epochs"; final: RateValue },
  specs: SegmentSpec[],
): ScheduleIR {
  let start = 0;
  const segments: Segment[] = specs.map((s, i) => {
    const seg: Segment = {
      start,
      end: s.end,
      shape: s.shape,
      from: s.from,
      to: s.to,
      phase: s.phase ?? s.shape.kind,
      phaseIndex: i,
      range: { start: 100 * i, end: 100 * i + 50 },
    };
    start = s.end;
    return seg;
  });
  const total = start;
  return {
    name: opts.name ?? "test",
    nameRange: { start: 0, end: 0 },
    range: { start: 0, end: 100 * specs.length },
    total,
    clock: opts.clock ?? "steps",
    totalUnit: opts.clock ?? "steps",
    ...(opts.peak === undefined ? {} : { peak: opts.peak }),
    relative: opts.peak === undefined,
    segments,
    final: opts.final,
  };
}

/** One schedule per shape and value kind, for tests that run every formula. */
export function everyShape(): ScheduleIR[] {
  return [
    makeSchedule({ peak: 1e-3, final: abs(1e-6) }, [
      { end: 40, shape: { kind: "linear" }, from: abs(1e-5), to: abs(1e-3), phase: "warmup" },
      { end: 70, shape: { kind: "constant" }, from: abs(1e-3), to: abs(1e-3) },
      { end: 130, shape: { kind: "cosine" }, from: abs(1e-3), to: abs(1e-6) },
    ]),
    makeSchedule({ peak: 0.1, final: abs(0.1 * 0.97 ** 3) }, [
      { end: 25, shape: { kind: "cosine" }, from: abs(0), to: abs(0.1), phase: "warmup" },
      { end: 60, shape: { kind: "exp" }, from: abs(0.1), to: abs(0.001) },
      { end: 90, shape: { kind: "gamma", gamma: 0.97, per: 10 }, from: abs(0.1), to: abs(0.1) },
    ]),
    makeSchedule({ final: rel(0, 0) }, [
      { end: 30, shape: { kind: "exp" }, from: rel(0.01), to: rel(1), phase: "warmup" },
      { end: 80, shape: { kind: "poly", power: 2.5 }, from: rel(1), to: rel(0.1, 1e-4) },
      { end: 120, shape: { kind: "sqrt" }, from: rel(0.1, 1e-4), to: rel(0, 0) },
    ]),
    makeSchedule({ final: rel(Math.sqrt(40 / 140)) }, [
      { end: 40, shape: { kind: "linear" }, from: rel(0, 1e-7), to: rel(1), phase: "warmup" },
      { end: 140, shape: { kind: "rsqrt", tau: 40 }, from: rel(1), to: rel(1) },
    ]),
    makeSchedule({ peak: 0.5, clock: "epochs", final: abs(0.5 * 0.1 ** 2) }, [
      { end: 90, shape: { kind: "step", factor: 0.1, every: 30 }, from: abs(0.5), to: abs(0.5) },
    ]),
    makeSchedule({ peak: 0.2, final: abs(0.2 * 0.5 ** 3) }, [
      { end: 100, shape: { kind: "multistep", factor: 0.5, milestones: [10, 40, 40, 99] }, from: abs(0.2), to: abs(0.2) },
    ]),
    makeSchedule({ peak: 0.1, final: abs(0.05) }, [
      { end: 310, shape: { kind: "restarts", period: 20, mult: 1.5, decay: 0.8 }, from: abs(0.1), to: abs(1e-4) },
    ]),
    makeSchedule({ final: rel(0, 1e-5) }, [
      { end: 150, shape: { kind: "restarts", period: 10, mult: 2, decay: 1 }, from: rel(1), to: rel(0, 1e-5) },
    ]),
  ];
}
