// The Anneal compiler: `compile()` and everything that reads its output.
export { compile, emitIr, noRatesReason, MAX_SOURCE_SIZE, withRoles, type CompileOptions, type SettingValues, type CompileResult, type CompiledSchedule } from "./compile.js";
export { type ResolvedPhase, type ResolvedDuration } from "./check/schedule.js";
export { CLAUSE_DOCS, CLAUSE_WORD, PHASE_CLAUSES, PHASE_FORMS } from "./check/phase-forms.js";
export { SHAPES, shapeModule } from "./shapes/index.js";
export { createEvaluator, createParamEvaluator, paramSchedule, FILL_TOLERANCE, rateAt, restartCycle, shapeAt, segmentEnd, endCoefficients, countAtOrBelow, type Evaluator } from "./evaluate.js";
export type { ScheduleIR, Segment, Shape, ShapeKind, RateValue, ClockUnit, HyperParam, ParamChainIR } from "./ir.js";
export { HYPER_PARAMS } from "./ir.js";
export { CODES, type CodeInfo } from "./diagnostics/registry.js";
export type { LintLevel } from "./diagnostics/report.js";
export { formatNumber } from "./check/values.js";
export { renderDiagnosticsDoc } from "./diagnostics/docs.js";
export * from "./plot/index.js";
export { EDITOR_TARGETS, emit, EMIT_TABLE, EMIT_TARGETS, isEmitTarget, targetInfo, type EmitTarget, type EmitTargetInfo, type EmitOptions, type EmitResult } from "./emit/index.js";
export { lintPython, importPython, type LintPythonOptions, type LintPythonResult, type ImportPythonOptions, type ImportPythonResult, type ImportedSpec } from "./python/index.js";
