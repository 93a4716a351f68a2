// The lexer: every token of the language in one ordered list. Keywords are reserved and take
// `longer_alt: Identifier`, so `totals` is a name while `total` is the keyword. The order of
// `allTokens` matters: numbers before names, and `x2` (a restart multiplier) before names.

import { createToken, Lexer, type TokenType } from "chevrotain";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: "comments" });

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

// Token categories: one per role, so the parser can ask for "any phase keyword".
export const PhaseKeyword = createToken({ name: "PhaseKeyword", pattern: Lexer.NA });
export const ShapeKeyword = createToken({ name: "ShapeKeyword", pattern: Lexer.NA });
export const UnitKeyword = createToken({ name: "UnitKeyword", pattern: Lexer.NA });
export const SettingKeyword = createToken({ name: "SettingKeyword", pattern: Lexer.NA });
/** What a chain may schedule, as its label before a colon: `momentum: onecycle ...`. */
export const TargetKeyword = createToken({ name: "TargetKeyword", pattern: Lexer.NA });
/** The built-in functions of expressions: `sqrt(x)`, `min(a, b)`, `max(a, b)`. */
export const FunctionKeyword = createToken({ name: "FunctionKeyword", pattern: Lexer.NA });
/** Words that open a clause of a phase (`to 1e-6`, `every 10k`, `over 110%`). */
export const ClauseKeyword = createToken({ name: "ClauseKeyword", pattern: Lexer.NA });

const keywordTokens: TokenType[] = [];
/** Each keyword's categories, so the word lists below derive from them instead of being retyped. */
const keywordCategories = new Map<TokenType, readonly TokenType[]>();
function keyword(word: string, categories: TokenType[] = [], pattern?: RegExp): TokenType {
  const t = createToken({
    name: `Kw_${word}`,
    pattern: pattern ?? new RegExp(word),
    longer_alt: Identifier,
    categories,
  });
  keywordTokens.push(t);
  keywordCategories.set(t, categories);
  return t;
}

export const Schedule = keyword("schedule");
export const Let = keyword("let");
export const Lr = keyword("lr", [SettingKeyword, TargetKeyword]);
export const Total = keyword("total", [SettingKeyword]);
export const StepsPerEpoch = keyword("steps_per_epoch", [SettingKeyword]);
export const TokensPerStep = keyword("tokens_per_step", [SettingKeyword]);
export const Clock = keyword("clock", [SettingKeyword]);
export const Peak = keyword("peak");

export const Warmup = keyword("warmup", [PhaseKeyword]);
export const Constant = keyword("constant", [PhaseKeyword]);
export const Hold = keyword("hold", [PhaseKeyword]);
export const Linear = keyword("linear", [PhaseKeyword, ShapeKeyword]);
export const Cosine = keyword("cosine", [PhaseKeyword, ShapeKeyword]);
export const Exp = keyword("exp", [PhaseKeyword, ShapeKeyword]);
export const Poly = keyword("poly", [PhaseKeyword]);
// `sqrt` is a phase (`-> sqrt 20% to 0`) and, followed by `(`, a function.
export const Sqrt = keyword("sqrt", [PhaseKeyword, FunctionKeyword]);
export const Rsqrt = keyword("rsqrt", [PhaseKeyword]);
// `step` is a phase kind (`step by 0.1 every 30`) and a unit (`1 step`, `per step`).
// It is also a table's shape word (`table step { ... }`).
export const Step = keyword("step", [PhaseKeyword, UnitKeyword, ShapeKeyword]);
export const Onecycle = keyword("onecycle", [PhaseKeyword]);
export const Cyclic = keyword("cyclic", [PhaseKeyword]);
export const Rex = keyword("rex", [PhaseKeyword]);
export const Table = keyword("table", [PhaseKeyword]);

export const Momentum = keyword("momentum", [TargetKeyword]);
export const Beta2 = keyword("beta2", [TargetKeyword]);
export const WeightDecay = keyword("weight_decay", [TargetKeyword]);

export const Min = keyword("min", [FunctionKeyword]);
export const Max = keyword("max", [FunctionKeyword]);

// Longer words first: `steps` before `step` is handled by longer_alt on the same regex
// family, so list the plural forms as their own tokens.
export const Steps = keyword("steps", [UnitKeyword]);
export const Epochs = keyword("epochs", [UnitKeyword]);
export const Epoch = keyword("epoch", [UnitKeyword]);
export const Ep = keyword("ep", [UnitKeyword]);
export const Tokens = keyword("tokens", [UnitKeyword]);
export const TokenUnit = keyword("token", [UnitKeyword]);

