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

import { CstParser, type CstNode, EOF, type IParserErrorMessageProvider, type IToken, NoViableAltException, type TokenType, tokenMatcher } from "chevrotain";
import { LazyTokens, scan, scanColumns } from "./scan.js";
import * as T from "./tokens.js";

const EXPR_START: TokenType[] = [T.NumberLiteral, T.Identifier, T.Peak, T.Total, T.LParen, T.Minus, T.Min, T.Max];
const OPERATORS: TokenType[] = [T.Plus, T.Minus, T.Star, T.Slash, T.StarStar];

/** A repetition's body as chevrotain re-enters it after a recovery (`manyInternal` and kin). */
type RepetitionFn = (this: unknown, ...args: unknown[]) => void;
interface Reentry {
  rule: RepetitionFn;
  occurrence: unknown;
  action: unknown;
  next?: unknown[];
}
/** Chevrotain's own hooks that `AnnealParser` wraps (see there). */
const baseSaveError = (CstParser.prototype as unknown as { SAVE_ERROR: (this: unknown, e: Error) => Error }).SAVE_ERROR;
const baseAfterParse = (CstParser.prototype as unknown as { onAfterParse: (this: unknown, rule: string) => void }).onAfterParse;
/** Chevrotain's own in-repetition recovery, which `AnnealParser` wraps (see there). */
const baseRepetitionRecovery = (CstParser.prototype as unknown as { tryInRepetitionRecovery: (this: unknown, rule: RepetitionFn, args: unknown[], la: () => boolean, expected: TokenType) => void })
  .tryInRepetitionRecovery;

function isOneOf(tok: IToken, types: TokenType[]): boolean {
  return types.some((t) => tokenMatcher(tok, t));
}

/** What went wrong at a syntax error, as the parser's error-message hook records it. */
export type SyntaxErrorKind =
  /** A token was required (`CONSUME`) and another was found. */
  | { kind: "mismatch"; expected: string }
  /** None of a rule's alternatives starts with the token found. */
  | { kind: "noViableAlt" }
  /** The file's rule ended before the input did: the token cannot start an item. */
  | { kind: "notAllInput" };

/**
 * Chevrotain builds each error's message through this hook. It returns the error's kind as
 * data (JSON), which build-ast.ts turns into words a user knows, so no English message of
 * chevrotain's is ever read back.
 */
const errorKinds: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify({ kind: "mismatch", expected: expected.name } satisfies SyntaxErrorKind),
  buildNotAllInputParsedMessage: () => JSON.stringify({ kind: "notAllInput" } satisfies SyntaxErrorKind),
  buildNoViableAltMessage: () => JSON.stringify({ kind: "noViableAlt" } satisfies SyntaxErrorKind),
  // The grammar has no AT_LEAST_ONE; were one added, its failure reads as no viable alternative.
  buildEarlyExitMessage: () => JSON.stringify({ kind: "noViableAlt" } satisfies SyntaxErrorKind),
};

