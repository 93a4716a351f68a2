// The playground page: the editor on the left (the language server behind it), and beside it
// the plots, the rates table and the generated code of the same text. The panes are thin
// over one `compile()` of the editor's text per edit (or burst of edits); the editor's own
// features come from the server in the worker. The last file stays in localStorage; a
// shared link's fragment (share.ts) opens its schedule instead.

import { compile, type CompileResult, isEmitTarget } from "@anneal/compiler";
import { Compartment, StateEffect } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import examples, { recipes } from "anneal:examples";
import { download, fileFor, fillTargets, generate } from "./code.js";
import { createEditor, FILE_NAME } from "./editor.js";
import { setUpImportDialog } from "./import.js";
import { fixByIndex, type Problem } from "./lsp-features.js";
import { PlotPane } from "./plots.js";
import { emptyItem, problemItem } from "./problems.js";
import { renderRates } from "./rates.js";
import { decodeFragment, encodeFragment } from "./share.js";

const KEYS = { source: "anneal.playground.source", previous: "anneal.playground.previous", script: "anneal.playground.import-script", steps: "anneal.playground.steps", target: "anneal.playground.target", log: "anneal.playground.log" };
const DEFAULT_STEPS = "0, 1%, 10%, 50%, 90%, 100%";
const SAVE_DELAY_MS = 150;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** localStorage, or nothing when the browser refuses it (private modes, quotas). */
const store = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      localStorage.setItem(key, value);
    } catch {
      // The page still works; only reloading loses the text, and the status line says so.
      say("This browser does not let the page keep your file: download it before closing the tab.");
    }
  },
};

function say(text: string): void {
  $("status").textContent = text;
}

const fallback = examples.find((e) => e.name === "quickstart") ?? examples[0];

async function initialSource(): Promise<string> {
  const linked = await decodeFragment(location.hash);
  // The fragment has done its work once read: reloading then keeps what was typed since.
  if (linked) history.replaceState(null, "", location.pathname + location.search);
  if (linked && "source" in linked) {
    const previous = store.get(KEYS.source);
    if (previous !== null && previous !== linked.source) store.set(KEYS.previous, previous);
    store.set(KEYS.source, linked.source);
    say(previous !== null && previous !== linked.source ? "Opened the shared schedule. Your previous file is kept: choose “Your previous file” in the menu of recipes and examples." : "Opened the shared schedule.");
    return linked.source;
  }
  if (linked && "error" in linked) say(linked.error);
  return store.get(KEYS.source) ?? fallback?.text ?? "";
}

