/**
 * One proxy instance as its own process, for the multi-instance tests: the
 * Node handler on a free port at `/api/fashn`, sharing a Redis store, in
 * webhook mode with its own public URL. Prints `READY <url>` once it listens
 * and hears the other instances; closes cleanly on SIGTERM.
 *
 * Env: UPSTREAM (FASHN's /v1 base), REDIS_URL, API_KEY, RATE_CAPACITY.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFashnProxyNodeHandler, createRedisStore } from '../../src/proxy/node.js';

const env = process.env;
const store = await createRedisStore({ url: env.REDIS_URL!, prefix: env.REDIS_PREFIX });
const handlers: Array<ReturnType<typeof createFashnProxyNodeHandler>> = [];
const server = createServer((req, res) => void handlers[0]?.(req, res));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/fashn`;
const handler = createFashnProxyNodeHandler({
  apiKey: env.API_KEY!,
  upstream: env.UPSTREAM!,
  store,
  publicUrl: url,
  // The test speaks for one shopper through X-Forwarded-For, as a load balancer would.
  trustProxy: true,
  rateLimit: { capacity: Number(env.RATE_CAPACITY ?? 60), refillPerSecond: 0.001 },
});
handlers.push(handler);
await handler.ready;
process.stdout.write(`READY ${url}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await handler.close();
    server.closeAllConnections();
    server.close();
    await store.close();
    process.exit(0);
  })();
});
