// Text from a source file (or a file name) made safe to print on a terminal. A schedule's
// comment can hold escape sequences (`\x1b]0;TITLE\x07` retitles the window, others move the
// cursor or hide text), and bidirectional controls reorder what a line shows; printed raw by
// `anneal check`, they act instead of being seen. Here each is shown as its escape, `\x1b` or
// `\u202e`, as the JSON output already does. Tabs stay: the caret underline keeps their width.

import { INVISIBLE_PATTERN } from "../check/invisible.js";

/** C0 and C1 controls but tab, DEL, line and paragraph separators, and (below) the invisible characters. */
const UNSAFE = new RegExp(`[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\u2028\\u2029]|${INVISIBLE_PATTERN.source}`, "g");

/** `text` with every character that could act on a terminal shown as its escape. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const cp = c.charCodeAt(0);
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });
}
