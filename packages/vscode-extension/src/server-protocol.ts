// The Anneal-specific names of the language server's protocol, as the client uses them. The
// shapes are the server's own types from @anneal/lsp; they are imported as types only, so
// no server code enters the client bundle, and a test checks these names against the server's.

export type { EmitCommandResult, EmitCommandTarget, ScheduleEntry, SchedulesParams, SchedulesResult } from "@anneal/lsp";

/** The request for every schedule of a document, lowered, for the preview. */
export const SCHEDULES_REQUEST = "anneal/schedules";

/** The server command (`workspace/executeCommand`) that returns generated code. */
export const EMIT_COMMAND = "anneal.emit";

/** The client command a schedule's code lens runs, with `[uri, scheduleName]`. */
export const PREVIEW_COMMAND = "anneal.preview";
