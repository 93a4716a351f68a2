// The escaping functions, checked against JavaScript's own parser on arbitrary strings
// (fast-check), and structurally for Python (the real Python round trip is in
// test/conformance/safety.test.ts, which has an interpreter).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  jsCommentText,
  jsLineComment,
  jsNumber,
  jsString,
  pascalIdentifier,
  pyComment,
  pyDocstring,
  pyFloat,
  pyString,
} from "../../src/emit/escape.js";

/** Strings weighted towards the characters that break generated code. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "'", "`", "\\", "\n", "\r", "\t", "\u2028", "\u2029", "\u0085", "\ufeff", "\0", "*", "/", "$", "{", "\ud800", "\udc00"),
    fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
  ),
  maxLength: 40,
});

describe("JavaScript", () => {
  test("jsString is a literal that evaluates to the same string", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        expect(new Function(`return ${jsString(s)};`)()).toBe(s);
      }),
    );
  });

  test("jsCommentText stays inside its block comment", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const body = jsCommentText(s);
        expect(body).not.toContain("*/");
        expect(new Function(`/*${body}*/ return 7;`)()).toBe(7);
        // Ending the comment text with `*` must not join the closing `*/` to it either.
        expect(new Function(`/* ${body} */ return 7;`)()).toBe(7);
      }),
    );
  });

  test("jsLineComment stays on its line", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        expect(new Function(`// ${jsLineComment(s)}\nreturn 7;`)()).toBe(7);
      }),
    );
  });

  test("jsNumber round-trips every double and can follow `*` and precede `**`", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const v = new Function(`return 1 * ${jsNumber(x)} ** 1;`)() as number;
        expect(Object.is(v, x) || (x === 0 && v === 0)).toBe(true);
      }),
    );
  });
});

describe("Python (structure)", () => {
  const PY_LINE_BREAKS = /[\n\r\f\v\u001c-\u001e\u0085\u2028\u2029]/;

  test("pyString has no raw line break, control character or unescaped quote", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const lit = pyString(s);
        expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
        const body = lit.slice(1, -1);
        expect(body).not.toMatch(PY_LINE_BREAKS);
        expect(body).not.toMatch(/[\u0000-\u001f\u007f]/);
        // Every quote inside is preceded by an odd number of backslashes.
        for (const m of body.matchAll(/(\\*)"/g)) expect(m[1]!.length % 2).toBe(1);
      }),
    );
  });

  test("pyDocstring cannot be closed early", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const lit = pyDocstring(s);
        const body = lit.slice(3, -3);
        // No two unescaped quotes in a row, and no unescaped quote or lone backslash at the end.
        const unescapedQuote = /(^|[^\\])(\\\\)*"/g;
        for (const m of body.matchAll(unescapedQuote)) {
          const end = m.index! + m[0].length;
          expect(body[end]).not.toBe('"');
          expect(end).not.toBe(body.length);
        }
        expect(/(^|[^\\])(\\\\)*\\$/.test(body)).toBe(false);
        expect(body).not.toMatch(/[\r\u0085\u2028\u2029\u0000]/);
      }),
    );
  });

  test("pyComment keeps everything on one line", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        expect(pyComment(s)).not.toMatch(PY_LINE_BREAKS);
      }),
    );
  });

  test("pyFloat is a float literal that reads back to the same double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const lit = pyFloat(x).replace(/^\((.*)\)$/, "$1");
        // A Python float literal: digits with a point or an exponent (JS reads it the same way).
        expect(lit).toMatch(/^-?(\d+\.\d*|\d+(\.\d*)?e[+-]?\d+)$/);
        expect(Object.is(Number(lit), x) || x === 0).toBe(true);
      }),
    );
    expect(pyFloat(400)).toBe("400.0");
    expect(pyFloat(-0.5)).toBe("(-0.5)");
    expect(pyFloat(1e-7)).toBe("1e-7");
  });
});

describe("identifiers", () => {
  test("pascalIdentifier is always a plain ASCII identifier ending in the suffix", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const id = pascalIdentifier(s, "LR");
        expect(id).toMatch(/^[A-Za-z][A-Za-z0-9]*LR$/);
      }),
    );
    expect(pascalIdentifier("gpt3_small", "LR")).toBe("Gpt3SmallLR");
    expect(pascalIdentifier("3phase", "LR")).toBe("Anneal3phaseLR");
    expect(pascalIdentifier("", "LR")).toBe("AnnealLR");
  });
});
