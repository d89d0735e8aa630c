/**
 * How the proxy reaches FASHN: a transport that sends one request and hands
 * back the answer, nothing more. Every rule (which URL, the key, timeouts,
 * refusing redirects, redaction, which headers pass) lives in core.ts, so the
 * web `fetch` transport here and the Node keep-alive one (node-upstream.ts)
 * cannot drift apart on security.
 */
import { raceAbort } from '../api/abort.js';

/** One request to FASHN, as the proxy builds it. */
export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** JSON text, sent as UTF-8. */
  body?: string;
  /** Aborts the request, its answer and its body. */
  signal: AbortSignal;
}

/** FASHN's answer, its body not read yet. */
export interface UpstreamResponse {
  status: number;
  /** A response header by lower-case name, or `null`. */
  header(name: string): string | null;
  /** The body as text; call once. Rejects with `AnswerTooLarge` past `maxBytes`. */
  text(maxBytes: number): Promise<string>;
  /** Throws the body away unread. */
  discard(): void;
}

/** Thrown by `text` when an answer is larger than the proxy accepts. */
export class AnswerTooLarge extends Error {
  override readonly name = 'AnswerTooLarge';
}

/** Sends a request without following redirects; rejects on network failure or abort. */
export type Upstream = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/**
 * The web-standard transport: `fetch` (global or injected), never following a
 * redirect. Its promises are raced against the signal too, so an injected
 * fetch that ignores `signal` cannot hang the proxy.
 */
export function fetchUpstream(
  fetchImpl: (input: string, init: RequestInit) => Promise<Response>,
): Upstream {
  return async ({ url, method, headers, body, signal }) => {
    const response = await raceAbort(
      fetchImpl(url, {
        method,
        headers,
        body,
        signal,
        // A redirect is not part of FASHN's API; never follow one with the key attached.
        redirect: 'manual',
      }),
      signal,
    );
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      text: (maxBytes) => raceAbort(readCapped(response, maxBytes), signal),
      discard: () => void response.body?.cancel().catch(() => undefined),
    };
  };
}

/** The body as UTF-8 text, never holding more than `maxBytes` of it. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    if (declared > maxBytes) throw new AnswerTooLarge(`answer over ${maxBytes} bytes`);
    return '';
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge(`answer over ${maxBytes} bytes`);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
