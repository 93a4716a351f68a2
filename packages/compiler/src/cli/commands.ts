// The table of `anneal` subcommands, in the order `anneal --help` lists them.

import { checkCommand } from "./check.js";
import type { Command } from "./command.js";
import { emitCommand } from "./emit.js";
import { evalCommand } from "./eval.js";
import { fmtCommand } from "./fmt.js";
import { importCommand } from "./import.js";
import { lintCommand } from "./lint.js";
import { plotCommand } from "./plot.js";

export const COMMANDS: Command[] = [checkCommand, evalCommand, plotCommand, emitCommand, fmtCommand, lintCommand, importCommand];
