// Semantic tokens: decode LSP's relative encoding back to (text, type, modifiers) and check
// the words that play two roles get the role their place gives them.
import { describe, expect, test } from "vitest";
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from "../src/semantic-tokens.js";
import { analysis } from "./source.js";

function decode(text: string): { text: string; type: string; mods: string[] }[] {
  const a = analysis(text);
  const data = semanticTokens(a).data;
  const out: { text: string; type: string; mods: string[] }[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dl, dc, len, type, mods] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    char = dl === 0 ? char + dc : dc;
    const start = a.lines.offsetAt({ line, character: char });
    out.push({ text: text.slice(start, start + len), type: TOKEN_TYPES[type]!, mods: TOKEN_MODIFIERS.filter((_, k) => mods & (1 << k)) });
  }
  return out;
}

describe("semantic tokens", () => {
  const text = "# step decay\nlet warm = 2k steps\nlr 0.1\ntotal 90 epochs\nwarmup warm cosine -> step by 0.1 every 30 epochs\nschedule s { lr 1e-3  total 10k  linear total / 2 -> exp gamma 0.9 per step }\n";
  const toks = decode(text);
  const find = (t: string, n = 0) => toks.filter((x) => x.text === t)[n];

  test("comments, numbers and operators", () => {
    expect(find("# step decay")?.type).toBe("comment");
    expect(find("0.1")?.type).toBe("number");
    expect(find("->")?.type).toBe("operator");
  });

  test("`step` is a phase at the start of a phase and a unit after `per`", () => {
    expect(find("step", 0)?.type).toBe("function");
    expect(find("step", 1)?.type).toBe("type");
  });

  test("`cosine` after a warmup's duration is a shape, `warmup` and `linear` are phases", () => {
    expect(find("cosine")?.type).toBe("enumMember");
    expect(find("warmup")?.type).toBe("function");
    expect(find("linear")?.type).toBe("function");
  });

  test("`total` is a keyword as a setting and a built-in value in an expression", () => {
    expect(find("total", 0)?.type).toBe("keyword");
    expect(find("total", 2)).toEqual({ text: "total", type: "variable", mods: ["readonly", "defaultLibrary"] });
  });

  test("names: a declaration, a use and a schedule's name", () => {
    expect(find("warm", 0)).toEqual({ text: "warm", type: "variable", mods: ["declaration", "readonly"] });
    expect(find("warm", 1)).toEqual({ text: "warm", type: "variable", mods: ["readonly"] });
    expect(find("s")?.type).toBe("namespace");
    expect(find("epochs")?.type).toBe("type");
  });

  test("tokens come in document order without overlaps", () => {
    const a = analysis(text);
    const data = semanticTokens(a).data;
    for (let i = 5; i < data.length; i += 5) expect(data[i]! > 0 || data[i + 1]! >= data[i - 3]!).toBe(true);
  });
});
