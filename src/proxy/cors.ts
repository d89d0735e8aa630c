/**
 * Which browser origins may call the proxy, and the CORS headers that say so.
 * Requests without an `Origin` header (curl, servers, same-origin GETs) are not
 * browser cross-origin calls and are served without CORS headers.
 */

/** `'same-origin'`: only pages on the proxy's own origin. */
export type OriginPolicy = 'same-origin' | '*' | ReadonlySet<string>;

export type OriginDecision =
  | { kind: 'no-origin' }
  | { kind: 'allowed'; origin: string; wildcard: boolean }
  | { kind: 'refused'; origin: string };

/** Methods the proxy answers; preflights advertise them. */
const ALLOWED_METHODS = 'GET, POST, OPTIONS';

/**
 * Response headers a cross-origin page may read: the element honours Retry-After
 * and reads Idempotency-Support (the proxy remembers `Idempotency-Key`s).
 */
const EXPOSED_HEADERS = 'Retry-After, Idempotency-Support';

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Turns the `allowOrigins` option into a policy, refusing anything that is not
 * an exact origin (scheme, host, optional port: no path, no wildcard patterns),
 * so a typo cannot silently open the proxy to everyone or to no one.
 */
export function originPolicy(allowOrigins: readonly string[] | '*' | undefined): OriginPolicy {
  if (allowOrigins === undefined) return 'same-origin';
  if (allowOrigins === '*') return '*';
  if (!Array.isArray(allowOrigins)) {
    throw new TypeError("allowOrigins must be an array of exact origins or '*'");
  }
  if (allowOrigins.includes('*')) return '*';
  const origins = new Set<string>();
  for (const value of allowOrigins as unknown[]) origins.add(exactOrigin(String(value)));
  return origins;
}

/** `value` as an origin (`https://shop.example.com`), or a TypeError naming it. */
export function exactOrigin(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const trimmed = value.replace(/\/$/, '');
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== trimmed) {
    throw new TypeError(
      `Not an exact origin: ${JSON.stringify(value)} (expected e.g. https://shop.example.com)`,
    );
  }
  return url.origin;
}

/**
 * Decides whether a request's `Origin` (`origin`, `null` when absent) may call the
 * proxy; `selfOrigin` gives the proxy's own origin, asked only for `'same-origin'`.
 */
export function checkOrigin(
  origin: string | null,
  selfOrigin: () => string,
  policy: OriginPolicy,
): OriginDecision {
  if (origin === null) return { kind: 'no-origin' };
  if (policy === '*') return { kind: 'allowed', origin, wildcard: true };
  const allowed = policy === 'same-origin' ? origin === selfOrigin() : policy.has(origin);
  return allowed ? { kind: 'allowed', origin, wildcard: false } : { kind: 'refused', origin };
}

/**
 * CORS headers for an answer. Only allowed origins get any; an exact origin is
 * echoed with credentials allowed (cookies, e.g. for a CSRF-protected session),
 * a configured `*` gets `*` without credentials, as browsers require.
 */
export function corsHeaders(decision: OriginDecision): Record<string, string> {
  // The answer depends on Origin whatever it was, so caches must key on it.
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (decision.kind !== 'allowed') return headers;
  headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
  if (decision.wildcard) {
    headers['Access-Control-Allow-Origin'] = '*';
  } else {
    headers['Access-Control-Allow-Origin'] = decision.origin;
    headers['Access-Control-Allow-Credentials'] = 'true';
  }
  return headers;
}

/**
 * Headers for a preflight answer: the methods, and the request headers the page
 * asked for (Content-Type plus whatever X-* or CSRF header it sends). Reflecting
 * them is safe because the proxy never forwards a client's headers upstream.
 */
export function preflightHeaders(
  decision: OriginDecision,
  header: (name: string) => string | null,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...corsHeaders(decision),
    Allow: ALLOWED_METHODS,
  };
  if (decision.kind !== 'allowed') return headers;
  const requested = (header('access-control-request-headers') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && HEADER_NAME.test(name));
  headers['Access-Control-Allow-Methods'] = ALLOWED_METHODS;
  headers['Access-Control-Allow-Headers'] = [...new Set(['content-type', ...requested])].join(', ');
  headers['Access-Control-Max-Age'] = PREFLIGHT_MAX_AGE;
  // Chrome's Private Network Access: a public page calling a proxy on localhost or a LAN.
  if (header('access-control-request-private-network') === 'true') {
    headers['Access-Control-Allow-Private-Network'] = 'true';
  }
  headers.Vary = 'Origin, Access-Control-Request-Headers';
  return headers;
}
