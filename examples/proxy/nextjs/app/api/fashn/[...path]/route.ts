// Next.js (App Router): every method of /api/fashn/* goes to the proxy.
import { createFashnProxy } from 'fashn-try-on/proxy';

const proxy = createFashnProxy({
  apiKey: process.env.FASHN_API_KEY!,
  upstream: process.env.FASHN_API_BASE,
});

// Long-polls hold a request for up to 25 s: keep this on the Node.js runtime, never cached.
export const dynamic = 'force-dynamic';
export const GET = (request: Request) => proxy(request);
export const POST = (request: Request) => proxy(request);
export const OPTIONS = (request: Request) => proxy(request);
