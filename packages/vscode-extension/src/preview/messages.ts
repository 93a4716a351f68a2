// The messages between the extension host and the preview webview. The host sends what the
// language server answered; the webview asks for data when it loads and asks the host to
// show a phase's source when a plot is double-clicked.

import type { ScheduleEntry } from "../server-protocol.js";

export type ToWebview =
  | {
      type: "schedules";
      /** The file's name, for the toolbar. */
      fileName: string;
      /** The document's URI, kept in the webview's state to restore the panel after a reload. */
      uri: string;
      version: number;
      schedules: ScheduleEntry[];
    }
  | { type: "error"; fileName: string; uri: string; message: string }
  /** Bring one schedule's chart into view (the code lens above a schedule asks for this). */
  | { type: "focus"; name: string };

export type FromWebview =
  | { type: "ready" }
  /** Show the source of the phase at `offset` (a UTF-16 offset into the document). */
  | { type: "reveal"; offset: number; end: number };

/** What the webview keeps across reloads (VS Code's `getState`/`setState`). */
export interface WebviewState {
  logScale: boolean;
  uri?: string;
}
