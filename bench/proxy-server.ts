/**
 * Child process of the proxy benchmark (bench/proxy.ts), so the servers do
 * not share an event loop with the load generator and the proxy's memory is
 * its own. Started with fork(): `upstream` runs the emulator at /v1 (and a
 * sink at /sink that reads a run body and answers like FASHN, for the 8 MB
 * test, so no image work happens upstream); `proxy <upstream origin>` runs
 * the reference proxy in front of it (/api/fashn → /v1, /sink → /sink).
 * Tells the parent `{ port }` when listening; `reset` starts sampling RSS and
 * arrayBuffers every 1 ms, `peak` stops it and answers the highest seen.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFashnEmulator } from '../src/emulator/index.js';
import { createFashnProxy } from '../src/proxy/index.js';
import { toNodeHandler } from '../src/proxy/node.js';

const [role, upstreamOrigin] = process.argv.slice(2);
const send = (message: unknown) => process.send?.(message);

let peakRss = 0;
let peakArrayBuffers = 0;
const sample = () => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakArrayBuffers = Math.max(peakArrayBuffers, usage.arrayBuffers);
};
// Sampled only between `reset` and `peak`, so the latency runs pay nothing for it.
let sampler: ReturnType<typeof setInterval> | undefined;

process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    globalThis.gc?.();
    const usage = process.memoryUsage();
    peakRss = usage.rss;
    peakArrayBuffers = usage.arrayBuffers;
    clearInterval(sampler);
    sampler = setInterval(sample, 1);
    send({ type: 'reset', rss: usage.rss, arrayBuffers: usage.arrayBuffers });
  } else if (message.type === 'peak') {
    sample();
    clearInterval(sampler);
    sampler = undefined;
    send({ type: 'peak', rss: peakRss, arrayBuffers: peakArrayBuffers });
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

let handler: (request: Request) => Promise<Response>;
if (role === 'upstream') {
  // Predictions stay pending for the whole run (FASHN's durations × 100).
  const emulator = createFashnEmulator({ speed: 100 });
  handler = (request) =>
    new URL(request.url).pathname.startsWith('/sink/')
      ? sinkHandler(request)
      : emulator.handle(request);
} else if (role === 'proxy' && upstreamOrigin) {
  const options = { apiKey: 'bench-not-a-real-key', rateLimit: false as const };
  const toEmulator = createFashnProxy({ ...options, upstream: `${upstreamOrigin}/v1` });
  const toSink = createFashnProxy({ ...options, upstream: `${upstreamOrigin}/sink` });
  handler = (request) =>
    new URL(request.url).pathname.startsWith('/sink/') ? toSink(request) : toEmulator(request);
} else {
  throw new Error('usage: proxy-server.ts upstream | proxy <upstream origin>');
}

const server = createServer(toNodeHandler(handler));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
