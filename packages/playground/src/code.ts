// The code pane: the generated file of one schedule for any target of the compiler's emit
// table (`EMIT_TABLE`, which also names each file's suffix and media type), exactly as `anneal emit TARGET schedule.anneal` writes it, with a
// copy button and a download. Tables (json, csv) of very long schedules are built only
// when downloaded, so typing never waits on millions of rows.

import { type CompiledSchedule, emit, EMIT_TABLE, emitIr, type EmitTarget, formatNumber, targetInfo } from "@anneal/compiler";

/** The most rows a table target shows as you type; longer ones are built on download. */
export const LIVE_TABLE_ROWS = 20_000;

export interface Generated {
  text: string;
  /** Why there is no text, when there is none. */
  note?: string;
}

export function generate(target: EmitTarget, s: CompiledSchedule | undefined, source: string, fileName: string, live: boolean): Generated {
  if (!s) return { text: "", note: "This file defines no schedule yet." };
  const ir = emitIr(s);
  if (!ir) return { text: "", note: `Schedule ${s.name} has errors, so there is no code to generate: see Problems.` };
  if (live && s.ir && (target === "json" || target === "csv") && s.ir.total + 1 > LIVE_TABLE_ROWS)
    return { text: "", note: `The ${target} table of ${s.name} has ${formatNumber(s.ir.total + 1)} rows: Download builds it.` };
  const result = emit(target, ir, { source: fileName, text: source });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { text: "", note: errors.map((d) => `${d.code}: ${d.message}`).join("\n") };
  return { text: result.text };
}

export function fileFor(target: EmitTarget, scheduleName: string): { name: string; type: string } {
  const f = targetInfo(target);
  const base = scheduleName === "default" ? "schedule" : scheduleName.replace(/[^\w.-]+/g, "_");
  return { name: `${base}${f.extension}`, type: f.mediaType };
}

/** Fills the target menu from the emit table. */
export function fillTargets(select: HTMLSelectElement, chosen: string): void {
  select.replaceChildren(
    ...EMIT_TABLE.map((t) => {
      const o = document.createElement("option");
      o.value = t.id;
      o.textContent = t.id;
      o.title = t.label;
      o.selected = t.id === chosen;
      return o;
    }),
  );
}

/** Offers `text` as a file download. */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
