// The extension's manifest (static JSON) against the compiler's emit table: it contributes
// exactly one Emit command per editor target, titled from the target's label, and offers each
// in the command palette for .anneal files. The extension registers the same commands from
// the table at activation, so a target added to the table without a manifest entry fails here.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { EDITOR_TARGETS, targetInfo } from "../../packages/compiler/src/emit/index.js";

interface Manifest {
  contributes: { commands: { command: string; title: string }[]; menus: { commandPalette: { command: string; when?: string }[] } };
}

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "../../packages/vscode-extension/package.json"), "utf8")) as Manifest;
const emitCommands = manifest.contributes.commands.filter((c) => c.command.startsWith("anneal.emit"));

describe("the extension's Emit commands come from the emit table", () => {
  test("the manifest lists exactly the table's editor commands, in the table's order", () => {
    expect(emitCommands.map((c) => c.command)).toEqual(EDITOR_TARGETS.map((t) => targetInfo(t).editorCommand));
    expect(EDITOR_TARGETS).toEqual(expect.arrayContaining(["pytorch", "pytorch-native", "keras", "optax", "tfjs"]));
  });

  test("each title is 'Emit' and the target's label", () => {
    for (const c of emitCommands) {
      const target = EDITOR_TARGETS.find((t) => targetInfo(t).editorCommand === c.command)!;
      expect(c.title).toBe(`Emit ${targetInfo(target).label}`);
    }
  });

  test("the palette offers each one in .anneal files", () => {
    const palette = manifest.contributes.menus.commandPalette.filter((m) => m.command.startsWith("anneal.emit"));
    expect(palette.map((m) => m.command)).toEqual(emitCommands.map((c) => c.command));
    for (const m of palette) expect(m.when).toBe("editorLangId == anneal");
  });
});
