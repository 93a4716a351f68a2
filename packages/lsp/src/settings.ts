// The server's configuration: the `anneal` section of the client's settings: `lint`, a
// severity per diagnostic code, which goes to `compile(text, { lint })`; `defaults.total`
// and `defaults.lr`, used where a file sets none (`compile(text, { defaults })`); and `hoverPlot`,
// which a client that shows markdown as text (Neovim) turns off to get a sparkline instead
// of an image's data URI.
//
// Settings arrive three ways, and all three go through `readSettings`: the client's
// `initializationOptions` (`{ lint }` or `{ anneal: { lint } }`), a pull with
// `workspace/configuration` when the client supports it, and the settings object of
// `workspace/didChangeConfiguration`. Anything malformed is dropped with a message that
// names it, so one typo in a settings file never disables the rest: an unknown lint code, a
// level that would lower an error, a default the compiler refuses (tried on a probe file).

import { CODES, compile, type LintLevel } from "@anneal/compiler";

export interface AnnealSettings {
  /** Severity per code (`A301` -> `off`); codes not listed keep the registry's default. */
  lint: Record<string, LintLevel>;
  /**
   * Hovers embed the plot as an SVG image (when the client takes markdown). Unset, the server
   * decides from the client's capabilities: an image for a client whose markdown renderer is
   * known to draw them (VS Code's), a text sparkline for every other.
   */
  hoverPlot: boolean | undefined;
  /** `total` and `lr` for files that set none, in the language's syntax (`"100k"`, `"3e-4"`). */
  defaults: { total?: string; lr?: string };
  /** Python documents get `anneal lint`'s diagnostics (off unless the client asks). */
  pythonLint: boolean;
}

export const DEFAULT_SETTINGS: AnnealSettings = { lint: {}, hoverPlot: undefined, defaults: {}, pythonLint: false };

const LEVELS: readonly LintLevel[] = ["off", "hint", "info", "warning", "error"];
const CODE = /^A\d{3}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Reads an `anneal` settings section (`{ lint: { A301: "off" } }`). Returns the settings
 * and one message per entry that was ignored.
 */
export function readSettings(section: unknown): { settings: AnnealSettings; problems: string[] } {
  const problems: string[] = [];
  const lint: Record<string, LintLevel> = {};
  let hoverPlot: boolean | undefined = DEFAULT_SETTINGS.hoverPlot;
  let pythonLint = DEFAULT_SETTINGS.pythonLint;
  const defaults: AnnealSettings["defaults"] = {};
  if (section === undefined || section === null) return { settings: { lint, hoverPlot, defaults, pythonLint }, problems };
  if (!isObject(section)) {
    problems.push("the `anneal` settings must be an object such as { \"lint\": { \"A301\": \"off\" } }");
    return { settings: { lint, hoverPlot, defaults, pythonLint }, problems };
  }
  if (section.defaults !== undefined && section.defaults !== null) {
    if (!isObject(section.defaults)) problems.push("`anneal.defaults` must be an object such as { \"total\": \"100k\" }; ignored");
    else
      for (const key of ["total", "lr"] as const) {
        const v = section.defaults[key];
        if (v === undefined || v === null || v === "") continue;
        if (typeof v === "string" || typeof v === "number") defaults[key] = String(v);
        else problems.push(`\`anneal.defaults.${key}\` must be a value such as ${key === "total" ? '"100k"' : '"3e-4"'}, not ${JSON.stringify(v)}; ignored`);
      }
  }
  if (section.pythonLint !== undefined && section.pythonLint !== null) {
    if (typeof section.pythonLint === "boolean") pythonLint = section.pythonLint;
    else problems.push(`\`anneal.pythonLint\` must be true or false, not ${JSON.stringify(section.pythonLint)}; ignored`);
  }
  if (section.hoverPlot !== undefined && section.hoverPlot !== null) {
    if (typeof section.hoverPlot === "boolean") hoverPlot = section.hoverPlot;
    else problems.push(`\`anneal.hoverPlot\` must be true or false, not ${JSON.stringify(section.hoverPlot)}; ignored`);
  }
  const raw = section.lint;
  if (raw !== undefined && raw !== null) {
    if (!isObject(raw)) problems.push("`anneal.lint` must be an object mapping codes to levels, such as { \"A301\": \"off\" }");
    else
      for (const [code, level] of Object.entries(raw)) {
        const key = code.toUpperCase();
        if (!CODE.test(key)) problems.push(`\`anneal.lint\`: \`${code}\` is not a diagnostic code such as A301; ignored`);
        else if (!(key in CODES)) problems.push(`\`anneal.lint.${code}\`: there is no diagnostic ${key} (docs/diagnostics.md lists every code); ignored`);
        else if (CODES[key as keyof typeof CODES].severity === "error" && level !== "error")
          problems.push(`\`anneal.lint.${code}\`: ${key} is an error, and errors cannot be silenced or lowered; ignored`);
        else if (typeof level !== "string" || !LEVELS.includes(level as LintLevel))
          problems.push(`\`anneal.lint.${code}\`: ${JSON.stringify(level)} is not one of ${LEVELS.join(", ")}; ignored`);
        else lint[key] = level as LintLevel;
      }
  }
  return { settings: { lint, hoverPlot, defaults: checkedDefaults(defaults, problems), pythonLint }, problems };
}

/**
 * The defaults that compile, each tried on a file that leaves out only that setting. A value
 * the compiler refuses is dropped with its message, so it is reported once, as a problem with
 * the setting, and never as a diagnostic at the start of every file.
 */
function checkedDefaults(defaults: AnnealSettings["defaults"], problems: string[]): AnnealSettings["defaults"] {
  const out: AnnealSettings["defaults"] = {};
  const probes = { total: "lr 1e-3\ncosine\n", lr: "total 100\ncosine\n" } as const;
  for (const key of ["total", "lr"] as const) {
    const value = defaults[key];
    if (value === undefined) continue;
    const error = compile(probes[key], { defaults: { [key]: value } }).diagnostics.find((d) => d.severity === "error");
    if (error) problems.push(`\`anneal.defaults.${key}\` is ${JSON.stringify(value)}, which Anneal cannot use: ${error.message}; ignored`);
    else out[key] = value;
  }
  return out;
}

/**
 * The `anneal` section inside `initializationOptions` or a `didChangeConfiguration`
 * payload: either nested under `anneal` or given directly.
 */
export function annealSection(payload: unknown): unknown {
  if (!isObject(payload)) return undefined;
  if (isObject(payload.anneal)) return payload.anneal;
  if ("lint" in payload || "hoverPlot" in payload || "defaults" in payload || "pythonLint" in payload) return payload;
  return undefined;
}

export function sameSettings(a: AnnealSettings, b: AnnealSettings): boolean {
  const ka = Object.keys(a.lint).sort();
  const kb = Object.keys(b.lint).sort();
  return (
    a.hoverPlot === b.hoverPlot &&
    a.pythonLint === b.pythonLint &&
    a.defaults.total === b.defaults.total &&
    a.defaults.lr === b.defaults.lr &&
    ka.length === kb.length &&
    ka.every((k, i) => k === kb[i] && a.lint[k] === b.lint[k])
  );
}