async function main(): Promise<void> {
  const source = await initialSource();
  let result: CompileResult = compile(source);
  let text = source;

  const plots = new PlotPane($("plots"));
  const logToggle = $<HTMLInputElement>("log-scale");
  logToggle.checked = store.get(KEYS.log) === "1";
  plots.setLog(logToggle.checked);
  const stepsInput = $<HTMLInputElement>("steps");
  stepsInput.value = store.get(KEYS.steps) ?? DEFAULT_STEPS;
  const targetSelect = $<HTMLSelectElement>("target");
  const savedTarget = store.get(KEYS.target) ?? "pytorch";
  fillTargets(targetSelect, isEmitTarget(savedTarget) ? savedTarget : "pytorch");
  const scheduleSelect = $<HTMLSelectElement>("schedule");
  const codeEl = $<HTMLPreElement>("code");

  const chosenSchedule = () => result.schedules.find((s) => s.name === scheduleSelect.value) ?? result.schedules[0];
  const chosenTarget = () => (isEmitTarget(targetSelect.value) ? targetSelect.value : "pytorch");

  function showCode(): void {
    const g = generate(chosenTarget(), chosenSchedule(), text, FILE_NAME, true);
    const shown = g.text || g.note || "";
    if (codeEl.textContent === shown) return;
    codeEl.textContent = shown;
    codeEl.classList.toggle("note", !g.text);
  }

  function showSchedules(): void {
    const names = result.schedules.map((s) => s.name);
    const current = scheduleSelect.value;
    if (names.join("\n") !== Array.from(scheduleSelect.options, (o) => o.value).join("\n")) {
      scheduleSelect.replaceChildren(
        ...names.map((n) => {
          const o = document.createElement("option");
          o.value = n;
          o.textContent = n === "default" ? "top-level schedule" : n;
          return o;
        }),
      );
      if (names.includes(current)) scheduleSelect.value = current;
    }
    scheduleSelect.hidden = names.length < 2;
  }

  function update(): void {
    const t0 = performance.now();
    plots.show(result.schedules);
    const t1 = performance.now();
    renderRates($("rates"), result.schedules, stepsInput.value);
    const t2 = performance.now();
    showSchedules();
    showCode();
    performance.measure("anneal:plots", { start: t0, end: t1 });
    performance.measure("anneal:rates", { start: t1, end: t2 });
    performance.measure("anneal:code", { start: t2, end: performance.now() });
  }

  // One compile as soon as the editor has handled the keystroke, in the same task (a
  // microtask behind the editor's update), so the text and the plot change in the same
  // frame: a task queued behind the keystroke would often run only after the browser had
  // drawn a frame with the new text and the old plot. A file so long that its compile takes
  // about a frame (compile() reads some 3-5 MB a second, `npm run bench` says) is compiled at
  // the next frame instead, and the keys typed meanwhile share that one run. The choice is
  // made on the text's length, not a timing, so the same file always behaves the same.
  let scheduled = false;
  const PER_FRAME_CHARS = 48_000;
  const run = () => {
    scheduled = false;
    // User Timing entries, so `npm run bench` can say where a keystroke's time goes.
    const t0 = performance.now();
    result = compile(text);
    const t1 = performance.now();
    update();
    const t2 = performance.now();
    performance.measure("anneal:compile", { start: t0, end: t1 });
    performance.measure("anneal:panes", { start: t1, end: t2 });
  };
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    store.set(KEYS.source, text);
  };
  const onChange = (next: string) => {
    text = next;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, SAVE_DELAY_MS);
    if (scheduled) return;
    scheduled = true;
    if (text.length > PER_FRAME_CHARS) requestAnimationFrame(run);
    else queueMicrotask(run);
  };
  addEventListener("pagehide", () => {
    if (saveTimer !== undefined) save();
  });

  const problemList = $<HTMLUListElement>("problem-list");
  const onProblems = (problems: Problem[], view: EditorView) => {
    $("problem-count").textContent = problems.length > 0 ? `(${problems.length})` : "";
    if (problems.length === 0) {
      problemList.replaceChildren(emptyItem("No problems."));
      return;
    }
    problemList.replaceChildren(
      ...problems.map((p, i) => {
        const li = problemItem({
          severity: p.severity,
          code: p.code,
          where: `${p.line}:${p.column}`,
          message: p.message,
          title: "Show in the editor",
          show: () => {
            view.dispatch({ selection: { anchor: Math.min(p.from, view.state.doc.length), head: Math.min(p.to, view.state.doc.length) }, scrollIntoView: true });
            view.focus();
          },
        });
        for (const title of p.fixes) {
          const fix = document.createElement("button");
          fix.type = "button";
          fix.className = "fix";
          fix.textContent = `Fix: ${title.replace(/`/g, "")}`;
          fix.addEventListener("click", () => void fixByIndex(view, i, title).then((ok) => ok || say("That fix no longer applies to the text; the problem list will update.")));
          li.append(fix);
        }
        return li;
      }),
    );
  };

  const { view, format } = createEditor({
    parent: $("editor"),
    doc: source,
    onChange,
    onProblems,
    onServerError: (m) => say(`Editor features are unavailable: ${m}. Plots and code still follow the text.`),
  });

  // Light and dark follow the system, for the editor's own widgets too.
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const theme = new Compartment();
  view.dispatch({ effects: StateEffect.appendConfig.of(theme.of(EditorView.darkTheme.of(dark.matches))) });
  dark.addEventListener("change", () => view.dispatch({ effects: theme.reconfigure(EditorView.darkTheme.of(dark.matches)) }));

  /** Replaces the whole text as one undoable edit, so nothing typed is lost. */
  const replaceText = (next: string) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next }, userEvent: "input.replace" });

  const exampleSelect = $<HTMLSelectElement>("examples");
  const addOption = (value: string, label: string, parent: HTMLElement = exampleSelect) => {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    parent.append(o);
  };
  const group = (label: string) => {
    const g = document.createElement("optgroup");
    g.label = label;
    exampleSelect.append(g);
    return g;
  };
  /** Keeps the editor's text as "Your previous file" before something replaces it wholesale. */
  const keepPrevious = () => {
    const current = view.state.doc.toString();
    if (current.trim() === "") return;
    store.set(KEYS.previous, current);
    if (!exampleSelect.querySelector('option[value="previous"]')) addOption("previous", "Your previous file");
  };
  // Recipes are the common schedules to start from; examples are whole files from real runs.
  const recipeGroup = group("Recipes");
  for (const r of recipes) addOption(`recipe:${r.name}`, r.title, recipeGroup);
  const exampleGroup = group("Examples");
  for (const e of examples) addOption(`example:${e.name}`, `${e.name} — ${e.title}`, exampleGroup);
  if (store.get(KEYS.previous) !== null) addOption("previous", "Your previous file");
  exampleSelect.addEventListener("change", () => {
    const v = exampleSelect.value;
    const picked = [...recipes.map((r) => ({ ...r, kind: "recipe" })), ...examples.map((e) => ({ ...e, kind: "example" }))].find((e) => `${e.kind}:${e.name}` === v);
    const next = v === "previous" ? store.get(KEYS.previous) : picked?.text;
    exampleSelect.value = "";
    if (next === null || next === undefined) return;
    replaceText(next);
    say(v === "previous" ? "Restored your previous file (Ctrl+Z undoes it)." : `Opened the ${picked!.name} ${picked!.kind} (Ctrl+Z undoes it).`);
    view.focus();
  });

  setUpImportDialog($("import"), {
    load: () => store.get(KEYS.script) ?? "",
    save: (script) => store.set(KEYS.script, script),
    take: (spec, r) => {
      keepPrevious();
      replaceText(spec);
      const n = r.specs.length;
      say(`Imported ${n} schedule${n === 1 ? "" : "s"} from the script (Ctrl+Z undoes it; your previous file is also in the menu of recipes and examples).`);
      view.focus();
    },
  });

  window.addEventListener("hashchange", () => {
    void decodeFragment(location.hash).then((linked) => {
      if (!linked) return;
      history.replaceState(null, "", location.pathname + location.search);
      if ("error" in linked) say(linked.error);
      else {
        replaceText(linked.source);
        say("Opened the shared schedule (Ctrl+Z undoes it).");
      }
    });
  });

  $("share").addEventListener("click", () => {
    void encodeFragment(view.state.doc.toString()).then(async (fragment) => {
      const link = `${location.origin}${location.pathname}${fragment}`;
      const out = document.createElement("input");
      out.id = "share-link";
      out.readOnly = true;
      out.value = link;
      out.setAttribute("aria-label", "Link to this schedule");
      let copied = false;
      try {
        await navigator.clipboard.writeText(link);
        copied = true;
      } catch {
        copied = false;
      }
      $("status").replaceChildren(copied ? "Link copied: " : "Copy this link: ", out);
      out.select();
    });
  });
  $("format").addEventListener("click", () => {
    format();
    view.focus();
  });
  $("download-source").addEventListener("click", () => download(FILE_NAME, "text/plain", view.state.doc.toString()));
  $("download-code").addEventListener("click", () => {
    const s = chosenSchedule();
    const g = generate(chosenTarget(), s, text, FILE_NAME, false);
    if (!s || !g.text) {
      say(g.note ?? "There is no code to download.");
      return;
    }
    const f = fileFor(chosenTarget(), s.name);
    download(f.name, f.type, g.text);
  });
  $("copy-code").addEventListener("click", () => {
    const t = codeEl.classList.contains("note") ? "" : (codeEl.textContent ?? "");
    if (!t) return say("There is no code to copy.");
    navigator.clipboard.writeText(t).then(
      () => say("Code copied."),
      () => say("The browser refused the clipboard: select the code and copy it."),
    );
  });
  logToggle.addEventListener("change", () => {
    store.set(KEYS.log, logToggle.checked ? "1" : "0");
    plots.setLog(logToggle.checked);
  });
  stepsInput.addEventListener("input", () => {
    store.set(KEYS.steps, stepsInput.value);
    renderRates($("rates"), result.schedules, stepsInput.value);
  });
  targetSelect.addEventListener("change", () => {
    store.set(KEYS.target, chosenTarget());
    showCode();
  });
  scheduleSelect.addEventListener("change", showCode);

  update();
  view.focus();
  // After this first visit the site's files come from the service worker's cache (sw.js).
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("./sw.js").catch(() => say("This browser keeps no offline copy of the playground; it still works online."));
}

void main();
