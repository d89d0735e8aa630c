/**
 * `npm start`: the demo (demo/) on Vite's dev server with the reference proxy
 * mounted at /api/fashn. Without FASHN_API_KEY the FASHN emulator answers
 * (offline, FASHN's real timings unless FASHN_EMULATOR_SPEED says otherwise);
 * with it, the proxy forwards to the real API (FASHN_API_BASE or FASHN's).
 */
import { defineConfig, type Plugin } from 'vite';
import type { AddressInfo } from 'node:net';
import { createDevApi } from './scripts/dev-api.js';

/** FASHN_EMULATOR_SPEED: a factor on FASHN's timings (0.2 = five times faster); unset = 1. */
function emulatorSpeed(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed < 0)
    throw new Error(`FASHN_EMULATOR_SPEED must be a number >= 0 (got "${value}")`);
  return speed;
}

function fashnApi(): Plugin {
  return {
    name: 'fashn-try-on-api',
    configureServer(server) {
      const apiKey = process.env.FASHN_API_KEY || undefined;
      let origin = 'http://localhost:5173';
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address() as AddressInfo | null;
        if (address) origin = `http://localhost:${address.port}`;
      });
      const api = createDevApi({
        apiKey,
        upstream: process.env.FASHN_API_BASE || undefined,
        emulator: { speed: emulatorSpeed(process.env.FASHN_EMULATOR_SPEED) },
        publicOrigin: () => origin,
        proxy: { log: (line) => server.config.logger.info(line, { timestamp: true }) },
      });
      server.config.logger.info(
        api.mode === 'emulator'
          ? '  FASHN: the built-in emulator answers at /api/fashn (set FASHN_API_KEY for the real API)'
          : '  FASHN: the real API answers at /api/fashn (FASHN_API_KEY is set)',
      );
      // Tell the demo page who answers, without ever exposing the key.
      server.middlewares.use('/__fashn-mode', (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ mode: api.mode }));
      });
      server.middlewares.use((req, res, next) => api.middleware(req, res, next));
    },
  };
}

export default defineConfig({
  root: 'demo',
  publicDir: 'public',
  plugins: [fashnApi()],
  // Only the demo pages: the examples under demo/examples import the built package.
  optimizeDeps: { entries: ['*.html'] },
  server: { host: 'localhost', port: 5173 },
  preview: { port: 4173 },
});
