// A straightforward AST-walking interpreter of Anneal, kept here only as a yardstick for
// `eval_vs_interpreter`: what evaluating a schedule costs without the compiler's lowering.
// Every call walks the syntax tree from the top: it reads the settings, evaluates each
// duration and value expression, lays the phases out, and applies the phase's formula from
// LANGUAGE.md section 4. It covers the phases the benchmarks use (warmup, constant, linear,
// cosine with restarts, exp, step, sqrt, poly) and says so plainly for anything else.

/** Returns `lr(t)` for the file's first schedule (a top-level chain, or the first block). */
export function interpret(ast) {
  const top = ast.items;
  const block = top.find((i) => i.kind === "Schedule");
  const chain = top.find((i) => i.kind === "Chain") ?? block?.chains[0];
  if (!chain) throw new Error("interpreter: the file has no chain of phases");
  const scopes = block && chain === block.chains[0] ? [block.body, top] : [top];
  return (t) => evaluateAt(scopes, chain, t);
}

function setting(scopes, key) {
  for (const items of scopes) for (const i of items) if (i.kind === "Setting" && i.key === key) return i;
  return undefined;
}

function letValue(scopes, name) {
  for (const items of scopes) for (const i of items) if (i.kind === "Let" && i.name?.name === name) return i.value;
  throw new Error(`interpreter: unknown name ${name}`);
}

/** Evaluates an expression; `as` is "duration" or "rate" (what a percent means). */
function expr(scopes, e, as) {
  switch (e.kind) {
    case "Number":
      return e.value;
    case "Name":
      return expr(scopes, letValue(scopes, e.name), as);
    case "Peak":
      return expr(scopes, setting(scopes, "lr").value, "rate");
    case "Total":
      return totalTicks(scopes);
    case "Paren":
      return expr(scopes, e.inner, as);
    case "Unary":
      return -expr(scopes, e.operand, as);
    case "Binary": {
      const l = expr(scopes, e.left, as);
      const r = expr(scopes, e.right, as);
      return e.op === "+" ? l + r : e.op === "-" ? l - r : e.op === "*" ? l * r : l / r;
    }
    case "Quantity": {
      const v = expr(scopes, e.value, as);
      if (e.unit === "steps") return v;
      if (e.unit === "epochs") return v * expr(scopes, setting(scopes, "steps_per_epoch").value, "number");
      return v / expr(scopes, setting(scopes, "tokens_per_step").value, "number");
    }
    case "Percent": {
      const v = expr(scopes, e.value, "number") / 100;
      return as === "duration" ? v * totalTicks(scopes) : v * expr(scopes, setting(scopes, "lr").value, "rate");
    }
  }
  throw new Error(`interpreter: cannot evaluate a ${e.kind}`);
}

function totalTicks(scopes) {
  const s = setting(scopes, "total");
  const e = s.value;
  // `total 90 epochs` on an epoch clock counts epochs, unless `clock steps` says otherwise.
  if (e.kind === "Quantity" && e.unit === "epochs" && setting(scopes, "clock")?.clock !== "steps") return expr(scopes, e.value, "number");
  return Math.round(expr(scopes, e, "number"));
}

/** A duration in clock ticks: epochs on an epoch clock, steps otherwise. */
function ticks(scopes, e) {
  const total = setting(scopes, "total").value;
  const epochClock = total.kind === "Quantity" && total.unit === "epochs" && setting(scopes, "clock")?.clock !== "steps";
  if (epochClock && e.kind === "Quantity" && e.unit === "epochs") return Math.round(expr(scopes, e.value, "number"));
  return Math.round(expr(scopes, e, "duration"));
}

const clause = (phase, kind) => phase.clauses.find((c) => c.kind === kind);

