// An in-memory `CliIO` for driving `anneal` commands in-process: files to read, and what
// the command printed and wrote.
import { CliError, type CliIO } from "../../src/cli/command.js";

export function fakeIO(files: Record<string, string> = {}, extra: Partial<CliIO> = {}) {
  let out = "";
  let err = "";
  const written: Record<string, string> = {};
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readText(p) {
      if (!Object.hasOwn(files, p)) throw new CliError(`${p}: no such file`);
      return files[p]!;
    },
    writeFiles(outputs) {
      for (const o of outputs) written[o.path] = String(o.data);
    },
    isTTY: false,
    ...extra,
  };
  return { io, out: () => out, err: () => err, written };
}
