/**
 * Reads a request body as text without ever holding more than the limit: the
 * declared `Content-Length` is checked first, then the bytes are counted as
 * they stream in (a chunked upload declares no length, and a declared one
 * can lie). Chunks are decoded as they arrive, so an 8 MB body is never held
 * as bytes and as text at once; the text is what gets validated and forwarded.
 */

/** A request body as the proxy reads it, whatever the server underneath. */
export interface BodySource {
  /** The `Content-Length` the client declared, if any. */
  declaredLength: string | null;
  /** The next chunk, or `undefined` at the end. Rejects when the client goes away. */
  read(): Promise<Uint8Array | undefined>;
  /** Stops reading and throws the rest away, so the client still receives the refusal. */
  discard(): Promise<void>;
}

export type TextBodyResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'too-large' | 'not-utf8' | 'too-slow' }
  /** `inspect` refused a piece: `problem` says why; the rest was not read. */
  | { ok: false; reason: 'refused'; problem: string };

/** Default request body limit: 10 MiB, room for a base64 selfie and garment. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Default time to receive a whole body: 10 MiB at about 1.5 Mbit/s. */
export const DEFAULT_BODY_TIMEOUT_MS = 60_000;

const TOO_SLOW = Symbol('too slow');

/**
 * The body as a string, decoded strictly as UTF-8 (a byte-order mark is dropped);
 * `too-large` past `maxBytes`, `not-utf8` for bytes that are not UTF-8,
 * `too-slow` when it has not all arrived after `timeoutMs` (a client trickling
 * bytes must not hold a connection and a buffer for minutes).
 */
export async function readTextWithin(
  body: BodySource | null,
  maxBytes: number,
  timeoutMs: number = DEFAULT_BODY_TIMEOUT_MS,
  inspect?: (piece: string) => string | undefined,
): Promise<TextBodyResult> {
  if (body === null) return { ok: true, text: '' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof TOO_SLOW>((resolve) => {
    timer = setTimeout(() => resolve(TOO_SLOW), timeoutMs);
  });
  try {
    const reading = readAll(body, maxBytes, inspect);
    reading.catch(() => undefined); // after a timeout nobody awaits it
    const result = await Promise.race([reading, late]);
    if (result !== TOO_SLOW) return result;
    await body.discard();
    return { ok: false, reason: 'too-slow' };
  } finally {
    clearTimeout(timer);
  }
}

async function readAll(
  body: BodySource,
  maxBytes: number,
  inspect: ((piece: string) => string | undefined) | undefined,
): Promise<TextBodyResult> {
  const declared = body.declaredLength;
  if (declared !== null && Number(declared) > maxBytes) {
    await body.discard();
    return { ok: false, reason: 'too-large' };
  }

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  let total = 0;
  for (;;) {
    const chunk = await body.read();
    if (chunk === undefined) break;
    total += chunk.byteLength;
    if (total > maxBytes) {
      await body.discard();
      return { ok: false, reason: 'too-large' };
    }
    let piece: string;
    try {
      piece = decoder.decode(chunk, { stream: true });
    } catch {
      await body.discard();
      return { ok: false, reason: 'not-utf8' };
    }
    const problem = inspect?.(piece);
    if (problem !== undefined) {
      await body.discard();
      return { ok: false, reason: 'refused', problem };
    }
    parts.push(piece);
  }
  try {
    parts.push(decoder.decode());
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
  return { ok: true, text: parts.length === 1 ? parts[0] : parts.join('') };
}

/** A web `ReadableStream` body (the `Request` of `createFashnProxy`) as a `BodySource`. */
export function webBodySource(
  stream: ReadableStream<Uint8Array>,
  declaredLength: string | null,
): BodySource {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return {
    declaredLength,
    async read() {
      reader ??= stream.getReader();
      const { done, value } = await reader.read();
      return done ? undefined : value;
    },
    async discard() {
      await (reader ? reader.cancel() : stream.cancel()).catch(() => undefined);
    },
  };
}
