// A stand-in for the parts of the `vscode` API and of `vscode-languageclient/node` that the
// extension's own code touches, recording what the extension does with them. The host tests
// mock both modules with these, run `activate`, and drive the registered commands.

type Listener<T> = (e: T) => unknown;

/** An event source with `fire`, shaped like `vscode.EventEmitter`'s `event`. */
class Emitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
}

export class FakeUri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
  static file(path: string): FakeUri {
    return new FakeUri("file", path);
  }
  static parse(s: string): FakeUri {
    const m = /^([a-z-]+):\/\/(.*)$/.exec(s);
    return m ? new FakeUri(m[1]!, m[2]!) : new FakeUri("file", s);
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri(base.scheme, [base.path.replace(/\/$/, ""), ...parts].join("/"));
  }
}

export class FakeDocument {
  version = 1;
  constructor(
    readonly uri: FakeUri,
    public text: string,
    readonly languageId = "anneal",
  ) {}
  getText(): string {
    return this.text;
  }
  positionAt(offset: number) {
    const before = this.text.slice(0, offset).split("\n");
    return { line: before.length - 1, character: before[before.length - 1]!.length };
  }
}

export class FakeWebviewPanel {
  readonly posted: unknown[] = [];
  readonly disposeEmitter = new Emitter<void>();
  readonly messageEmitter = new Emitter<unknown>();
  title: string;
  revealed = 0;
  readonly webview = {
    html: "",
    options: {} as unknown,
    cspSource: "https://webview.test",
    asWebviewUri: (u: FakeUri) => `https://webview.test${u.path}`,
    postMessage: async (m: unknown) => {
      this.posted.push(m);
      return true;
    },
    onDidReceiveMessage: this.messageEmitter.event,
  };
  onDidDispose = this.disposeEmitter.event;
  constructor(
    readonly viewType: string,
    title: string,
    readonly showOptions: unknown,
    readonly options: unknown,
  ) {
    this.title = title;
  }
  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    this.disposeEmitter.fire();
  }
}

type RequestHandler = (method: string, params: unknown) => unknown;

/** Everything the fakes recorded, and the knobs the tests turn. Reset per test. */
export const fake = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  panels: [] as FakeWebviewPanel[],
  opened: [] as { content?: string; language?: string; uri?: string }[],
  shown: [] as { document: unknown; options: unknown }[],
  warnings: [] as string[],
  errors: [] as string[],
  quickPicks: [] as { items: { label: string }[]; options: unknown }[],
  quickPickAnswer: undefined as string | undefined,
  activeTextEditor: undefined as { document: FakeDocument } | undefined,
  documents: [] as FakeDocument[],
  changeDocument: new Emitter<{ document: FakeDocument }>(),
  changeEditor: new Emitter<{ document: FakeDocument } | undefined>(),
  changeConfiguration: new Emitter<{ affectsConfiguration(section: string): boolean }>(),
  /** Arguments each LanguageClient was constructed with. */
  clients: [] as { id: string; name: string; serverOptions: unknown; clientOptions: unknown; started: boolean }[],
  requests: [] as { method: string; params: unknown }[],
  onRequest: (() => null) as RequestHandler,
  reset(): void {
    this.commands.clear();
    this.panels.length = 0;
    this.opened.length = 0;
    this.shown.length = 0;
    this.warnings.length = 0;
    this.errors.length = 0;
    this.quickPicks.length = 0;
    this.quickPickAnswer = undefined;
    this.activeTextEditor = undefined;
    this.documents.length = 0;
    this.clients.length = 0;
    this.requests.length = 0;
    this.onRequest = () => null;
    this.changeDocument = new Emitter();
    this.changeEditor = new Emitter();
    this.changeConfiguration = new Emitter();
  },
};

const disposable = { dispose: () => undefined };

export const vscodeModule = {
  Uri: FakeUri,
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
  Range: class {
    constructor(
      readonly start: unknown,
      readonly end: unknown,
    ) {}
  },
  commands: {
    registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
      fake.commands.set(id, fn);
      return { dispose: () => fake.commands.delete(id) };
    },
  },
  window: {
    get activeTextEditor() {
      return fake.activeTextEditor;
    },
    get visibleTextEditors() {
      return fake.activeTextEditor ? [{ ...fake.activeTextEditor, viewColumn: 1 }] : [];
    },
    showWarningMessage: async (m: string) => void fake.warnings.push(m),
    showErrorMessage: async (m: string) => void fake.errors.push(m),
    showQuickPick: async (items: { label: string }[], options: unknown) => {
      fake.quickPicks.push({ items, options });
      return items.find((i) => i.label === fake.quickPickAnswer);
    },
    showTextDocument: async (document: unknown, options: unknown) => {
      fake.shown.push({ document, options });
      return { revealRange: () => undefined };
    },
    createWebviewPanel(viewType: string, title: string, showOptions: unknown, options: unknown) {
      const p = new FakeWebviewPanel(viewType, title, showOptions, options);
      fake.panels.push(p);
      return p;
    },
    registerWebviewPanelSerializer: () => disposable,
    onDidChangeActiveTextEditor: (l: Listener<{ document: FakeDocument } | undefined>) => fake.changeEditor.event(l),
  },
  workspace: {
    get textDocuments() {
      return fake.documents;
    },
    async openTextDocument(arg: FakeUri | { content: string; language: string }) {
      if (arg instanceof FakeUri) {
        const doc = fake.documents.find((d) => d.uri.toString() === arg.toString());
        if (!doc) throw new Error(`no such document ${arg.toString()}`);
        fake.opened.push({ uri: arg.toString() });
        return doc;
      }
      fake.opened.push(arg);
      return new FakeDocument(new FakeUri("untitled", `Untitled-${fake.opened.length}`), arg.content, arg.language);
    },
    onDidChangeTextDocument: (l: Listener<{ document: FakeDocument }>) => fake.changeDocument.event(l),
    onDidChangeConfiguration: (l: Listener<{ affectsConfiguration(section: string): boolean }>) => fake.changeConfiguration.event(l),
  },
};

export class FakeLanguageClient {
  private readonly record: (typeof fake.clients)[number];
  constructor(id: string, name: string, serverOptions: unknown, clientOptions: unknown) {
    this.record = { id, name, serverOptions, clientOptions, started: false };
    fake.clients.push(this.record);
  }
  async start(): Promise<void> {
    this.record.started = true;
  }
  async stop(): Promise<void> {
    this.record.started = false;
  }
  async sendRequest(type: string | { method: string }, params: unknown): Promise<unknown> {
    const method = typeof type === "string" ? type : type.method;
    fake.requests.push({ method, params });
    return fake.onRequest(method, params);
  }
}

export const languageClientModule = {
  LanguageClient: FakeLanguageClient,
  TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
  ExecuteCommandRequest: { type: { method: "workspace/executeCommand" } },
};
