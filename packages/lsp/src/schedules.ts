// The `anneal/schedules` request: every schedule of an open document with its IR (null
// when it has errors) and the version they come from, for a live preview that draws them
// itself.

import type { Analysis } from "./documents.js";
import type { SchedulesResult } from "./protocol.js";

export function schedules(a: Analysis): SchedulesResult {
  return { version: a.version, schedules: a.result.schedules.map((s) => ({ name: s.name, ir: s.ir ?? null })) };
}