/** The phases laid out: start, length, from, to, for each, in order. */
function layout(scopes, chain) {
  const total = totalTicks(scopes);
  const peak = expr(scopes, setting(scopes, "lr").value, "rate");
  const known = chain.phases.map((p) => (p.duration ? ticks(scopes, p.duration) : undefined));
  const rest = total - known.reduce((s, d) => s + (d ?? 0), 0);
  const out = [];
  let start = 0;
  let prevEnd;
  for (let i = 0; i < chain.phases.length; i++) {
    const p = chain.phases[i];
    const len = known[i] ?? rest;
    // `constant at V` names its value with `at`; every other phase with `from`.
    const fromExpr = p.type === "constant" ? clause(p, "at")?.values[0] : clause(p, "from")?.value;
    const from = fromExpr ? expr(scopes, fromExpr, "rate") : p.type === "warmup" ? 0 : (prevEnd ?? peak);
    const toClause = clause(p, "to");
    const to = toClause?.value ? expr(scopes, toClause.value, "rate") : p.type === "warmup" ? peak : p.type === "constant" ? from : 0;
    const ph = { phase: p, start, len, from, to };
    prevEnd = endValue(scopes, ph);
    out.push(ph);
    start += len;
  }
  return { total, phases: out, final: prevEnd };
}

function restartParams(scopes, p) {
  const r = clause(p, "restart");
  if (!r) return undefined;
  return {
    period: ticks(scopes, r.every),
    mult: r.mult ? expr(scopes, r.mult, "number") : 1,
    decay: r.decay ? expr(scopes, r.decay, "number") : 1,
  };
}

function cycleAt(u, { period, mult }) {
  let start = 0;
  let len = period;
  let k = 0;
  while (u >= start + len) {
    start += len;
    len *= mult;
    k++;
  }
  return { k, start, len };
}

/** The value of phase `ph` at offset u. */
function valueIn(scopes, ph, u) {
  const { phase: p, len, from: a, to: b } = ph;
  const x = u / len;
  const cosine = (top, q) => b + ((top - b) * (1 + Math.cos(Math.PI * q))) / 2;
  switch (p.type) {
    case "constant":
      return a;
    case "warmup": {
      const shape = clause(p, "shape")?.shape ?? "linear";
      if (shape === "cosine") return cosine(a, x);
      if (shape === "exp") return a * (b / a) ** x;
      return a + (b - a) * x;
    }
    case "linear":
      return a + (b - a) * x;
    case "cosine": {
      const r = restartParams(scopes, p);
      if (!r) return cosine(a, x);
      const c = cycleAt(u, r);
      return cosine(a * r.decay ** c.k, (u - c.start) / c.len);
    }
    case "exp":
      return a * (b / a) ** x;
    case "sqrt":
      return b + (a - b) * (1 - Math.sqrt(x));
    case "poly":
      return b + (a - b) * (1 - x) ** expr(scopes, clause(p, "power").value, "number");
    case "step": {
      const f = expr(scopes, clause(p, "by").value, "number");
      return a * f ** Math.floor(u / ticks(scopes, clause(p, "every").value));
    }
  }
  throw new Error(`interpreter: phase ${p.type} is not covered`);
}

/** Where a phase ends: its left limit at the end of its span. */
function endValue(scopes, ph) {
  const { phase: p, len, from: a, to: b } = ph;
  if (p.type === "constant") return a;
  if (p.type === "step") {
    const f = expr(scopes, clause(p, "by").value, "number");
    return a * f ** (Math.ceil(len / ticks(scopes, clause(p, "every").value)) - 1);
  }
  const r = p.type === "cosine" ? restartParams(scopes, p) : undefined;
  if (r) {
    const c = cycleAt(len - 1e-9, r);
    return b + ((a * r.decay ** c.k - b) * (1 + Math.cos(Math.PI * ((len - c.start) / c.len)))) / 2;
  }
  return b;
}

function evaluateAt(scopes, chain, t) {
  const { total, phases, final } = layout(scopes, chain);
  if (t >= total) return final;
  const tick = Math.max(0, t);
  for (const ph of phases) if (tick < ph.start + ph.len) return valueIn(scopes, ph, tick - ph.start);
  return final;
}
