/**
 * The idempotency protocol between the client and a proxy, DOM-free: every
 * logical run carries an `Idempotency-Key` (IETF httpapi draft name); a proxy
 * that remembers keys says so with `Idempotency-Support` on its answers, and
 * answers `GET …/run` with the key by what became of that run, never sending one.
 */

/** The request header that names one logical run. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The answer header by which a proxy advertises that it remembers keys. */
export const IDEMPOTENCY_SUPPORT_HEADER = 'Idempotency-Support';

/** FASHN-style error names of the protocol, as the proxy answers them. */
export const RUN_OUTCOME_UNKNOWN = 'RunOutcomeUnknown';
export const IDEMPOTENCY_KEY_UNKNOWN = 'IdempotencyKeyUnknown';

/**
 * A fresh key: 128 random bits as 32 hex digits. `getRandomValues` rather than
 * `randomUUID`, which needs a secure context in browsers.
 */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) =>
    n.toString(16).padStart(8, '0'),
  ).join('');
}

/** Whether an answer's headers advertise key support. */
export function advertisesIdempotency(headers: Headers): boolean {
  return headers.has(IDEMPOTENCY_SUPPORT_HEADER);
}
