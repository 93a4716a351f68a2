// The parts of the server's protocol that are Anneal's own, beyond standard LSP: one custom
// request, two server commands and one client command. Clients (the VS Code extension, the
// docs' Neovim snippet) rely on these names and shapes; change them only with the clients.

import { EDITOR_TARGETS, type EmitTarget, type ScheduleIR } from "@anneal/compiler";

/** `anneal/schedules`: every schedule of an open document, lowered, for a live preview. */
export const SCHEDULES_REQUEST = "anneal/schedules";

export interface SchedulesParams {
  /** The document's URI, as the client spells it. */
  uri: string;
}

export interface ScheduleEntry {
  name: string;
  /**
   * The lowered schedule. While the schedule has errors, the last good one (see
   * `staleSince`), or null when it never had one.
   */
  ir: ScheduleIR | null;
  /** Set when `ir` is stale: the document version it was lowered from. */
  staleSince?: number;
  /** Why `ir` is null when it is not that the schedule has errors (a setting with no preview value). */
  noRates?: string;
}

export interface SchedulesResult {
  /** The document version the schedules were computed from. */
  version: number;
  schedules: ScheduleEntry[];
}

/**
 * `workspace/executeCommand` `anneal.emit`, arguments `[uri, target, scheduleName?]`: the
 * generated code of one schedule. The name may be left out when the file has one schedule.
 */
export const EMIT_COMMAND = "anneal.emit";

/** The targets `anneal.emit` accepts: those of the compiler's emit table that editors offer. */
export const EMIT_COMMAND_TARGETS: readonly EmitTarget[] = EDITOR_TARGETS;
export type EmitCommandTarget = EmitTarget;

export type EmitCommandResult = { text: string; language: string } | { error: string };

/**
 * The command of each schedule's code lens, arguments `[uri, scheduleName]`, in clients that
 * list it in `initializationOptions.clientCommands`. It is the client's to run (the VS Code
 * extension opens its preview), so the server does not list it among its own commands.
 */
export const PREVIEW_COMMAND = "anneal.preview";

/**
 * The command of each schedule's code lens in clients that do not run `anneal.preview`,
 * arguments `[uri, scheduleName]`: the server answers with the schedule's summary as text and
 * shows it with `window/showMessage`.
 */
export const DESCRIBE_COMMAND = "anneal.describe";

/**
 * What a client lists in `initializationOptions.clientCommands` to say it runs a command
 * itself; the VS Code extension lists `anneal.preview`.
 */
export interface ClientCommandsOption {
  clientCommands?: string[];
}
