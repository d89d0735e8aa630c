/**
 * The runtimes the proxy is tested on, from their npm packages, and the
 * runtime examples bundled for them. npm may skip install scripts (npm 11's
 * allowScripts), so binaries are looked for where the platform packages put
 * them, not only where a postinstall would link them.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const CANDIDATES: Record<'deno' | 'bun' | 'workerd', string[]> = {
  deno: ['node_modules/@deno/linux-x64-glibc/deno', 'node_modules/deno/deno'],
  bun: [
    'node_modules/@oven/bun-linux-x64/bin/bun',
    'node_modules/@oven/bun-linux-x64-baseline/bin/bun',
    'node_modules/bun/bin/bun.exe',
  ],
  workerd: [
    'node_modules/@cloudflare/workerd-linux-64/bin/workerd',
    'node_modules/workerd/bin/workerd',
  ],
};

/** Path of the runtime's binary, or `undefined` when its npm package brought none. */
export function runtimeBinary(name: keyof typeof CANDIDATES): string | undefined {
  for (const relative of CANDIDATES[name]) {
    const path = `${ROOT}${relative}`;
    try {
      accessSync(path, constants.X_OK);
      // A postinstall placeholder is a few KB; the real binaries are tens of MB.
      if (statSync(path).size > 1_000_000) return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/**
 * Bundles an example from examples/proxy/ as a shop would build it, with
 * `fashn-try-on/proxy` resolved to this repository's source. Other packages
 * stay external (resolved from the repository's node_modules).
 */
export async function bundleExample(
  entry: string,
  outfile: string,
  platform: 'neutral' | 'node' = 'neutral',
): Promise<string> {
  await build({
    entryPoints: [`${ROOT}examples/proxy/${entry}`],
    outfile: `${ROOT}${outfile}`,
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    logLevel: 'error',
    external: platform === 'node' ? ['express'] : [],
    alias: {
      'fashn-try-on/proxy/node': `${ROOT}src/proxy/node.ts`,
      'fashn-try-on/proxy': `${ROOT}src/proxy/index.ts`,
    },
    // The optional Redis peer is loaded only by createRedisStore, which no example uses.
    ...(platform === 'neutral' ? { external: ['redis'], mainFields: ['module', 'main'] } : {}),
  });
  return `${ROOT}${outfile}`;
}
