// web-test-runner server side: mounts the reference proxy at /api/fashn with
// the FASHN emulator behind it (and the emulator's controls at /emulator), so
// browser tests send real requests over the wire.
import { createDevApi } from '../../scripts/dev-api.ts';
import { createMemoryStore } from '../../src/proxy/index.ts';
import { OUT_OF_CREDITS_KEY } from '../../src/proxy/credits.ts';

export function testServerMiddleware(port) {
  const store = createMemoryStore();
  const api = createDevApi({
    publicOrigin: () => `http://localhost:${port}`,
    emulator: { speed: 0.02, jitter: 0 },
    // Tests run many flows back to back from one client.
    // The proxy's store is kept here so resetting the emulator also forgets an
    // OutOfCredits answer (the proxy's /credits says unavailable for 10 minutes).
    proxy: { rateLimit: false, store },
  });
  const heldCredits = { open: 0, gate: undefined, release: undefined };
  const holdCredits = () => {
    heldCredits.gate = new Promise((resolve) => {
      heldCredits.release = () => {
        resolve();
        holdCredits();
      };
    });
  };
  holdCredits();
  return async (ctx, next) => {
    if (ctx.path === '/emulator/__control/reset') await store.delete(OUT_OF_CREDITS_KEY);
    // A shop-written proxy whose optional credits endpoint says try-on is
    // unavailable: the element's check read over a real wire.
    if (/^\/shop-proxy\/out-of-credits[\w-]*\/credits$/.test(ctx.path)) {
      ctx.set('cache-control', 'no-store');
      ctx.body = { available: false };
      return undefined;
    }
    // A shop's proxy whose credits endpoint holds its answer (`{}`, which says nothing)
    // until a test releases it; `__held` counts the credits requests open now (held,
    // neither answered nor given up by the browser). Everything else is the reference
    // proxy's.
    if (ctx.path.startsWith('/shop-proxy/slow-credits/')) {
      if (ctx.path.endsWith('/__held')) {
        ctx.body = { open: heldCredits.open };
        return undefined;
      }
      if (ctx.path.endsWith('/__release')) {
        heldCredits.release();
        ctx.body = {};
        return undefined;
      }
      if (ctx.path.endsWith('/credits')) {
        heldCredits.open += 1;
        const closed = new Promise((resolve) => ctx.res.once('close', resolve));
        await Promise.race([heldCredits.gate, closed]);
        heldCredits.open -= 1;
        ctx.set('cache-control', 'no-store');
        ctx.body = {};
        return undefined;
      }
      ctx.req.url = ctx.req.url.replace('/shop-proxy/slow-credits/', '/api/fashn/');
    }
    // The reference proxy under another URL: a test whose page must learn something
    // about its proxy (credits ran out) keeps it from the tests after it.
    ctx.req.url = ctx.req.url.replace(/^\/shop-proxy\/same-[\w-]+\//, '/api/fashn/');
    return new Promise((resolve, reject) => {
      // Koa: let the Node middleware answer, or fall through to the next one.
      ctx.respond = false;
      api.middleware(ctx.req, ctx.res, () => {
        ctx.respond = true;
        next().then(resolve, reject);
      });
      ctx.res.once('finish', resolve);
      ctx.res.once('close', resolve);
    });
  };
}
