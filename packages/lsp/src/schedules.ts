// The `anneal/schedules` request: every schedule of an open document with its IR and the
// version they come from, for a live preview that draws them itself. A schedule with errors
// comes with the last good IR, marked stale, or null when it never had one.

import { noRatesReason } from "@anneal/compiler";
import type { Analysis } from "./documents.js";
import type { SchedulesResult } from "./protocol.js";

export function schedules(a: Analysis): SchedulesResult {
  return {
    version: a.version,
    schedules: a.result.schedules.map((s) => {
      const shown = a.shown(s);
      return {
        name: s.name,
        ir: shown?.ir ?? null,
        ...(shown?.staleSince !== undefined ? { staleSince: shown.staleSince } : {}),
        ...(s.runTimeOnly ? { noRates: noRatesReason(s) } : {}),
      };
    }),
  };
}
