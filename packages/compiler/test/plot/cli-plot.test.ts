// `anneal plot` end to end through the command's injected I/O: real sources compiled by
// `compile()`, drawn to the terminal, to SVG and to PNG; bad input draws nothing.

import { describe, expect, it } from "vitest";
import { type CliIO, CliError, parseCommandArgs } from "../../src/cli/command.js";
import { plotCommand } from "../../src/cli/plot.js";
import { parseXml } from "./xml.js";

const WSD = "schedule wsd { lr 3e-3  total 100k  warmup 2% -> constant -> sqrt 20% to 0 }\n";
const TWO = `total 10k
schedule a { lr 1e-3  warmup 1k -> cosine }
schedule b { lr 5e-4  linear to 0 }
`;
const RESNET = "lr 0.1\ntotal 90 epochs\nstep by 0.1 every 30 epochs\n";

function fakeIO(files: Record<string, string>, columns?: number) {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string | Uint8Array>();
  const io: CliIO = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readText(path) {
      const text = files[path];
      if (text === undefined) throw new CliError(`${path}: no such file`);
      return text;
    },
    writeFiles: (outputs) => outputs.forEach((o) => written.set(o.path, o.data)),
    columns,
    isTTY: false,
  };
  return { io, out: () => out.join(""), err: () => err.join(""), written };
}

async function run(argv: string[], files: Record<string, string>, columns?: number) {
  const f = fakeIO(files, columns);
  const code = await plotCommand.run(parseCommandArgs(plotCommand, argv), f.io);
  return { code, ...f };
}

describe("anneal plot", () => {
  it("draws in the terminal at the terminal's width, 80 by default", async () => {
    const wide = await run(["wsd.anneal"], { "wsd.anneal": WSD }, 100);
    expect(wide.code).toBe(0);
    const lines = wide.out().split("\n");
    expect(lines[0]).toBe("wsd  lr 3e-3 · 100k steps");
    expect(lines.find((l) => l.includes("└"))!.length).toBe(100);
    const plain = await run(["wsd.anneal"], { "wsd.anneal": WSD });
    expect(plain.out().split("\n").find((l) => l.includes("└"))!.length).toBe(80);
    const sized = await run(["wsd.anneal", "--width", "50", "--height", "8"], { "wsd.anneal": WSD }, 100);
    const sl = sized.out().split("\n");
    expect(sl.find((l) => l.includes("└"))!.length).toBe(50);
    expect(sl.filter((l) => / [┤│]/.test(l))).toHaveLength(8);
  });

  it("titles an unnamed schedule with the file's name", async () => {
    const r = await run(["resnet.anneal"], { "resnet.anneal": RESNET });
    expect(r.out().split("\n")[0]).toBe("resnet  lr 0.1 · 90 epochs");
  });

  it("writes SVG and PNG chosen by the extension", async () => {
    const r = await run(["wsd.anneal", "-o", "out.svg", "--log"], { "wsd.anneal": WSD });
    expect(r.code).toBe(0);
    expect(r.out()).toBe("");
    const svg = r.written.get("out.svg") as string;
    expect(parseXml(svg).name).toBe("svg");
    expect(svg).toContain("(log)");
    const p = await run(["wsd.anneal", "-o", "OUT.PNG", "--width", "400", "--height", "200", "--scale", "2"], { "wsd.anneal": WSD });
    const png = p.written.get("OUT.PNG") as Uint8Array;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: width and height, big-endian, at bytes 16-23.
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([800, 400]);
  });

  it("overlays every schedule by default, or the ones named", async () => {
    const all = await run(["two.anneal", "-o", "all.svg"], { "two.anneal": TWO });
    expect(all.written.get("all.svg")).toMatch(/data-schedule="a"[\s\S]*data-schedule="b"/);
    const one = await run(["two.anneal", "--schedule", "b", "-o", "b.svg"], { "two.anneal": TWO });
    const svg = one.written.get("b.svg") as string;
    expect(svg).toContain('data-schedule="b"');
    expect(svg).not.toContain('data-schedule="a"');
    await expect(run(["two.anneal", "--schedule", "c"], { "two.anneal": TWO })).rejects.toThrow(/no schedule named 'c'; it has 'a', 'b'/);
  });

  it("applies the override flags", async () => {
    const r = await run(["wsd.anneal", "--total", "200k", "--lr", "1e-3"], { "wsd.anneal": WSD });
    expect(r.out().split("\n")[0]).toBe("wsd  lr 1e-3 · 200k steps");
  });

  it("plots nothing for a file with errors, prints the diagnostics and exits 1", async () => {
    const bad = "schedule x { lr 3e-4  total 10k  warmup 20k -> cosine }\n";
    const r = await run(["bad.anneal", "-o", "x.svg"], { "bad.anneal": bad });
    expect(r.code).toBe(1);
    expect(r.written.size).toBe(0);
    expect(r.out()).toBe("");
    expect(r.err()).toMatch(/^bad\.anneal:1:\d+: error A\d{3} /);
  });

  it("rejects unknown extensions and bad sizes with a usage error", async () => {
    await expect(run(["wsd.anneal", "-o", "x.pdf"], { "wsd.anneal": WSD })).rejects.toThrow(/must end in \.svg or \.png/);
    await expect(run(["wsd.anneal", "--width", "wide"], { "wsd.anneal": WSD })).rejects.toThrow(/--width wide: expected a whole number/);
    await expect(run(["wsd.anneal", "--scale", "2"], { "wsd.anneal": WSD })).rejects.toThrow(/PNG output only/);
    await expect(run([], {})).rejects.toThrow(/give at least one FILE/);
  });
});
