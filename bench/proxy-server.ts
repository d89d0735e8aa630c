/**
 * Child process of the proxy benchmark (bench/proxy.ts), so the servers do
 * not share an event loop with the load generator and the proxy's memory is
 * its own. Started with fork(): `upstream` runs the emulator at /v1 (and a
 * sink at /sink that reads a run body and answers like FASHN, for the 8 MB
 * test, so no image work happens upstream); `proxy <upstream origin>` runs
 * the reference proxy in front of it (/api/fashn → /v1, /sink → /sink), as a
 * Node server runs it: `createFashnProxyNodeHandler` (Node fast path, keep-alive
 * `http.request` to the upstream).
 * Tells the parent `{ port }` when listening; `reset` collects garbage and starts
 * sampling RSS, heap + external and arrayBuffers every 1 ms, `peak` stops it
 * and answers the highest seen. Heap + external counts every copy allocated
 * since the reset until a major GC frees it, so it is far steadier than RSS.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFashnEmulator } from '../src/emulator/index.js';
import { createFashnProxyNodeHandler, toNodeHandler, type NodeHandler } from '../src/proxy/node.js';

const [role, upstreamOrigin] = process.argv.slice(2);
const send = (message: unknown) => process.send?.(message);

interface Memory {
  rss: number;
  heapAndExternal: number;
  arrayBuffers: number;
}
const measure = (): Memory => {
  const usage = process.memoryUsage();
  return {
    rss: usage.rss,
    heapAndExternal: usage.heapUsed + usage.external,
    arrayBuffers: usage.arrayBuffers,
  };
};
let peak: Memory = measure();
const sample = () => {
  const now = measure();
  peak = {
    rss: Math.max(peak.rss, now.rss),
    heapAndExternal: Math.max(peak.heapAndExternal, now.heapAndExternal),
    arrayBuffers: Math.max(peak.arrayBuffers, now.arrayBuffers),
  };
};
// Sampled only between `reset` and `peak`, so the latency runs pay nothing for it.
let sampler: ReturnType<typeof setInterval> | undefined;

process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    globalThis.gc?.();
    const base = measure();
    peak = base;
    clearInterval(sampler);
    sampler = setInterval(sample, 1);
    send({ type: 'reset', ...base });
  } else if (message.type === 'peak') {
    sample();
    clearInterval(sampler);
    sampler = undefined;
    send({ type: 'peak', ...peak });
  }
});

function sinkHandler(request: Request): Promise<Response> {
  return request.arrayBuffer().then(
    (body) =>
      new Response(JSON.stringify({ id: `sink-${body.byteLength}`, error: null }), {
        headers: { 'content-type': 'application/json' },
      }),
  );
}

let handler: NodeHandler;
if (role === 'upstream') {
  // Predictions stay pending for the whole run (FASHN's durations × 100).
  const emulator = createFashnEmulator({ speed: 100 });
  handler = toNodeHandler((request) =>
    new URL(request.url).pathname.startsWith('/sink/')
      ? sinkHandler(request)
      : emulator.handle(request),
  );
} else if (role === 'proxy' && upstreamOrigin) {
  const options = { apiKey: 'bench-not-a-real-key', rateLimit: false as const };
  const toEmulator = createFashnProxyNodeHandler({ ...options, upstream: `${upstreamOrigin}/v1` });
  const toSink = createFashnProxyNodeHandler({ ...options, upstream: `${upstreamOrigin}/sink` });
  handler = (req, res) => (req.url?.startsWith('/sink/') ? toSink(req, res) : toEmulator(req, res));
} else {
  throw new Error('usage: proxy-server.ts upstream | proxy <upstream origin>');
}

const server = createServer((req, res) => void handler(req, res));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
