// Shared links: the fragment round-trips any source, a short one is plain base64url of its
// UTF-8 (checked against Node's own base64url, not the page's encoder), a long one is
// deflate-raw compressed (checked by inflating it with Node's zlib), and a bad or oversized
// link is refused with a sentence instead of opening something else.

import { deflateRawSync, inflateRawSync } from "node:zlib";
import { MAX_SOURCE_SIZE } from "@anneal/compiler";
import { describe, expect, test } from "vitest";
import { COMPRESS_ABOVE, decodeFragment, encodeFragment } from "../../packages/playground/src/share.js";
import { parseSteps, tickOf } from "../../packages/playground/src/rates.js";

describe("share links", () => {
  test("a short source is its UTF-8 in base64url", async () => {
    const source = "total 10\nlr 1\nlinear to 0  # ünïcode ✓";
    const fragment = await encodeFragment(source);
    expect(fragment).toBe(`#src=${Buffer.from(source, "utf8").toString("base64url")}`);
    expect(await decodeFragment(fragment)).toEqual({ source });
  });

  test("a long source is deflate-raw compressed behind a ~, and comes back whole", async () => {
    const source = Array.from({ length: 40 }, (_, i) => `schedule s${i} { total ${i + 1}k  lr 3e-4  warmup 4% -> cosine to 1e-6 }`).join("\n");
    expect(Buffer.byteLength(source)).toBeGreaterThan(COMPRESS_ABOVE);
    const fragment = await encodeFragment(source);
    expect(fragment.startsWith("#src=~")).toBe(true);
    const packed = Buffer.from(fragment.slice("#src=~".length), "base64url");
    expect(inflateRawSync(packed).toString("utf8")).toBe(source);
    expect(fragment.length).toBeLessThan(source.length / 3);
    expect(await decodeFragment(fragment)).toEqual({ source });
  });

  test("Node's own deflate-raw links open too", async () => {
    const source = "total 100k\nlr 3e-4\nwarmup 4% -> cosine\n".repeat(20);
    expect(await decodeFragment(`#src=~${deflateRawSync(Buffer.from(source)).toString("base64url")}`)).toEqual({ source });
  });

  test("fragments without a source are not links", async () => {
    expect(await decodeFragment("")).toBeUndefined();
    expect(await decodeFragment("#other=1")).toBeUndefined();
  });

  test("unreadable links say why", async () => {
    for (const bad of ["#src=a*b", "#src=~AAAA", `#src=${Buffer.from([0xff, 0xfe, 0x00]).toString("base64url")}`]) {
      const r = await decodeFragment(bad);
      expect(r && "error" in r ? r.error : "").toMatch(/^This link's schedule could not be read \(.+\); the editor shows your last file instead\.$/);
    }
  });

  test("a link that inflates past the largest source is refused before it is unpacked whole", async () => {
    const bomb = deflateRawSync(Buffer.alloc(MAX_SOURCE_SIZE * 4, 0x20));
    const r = await decodeFragment(`#src=~${bomb.toString("base64url")}`);
    expect(r && "error" in r ? r.error : "").toContain(`larger than ${MAX_SOURCE_SIZE} bytes`);
  });
});

describe("the rates table's steps", () => {
  test("whole steps and percents, with a sentence for anything else", () => {
    const { specs, problems } = parseSteps("0, 1_000 50%  100%, 12.5%, x, 150%, -3");
    expect(specs.map((s) => s.text)).toEqual(["0", "1_000", "50%", "100%", "12.5%"]);
    expect(specs.map((s) => tickOf(s, 1000))).toEqual([0, 1000, 500, 1000, 125]);
    expect(problems).toEqual([
      "x is not a step; write a whole number like 1000 or a percent like 50%",
      "150% is past the end; a percent of total is at most 100%",
      "-3 is not a step; write a whole number like 1000 or a percent like 50%",
    ]);
  });
});
