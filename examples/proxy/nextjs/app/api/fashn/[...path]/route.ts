// Next.js (App Router): every method of /api/fashn/* goes to the proxy.
import { createFashnProxy, type FashnProxyHandler } from 'fashn-try-on/proxy';

// Created on the first request, so `next build` does not need the key.
let proxy: FashnProxyHandler | undefined;
function fashn(request: Request): Promise<Response> {
  proxy ??= createFashnProxy({
    apiKey: process.env.FASHN_API_KEY ?? '',
    upstream: process.env.FASHN_API_BASE,
    // Your shop's host names (loopback names such as localhost are always served).
    allowHosts: ['shop.example.com'],
  });
  return proxy(request);
}

// Long-polls hold a request for up to 25 s: never cached, on the Node.js runtime.
export const dynamic = 'force-dynamic';
export { fashn as GET, fashn as POST, fashn as OPTIONS };
