/**
 * Child process of the proxy benchmark's store rows (bench/proxy.ts): one
 * reference proxy (Node fast path) in front of `<upstream origin>/v1`, with
 * the rate limit on, its store in memory or, given `<redis url>`, on Redis
 * (as each of several instances would run). Tells the parent `{ port }`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFashnProxyNodeHandler, createRedisStore } from '../src/proxy/node.js';

const [upstreamOrigin, redisUrl] = process.argv.slice(2);
if (!upstreamOrigin) throw new Error('usage: proxy-store-server.ts <upstream origin> [redis url]');

const store = redisUrl ? await createRedisStore({ url: redisUrl, prefix: 'bench:' }) : undefined;
const handler = createFashnProxyNodeHandler({
  apiKey: 'bench-not-a-real-key',
  upstream: `${upstreamOrigin}/v1`,
  // On, so every request asks the store; never refusing, so the figures are latency only.
  rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
  ...(store ? { store } : {}),
});
await handler.ready;
const server = createServer((req, res) => void handler(req, res));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
