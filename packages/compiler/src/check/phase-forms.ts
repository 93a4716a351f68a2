// What each phase kind is, as a person reads it: the clauses it takes (the checker holds
// every phase to these, A201, and completion offers the same), how each clause is written,
// each phase's form and one-line description, and each clause's. The checker (phases.ts)
// and the language server's completion and hovers read this one table.

import type { ClauseKind, Phase } from "@anneal/dsl";

/** The clauses each phase kind takes; anything else is A201. Completion offers the same. */
export const PHASE_CLAUSES: Record<Phase["type"], readonly ClauseKind[]> = {
  warmup: ["shape", "from", "to"],
  constant: ["at"],
  linear: ["from", "to", "over"],
  cosine: ["from", "to", "restart", "over"],
  exp: ["from", "to", "gamma"],
  poly: ["from", "to", "power", "over"],
  sqrt: ["from", "to", "over"],
  rsqrt: ["from", "timescale"],
  step: ["from", "by", "every", "at"],
  onecycle: ["up", "from", "via", "to", "shape", "threePhase"],
  cyclic: ["from", "to", "every", "up", "decay", "gamma"],
  rex: ["from", "to", "over"],
  table: ["shape", "points"],
};

/** How each clause is written in a file, for messages and completion. */
export const CLAUSE_WORD: Record<ClauseKind, string> = {
  shape: "shape",
  from: "from",
  to: "to",
  at: "at",
  power: "power",
  gamma: "gamma",
  by: "by",
  every: "every",
  timescale: "timescale",
  restart: "restart every",
  up: "up",
  via: "via",
  threePhase: "three phase",
  decay: "decay",
  over: "over",
  points: "{ ... }",
};

/** Each phase keyword (`hold` beside `constant`, which it spells) with its form and what it does. */
export const PHASE_FORMS: Record<Phase["type"] | "hold", { form: string; doc: string }> = {
  warmup: { form: "warmup D [linear|cosine|exp] [from V] [to V]", doc: "Rises from 0 (or `from`) to the peak (or `to`) over D." },
  constant: { form: "constant [D] [at V]", doc: "Holds the rate where the previous phase ended, or at `at V`." },
  hold: { form: "hold [D] [at V]", doc: "Another name for `constant`." },
  linear: { form: "linear [D] [from V] [to V] [over D]", doc: "A straight line down to `to` (default 0)." },
  cosine: { form: "cosine [D] [from V] [to V] [restart every D [x M] [decay F]] [over D]", doc: "Half a cosine down to `to` (default 0); with `restart every`, SGDR cycles." },
  exp: { form: "exp [D] [from V] (to V | gamma G per step|epoch)", doc: "Geometric decay to a positive floor, or by a factor G per step or epoch." },
  poly: { form: "poly [D] power P [from V] [to V] [over D]", doc: "Polynomial decay: b + (a - b)(1 - p)^P." },
  sqrt: { form: "sqrt [D] [from V] [to V] [over D]", doc: "The 1 - sqrt cooldown of warmup-stable-decay: b + (a - b)(1 - sqrt(p))." },
  rsqrt: { form: "rsqrt [D] [from V] [timescale D]", doc: "Inverse square root decay, a·sqrt(tau / (tau + t - s)); tau defaults to the phase's start." },
  step: { form: "step [D] [from V] by F (every D | at D, D, ...)", doc: "Multiplies the rate by F every D, or at each milestone." },
  onecycle: {
    form: "onecycle [D] [up D] [from V] [via V] [to V] [linear|cosine] [three phase]",
    doc: "PyTorch's OneCycleLR, step for step: up from `from` (via / 25) to `via` (the peak) over `up` (30%), then down to `to` (from / 1e4).",
  },
  cyclic: {
    form: "cyclic [D] from V [to V] every P [up D] [decay F | gamma G]",
    doc: "PyTorch's CyclicLR: triangles between `from` and `to` (the peak) every P; `decay 0.5` is triangular2, `gamma G` exp_range.",
  },
  rex: { form: "rex [D] [from V] [to V] [over D]", doc: "The REX decay: b + (a - b)(1 - p) / (1 - p / 2)." },
  table: { form: "table [step|linear|cosine] { D: V, ... }", doc: "A rate through each point (offsets from the phase start), then held until the phase ends." },
};

/** What each clause means, one line each. */
export const CLAUSE_DOCS: Record<ClauseKind, string> = {
  shape: "The shape of the rise or of the table's pieces: `linear` (the default), `cosine` or `exp`.",
  from: "The rate the phase starts at; by default where the previous phase ended.",
  to: "The rate the phase ends at: an absolute rate (`1e-6`) or a fraction of the peak (`10%`).",
  at: "`constant at V`: the rate to hold. `step by F at D, D, ...`: the milestones, from the phase's start.",
  power: "The exponent of a `poly` decay: `power 1` is linear, `power 2` quadratic.",
  gamma: "The factor the rate is multiplied by once per step or epoch: `gamma 0.95 per epoch`.",
  by: "The factor of each step of a step decay, below 1: `by 0.1`.",
  every: "How often a step decay steps: `every 30 epochs`.",
  timescale: "The inverse square root's tau, in steps; by default the phase's start.",
  restart: "SGDR: restart the cosine every D, optionally `x M` longer each cycle and `decay F` lower.",
  up: "How long the rise lasts: `up 30%` of the phase (one-cycle), or of each cycle (cyclic).",
  via: "The one-cycle's top: the rate it rises to before coming down (default the peak).",
  threePhase: "One-cycle in three phases, as PyTorch's `three_phase=True`.",
  decay: "Each cycle's amplitude times F: `decay 0.5` (cyclic's triangular2).",
  over: "The length the curve's progress is measured against, instead of the phase's own: `cosine to 10% over 110%`.",
  points: "The table's points, each an offset from the phase's start and the rate there: `{ 0: 1e-3, 10k: 1e-4 }`.",
};
