// The Import dialog: a Python training script pasted in, the Anneal spec of its schedulers
// out, as `anneal import` writes it. The work is the compiler's `importPython()`, with
// `lintPython()`'s findings about the same script listed beside the importer's own (the
// CLI's `anneal import` and `anneal lint`); both are pure, and nothing in the script runs.
// Taking the spec replaces the editor's text as one edit, so Ctrl+Z brings the old text
// back, and the old text is also kept as "Your previous file" in the examples menu.

import { importPython, type ImportPythonResult, lintPython } from "@anneal/compiler";
import { Text } from "@codemirror/state";
import { emptyItem, problemItem } from "./problems.js";

type Diagnostic = ImportPythonResult["diagnostics"][number];

/** The name the spec's comments give the script, as `anneal import train.py` names it. */
export const SCRIPT_NAME = "train.py";

export interface ImportResult extends ImportPythonResult {
  /** The importer's and the linter's diagnostics of the script, once each, in text order. */
  problems: Diagnostic[];
}

/** What the dialog shows for `script`: the spec, and every problem of the script. */
export function importScript(script: string, stepsPerEpoch: number | undefined): ImportResult {
  const imported = importPython(script, { file: SCRIPT_NAME, ...(stepsPerEpoch !== undefined ? { stepsPerEpoch } : {}) });
  const seen = new Set<string>();
  const problems = [...imported.diagnostics, ...lintPython(script).diagnostics]
    .filter((d) => {
      // A script that does not parse is reported by both; the list shows it once.
      const key = `${d.code} ${d.range.start} ${d.range.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { ...imported, problems };
}

/** The steps-per-epoch field: empty for the importer's preview value, else a whole number. */
export function parseStepsPerEpoch(raw: string): { value?: number; error?: string } {
  const t = raw.trim().replace(/_/g, "");
  if (t === "") return {};
  const n = Number(t);
  if (/^\d+$/.test(t) && n >= 1 && n <= 2 ** 40) return { value: n };
  return { error: `“${raw.trim()}” is not a number of steps: write a whole number such as 5005 (len(train_loader)), or leave it empty for a preview value of 100.` };
}

export interface ImportDialogOptions {
  /** Called with the spec when the user takes it. */
  take(spec: string, result: ImportResult): void;
  /** The last script pasted, and where to keep the next one, so closing loses nothing. */
  load(): string;
  save(script: string): void;
}

/** Wires the dialog in index.html (#import-dialog) to the importer. */
export function setUpImportDialog(opener: HTMLElement, opts: ImportDialogOptions): { dialog: HTMLDialogElement; refresh(): void } {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const dialog = $<HTMLDialogElement>("import-dialog");
  const script = $<HTMLTextAreaElement>("import-script");
  const spe = $<HTMLInputElement>("import-spe");
  const speError = $("import-spe-error");
  const list = $<HTMLUListElement>("import-problems");
  const spec = $<HTMLPreElement>("import-spec");
  const take = $<HTMLButtonElement>("import-take");
  let last: ImportResult | undefined;

  function itemOf(d: Diagnostic, doc: Text): HTMLLIElement {
    // A textarea's value has \n line breaks only, as CodeMirror's Text counts them.
    const line = doc.lineAt(Math.min(d.range.start, doc.length));
    const li = problemItem({
      severity: d.severity,
      code: d.code,
      where: `${SCRIPT_NAME}:${line.number}:${d.range.start - line.from + 1}`,
      message: d.message,
      title: "Show in the script",
      show: () => {
        script.focus();
        script.setSelectionRange(d.range.start, d.range.end);
      },
    });
    // The fixes are edits to the script, which stays the user's; their titles say what to change.
    for (const f of d.fixes ?? []) {
      const help = document.createElement("span");
      help.className = "help-line";
      help.textContent = `help: ${f.title}`;
      li.append(help);
    }
    return li;
  }

  function refresh(): void {
    const text = script.value;
    const steps = parseStepsPerEpoch(spe.value);
    speError.textContent = steps.error ?? "";
    spe.setAttribute("aria-invalid", steps.error ? "true" : "false");
    if (text.trim() === "") {
      last = undefined;
      spec.textContent = "Paste a training script above: the spec of each scheduler it builds appears here.";
      spec.classList.add("note");
      list.replaceChildren(emptyItem("No script yet."));
      take.disabled = true;
      return;
    }
    last = importScript(text, steps.value);
    const doc = Text.of(text.split("\n"));
    if (last.problems.length === 0) list.replaceChildren(emptyItem("No problems."));
    else list.replaceChildren(...last.problems.map((d) => itemOf(d, doc)));
    const found = last.specs.length > 0;
    spec.textContent = found
      ? last.text
      : last.problems.length > 0
        ? "No scheduler in this script has an exact Anneal spec: see the problems above."
        : "No learning-rate scheduler construction found: the importer reads torch.optim.lr_scheduler, Hugging Face get_scheduler and get_*_schedule_with_warmup.";
    spec.classList.toggle("note", !found);
    take.disabled = !found || steps.error !== undefined;
  }

  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      opts.save(script.value);
      refresh();
    });
  };
  script.addEventListener("input", later);
  spe.addEventListener("input", later);
  opener.addEventListener("click", () => {
    if (script.value === "") script.value = opts.load();
    refresh();
    dialog.showModal();
    script.focus();
  });
  take.addEventListener("click", () => {
    if (!last || last.specs.length === 0 || take.disabled) return;
    opts.take(last.text, last);
    dialog.close();
  });
  return { dialog, refresh };
}
