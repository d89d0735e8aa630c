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
 * A fresh key: 128 random bits as a UUID v4. `getRandomValues` rather than
 * `randomUUID`, which needs a secure context in browsers.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether an answer's headers advertise key support. */
export function advertisesIdempotency(headers: Headers): boolean {
  return /^\s*run\b/i.test(headers.get(IDEMPOTENCY_SUPPORT_HEADER) ?? '');
}
