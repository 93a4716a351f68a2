// An in-memory I/O surface for driving `anneal` commands in tests: files to read, and the
// standard output, standard error and written files captured.
import { CliError, type CliIO } from "../../src/cli/command.js";

export function fakeIO(files: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const written: Record<string, string> = {};
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readText(p) {
      if (!(p in files)) throw new CliError(`${p}: no such file`);
      return files[p]!;
    },
    writeFile(p, d) {
      written[p] = String(d);
    },
    isTTY: false,
  };
  return { io, out: () => out, err: () => err, written };
}
