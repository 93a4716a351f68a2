// The rates table: the exact rate of every schedule at steps the user picks, written as
// whole ticks (`1000`, `4_000`) or percents of each schedule's total (`50%`; `100%` is
// the value held after the end). Rates come from the compiler's evaluator, in the shortest
// round-trip form `anneal eval` prints.

import { type CompiledSchedule, formatNumber } from "@anneal/compiler";

export type StepSpec = { kind: "tick"; value: number; text: string } | { kind: "percent"; value: number; text: string };

/** Parses the steps field; each problem names the item and says what to write. */
export function parseSteps(input: string): { specs: StepSpec[]; problems: string[] } {
  const specs: StepSpec[] = [];
  const problems: string[] = [];
  for (const raw of input.split(/[,\s]+/)) {
    const text = raw.trim();
    if (text === "") continue;
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
    if (pct) {
      const value = Number(pct[1]);
      if (value <= 100) specs.push({ kind: "percent", value, text });
      else problems.push(`${text} is past the end; a percent of total is at most 100%`);
      continue;
    }
    if (/^\d[\d_]*$/.test(text)) {
      const value = Number(text.replace(/_/g, ""));
      if (Number.isSafeInteger(value)) specs.push({ kind: "tick", value, text });
      else problems.push(`${text} is too large; write a step up to 2^53`);
      continue;
    }
    problems.push(`${text} is not a step; write a whole number like 1000 or a percent like 50%`);
  }
  return { specs, problems };
}

/** The tick a spec names in a schedule of `total` ticks. */
export function tickOf(spec: StepSpec, total: number): number {
  return spec.kind === "tick" ? spec.value : Math.round((spec.value / 100) * total);
}

/**
 * What each table shows now: its shape (the schedules, their units and the steps asked for)
 * and its values. An edit that changes no rate leaves the table alone, and one that changes
 * only rates rewrites just the cells that changed: rebuilding the whole table on every
 * keystroke would make the browser lay every cell out again.
 */
const shown = new WeakMap<HTMLElement, { shape: string; values: string[]; cells: HTMLTableCellElement[] }>();

export function renderRates(root: HTMLElement, schedules: CompiledSchedule[], input: string): void {
  const { specs, problems } = parseSteps(input);
  const valid = schedules.filter((s) => s.ir && s.evaluator);
  const shape = JSON.stringify([problems, specs, valid.map((s) => [s.name, s.ir!.relative, s.ir!.clock, specs.map((sp) => (sp.kind === "percent" ? tickOf(sp, s.ir!.total) : 0))])]);
  const values = specs.flatMap((sp) => valid.map((s) => String(s.evaluator!.lrAt(tickOf(sp, s.ir!.total)))));
  const before = shown.get(root);
  if (before && before.shape === shape) {
    for (const [i, v] of values.entries()) if (before.values[i] !== v) before.cells[i]!.firstChild!.textContent = v;
    before.values = values;
    return;
  }
  const cells: HTMLTableCellElement[] = [];
  const nodes: HTMLElement[] = [];
  if (problems.length > 0) {
    const p = document.createElement("p");
    p.className = "notice error";
    p.textContent = problems.join("; ");
    nodes.push(p);
  }
  if (valid.length > 0 && specs.length > 0) {
    const table = document.createElement("table");
    table.className = "rates";
    const head = table.createTHead().insertRow();
    const corner = document.createElement("th");
    corner.textContent = "at";
    corner.scope = "col";
    head.append(corner);
    for (const s of valid) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = s.ir!.relative ? `${s.name} (× base lr)` : s.name;
      head.append(th);
    }
    const body = table.createTBody();
    for (const spec of specs) {
      const row = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = spec.text;
      row.append(th);
      for (const s of valid) {
        const tick = tickOf(spec, s.ir!.total);
        const cell = row.insertCell();
        // The rate is the cell's first child, a text node of its own, so it can be rewritten alone.
        cell.append(document.createTextNode(values[cells.length]!));
        cells.push(cell);
        cell.dataset.tick = String(tick);
        if (spec.kind === "percent") {
          const small = document.createElement("span");
          small.className = "at";
          small.textContent = ` ${s.ir!.clock} ${formatNumber(tick)}`;
          cell.append(small);
        }
      }
    }
    nodes.push(table);
  }
  shown.set(root, { shape, values, cells });
  root.replaceChildren(...nodes);
}
