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
  /** The body as text; call once. */
  text(): Promise<string>;
  /** Throws the body away unread. */
  discard(): void;
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
      text: () => raceAbort(response.text(), signal),
      discard: () => void response.body?.cancel().catch(() => undefined),
    };
  };
}
