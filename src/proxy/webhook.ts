/**
 * Webhook mode: with `publicUrl` set, the proxy adds
 * `webhook_url={publicUrl}/webhook/{token}` to every run it forwards, and
 * FASHN POSTs the prediction's final status object there (retrying up to 5
 * times over about 5 minutes until it gets a 2xx). That releases every held
 * status request for the prediction at once, on every instance.
 *
 * FASHN signs nothing we know of, so the callback is trusted this way:
 * - the token is 256 random bits, made per run and sent only to FASHN (never
 *   to a browser, never logged): only FASHN can know the URL;
 * - an unknown or spent token is 404 before the body is read;
 * - the body must be a final status for exactly the id that token's run got;
 *   it is parsed and rebuilt (only `id`, `status`, `output`, `error` pass);
 * - in doubt (the body does not parse, is not final, names another id, or
 *   arrives before the run's answer did) the proxy asks FASHN once
 *   (`GET /status/{id}`) and relays that instead;
 * - a token is spent on first use, once for all instances (`hook-spent:` is
 *   claimed with `setIfAbsent`), so a replay, a concurrent duplicate, or one
 *   that comes after the run's late answer bound the token again, changes
 *   nothing.
 */
import { isFinalStatus } from '../api/models.js';
import { readTextWithin, type BodySource } from './body.js';
import { PREDICTION_TTL_MS, type Completions, type RelayedAnswer } from './completions.js';
import { PREDICTION_ID } from './routes.js';
import type { ProxyStore } from './store/types.js';
import { rebuildAnswer } from './upstream-answer.js';

/** `…/webhook/{token}`: the path FASHN is given, under the proxy's public URL. */
const WEBHOOK_ROUTE = /\/webhook\/([A-Za-z0-9_-]{43})\/?$/;
/** FASHN's final status may carry base64 images: larger than a run's body limit. */
const MAX_WEBHOOK_BODY_BYTES = 64 * 1024 * 1024;
const hookKey = (token: string) => `hook:${token}`;
/** Set once a token's callback was relayed; outlives the token's binding. */
const spentKey = (token: string) => `hook-spent:${token}`;

/** The token of a webhook path, or `undefined` when the path is not one. */
export function webhookTokenIn(pathname: string): string | undefined {
  return WEBHOOK_ROUTE.exec(pathname)?.[1];
}

/** Whether the path looks like a webhook path at all (even with a malformed token). */
export function isWebhookPath(pathname: string): boolean {
  return /\/webhook\/[^/]*\/?$/.test(pathname);
}

/** 256 random bits, base64url (43 characters). */
export function newWebhookToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The `/run` path with the webhook for `token`. */
export function runPathWithWebhook(publicUrl: string, token: string): string {
  return `/run?webhook_url=${encodeURIComponent(`${publicUrl}/webhook/${token}`)}`;
}

/** Before the run goes out: the token exists, but its prediction id is not known yet. */
export async function reserveWebhookToken(store: ProxyStore, token: string): Promise<void> {
  await store.set(hookKey(token), '', PREDICTION_TTL_MS);
}

/** The run was refused (nothing started): no callback can come for the token. */
export async function dropWebhookToken(store: ProxyStore, token: string): Promise<void> {
  await store.delete(hookKey(token));
}

/** After FASHN's answer: the token belongs to `id`. */
export async function bindWebhookToken(
  store: ProxyStore,
  token: string,
  id: string,
): Promise<void> {
  await store.set(hookKey(token), id, PREDICTION_TTL_MS);
}

export interface WebhookDeps {
  store: ProxyStore;
  completions: Completions;
  /** One status request to FASHN for `id`, as the proxy relays it (or a failure). */
  confirm(id: string): Promise<RelayedAnswer | { ok: false }>;
  /** Removes the key from text that came from outside. */
  scrub: (text: string) => string;
}

export interface WebhookOutcome {
  status: 200 | 400 | 404;
  error?: string;
  message?: string;
  /** What happened, for the log line. */
  note: string;
}

export async function receiveWebhook(
  token: string,
  body: BodySource | null,
  deps: WebhookDeps,
): Promise<WebhookOutcome> {
  const bound = await deps.store.get(hookKey(token));
  if (bound === undefined || (await deps.store.get(spentKey(token))) !== undefined)
    return unknown();
  const read = await readTextWithin(body, MAX_WEBHOOK_BODY_BYTES);
  const reported = read.ok ? finalStatusIn(read.text, deps.scrub) : undefined;
  let id = bound;
  let answer: RelayedAnswer | undefined;
  if (reported && bound !== '' && reported.id === bound) {
    answer = reported.answer;
  } else {
    // In doubt: ask FASHN about the run this token belongs to (or, before its answer
    // arrived, the id the callback names, since only FASHN knows the token).
    if (id === '') id = reported?.id ?? '';
    if (!PREDICTION_ID.test(id)) {
      return {
        status: 400,
        error: 'BadRequest',
        message: 'No prediction id to confirm.',
        note: 'webhook-unconfirmed',
      };
    }
    const confirmed = await deps.confirm(id);
    const final = confirmed.ok ? finalStatusIn(confirmed.text, deps.scrub) : undefined;
    if (!confirmed.ok || !final || final.id !== id) {
      // Still pending or unreachable: leave it to the held requests' own polling.
      return { status: 200, note: 'webhook-not-final' };
    }
    answer = { ...confirmed, text: final.answer.text };
  }
  // First use wins, on every instance: a duplicate that got this far relays nothing.
  if (!(await deps.store.setIfAbsent(spentKey(token), '1', PREDICTION_TTL_MS))) return unknown();
  await deps.store.delete(hookKey(token));
  await deps.completions.publishFinal(id, answer);
  return { status: 200, note: 'webhook' };
}

function unknown(): WebhookOutcome {
  return {
    status: 404,
    error: 'NotFound',
    message: 'Unknown or spent webhook.',
    note: 'webhook-unknown',
  };
}

/** A final status object, checked and rebuilt as any status answer is, or `undefined`. */
function finalStatusIn(
  text: string,
  scrub: (text: string) => string,
): { id: string; answer: RelayedAnswer } | undefined {
  const rebuilt = rebuildAnswer('status', 200, text, scrub);
  if (!rebuilt.ok) return undefined;
  const { read } = rebuilt;
  // A refusal `{ error, message }` reads as neither.
  if (read.id === undefined || read.status === undefined || !isFinalStatus(read.status))
    return undefined;
  const answer = JSON.stringify(rebuilt.body);
  return { id: read.id, answer: { ok: true, status: 200, headers: {}, text: answer, read } };
}
