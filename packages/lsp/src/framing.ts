// The stdio transport's framing: `Content-Length: N\r\n\r\n` then N bytes of JSON. The
// library's reader stops for good on a bad header (and waits for ever on an LF-only one), so
// a client that sends one wedges the server with nothing in any log. This decoder checks every
// header strictly, reports each framing error in words, and resynchronises on the next
// `Content-Length:` header, so the messages after a bad one are still served.
//
// The decoder is pure (bytes in, messages and error lines out); `FramedReader` adapts it to a
// Node stream for server-node.ts. `FramedWriter` frames what the server sends, writing a
// large answer in parts (see there).

import { AbstractMessageReader, AbstractMessageWriter, type DataCallback, type Disposable, type Message, type MessageReader, type MessageWriter } from "vscode-languageserver";

/** The longest header section the server waits for before it calls it malformed. */
export const MAX_HEADER_BYTES = 8192;
/**
 * The largest message body accepted. A document at the 2 MiB source limit is at most about
 * 12 MiB as JSON (every character escaped), so 64 MiB leaves room and still refuses the
 * 20-digit lengths that would otherwise be waited on for ever.
 */
export const MAX_BODY_BYTES = 64 * 2 ** 20;

export type FrameEvent = { kind: "message"; message: unknown } | { kind: "error"; message: string };

const CR = 13;
const LF = 10;
const NEEDLE = new TextEncoder().encode("content-length:");
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;

function lower(b: number): number {
  return b >= 65 && b <= 90 ? b + 32 : b;
}

/** The index of the first case-insensitive `content-length:` in `bytes` at or after `from`, or -1. */
function findHeaderStart(bytes: Uint8Array, from: number): number {
  outer: for (let i = from; i + NEEDLE.length <= bytes.length; i++) {
    for (let k = 0; k < NEEDLE.length; k++) if (lower(bytes[i + k]!) !== NEEDLE[k]) continue outer;
    return i;
  }
  return -1;
}

