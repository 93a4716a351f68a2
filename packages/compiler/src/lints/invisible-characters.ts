// A320: bidirectional controls and zero-width characters in the source (Trojan Source).
// The characters and the scan live in check/invisible.ts, which the emitters share to
// escape them in generated files; this lint reports each one with a fix that removes it.

import { reportInvisibleCharacters } from "../check/invisible.js";
import type { FileLint } from "./lint.js";

export const invisibleCharacters: FileLint = {
  name: "invisible-characters",
  codes: ["A320"],
  check({ text, report }) {
    reportInvisibleCharacters(text, report);
  },
  cases: [
    {
      name: "a right-to-left override in a comment",
      source: `
total 10 # \u202e }
           ^ A320 warning: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE): it can make this line display differently from how Anneal reads it; remove it
cosine
`,
    },
    { name: "a byte-order mark at the start is not one", source: "\ufefftotal 10\ncosine\n" },
  ],
};
