// Cloudflare Workers (workerd): the proxy is the Worker's fetch handler.
// Secrets: `wrangler secret put FASHN_API_KEY`. Config: ./config.capnp (workerd) or wrangler.
import { createFashnProxy, type FashnProxyHandler } from 'fashn-try-on/proxy';

interface Env {
  FASHN_API_KEY: string;
  /** Optional: FASHN's API base (tests point it at the emulator). */
  FASHN_API_BASE?: string;
}

let proxy: FashnProxyHandler | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    proxy ??= createFashnProxy({
      apiKey: env.FASHN_API_KEY,
      upstream: env.FASHN_API_BASE,
      // Your shop's host names (loopback names such as localhost are always served).
      allowHosts: ['shop.example.com'],
      // Cloudflare sets this header itself; a client cannot choose its bucket.
      clientKey: (req) => req.headers.get('cf-connecting-ip') ?? 'anonymous',
    });
    return proxy(request);
  },
};