export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** The body length of the header just read, or -1 while a header is awaited. */
  private bodyLength = -1;
  /** Bytes dropped since the last framing error, while looking for the next header. */
  private skipping: number | undefined;
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true });

  push(chunk: Uint8Array): FrameEvent[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
    const out: FrameEvent[] = [];
    for (;;) {
      if (this.skipping !== undefined && !this.resync(out)) return out;
      // A header that failed leaves the decoder skipping: look for the next one at once.
      if (this.bodyLength < 0 && !this.readHeader(out)) {
        if (this.skipping !== undefined) continue;
        return out;
      }
      if (this.bodyLength >= 0) {
        if (this.size < this.bodyLength) return out;
        const body = this.take(this.bodyLength);
        const length = this.bodyLength;
        this.bodyLength = -1;
        out.push(this.decodeBody(body, length));
      }
    }
  }

  /** The first `n` buffered bytes as one array, left in the buffer. */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first && first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(Math.min(n, this.size));
    let at = 0;
    for (const c of this.chunks) {
      if (at >= out.length) break;
      const part = c.subarray(0, out.length - at);
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** Removes and returns the first `n` buffered bytes. */
  private take(n: number): Uint8Array {
    const out = this.peek(n).slice();
    let left = n;
    while (left > 0) {
      const c = this.chunks[0]!;
      if (c.length <= left) {
        this.chunks.shift();
        left -= c.length;
      } else {
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.size -= n;
    return out;
  }

  /** Starts skipping to the next header after a framing error at the start of the buffer. */
  private fail(out: FrameEvent[], reason: string): void {
    out.push({ kind: "error", message: `framing error: ${reason}; skipping to the next Content-Length header` });
    // Skip at least the first byte, so the bad header itself is not found again.
    this.take(1);
    this.skipping = 1;
  }

  /** Drops bytes up to the next header; true once one is at the start of the buffer. */
  private resync(out: FrameEvent[]): boolean {
    const all = this.peek(this.size);
    const at = findHeaderStart(all, 0);
    if (at < 0) {
      // Keep a tail that could be the start of a header split across chunks.
      const keep = Math.min(this.size, NEEDLE.length - 1);
      this.skipping! += this.size - keep;
      this.take(this.size - keep);
      return false;
    }
    this.take(at);
    const skipped = this.skipping! + at;
    this.skipping = undefined;
    out.push({ kind: "error", message: `framing: resynchronised on the next header after skipping ${skipped} bytes` });
    return true;
  }

  /** Reads one header section; false when more bytes are needed or a framing error was reported. */
  private readHeader(out: FrameEvent[]): boolean {
    if (this.size === 0) return false;
    const head = this.peek(Math.min(this.size, MAX_HEADER_BYTES + 4));
    let end = -1;
    for (let i = 0; i < head.length; i++) {
      if (head[i] !== LF) continue;
      if (i === 0 || head[i - 1] !== CR) {
        this.fail(out, "a header line ends with LF alone; headers end each line with CR LF (\\r\\n)");
        return false;
      }
      if (i >= 3 && head[i - 2] === LF && head[i - 3] === CR) {
        end = i - 3;
        break;
      }
    }
    if (end < 0) {
      if (head.length > MAX_HEADER_BYTES) this.fail(out, `no end of headers (an empty line, \\r\\n\\r\\n) within ${MAX_HEADER_BYTES} bytes`);
      return false;
    }
    const text = String.fromCharCode(...head.subarray(0, end));
    let length: string | undefined;
    for (const line of text.split("\r\n")) {
      const m = HEADER_LINE.exec(line);
      if (!m) {
        this.fail(out, `${JSON.stringify(line.slice(0, 80))} is not a header line (\`Name: value\`)`);
        return false;
      }
      const name = m[1]!.toLowerCase();
      const value = m[2]!;
      if (name === "content-length") {
        if (length !== undefined) {
          this.fail(out, "the header gives Content-Length twice");
          return false;
        }
        length = value;
      } else if (name === "content-type" && !/charset\s*=\s*"?utf-?8"?\s*(;|$)/i.test(value) && /charset/i.test(value)) {
        this.fail(out, `Content-Type ${JSON.stringify(value)} names a charset other than utf-8, the only one the server reads`);
        return false;
      }
    }
    if (length === undefined) {
      this.fail(out, `the header ${JSON.stringify(text.slice(0, 80))} has no Content-Length`);
      return false;
    }
    if (!/^\d+$/.test(length)) {
      this.fail(out, `Content-Length must be a whole number of bytes, not ${JSON.stringify(length.slice(0, 40))}`);
      return false;
    }
    const n = length.length > 12 ? Infinity : Number(length);
    if (n > MAX_BODY_BYTES) {
      this.fail(out, `Content-Length ${length.slice(0, 40)} is more than the ${MAX_BODY_BYTES} bytes a message may have`);
      return false;
    }
    this.take(end + 4);
    this.bodyLength = n;
    return true;
  }

  private decodeBody(body: Uint8Array, length: number): FrameEvent {
    let text: string;
    try {
      text = this.utf8.decode(body);
    } catch {
      return { kind: "error", message: `framing error: the ${length}-byte message body is not UTF-8 (is its Content-Length right?); the message is skipped` };
    }
    try {
      return { kind: "message", message: JSON.parse(text) as unknown };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { kind: "error", message: `framing error: the ${length}-byte message body is not JSON (is its Content-Length right?): ${why}; the message is skipped` };
    }
  }
}

/** The events of a readable byte stream that the reader needs (Node's `process.stdin` has them). */
export interface ByteStream {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (e: Error) => void): unknown;
}

/** A MessageReader over a byte stream that reports framing errors to `report` and keeps reading. */
export class FramedReader extends AbstractMessageReader implements MessageReader {
  private readonly decoder = new FrameDecoder();

  constructor(
    private readonly stream: ByteStream,
    private readonly report: (message: string) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.fireClose();
    };
    this.stream.on("data", (chunk) => {
      for (const e of this.decoder.push(chunk)) {
        if (e.kind === "message") callback(e.message as Message);
        else this.report(e.message);
      }
    });
    this.stream.on("end", close);
    this.stream.on("close", close);
    this.stream.on("error", (e) => this.fireError(e));
    return { dispose: () => undefined };
  }
}