class AnnealParser extends CstParser {
  constructor() {
    // Node locations let the AST builder read each node's range instead of walking its tokens.
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: "onlyOffset", errorMessageProvider: errorKinds });
    this.performSelfAnalysis();
  }

  /** How many errors the parse records before it stops reading (`parseFile`). */
  private errorLimit = Infinity;
  /** The file's own token list while the parser reads a shortened copy of it (see `stop`). */
  private fullInput: IToken[] | undefined;
  /**
   * Where the parse stopped: the index of the first token it did not read, the error it did
   * not record there, and how many more errors it raised while its rules unwound.
   */
  stopped: { at: number; token: IToken; unwinding: number } | undefined;

  /**
   * Parses a whole file, recording at most `limit` errors. Recovery costs an exception and
   * a resynchronisation per error, which on a file of stray tokens (hundreds of thousands
   * of errors) was seconds and gigabytes for messages no one reads past the first few
   * hundred. So at the error after the limit the parser stops reading: the rest of the
   * input looks like its end, the rules unwind at once, and `stopped` says where; the
   * caller reads what follows some cheaper way (`skim.ts`).
   */
  parseFile(tokens: IToken[], limit: number, lazy?: LazyTokens): CstNode {
    this.input = tokens;
    this.errorLimit = limit;
    this.stopped = undefined;
    this.fullInput = undefined;
    this.lazy = lazy;
    // The fast parser may have given back what it read before it gave up.
    lazy?.rewind();
    lazy?.reach(LAZY_MARGIN);
    try {
      return this.file();
    } finally {
      this.lazy = undefined;
      lazy?.keep();
    }
  }

  /** The lazy token list being read (see `LazyTokens`), if it is one. */
  private lazy: LazyTokens | undefined;

  /**
   * Reading a lazy list, every token up to `LAZY_MARGIN` past the current one is real: all
   * that chevrotain keeps of a token (the tree's leaves, an error's token and the one
   * before it) is within its look-ahead of 3, so stand-ins are only ever matched by type.
   */
  consumeToken(): void {
    const self = this as unknown as { currIdx: number };
    self.currIdx++;
    if (this.lazy !== undefined && self.currIdx + LAZY_MARGIN >= this.lazy.ready) this.lazy.reach(self.currIdx + LAZY_MARGIN);
  }

  importLexerState(state: number): void {
    (this as unknown as { currIdx: number }).currIdx = state;
    if (this.lazy !== undefined && state + LAZY_MARGIN >= this.lazy.ready) this.lazy.reach(state + LAZY_MARGIN);
  }

  /** Records an error, or past the limit stops the parse there (see `parseFile`); errors while it unwinds are not recorded. */
  SAVE_ERROR(error: Error): Error {
    if (this.stopped) {
      this.stopped.unwinding++;
      return error;
    }
    const self = this as unknown as { _errors: unknown[]; currIdx: number };
    if (self._errors.length < this.errorLimit) return baseSaveError.call(this, error);
    this.stop(self.currIdx + 1, (error as unknown as { token: IToken }).token);
    return error;
  }

  /**
   * Makes the token at `at` and everything after it look like the end of the input: the
   * parser reads a copy of the tokens before it, padded with end-of-file tokens as
   * chevrotain pads its input (`onBeforeParse`), so that its bound-free lookahead stays in
   * the copy. The file's own list is left as it was (see `onAfterParse`).
   */
  private stop(at: number, token: IToken): void {
    const self = this as unknown as { tokVector: IToken[]; tokVectorLength: number; maxLookahead: number };
    const full = self.tokVector;
    const end = full[full.length - 1]!;
    const cut = full.slice(0, at);
    for (let i = 0; i <= self.maxLookahead; i++) cut.push(end);
    this.fullInput = full;
    this.stopped = { at, token, unwinding: 0 };
    self.tokVector = cut;
    self.tokVectorLength = at;
  }

  /** Chevrotain's end of a parse, which also takes its end-of-file padding off the file's own token list when the parse stopped. */
  onAfterParse(ruleName: string): void {
    baseAfterParse.call(this, ruleName);
    const full = this.fullInput;
    if (full) {
      while (full.length > 0 && full[full.length - 1]!.tokenType === EOF) full.pop();
      (this as unknown as { tokVector: IToken[] }).tokVector = full;
      this.fullInput = undefined;
    }
  }

  /** Per rule depth, the repetition being re-entered from the loop below, and its next re-entry. */
  private readonly reentries: (Reentry | undefined)[] = [];

  /**
   * Chevrotain's in-repetition recovery skips to a token that can continue a repetition
   * (`MANY`) and then re-enters the repetition by calling it again, from inside itself: one
   * level of stack per recovery. A file with a few thousand errors in one repetition (a
   * pasted binary, a long run of stray `}`) then overflowed the stack. The re-entry is the
   * last thing every caller does (a tail call), so running it from a loop here instead is
   * the same parse with a flat stack. A recovery of another repetition (at another rule
   * depth, or another repetition of the same rule) keeps chevrotain's own behaviour.
   */
  tryInRepetitionRecovery(grammarRule: RepetitionFn, args: unknown[], lookAhead: () => boolean, expected: TokenType): void {
    const depth = (this as unknown as { RULE_STACK_IDX: number }).RULE_STACK_IDX;
    const active = this.reentries[depth];
    if (active && active.rule === grammarRule && active.occurrence === args[0] && active.action === args[1]) {
      baseRepetitionRecovery.call(this, (...a: unknown[]) => void (active.next = a), args, lookAhead, expected);
      return;
    }
    if (active) {
      baseRepetitionRecovery.call(this, grammarRule, args, lookAhead, expected);
      return;
    }
    const own: Reentry = { rule: grammarRule, occurrence: args[0], action: args[1] };
    this.reentries[depth] = own;
    try {
      baseRepetitionRecovery.call(this, (...a: unknown[]) => void (own.next = a), args, lookAhead, expected);
      while (own.next) {
        const next = own.next;
        own.next = undefined;
        grammarRule.apply(this, next);
      }
    } finally {
      this.reentries[depth] = undefined;
    }
  }

  /**
   * Chevrotain computes every alternative's lookahead paths at each "no viable alternative"
   * error, only to pass them to the message provider, which does not read them (see
   * `errorKinds`). In a file of thousands of broken lines that was a fifth of the time, so
   * the error is raised here as chevrotain raises it, without the paths.
   */
  raiseNoAltException(): never {
    const self = this as unknown as { SAVE_ERROR(e: Error): Error };
    throw self.SAVE_ERROR(new NoViableAltException(JSON.stringify({ kind: "noViableAlt" } satisfies SyntaxErrorKind), this.LA(1), this.LA(0)));
  }

  /** The answers of `getFollowsForInRuleRecovery`, per grammar path (see there). */
  private readonly followsByPath = new Map<string, TokenType[]>();

  /**
   * Before each in-rule recovery chevrotain walks the grammar from the top rule to find the
   * tokens that may follow the current one. The answer depends only on the grammar path
   * (the rule stack, each rule's occurrence, the token and its occurrence), so it is kept
   * per path; the walk is the same as chevrotain's.
   */
  getFollowsForInRuleRecovery(tokType: TokenType, tokIdxInRule: number): TokenType[] {
    const self = this as unknown as { getCurrentGrammarPath(t: TokenType, i: number): { ruleStack: string[]; occurrenceStack: number[] }; getNextPossibleTokenTypes(path: unknown): TokenType[] };
    const path = self.getCurrentGrammarPath(tokType, tokIdxInRule);
    const key = `${path.ruleStack.join()}|${path.occurrenceStack.join()}|${tokType.tokenTypeIdx}|${tokIdxInRule}`;
    let follows = this.followsByPath.get(key);
    if (!follows) this.followsByPath.set(key, (follows = self.getNextPossibleTokenTypes(path)));
    return follows;
  }

  /** The rules being parsed, each with its occurrence in its caller: what a follow set depends on. */
  private stackKey(): string {
    const self = this as unknown as { RULE_STACK: number[]; RULE_OCCURRENCE_STACK: number[]; RULE_STACK_IDX: number };
    let key = "";
    for (let i = 0; i <= self.RULE_STACK_IDX; i++) key += `${self.RULE_STACK[i]}.${self.RULE_OCCURRENCE_STACK[i]},`;
    return key;
  }

  /** The answers of `flattenFollowSet`, per rule stack (see there). */
  private readonly followSets = new Map<string, TokenType[]>();

  /**
   * The tokens that can follow the rules being parsed, which chevrotain rebuilds from its
   * follow tables at every recovery; they depend only on the rule stack, so they are kept
   * per stack.
   */
  flattenFollowSet(): TokenType[] {
    const key = this.stackKey();
    let set = this.followSets.get(key);
    if (!set) this.followSets.set(key, (set = (CstParser.prototype as unknown as { flattenFollowSet(this: unknown): TokenType[] }).flattenFollowSet.call(this)));
    return set;
  }

  /** The last answer of `findReSyncTokenType` per rule stack (see there). */
  private readonly resyncAnswers = new Map<string, { tokens: IToken[]; from: number; at: number; type: TokenType }>();

  /**
   * Chevrotain's recovery looks ahead for the first token that can follow the rules being
   * parsed, from scratch at every recovery. At the top of a file only the end of the input
   * can, so each recovery scanned to the end and a file of N stray tokens took N^2 steps
   * (minutes for a few hundred kilobytes). The answer is the same for every position up to
   * the token found, so it is remembered per follow set; the lookup below is the same scan.
   */
  findReSyncTokenType(): TokenType {
    const self = this as unknown as { flattenFollowSet(): TokenType[]; exportLexerState(): number };
    const follows = self.flattenFollowSet();
    const here = self.exportLexerState();
    const key = this.stackKey();
    const known = this.resyncAnswers.get(key);
    if (known && known.tokens === this.input && known.from <= here && here < known.at) return known.type;
    // This loop ends: the end of input is in every follow set, and LA past the end is EOF.
    for (let k = 1; ; k++) {
      const tok = this.LA(k);
      const type = follows.find((t) => tokenMatcher(tok, t));
      if (type) {
        this.resyncAnswers.set(key, { tokens: this.input, from: here, at: here + k, type });
        return type;
      }
    }
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
          this.OR2([
            {
              // `total ?` is bound at run time; a value after it, on the same line, is the preview value.
              ALT: () => {
                this.CONSUME(T.Question);
                this.OPTION({ GATE: () => this.sameLine() && this.startsExpr(), DEF: () => this.SUBRULE1(this.expr) });
              },
            },
            { ALT: () => this.SUBRULE(this.expr) },
            {
              // `lr: warmup ...` labels the learning-rate chain. It is read here, after `lr`,
              // so that one token still tells every kind of item apart (see `chain`).
              GATE: () => tokenMatcher(this.LA(0), T.Lr),
              ALT: () => {
                this.CONSUME(T.Colon);
                this.SUBRULE(this.chain);
              },
            },
          ]);
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
    // `momentum: ...`: what the chain schedules; without a label it is the learning rate.
    // `lr:` is read by `setting`: were it read here, telling `lr 0.1` from `lr: cosine` would
    // take two tokens, and a line such as `lr let` would match no item at all, which loses
    // the recovery inside the setting.
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Momentum) }, { ALT: () => this.CONSUME(T.Beta2) }, { ALT: () => this.CONSUME(T.WeightDecay) }]);
      this.CONSUME(T.Colon);
    });
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
        if (!this.startsExpr() || !this.sameLine() || this.atThreePhase()) return false;
        if (tokenMatcher(this.LA(1), T.Total)) return isOneOf(this.LA(2), OPERATORS);
        return true;
      },
      DEF: () => this.SUBRULE(this.expr),
    });
    this.MANY1({
      // A name continues a phase only as `three phase` on its line; any other name ends it.
      GATE: () => !(tokenMatcher(this.LA(1), T.ShapeKeyword) && !this.sameLine()) && (!tokenMatcher(this.LA(1), T.Identifier) || (this.atThreePhase() && this.sameLine())),
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
            { ALT: () => this.CONSUME(T.Up) },
            { ALT: () => this.CONSUME(T.Via) },
            { ALT: () => this.CONSUME(T.Over) },
            { ALT: () => this.CONSUME(T.Decay) },
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
      {
        // `three phase` (onecycle's `three_phase=True`): two plain words, so neither is reserved.
        GATE: () => this.atThreePhase(),
        ALT: () => {
          this.CONSUME1(T.Identifier);
          this.CONSUME2(T.Identifier);
        },
      },
      { ALT: () => this.SUBRULE(this.points) },
    ]);
  });

  /** A table's points: `{ D: V, D: V, ... }`, over as many lines as it likes, with an optional trailing comma. */
  points = this.RULE("points", () => {
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.point);
      this.MANY({
        GATE: () => !(tokenMatcher(this.LA(1), T.Comma) && tokenMatcher(this.LA(2), T.RCurly)),
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE1(this.point);
        },
      });
      this.OPTION1(() => this.CONSUME1(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  point = this.RULE("point", () => {
    this.SUBRULE(this.expr);
    this.CONSUME(T.Colon);
    this.SUBRULE1(this.expr);
  });

  /** Whether the next two tokens are the words `three phase` on one line. */
  private atThreePhase(): boolean {
    const a = this.LA(1);
    const b = this.LA(2);
    return a.image === "three" && b.image === "phase" && tokenMatcher(a, T.Identifier) && tokenMatcher(b, T.Identifier) && a.endLine === b.startLine;
  }

  /** Whether the next token can start an expression; `sqrt` does only as a call, `sqrt(`. */
  private startsExpr(): boolean {
    const next = this.LA(1);
    if (tokenMatcher(next, T.Sqrt)) return tokenMatcher(this.LA(2), T.LParen);
    return isOneOf(next, EXPR_START);
  }

  restart = this.RULE("restart", () => {
    this.CONSUME(T.Restart);
    this.CONSUME(T.Every);
    this.SUBRULE(this.expr);
    // The multiplier, `decay` and `limit` may come in any order; each is kept once by the AST builder.
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.OR1([
              { ALT: () => this.CONSUME(T.Times) },
              {
                GATE: () => this.LA(1).image === "x",
                ALT: () => this.CONSUME(T.Identifier),
              },
            ]);
            this.SUBRULE1(this.expr);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Decay);
            this.SUBRULE2(this.expr);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Limit);
            this.SUBRULE3(this.expr);
          },
        },
      ]);
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
      { ALT: () => this.SUBRULE(this.power) },
    ]);
  });

  /** `a ** b`: tighter than a sign on its left and right-associative, as in Python (`-2 ** 2` is -4). */
  power = this.RULE("power", () => {
    this.SUBRULE(this.postfix);
    this.OPTION(() => {
      this.CONSUME(T.StarStar);
      this.SUBRULE(this.unary);
    });
  });

  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.primary);
    this.OPTION({
      GATE: () => {
        const next = this.LA(1);
        if (tokenMatcher(next, T.PercentSign)) return true;
        if (!tokenMatcher(next, T.UnitKeyword) || !this.sameLine()) return false;
        // `step` followed by `by` starts a step-decay phase, and followed by `{` is a table's
        // shape word, not a unit.
        return !(tokenMatcher(next, T.Step) && isOneOf(this.LA(2), [T.By, T.LCurly]));
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
      { ALT: () => this.SUBRULE(this.call) },
    ]);
  });

  /** `sqrt(x)`, `min(a, b)`, `max(a, b)`; how many arguments each takes is the checker's business. */
  call = this.RULE("call", () => {
    this.CONSUME(T.FunctionKeyword);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expr);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE1(this.expr);
    });
    this.CONSUME(T.RParen);
  });
}

