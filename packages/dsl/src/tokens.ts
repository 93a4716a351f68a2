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

const keywordTokens: TokenType[] = [];
function keyword(word: string, categories: TokenType[] = [], pattern?: RegExp): TokenType {
  const t = createToken({
    name: `Kw_${word}`,
    pattern: pattern ?? new RegExp(word),
    longer_alt: Identifier,
    categories,
  });
  keywordTokens.push(t);
  return t;
}

export const Schedule = keyword("schedule");
export const Let = keyword("let");
export const Lr = keyword("lr", [SettingKeyword]);
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
export const Sqrt = keyword("sqrt", [PhaseKeyword]);
export const Rsqrt = keyword("rsqrt", [PhaseKeyword]);
// `step` is a phase kind (`step by 0.1 every 30`) and a unit (`1 step`, `per step`).
export const Step = keyword("step", [PhaseKeyword, UnitKeyword]);

// Longer words first: `steps` before `step` is handled by longer_alt on the same regex
// family, so list the plural forms as their own tokens.
export const Steps = keyword("steps", [UnitKeyword]);
export const Epochs = keyword("epochs", [UnitKeyword]);
export const Epoch = keyword("epoch", [UnitKeyword]);
export const Ep = keyword("ep", [UnitKeyword]);
export const Tokens = keyword("tokens", [UnitKeyword]);
export const TokenUnit = keyword("token", [UnitKeyword]);

export const From = keyword("from");
export const To = keyword("to");
export const At = keyword("at");
export const Power = keyword("power");
export const Gamma = keyword("gamma");
export const Per = keyword("per");
export const Restart = keyword("restart");
export const Every = keyword("every");
export const Decay = keyword("decay");
export const By = keyword("by");
export const Timescale = keyword("timescale");

/** `×2` or `x2`: the restart-period multiplier. A lone `x` followed by a space is a name the parser accepts there. */
export const Times = createToken({ name: "Times", pattern: /×|x(?=[0-9.])/ });

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?(?:[kMBm](?![A-Za-z0-9_]))?/,
});

export const Arrow = createToken({ name: "Arrow", pattern: /->|→/ });
export const PercentSign = createToken({ name: "PercentSign", pattern: /%/ });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/ });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const Plus = createToken({ name: "Plus", pattern: /\+/ });
export const Minus = createToken({ name: "Minus", pattern: /-|−/ });
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
  Identifier,
  PercentSign,
  LCurly,
  RCurly,
  LParen,
  RParen,
  Comma,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
];

/** Every reserved word of the language. */
export const KEYWORDS: readonly string[] = keywordTokens.map((t) => (t.PATTERN as RegExp).source);

/** The phase keywords, for completion and the grammar. */
export const PHASE_KEYWORDS: readonly string[] = ["warmup", "constant", "hold", "linear", "cosine", "exp", "poly", "sqrt", "rsqrt", "step"];
export const UNIT_WORDS: readonly string[] = ["step", "steps", "epoch", "epochs", "ep", "token", "tokens"];
export const SETTING_KEYWORDS: readonly string[] = ["lr", "total", "steps_per_epoch", "tokens_per_step", "clock"];

export const annealLexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false });