export const From = keyword("from", [ClauseKeyword]);
export const To = keyword("to", [ClauseKeyword]);
export const At = keyword("at", [ClauseKeyword]);
export const Power = keyword("power", [ClauseKeyword]);
export const Gamma = keyword("gamma", [ClauseKeyword]);
export const Per = keyword("per");
export const Restart = keyword("restart", [ClauseKeyword]);
export const Every = keyword("every", [ClauseKeyword]);
export const Decay = keyword("decay", [ClauseKeyword]);
export const By = keyword("by", [ClauseKeyword]);
export const Timescale = keyword("timescale", [ClauseKeyword]);
export const Up = keyword("up", [ClauseKeyword]);
export const Via = keyword("via", [ClauseKeyword]);
export const Over = keyword("over", [ClauseKeyword]);
export const Limit = keyword("limit");

/** `×2` or `x2`: the restart-period multiplier. A lone `x` followed by a space is a name the parser accepts there. */
export const Times = createToken({ name: "Times", pattern: /×|x(?=[0-9.])/ });

// A Unicode minus (U+2212, as papers typeset it) in an exponent reads as `-`: `3e−4`.
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+\-\u2212]?\d[\d_]*)?(?:[kMBm](?![A-Za-z0-9_]))?/,
});

export const Arrow = createToken({ name: "Arrow", pattern: /->|→/ });
export const PercentSign = createToken({ name: "PercentSign", pattern: /%/ });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/ });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
/** `?`: a setting given when the scheduler is built (`total ?`, `steps_per_epoch ? 500`). */
export const Question = createToken({ name: "Question", pattern: /\?/ });
export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const Plus = createToken({ name: "Plus", pattern: /\+/ });
export const Minus = createToken({ name: "Minus", pattern: /-|−/ });
export const StarStar = createToken({ name: "StarStar", pattern: /\*\*/ });
export const Star = createToken({ name: "Star", pattern: /\*/ });
export const Slash = createToken({ name: "Slash", pattern: /\// });

// Keywords that are prefixes of others must come after the longer ones.
const orderedKeywords = [...keywordTokens].sort(
  (a, b) => String((b.PATTERN as RegExp).source).length - String((a.PATTERN as RegExp).source).length,
);

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Arrow,
  NumberLiteral,
  Times,
  ...orderedKeywords,
  PhaseKeyword,
  ShapeKeyword,
  UnitKeyword,
  SettingKeyword,
  TargetKeyword,
  FunctionKeyword,
  ClauseKeyword,
  Identifier,
  PercentSign,
  LCurly,
  RCurly,
  LParen,
  RParen,
  Comma,
  Colon,
  Question,
  Equals,
  Plus,
  Minus,
  StarStar,
  Star,
  Slash,
];

/** The keyword token types, in declaration order. */
export const keywordTokenTypes: readonly TokenType[] = keywordTokens;

/** Every reserved word of the language. */
export const KEYWORDS: readonly string[] = keywordTokens.map((t) => (t.PATTERN as RegExp).source);

/** The reserved words of one category, in the order they are declared above. */
function wordsOf(category: TokenType): readonly string[] {
  return keywordTokens.filter((t) => keywordCategories.get(t)!.includes(category)).map((t) => (t.PATTERN as RegExp).source);
}

/** The phase keywords, for completion and the grammar. */
export const PHASE_KEYWORDS: readonly string[] = wordsOf(PhaseKeyword);
export const UNIT_WORDS: readonly string[] = wordsOf(UnitKeyword);
export const SETTING_KEYWORDS: readonly string[] = wordsOf(SettingKeyword);
/** The labels a chain may carry before a colon: `lr`, `momentum`, `beta2`, `weight_decay`. */
export const TARGET_KEYWORDS: readonly string[] = wordsOf(TargetKeyword);
/** The shape words: a warmup's `linear`, `cosine`, `exp`, and a table's `step`. */
export const SHAPE_WORDS: readonly string[] = wordsOf(ShapeKeyword);
/** The built-in functions: `sqrt`, `min`, `max`. */
export const FUNCTION_KEYWORDS: readonly string[] = wordsOf(FunctionKeyword);
/** The words that open a phase clause (`restart`'s own `x`, `decay` and `limit` follow it). */
export const CLAUSE_KEYWORDS: readonly string[] = wordsOf(ClauseKeyword);
/** The settings that may be bound at run time with `?`. */
export const RUNTIME_SETTINGS: readonly string[] = ["lr", "total", "steps_per_epoch", "tokens_per_step"];

/**
 * Per token type index, whether a token of that type is one of `types` or in one of their
 * categories: the answer of chevrotain's `tokenMatcher`, as one array read.
 */
export function membership(...types: TokenType[]): Uint8Array {
  const out = new Uint8Array(Math.max(...allTokens.map((t) => t.tokenTypeIdx!)) + 1);
  for (const t of allTokens) {
    const idx = t.tokenTypeIdx!;
    for (const c of types) {
      const map = (c as { categoryMatchesMap?: Record<number, boolean> }).categoryMatchesMap ?? {};
      if (t === c || map[idx]) out[idx] = 1;
    }
  }
  return out;
}

export const annealLexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false });
