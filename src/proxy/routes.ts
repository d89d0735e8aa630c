/**
 * Which proxy endpoint a request is for, judged by the end of its path so the
 * proxy can be mounted under any prefix (`/api/fashn/run`, `/run`, ...).
 */

export type RouteKind = 'run' | 'status' | 'cancel';

export type Route =
  | { kind: 'run' }
  | { kind: 'status' | 'cancel'; id: string }
  | { kind: 'invalid-id'; endpoint: 'status' | 'cancel' };

/**
 * Prediction ids as FASHN issues them (`123a87r9-4129-...-u1`): letters, digits,
 * `-` and `_`. Anything else (`..`, `/`, `%2F`, `?`) could steer the upstream URL
 * to another endpoint, so it is refused before any request is made.
 */
export const PREDICTION_ID = /^[A-Za-z0-9_-]{1,128}$/;

const ID_ROUTE = /\/(status|cancel)\/([^/]*)\/?$/;
const RUN_ROUTE = /\/run\/?$/;

/** The methods each endpoint accepts from clients. */
const METHODS: Record<RouteKind, readonly string[]> = {
  // GET with an Idempotency-Key asks what became of that run; it never sends one.
  run: ['POST', 'GET'],
  status: ['GET'],
  // The element POSTs; FASHN's own page documents GET, which callers may copy.
  cancel: ['POST', 'GET'],
};

/** The endpoint a path names, whatever the method; `undefined` for none. */
export function matchPath(pathname: string): Route | undefined {
  const idMatch = ID_ROUTE.exec(pathname);
  if (idMatch) {
    const endpoint = idMatch[1] as 'status' | 'cancel';
    const id = idMatch[2] ?? '';
    return PREDICTION_ID.test(id) ? { kind: endpoint, id } : { kind: 'invalid-id', endpoint };
  }
  if (RUN_ROUTE.test(pathname)) return { kind: 'run' };
  return undefined;
}

/** Whether `method` is served on the endpoint `route` names. */
export function acceptsMethod(route: Route, method: string): boolean {
  const kind = route.kind === 'invalid-id' ? route.endpoint : route.kind;
  return METHODS[kind].includes(method);
}
