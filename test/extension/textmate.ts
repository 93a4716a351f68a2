// Loads the Anneal TextMate grammar into the same engine VS Code uses (vscode-textmate with
// the Oniguruma WebAssembly build), so tests can ask which scopes a piece of text gets.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import oniguruma from "vscode-oniguruma";
import textmate, { type IGrammar } from "vscode-textmate";

export const GRAMMAR_PATH = fileURLToPath(new URL("../../grammar/anneal.tmLanguage.json", import.meta.url));

export interface ScopedToken {
  text: string;
  scopes: string[];
}

let grammarPromise: Promise<IGrammar> | undefined;

/** The grammar, loaded once per test file. */
export function loadGrammar(): Promise<IGrammar> {
  grammarPromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === "source.anneal" ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar("source.anneal");
    if (!grammar) throw new Error(`could not load ${GRAMMAR_PATH}`);
    return grammar;
  })();
  return grammarPromise;
}

/** Tokenizes a multi-line text; whitespace-only tokens are dropped. */
export async function tokenize(text: string): Promise<ScopedToken[][]> {
  const grammar = await loadGrammar();
  let state = textmate.INITIAL;
  return text.split("\n").map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens
      .map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }))
      .filter((t) => t.text.trim() !== "");
  });
}
