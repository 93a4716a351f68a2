// What a generated PyTorch scheduler writes into its `state_dict` about itself, and what
// it checks when state is loaded: which kind of module made the state (the closed form of
// `anneal emit pytorch`, or the built-ins composed by `--native`) and which spec (a
// fingerprint of everything that decides a rate). Both PyTorch emitters use this one
// helper, so the two forms stamp and check state the same way.
//
// Without it, loading a closed-form state into a `--native` scheduler raised a bare
// `KeyError('_schedulers')`, and loading a `--native` state saved from an edited spec kept
// the old spec's milestones (A to B continued A's curve) without a word.

import type { ScheduleIR } from "../ir.js";
import { pyString } from "./escape.js";

/** The two kinds of PyTorch module, as their stamps spell them. */
export type StateKind = "closed-form" | "native";

/**
 * A fingerprint of what decides the schedule's rates: total, clock, peak, relativity, the
 * final rate and every segment's ticks, shape and endpoints (not names, ranges or comments,
 * which do not change a rate). Sixteen hex digits of two independent 32-bit FNV-1a hashes
 * over a canonical JSON text; pure and the same on every platform.
 */
export function scheduleFingerprint(ir: ScheduleIR): string {
  const canonical = JSON.stringify([
    ir.total,
    ir.clock,
    ir.peak ?? null,
    ir.relative,
    ir.final,
    ir.segments.map((s) => [s.start, s.end, s.shape, s.from, s.to]),
  ]);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < canonical.length; i++) {
    const c = canonical.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/**
 * The Python that stamps and checks state: `_FINGERPRINT`, `_stamp(kind)` for
 * `state_dict`, and `_checked_state(state_dict, kind, sequential)` for `load_state_dict`,
 * which raises a ValueError naming the kind that made the state when it is the other kind,
 * and warns naming both specs (returning False) when another spec made it.
 */
export function pyStateHelpers(ir: ScheduleIR, indent: string): string[] {
  const I = indent;
  return [
    "# What made a scheduler state: the kind of module and a fingerprint of the spec's rates.",
    `_STATE_KEY = "_anneal"`,
    `_FINGERPRINT = ${pyString(scheduleFingerprint(ir))}`,
    "_KINDS = {",
    `${I}"closed-form": "the closed-form scheduler of \`anneal emit pytorch\`",`,
    `${I}"native": "torch's built-in schedulers composed by \`anneal emit pytorch --native\`",`,
    "}",
    "",
    "",
    "def _stamp(kind):",
    `${I}return {"kind": kind, "fingerprint": _FINGERPRINT, "schedule": SCHEDULE, "source": SOURCE}`,
    "",
    "",
    "def _spec_name(stamp):",
    `${I}return "schedule %r of %s (fingerprint %s)" % (stamp.get("schedule"), stamp.get("source") or "an unnamed source", stamp.get("fingerprint"))`,
    "",
    "",
    "def _checked_state(state_dict, kind, sequential=False):",
    `${I}"""Checks what made \`state_dict\`: True to load it as it is, False when another spec made it.`,
    "",
    `${I}Another kind of scheduler is an error (its state means something else); another spec`,
    `${I}is a warning that names both, and the caller then moves this spec to the saved step.`,
    `${I}State saved without a stamp is recognised by its shape where the shape tells.`,
    `${I}"""`,
    `${I}if not isinstance(state_dict, dict):`,
    `${I}${I}raise TypeError("a scheduler state_dict is a dict, not %s" % type(state_dict).__name__)`,
    `${I}stamp = state_dict.get(_STATE_KEY)`,
    `${I}if isinstance(stamp, dict):`,
    `${I}${I}made_by = stamp.get("kind")`,
    `${I}elif "_schedulers" in state_dict:`,
    `${I}${I}made_by = "native"`,
    `${I}elif sequential:`,
    `${I}${I}made_by = "closed-form"`,
    `${I}else:`,
    `${I}${I}made_by = kind`,
    `${I}if made_by != kind:`,
    `${I}${I}raise ValueError(`,
    `${I}${I}${I}"this state_dict was saved by %s, and this scheduler is %s; load it into a scheduler "`,
    `${I}${I}${I}"generated the same way, or start this one fresh" % (_KINDS.get(made_by, repr(made_by)), _KINDS[kind])`,
    `${I}${I})`,
    `${I}if isinstance(stamp, dict) and stamp.get("fingerprint") != _FINGERPRINT:`,
    `${I}${I}import warnings`,
    "",
    `${I}${I}warnings.warn(`,
    `${I}${I}${I}"this state_dict was saved by %s, and this scheduler follows %s: the spec changed, so "`,
    `${I}${I}${I}"stepping continues on this spec's curve from the saved step" % (_spec_name(stamp), _spec_name(_stamp(kind))),`,
    `${I}${I}${I}stacklevel=3,`,
    `${I}${I})`,
    `${I}${I}return False`,
    `${I}return True`,
    "",
    "",
    "def _checked_settings(state_dict, settings):",
    `${I}"""Warns when \`state_dict\` was saved with other settings bound at run time, naming both."""`,
    `${I}stamp = state_dict.get(_STATE_KEY)`,
    `${I}saved = stamp.get("settings") if isinstance(stamp, dict) else None`,
    `${I}if saved is not None and saved != settings:`,
    `${I}${I}warnings.warn(`,
    `${I}${I}${I}"this state_dict was saved with the settings %r, and this scheduler was built with %r; "`,
    `${I}${I}${I}"stepping continues on this scheduler's curve from the saved step" % (saved, settings),`,
    `${I}${I}${I}AnnealWarning,`,
    `${I}${I}${I}stacklevel=3,`,
    `${I}${I})`,
  ];
}

/**
 * `_warn_past_end(step, total, stacklevel)`, the past-end guard's warning for both PyTorch
 * modules: the count, the total, and the clock's usual mistake (`stacklevel` as the caller
 * would give `warnings.warn`).
 */
export function pyPastEndWarning(ir: ScheduleIR, indent: string): string[] {
  const I = indent;
  const clockWords =
    ir.clock === "epochs"
      ? "this schedule counts epochs, so call `scheduler.step()` once per epoch, not once per batch"
      : "this schedule counts optimizer steps; if the loop steps once per batch, its total is too short (a total in epochs, or a count before gradient accumulation or data parallelism): pass `total=` or `steps_per_epoch=` for the steps actually taken";
  return [
    "def _warn_past_end(step, total, stacklevel):",
    `${I}"""Warns that a scheduler has been stepped twice its total (each caller warns once): the loop most likely counts on another clock."""`,
    `${I}warnings.warn(`,
    `${I}${I}"scheduler.step() has been called %d times, twice this schedule's total of %d ${ir.clock}; " % (step, total)`,
    `${I}${I}+ ${pyString(clockWords)},`,
    `${I}${I}AnnealWarning,`,
    `${I}${I}stacklevel=stacklevel + 1,`,
    `${I})`,
  ];
}