/** How far past the current token a lazy list's tokens are real (see `AnnealParser.consumeToken`). */
const LAZY_MARGIN = 16;

/** The one parser instance; chevrotain parsers are built once and fed new input. */
export const parser = new AnnealParser();

export interface RawParse {
  cst: CstNode;
  tokens: IToken[];
  comments: IToken[];
  lexErrors: { offset: number; length: number; message: string }[];
  parseErrors: { token: IToken; previous: IToken | undefined; kind: SyntaxErrorKind; ruleStack: string[] }[];
  /** The token where expressions nest deeper than `MAX_EXPRESSION_DEPTH`; the file is then not parsed. */
  tooDeep?: IToken;
  /**
   * Set when the parse stopped at the error after `MAX_SYNTAX_ERRORS`: the index in `tokens`
   * of the first token the concrete tree does not cover, the token of that error, and how
   * many errors the rules raised at the end of input while they unwound (a few per rule
   * open at the stop, whatever the length of the file).
   */
  stopped?: { at: number; token: IToken; unwinding: number };
}

/**
 * How many syntax errors the recovering parser reports before it stops recovering token by
 * token (see `AnnealParser.parseFile`). Below the language server's 1,000 published
 * diagnostics per document, so that the summary of the rest (A009) is among those an editor
 * shows; a file with this many errors is seldom a schedule file, and its first errors are
 * the ones to fix.
 */
