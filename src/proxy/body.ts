/**
 * Reads a request body without ever holding more than the limit: the
 * declared `Content-Length` is checked first, then the bytes are counted as
 * they stream in (a chunked upload declares no length, and a declared one
 * can lie).
 */

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too-large' };

/** Default request body limit: 10 MiB, room for a base64 selfie and garment. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readBodyWithin(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'too-large' };
  }
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, reason: 'too-large' };
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0]) return { ok: true, bytes: chunks[0] };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** The body parsed as JSON; `ok: false` when it is not valid UTF-8 JSON. */
export function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}
