/**
 * Which `Host` names the proxy answers. A proxy that trusts "same origin" alone
 * can be reached through DNS rebinding: a page on `evil.example`, whose name
 * then resolves to the proxy's address, sends `Origin` and `Host` both
 * `evil.example`, which look alike. So by default only loopback names are
 * served (a proxy on a developer's machine); a deployed proxy names its hosts
 * in `allowHosts`, or sets `allowOrigins` (then `Origin` is checked against a
 * list and the `Host` no longer decides).
 */

/** `'any'` serves every host; otherwise the names (lower case, no port) that are served. */
export type HostPolicy = 'any' | 'loopback' | ReadonlySet<string>;

const LOOPBACK_NAME = /^(localhost|[^.]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** The policy for `allowHosts` (`'*'` for any); `restrict` is false when origins are listed. */
export function hostPolicy(
  allowHosts: readonly string[] | '*' | undefined,
  restrict: boolean,
): HostPolicy {
  if (allowHosts === '*') return 'any';
  if (allowHosts === undefined) return restrict ? 'loopback' : 'any';
  if (!Array.isArray(allowHosts))
    throw new TypeError("allowHosts must be an array of host names or '*'");
  const names = new Set<string>();
  for (const name of allowHosts) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(name))
      throw new TypeError(
        `Not a host name: ${JSON.stringify(name)} (expected e.g. shop.example.com)`,
      );
    names.add(name.toLowerCase());
  }
  return names;
}

/** Whether a request for `host` (a `Host` header value, port allowed) is served. */
export function hostAllowed(host: string, policy: HostPolicy): boolean {
  if (policy === 'any') return true;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  if (LOOPBACK_NAME.test(name)) return true;
  return policy !== 'loopback' && policy.has(name);
}
