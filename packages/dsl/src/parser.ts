// The grammar, as a chevrotain CstParser created once and reused. Error recovery is on, so a
// half-typed line still yields a tree for the editor. This file only says what the syntax
// is; `build-ast.ts` turns the concrete tree into the typed AST.
//
// Some places need more than one token of context:
// - A unit (`2k steps`), a phase's duration and a warmup's shape word attach only on the
//   same line, so that `total 100k` followed by a `step by ...` phase on the next line does
//   not read as `100k step`, and a phase keyword on a new line never continues the phase
//   before it.
// - A phase's duration may start with `total` only when an operator follows (`total / 4`),
//   so that `-> constant` followed by a `total` setting stays two items.

import { CstParser, type CstNode, type IToken, type TokenType, tokenMatcher } from "chevrotain";
import * as T from "./tokens.js";

const EXPR_START: TokenType[] = [T.NumberLiteral, T.Identifier, T.Peak, T.Total, T.LParen, T.Minus];
const OPERATORS: TokenType[] = [T.Plus, T.Minus, T.Star, T.Slash];

function isOneOf(tok: IToken, types: TokenType[]): boolean {
  return types.some((t) => tokenMatcher(tok, t));
}

class AnnealParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  item = this.RULE("item", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.setting) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.schedule) },
      { ALT: () => this.SUBRULE(this.chain) },
    ]);
  });

  setting = this.RULE("setting", () => {
    this.OR([
      {
        ALT: () => {
          this.OR1([
            { ALT: () => this.CONSUME(T.Lr) },
            { ALT: () => this.CONSUME(T.Total) },
            { ALT: () => this.CONSUME(T.StepsPerEpoch) },
            { ALT: () => this.CONSUME(T.TokensPerStep) },
          ]);
          this.SUBRULE(this.expr);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Clock);
          this.CONSUME(T.UnitKeyword);
        },
      },
    ]);
  });

  letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  schedule = this.RULE("schedule", () => {
    this.CONSUME(T.Schedule);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.setting) },
        { ALT: () => this.SUBRULE(this.letDecl) },
        { ALT: () => this.SUBRULE(this.chain) },
      ]),
    );
    this.CONSUME(T.RCurly);
  });

  chain = this.RULE("chain", () => {
    this.SUBRULE(this.phase);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE1(this.phase);
    });
  });

  phase = this.RULE("phase", () => {
    this.CONSUME(T.PhaseKeyword);
    this.OPTION({
      GATE: () => {
        const next = this.LA(1);
        if (!isOneOf(next, EXPR_START) || !this.sameLine()) return false;
        if (tokenMatcher(next, T.Total)) return isOneOf(this.LA(2), OPERATORS);
        return true;
      },
      DEF: () => this.SUBRULE(this.expr),
    });
    this.MANY1({
      GATE: () => !(tokenMatcher(this.LA(1), T.ShapeKeyword) && !this.sameLine()),
      DEF: () => this.SUBRULE(this.clause),
    });
  });

  clause = this.RULE("clause", () => {
    this.OR([
      // A shape word doubles as a phase keyword; on a new line it starts a phase (and the
      // checker asks for the missing `->`), so it is a shape only on the same line.
      { GATE: () => this.sameLine(), ALT: () => this.CONSUME(T.ShapeKeyword) },
      {
        ALT: () => {
          this.OR1([
            { ALT: () => this.CONSUME(T.From) },
            { ALT: () => this.CONSUME(T.To) },
            { ALT: () => this.CONSUME(T.Power) },
            { ALT: () => this.CONSUME(T.By) },
            { ALT: () => this.CONSUME(T.Every) },
            { ALT: () => this.CONSUME(T.Timescale) },
          ]);
          this.SUBRULE(this.expr);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.SUBRULE1(this.expr);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.expr);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Gamma);
          this.SUBRULE3(this.expr);
          this.OPTION(() => {
            this.CONSUME(T.Per);
            this.CONSUME(T.UnitKeyword);
          });
        },
      },
      { ALT: () => this.SUBRULE(this.restart) },
    ]);
  });

  restart = this.RULE("restart", () => {
    this.CONSUME(T.Restart);
    this.CONSUME(T.Every);
    this.SUBRULE(this.expr);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Times) },
        {
          GATE: () => this.LA(1).image === "x",
          ALT: () => this.CONSUME(T.Identifier),
        },
      ]);
      this.SUBRULE1(this.expr);
    });
    this.OPTION1(() => {
      this.CONSUME(T.Decay);
      this.SUBRULE2(this.expr);
    });
  });

  expr = this.RULE("expr", () => {
    this.SUBRULE(this.term);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE1(this.term);
    });
  });

  term = this.RULE("term", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      this.SUBRULE1(this.unary);
    });
  });

  unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.primary);
    this.OPTION({
      GATE: () => {
        const next = this.LA(1);
        if (tokenMatcher(next, T.PercentSign)) return true;
        if (!tokenMatcher(next, T.UnitKeyword) || !this.sameLine()) return false;
        // `step` followed by `by` starts a step-decay phase, not a unit.
        return !(tokenMatcher(next, T.Step) && tokenMatcher(this.LA(2), T.By));
      },
      DEF: () => {
        this.OR([{ ALT: () => this.CONSUME(T.PercentSign) }, { ALT: () => this.CONSUME(T.UnitKeyword) }]);
      },
    });
  });

  /** Whether the next token starts on the line where the previous one ends. */
  private sameLine(): boolean {
    const prev = this.LA(0);
    return prev.endLine === undefined || this.LA(1).startLine === prev.endLine;
  }

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.Peak) },
      { ALT: () => this.CONSUME(T.Total) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expr);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });
}

/** The one parser instance; chevrotain parsers are built once and fed new input. */
export const parser = new AnnealParser();

export interface RawParse {
  cst: CstNode;
  tokens: IToken[];
  comments: IToken[];
  lexErrors: { offset: number; length: number; message: string }[];
  parseErrors: { token: IToken; previous: IToken | undefined; message: string; ruleStack: string[] }[];
}

/** Lexes and parses without interpreting: the concrete tree plus the raw errors. */
export function parseRaw(text: string): RawParse {
  const lexed = T.annealLexer.tokenize(text);
  parser.input = lexed.tokens;
  const cst = parser.file();
  return {
    cst,
    tokens: lexed.tokens,
    comments: lexed.groups.comments ?? [],
    lexErrors: lexed.errors.map((e) => ({ offset: e.offset, length: e.length, message: e.message })),
    parseErrors: parser.errors.map((e) => ({
      token: e.token,
      previous: (e as { previousToken?: IToken }).previousToken,
      message: e.message,
      ruleStack: e.context.ruleStack,
    })),
  };
}