export const MAX_SYNTAX_ERRORS = 500;

/**
 * How deep expressions may nest: parentheses, signs and operators together. The parser
 * recurses a few frames per level and the checker walks the tree recursively, so a file
 * with ten thousand `(` overflowed the stack; no schedule needs more than a handful.
 */
export const MAX_EXPRESSION_DEPTH = 100;

/** Setting, `let`, `schedule` and phase keywords: an expression never continues past one. */
const ITEM_START: TokenType[] = [T.Lr, T.StepsPerEpoch, T.TokensPerStep, T.Clock, T.Let, T.Schedule, T.Warmup, T.Constant, T.Hold, T.Linear, T.Cosine, T.Exp, T.Poly, T.Sqrt, T.Rsqrt, T.Onecycle, T.Cyclic, T.Rex, T.Table, T.Momentum, T.Beta2, T.WeightDecay];
const IS_ITEM_START = T.membership(...ITEM_START);
const IS_OPERATOR = T.membership(...OPERATORS);

/**
 * The first token at which expressions may nest deeper than `MAX_EXPRESSION_DEPTH`, or
 * undefined. The count errs on the safe side, so that no input the parser or the tree
 * walkers would recurse on more deeply slips through, even with error recovery at work:
 * every `(` opens a level that only a `)` closes (recovery never skips a `)` inside
 * parentheses: it is where recovery stops), and every operator counts one level in the
 * innermost open parenthesis. Outside parentheses the count restarts at a keyword that
 * starts an item (`lr`, `let`, `warmup`, ...; not `total` or `step`, which can be values, nor
 * `sqrt(`, a call),
 * because an expression, even a broken one, ends there.
 */
