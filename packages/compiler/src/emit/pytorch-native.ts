// The `--native` PyTorch target: the schedule composed from torch's built-in schedulers.
//
// Each segment becomes one built-in (LinearLR, CosineAnnealingLR, ...), chosen by its
// shape's module (`shapes/`, `native`), inside a SequentialLR whose milestones are the
// segment starts, and a final ConstantLR holds the rate past `total` when the last
// built-in would keep moving (a cosine rebounds, a step decay keeps decaying). The mapping
// is only made when it is exact, given how torch runs these classes (native-context.ts,
// docs/emit.md and the reference notes on SequentialLR). When a segment cannot be
// expressed, the result is an A401 diagnostic on the phase that names the construct and
// the reason.

import type { Diagnostic } from "@anneal/dsl";
import { rateAt } from "../evaluate.js";
import type { ScheduleIR, Segment } from "../ir.js";
import { shapeModule } from "../shapes/index.js";
import { RateView, type NativeMapping, type NativeScheduler } from "./native-context.js";
import { CODES } from "../diagnostics/registry.js";
import { intLiteral, pyComment, pyFloat } from "./escape.js";
import type { EmitOptions } from "./header.js";
import { pyClosedForm, pyConstants, pyImports, pyModuleDocstring } from "./pytorch.js";
import { segmentLabel } from "./formula.js";

const INDENT = "    ";

/** The built-in for one segment, from its shape's module. */
function mapSegment(seg: Segment, view: RateView): NativeMapping {
  const shape = seg.shape;
  return shapeModule(shape).native(shape, seg, { view, len: seg.end - seg.start, label: segmentLabel(seg), py: pyFloat });
}

/**
 * The ConstantLR that holds the final rate from `total` on. When the final rate is a
 * fraction in [0, 1] of the base, that fraction is its factor. Otherwise (an absolute floor
 * in a relative schedule, or a rate above the base) no factor fits every group, so the
 * hold gets factor 1 and its own `base_lrs` set to the final rate of each group: at its
 * milestone SequentialLR computes it in closed form, `base_lr * factor`, which is then
 * exactly that rate, and `base_lrs` travels in its `state_dict`.
 */
function holdScheduler(ir: ScheduleIR, view: RateView, last: NativeScheduler | undefined): NativeScheduler {
  const why = last?.pastEnd === undefined ? "" : ` (${last.pastEnd})`;
  const label = `past total: hold the final rate, ${view.describe(ir.final)}${why}`;
  const f = view.factor(ir.final);
  if (f !== undefined && f >= 0 && f <= 1) {
    return { call: `lr_scheduler.ConstantLR(optimizer, factor=${pyFloat(f)}, total_iters=_NEVER)`, label, holds: true };
  }
  const v = ir.final;
  const perGroup = ir.relative
    ? `${v.scale === 0 ? "" : `${pyFloat(v.scale)} * group["initial_lr"] + `}${pyFloat(v.abs)} for group in optimizer.param_groups`
    : `${pyFloat(rateAt(v, ir.peak ?? 1))} for group in optimizer.param_groups`;
  return {
    setup: [
      "# No single factor gives the final rate for every group, so the hold's own base rates",
      "# are set to it: SequentialLR starts it in closed form, base_lr * factor with factor 1.",
      "hold = lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=_NEVER)",
      `hold.base_lrs = [${perGroup}]`,
    ],
    call: "hold",
    label,
    holds: true,
  };
}

/** The module-level helpers the built-ins need, each once, followed by two blank lines. */
function nativeHelpers(schedulers: NativeScheduler[]): string[] {
  const seen = new Map<string, string[]>();
  for (const s of schedulers) if (s.helper && !seen.has(s.helper.name)) seen.set(s.helper.name, s.helper.source);
  return [...seen.values()].flatMap((src) => [...src, "", ""]);
}

export interface NativeResult {
  text: string;
  diagnostics: Diagnostic[];
}

