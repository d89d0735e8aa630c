// Express on Node: the Node fast path as middleware, mounted before any body parser.
import express from 'express';
import { createFashnProxyNodeHandler } from 'fashn-try-on/proxy/node';

const app = express();
app.use(
  '/api/fashn',
  createFashnProxyNodeHandler({
    apiKey: process.env.FASHN_API_KEY!,
    upstream: process.env.FASHN_API_BASE,
    // Your shop's host names (loopback names such as localhost are always served).
    allowHosts: ['shop.example.com'],
    basePath: '/api/fashn',
  }),
);
// ...your other routes, express.json() after the proxy...

const server = app.listen(Number(process.env.PORT ?? 8787), () => {
  console.log(`listening on http://localhost:${(server.address() as { port: number }).port}`);
});
