// Sharing a schedule as a link: the source travels in the URL fragment, which browsers never
// send to the server. `#src=` is followed by the source's UTF-8 bytes in base64url; a long
// source is compressed first with deflate-raw and marked by a `~` (not a base64url
// character) before the data. Opening a link only ever puts text in the editor: the page
// compiles it, and nothing in it is run or inserted as markup.

import { MAX_SOURCE_SIZE } from "@anneal/compiler";

/** Sources longer than this (in UTF-8 bytes) are compressed in links. */
export const COMPRESS_ABOVE = 200;

const COMPRESSED = "~";

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("the link's data is not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Runs `bytes` through a compression or decompression stream, stopping past `limit` bytes. */
async function transform(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes).then(() => writer.close());
  written.catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    // A link that inflates past the largest source Anneal reads is refused, not unpacked.
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the linked source is larger than ${MAX_SOURCE_SIZE} bytes`);
    }
    chunks.push(value);
  }
  await written;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The fragment (`#src=...`) that holds `source`. */
export async function encodeFragment(source: string): Promise<string> {
  const bytes = new TextEncoder().encode(source);
  if (bytes.length <= COMPRESS_ABOVE) return `#src=${toBase64Url(bytes)}`;
  const packed = await transform(bytes, new CompressionStream("deflate-raw"), Infinity);
  return `#src=${COMPRESSED}${toBase64Url(packed)}`;
}

/**
 * The source a fragment holds: undefined when the fragment has no `src`, an error when it has
 * one that cannot be read (so the page can say so instead of silently opening something else).
 */
export async function decodeFragment(hash: string): Promise<{ source: string } | { error: string } | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const data = params.get("src");
  if (data === null) return undefined;
  try {
    const compressed = data.startsWith(COMPRESSED);
    let bytes = fromBase64Url(compressed ? data.slice(1) : data);
    if (compressed) bytes = await transform(bytes, new DecompressionStream("deflate-raw"), MAX_SOURCE_SIZE);
    else if (bytes.length > MAX_SOURCE_SIZE) throw new Error(`the linked source is larger than ${MAX_SOURCE_SIZE} bytes`);
    return { source: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch (e) {
    return { error: `This link's schedule could not be read (${e instanceof Error ? e.message : String(e)}); the editor shows your last file instead.` };
  }
}