/** The `--native` module, or A401 diagnostics (and no text) when some phase has no exact mapping. */
export function emitPytorchNative(ir: ScheduleIR, opts: EmitOptions): NativeResult {
  const view = new RateView(ir);
  const diagnostics: Diagnostic[] = [];
  const schedulers: NativeScheduler[] = [];
  const milestones: number[] = [];
  for (const seg of ir.segments) {
    const m = mapSegment(seg, view);
    if ("reason" in m) {
      diagnostics.push({
        code: "A401",
        severity: CODES.A401.severity,
        message: `no native torch mapping for this ${seg.phase} phase: ${m.reason}.`,
        range: seg.range,
      });
      continue;
    }
    if (seg.start > 0) milestones.push(seg.start);
    schedulers.push(m.ok);
  }
  if (diagnostics.length > 0) return { text: "", diagnostics };
  const last = ir.segments[ir.segments.length - 1];
  if (last === undefined) {
    // No segments (a zero-length schedule): the hold alone, from the first step.
    schedulers.push(holdScheduler(ir, view, undefined));
  } else if (!schedulers[schedulers.length - 1]!.holds) {
    milestones.push(ir.total);
    schedulers.push(holdScheduler(ir, view, schedulers[schedulers.length - 1]));
  }

  const notes = [
    "",
    "This module composes torch's built-in schedulers (see `build_scheduler`); `lr_at` is the",
    "same schedule in closed form, for plotting and checks.",
    "",
    "Usage:",
    "",
    "    optimizer = torch.optim.SGD(model.parameters(), lr=...)",
    "    scheduler = build_scheduler(optimizer)",
    "",
    "Resume: build a new optimizer and scheduler first, then load both state dicts (the",
    "built-ins are chainable: each rate is computed from the optimizer's current one).",
  ];
  if (!ir.relative) {
    notes.push("`build_scheduler` sets every group's `lr` and `initial_lr` to PEAK.");
  }
  const body: string[] = [];
  if (!ir.relative) {
    body.push(
      `${INDENT}# The built-ins scale each group's initial_lr; this schedule is absolute, so that is PEAK.`,
      `${INDENT}for group in optimizer.param_groups:`,
      `${INDENT}${INDENT}group["lr"] = PEAK`,
      `${INDENT}${INDENT}group["initial_lr"] = PEAK`,
    );
  }
  if (schedulers.length === 1) {
    const only = schedulers[0]!;
    for (const line of only.setup ?? []) body.push(`${INDENT}${line}`);
    body.push(`${INDENT}# ${pyComment(only.label)}`, `${INDENT}return ${only.call}`);
  } else {
    // Schedulers that need statements of their own are built first, then listed by name.
    for (const s of schedulers) for (const line of s.setup ?? []) body.push(`${INDENT}${line}`);
    body.push(`${INDENT}schedulers = [`);
    for (const s of schedulers) body.push(`${INDENT}${INDENT}# ${pyComment(s.label)}`, `${INDENT}${INDENT}${s.call},`);
    body.push(`${INDENT}]`);
    body.push(
      `${INDENT}return lr_scheduler.SequentialLR(optimizer, schedulers=schedulers, milestones=[${milestones.map(intLiteral).join(", ")}])`,
    );
  }
  const lines = [
    pyModuleDocstring(ir, opts, "pytorch --native", notes),
    "",
    ...pyImports(ir),
    "",
    "import torch",
    "from torch.optim import lr_scheduler",
    "",
    ...pyConstants(ir, opts),
    "# A step count no run reaches: a ConstantLR with total_iters=_NEVER holds its factor for good.",
    "_NEVER = 2 ** 62",
    "",
    "",
    ...nativeHelpers(schedulers),
    ...pyClosedForm(ir),
    "",
    "",
    "def build_scheduler(optimizer):",
    `${INDENT}"""torch's built-in schedulers, composed to follow this schedule step for step."""`,
    ...body,
    "",
  ];
  return { text: lines.join("\n"), diagnostics: [] };
}