export function tooDeep(tokens: IToken[]): IToken | undefined {
  const at = tooDeepAt((i) => tokens[i]!.tokenType.tokenTypeIdx!, tokens.length);
  return at < 0 ? undefined : tokens[at];
}

/** `tooDeep` over token type indices (`typeAt(i)`, `n` tokens): the index of the token, or -1. */
function tooDeepAt(typeAt: (i: number) => number, n: number): number {
  const ops: number[] = [0];
  let sum = 0;
  const lparen = T.LParen.tokenTypeIdx!;
  const rparen = T.RParen.tokenTypeIdx!;
  const sqrt = T.Sqrt.tokenTypeIdx!;
  for (let i = 0; i < n; i++) {
    const type = typeAt(i);
    if (type === lparen) ops.push(0);
    else if (type === rparen) {
      if (ops.length > 1) sum -= ops.pop()!;
    } else if (IS_OPERATOR[type]) {
      ops[ops.length - 1]!++;
      sum++;
    } else if (ops.length === 1 && IS_ITEM_START[type] && !(type === sqrt && i + 1 < n && typeAt(i + 1) === lparen)) {
      // `sqrt(` inside an expression is a call, which continues the expression.
      sum = 0;
      ops[0] = 0;
    }
    if (sum + ops.length - 1 > MAX_EXPRESSION_DEPTH) return i;
  }
  return -1;
}