/** The writes and events of a writable byte stream that the writer needs (Node's `process.stdout` has them). */
export interface WritableByteStream {
  write(chunk: string, encoding: "utf8", callback: (e?: Error | null) => void): boolean;
  once(event: "drain", listener: () => void): unknown;
  on(event: "error", listener: (e: Error) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  end(): void;
}

/** An answer whose result is a list of more entries than this, or holds one, is written in parts. */
export const PARTED_RESULT_ENTRIES = 1000;
/** How many entries of such a list one part holds. */
const PART_ENTRIES = 1000;
/** The most characters of parts held between counting a message's length and writing it. */
const HELD_CHARS = 4 * 2 ** 20;
/** About how many characters the writer gives the stream at a time. */
const WRITE_BYTES = 64 * 1024;

/** The long list of an answer: its result, or one of its result's own fields (semantic tokens' `data`). */
function longList(result: unknown): unknown[] | undefined {
  if (Array.isArray(result)) return result.length > PARTED_RESULT_ENTRIES ? result : undefined;
  if (result === null || typeof result !== "object") return undefined;
  for (const v of Object.values(result)) if (Array.isArray(v) && v.length > PARTED_RESULT_ENTRIES) return v;
  return undefined;
}

let marks = 0;

/**
 * The body of a message as the parts it is written in, one at a time: the JSON of
 * `JSON.stringify(message)`, byte for byte, but with the long list of an answer (the
 * document symbols of a file of 25,000 schedules: 100,000 entries, 17 MB; its semantic
 * tokens: 1.1 million numbers) cut into parts of `PART_ENTRIES` entries, so that no one
 * string of the whole answer, nor a buffer of it, is ever made, and each part is garbage
 * before the next is made.
 */
export function* messageParts(message: Message): Generator<string> {
  const list = longList((message as { result?: unknown }).result);
  if (!list) {
    yield JSON.stringify(message);
    return;
  }
  // The message's JSON with the list as a mark, a string no other value can spell (a
  // control character, a counter and a random number), split where the mark stands.
  const mark = `\u0001anneal-parts-${++marks}-${Math.random()}`;
  const whole = JSON.stringify(message, (_key, v: unknown) => (v === list ? mark : v));
  const at = whole.indexOf(JSON.stringify(mark));
  yield `${whole.slice(0, at)}[`;
  for (let i = 0; i < list.length; i += PART_ENTRIES) {
    // A list's JSON without its brackets: entries that have none (undefined, functions) read `null`, as in the whole list's.
    const part = JSON.stringify(list.slice(i, i + PART_ENTRIES)).slice(1, -1);
    yield i === 0 ? part : `,${part}`;
  }
  yield `]${whole.slice(at + JSON.stringify(mark).length)}`;
}

/**
 * A MessageWriter that frames each message with its `Content-Length` and writes its body in
 * the parts `messageParts` gives, waiting for the stream to drain between them. The
 * library's writer makes one string of a message and then one buffer of that string, which
 * for a 17 MB answer held both, besides the answer itself, at the server's peak.
 */
export class FramedWriter extends AbstractMessageWriter implements MessageWriter {
  /** Messages are written one after another, never interleaved. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly stream: WritableByteStream) {
    super();
    stream.on("error", (e) => this.fireError(e));
    stream.on("close", () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const sent = this.queue.then(() => this.send(message));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  end(): void {
    this.stream.end();
  }

  private async send(message: Message): Promise<void> {
    try {
      // The header gives the length, so the parts are made once to count it. They are held
      // for the writing up to `HELD_CHARS`; past that they are made again instead.
      let length = 0;
      let held: string[] | undefined = [];
      let heldChars = 0;
      for (const p of messageParts(message)) {
        length += Buffer.byteLength(p, "utf8");
        if (!held) continue;
        held.push(p);
        heldChars += p.length;
        if (heldChars > HELD_CHARS) held = undefined;
      }
      // Parts are gathered to about `WRITE_BYTES` a write: a write is a system call, and a
      // list of numbers makes parts of a few kilobytes.
      let pending = `Content-Length: ${length}\r\n\r\n`;
      for (const p of held ?? messageParts(message)) {
        pending += p;
        if (pending.length >= WRITE_BYTES) {
          await this.put(pending);
          pending = "";
        }
      }
      if (pending.length > 0) await this.put(pending);
    } catch (e) {
      this.fireError(e instanceof Error ? e : new Error(String(e)), message);
      throw e;
    }
  }

  /** Writes one part; resolves once the stream takes more (at once, unless its buffer is full). */
  private put(chunk: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let failed = false;
      const more = this.stream.write(chunk, "utf8", (e) => {
        if (e) {
          failed = true;
          reject(e);
        }
      });
      if (more) resolve();
      else this.stream.once("drain", () => !failed && resolve());
    });
  }
}
