// The Anneal language front end: tokens, parser, typed AST with source ranges, formatter.
export * from "./ast.js";
export * from "./diagnostic.js";
export { parse, parseExpression, type ParseResult } from "./build-ast.js";
export { MAX_SYNTAX_ERRORS } from "./parser.js";
export { parseNumber } from "./numbers.js";
export { format } from "./format.js";
export { KEYWORDS, PHASE_KEYWORDS, UNIT_WORDS, SETTING_KEYWORDS, TARGET_KEYWORDS, FUNCTION_KEYWORDS, SHAPE_WORDS, CLAUSE_KEYWORDS, RUNTIME_SETTINGS } from "./tokens.js";
export { childExprs, clauseExprs, forEachPhaseExpr, phaseExprs, walkExpr } from "./walk.js";
export { DECLARATION, NO_ROLES, type RoleTable, roleTable, roleTokens, TOKEN_ROLES, tokenRoles, type RoleToken, type TokenRole } from "./roles.js";
export { syntacticCompletion, type SyntacticCompletion } from "./complete.js";
