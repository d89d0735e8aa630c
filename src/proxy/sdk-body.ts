/**
 * What the official `fashn` SDK sends that FASHN itself ignores or takes
 * elsewhere: `predictions.subscribe({ …, pollInterval, timeout, maxRetries })`
 * puts its polling options into the `/run` body. They mean nothing upstream,
 * so the proxy drops them (rather than answering 400) and forwards the rest.
 *
 * `webhook_url` is different: the proxy owns the webhook (webhook mode) or
 * sends none, and a caller's URL would let a page make FASHN post results to
 * any address. It is refused with a clear 400, whether in the query (where
 * the SDK puts it) or in the body.
 */

/** The SDK's client-side `subscribe` options that end up in the `/run` body. */
const SDK_CLIENT_OPTIONS = ['pollInterval', 'timeout', 'maxRetries'] as const;
/** A cheap test before parsing: these names must appear as keys somewhere. */
const MENTIONS = /"(pollInterval|timeout|maxRetries|webhook_url)"/;

export type SdkBodyResult = { ok: true; text: string } | { ok: false; message: string };

export const WEBHOOK_URL_REFUSED =
  'webhook_url: not accepted. This proxy receives FASHN\u2019s webhooks itself (when configured with its public URL); ask the proxy for the status instead.';

/** Refuses a query `webhook_url`. */
export function checkRunQuery(search: string): string | undefined {
  if (search === '' || search === '?') return undefined;
  return new URLSearchParams(search).has('webhook_url') ? WEBHOOK_URL_REFUSED : undefined;
}

/** The body without the SDK's client-side options (the same text when there are none). */
export function withoutSdkOptions(text: string): SdkBodyResult {
  if (!MENTIONS.test(text)) return { ok: true, text };
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { ok: true, text }; // the run check answers the syntax error
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: true, text };
  }
  const body = payload as Record<string, unknown>;
  if ('webhook_url' in body) return { ok: false, message: WEBHOOK_URL_REFUSED };
  const present = SDK_CLIENT_OPTIONS.filter((name) => name in body);
  if (present.length === 0) return { ok: true, text };
  for (const name of present) delete body[name];
  return { ok: true, text: JSON.stringify(body) };
}
