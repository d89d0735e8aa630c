// Deno: `deno run --allow-net --allow-env main.ts` (Deno Deploy: the same file).
import { createFashnProxy } from 'fashn-try-on/proxy';

const proxy = createFashnProxy({
  apiKey: Deno.env.get('FASHN_API_KEY')!,
  upstream: Deno.env.get('FASHN_API_BASE'),
  // Your shop's host names (loopback names such as localhost are always served).
  allowHosts: ['shop.example.com'],
});

Deno.serve({ port: Number(Deno.env.get('PORT') ?? 8787) }, (request) => proxy(request));
