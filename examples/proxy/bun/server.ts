// Bun: `bun run server.ts`.
import { createFashnProxy } from 'fashn-try-on/proxy';

const proxy = createFashnProxy({
  apiKey: process.env.FASHN_API_KEY!,
  upstream: process.env.FASHN_API_BASE,
  // Your shop's host names (loopback names such as localhost are always served).
  allowHosts: ['shop.example.com'],
});

const server = Bun.serve({ port: Number(process.env.PORT ?? 8787), fetch: proxy });
console.log(`listening on ${server.url}`);
