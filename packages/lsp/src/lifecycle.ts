// The protocol's lifecycle, enforced where messages enter the server: before `initialize`
// every request is answered with ServerNotInitialized (-32002) and notifications other than
// `exit` are dropped; after `shutdown` every request is answered with InvalidRequest and only
// `exit` goes through. Sitting between the transport's reader and the connection, the gate
// covers every handler, the library's own and unknown methods alike, in Node and in browsers.

import {
  AbstractMessageReader,
  type DataCallback,
  type Disposable,
  ErrorCodes,
  type Message,
  type MessageReader,
  type MessageWriter,
} from "vscode-languageserver";

export type LifecycleState = "new" | "running" | "shutdown";

interface Incoming {
  id?: number | string | null;
  method?: string;
}

export class LifecycleGate extends AbstractMessageReader implements MessageReader {
  private current: LifecycleState = "new";

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
  ) {
    super();
    inner.onError((e) => this.fireError(e));
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  /** Where the connection is in its lifecycle; the Node entry's exit code reads it. */
  get state(): LifecycleState {
    return this.current;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message: Message) => {
      const m = message as Incoming;
      // Responses to the server's own requests always pass.
      if (typeof m.method !== "string") return callback(message);
      const isRequest = m.id !== undefined && m.id !== null;
      if (m.method === "exit") return callback(message);
      if (this.current === "new") {
        if (m.method === "initialize" && isRequest) {
          this.current = "running";
          return callback(message);
        }
        if (isRequest) this.refuse(m.id!, ErrorCodes.ServerNotInitialized, `the server is not initialized yet: send \`initialize\` before \`${m.method}\``);
        return;
      }
      if (this.current === "shutdown") {
        if (isRequest) this.refuse(m.id!, ErrorCodes.InvalidRequest, `the server is shutting down: after \`shutdown\` only \`exit\` is accepted, not \`${m.method}\``);
        return;
      }
      if (m.method === "initialize" && isRequest) return this.refuse(m.id!, ErrorCodes.InvalidRequest, "`initialize` was already sent; a server is initialized once");
      if (m.method === "shutdown" && isRequest) this.current = "shutdown";
      return callback(message);
    });
  }

  private refuse(id: number | string, code: number, message: string): void {
    void this.writer.write({ jsonrpc: "2.0", id, error: { code, message } } as Message).catch(() => undefined);
  }
}