/** The lexer's output for a text, and where it nests too deeply, before any parsing. */
export interface Lexed {
  tokens: IToken[];
  comments: IToken[];
  errors: { offset: number; length: number; message: string }[];
  tooDeep?: IToken;
  /**
   * Set when `tokens` is a lazy list (`lexLazy`): its slots hold stand-ins until a reader
   * reaches them, so it is read through this, never directly.
   */
  lazy?: LazyTokens;
}

/** Lexes with the fast scan, which gives what chevrotain's lexer gives, errors and their recovery included. */
export function lex(text: string): Lexed {
  const fast = scan(text);
  const deep = tooDeep(fast.tokens);
  return { tokens: fast.tokens, comments: fast.comments, errors: fast.errors, ...(deep ? { tooDeep: deep } : {}) };
}

/** The same lexing, with the token objects made as the parsers reach them (see `LazyTokens`). */
export function lexLazy(text: string): Lexed {
  const { columns, comments, errors } = scanColumns(text);
  const types = columns.types;
  const deep = tooDeepAt((i) => types[i]!, columns.length);
  const lazy = new LazyTokens(columns);
  return { tokens: lazy.list, comments, errors, lazy, ...(deep >= 0 ? { tooDeep: columns.tokenAt(deep) } : {}) };
}

/** Chevrotain's lexer alone; the reference the fast scan is tested against. */
export function lexWithChevrotain(text: string): Lexed {
  const lexed = T.annealLexer.tokenize(text);
  const deep = tooDeep(lexed.tokens);
  return {
    tokens: lexed.tokens,
    comments: lexed.groups.comments ?? [],
    errors: lexed.errors.map((e) => ({ offset: e.offset, length: e.length, message: e.message })),
    ...(deep ? { tooDeep: deep } : {}),
  };
}

/**
 * Lexes (unless given the lexer's output) and parses without interpreting: the concrete
 * tree plus the raw errors, at most `errorLimit` of them (see `stopped`).
 */
export function parseRaw(text: string, lexed: Lexed = lex(text), errorLimit = MAX_SYNTAX_ERRORS): RawParse {
  const deep = lexed.tooDeep;
  // Too deep a nest is refused before the parser sees it: the parser recurses once per
  // parenthesis and sign, and so does everything that walks the tree after it.
  // Chevrotain's errors are `Error`s, and recovery makes one per error; their stack traces,
  // which nothing reads, were most of the time spent on a file of broken lines.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let cst: CstNode;
  try {
    cst = parser.parseFile(deep ? [] : (lexed.lazy?.fullLength() ?? lexed.tokens), errorLimit, deep ? undefined : lexed.lazy);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const stopped = parser.stopped;
  return {
    cst,
    ...(deep ? { tooDeep: deep } : {}),
    ...(stopped ? { stopped } : {}),
    tokens: lexed.tokens,
    comments: lexed.comments,
    lexErrors: lexed.errors,
    parseErrors: parser.errors.map((e) => ({
      token: e.token,
      previous: (e as { previousToken?: IToken }).previousToken,
      kind: JSON.parse(e.message) as SyntaxErrorKind,
      ruleStack: e.context.ruleStack,
    })),
  };
}
