/**
 * Builds the examples in demo/examples/ against the built package (dist/, from
 * `npm run build`), each into demo/examples/<name>/dist/:
 *  - plain: the page, with the script-tag build (dist/fashn-try-on.js and the
 *    language chunks it loads), the shop's stylesheet and the garment image
 *    copied next to it
 *  - react, vue: Vite builds. `fashn-try-on` resolves as in a shop's project that
 *    installed the package: by its name, through package.json's `exports` (this
 *    repository is that package, so Vite resolves the name to dist/).
 *
 *   npm run build:examples [-- plain react vue]   (default: all)
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

export const EXAMPLES = ['plain', 'react', 'vue'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist/`;
const examples = `${root}demo/examples/`;
const garment = `${root}demo/public/garments/tee.png`;
/** The shop page's look, shared by the examples and their index (the demo's, made small). */
export const SHOP_CSS = `${examples}shop.css`;

/** Vite options per framework example (no framework plugin: Vite 8 compiles JSX itself). */
const FRAMEWORKS: Record<Exclude<ExampleName, 'plain'>, InlineConfig> = {
  react: {
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  },
  vue: {
    // The build of Vue that compiles the app's `template` string in the browser.
    resolve: { alias: { vue: 'vue/dist/vue.esm-bundler.js' } },
    define: {
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  },
};

function requireBuiltPackage(): void {
  for (const file of ['fashn-try-on.js', 'index.js']) {
    if (!existsSync(`${dist}${file}`))
      throw new Error(
        `dist/${file} is missing: run \`npm run build\` before building the examples`,
      );
  }
}

function buildPlain(): void {
  const out = `${examples}plain/dist/`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(`${examples}plain/index.html`, `${out}index.html`);
  cpSync(garment, `${out}tee.png`);
  cpSync(SHOP_CSS, `${out}shop.css`);
  for (const file of ['fashn-try-on.js', 'fashn-try-on.js.map'])
    cpSync(`${dist}${file}`, `${out}${file}`);
  // The language packs fashn-try-on.js loads (relative to itself) when a page speaks one.
  if (existsSync(`${dist}chunks`)) cpSync(`${dist}chunks`, `${out}chunks`, { recursive: true });
}

async function buildWithVite(name: Exclude<ExampleName, 'plain'>): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: `${examples}${name}`,
    // Relative asset URLs, so a build works under any path (/react/, /vue/, a CDN folder).
    base: './',
    logLevel: 'warn',
    publicDir: false,
    ...FRAMEWORKS[name],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 1024,
    },
  });
}

/** Builds the named examples (default all) from dist/; throws when dist/ is not built. */
export async function buildExamples(names: readonly string[] = EXAMPLES): Promise<void> {
  requireBuiltPackage();
  for (const name of names) {
    if (!isExampleName(name))
      throw new Error(`Unknown example "${name}" (known: ${EXAMPLES.join(', ')})`);
    if (name === 'plain') buildPlain();
    else await buildWithVite(name);
  }
}

function isExampleName(name: string): name is ExampleName {
  return (EXAMPLES as readonly string[]).includes(name);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2);
  await buildExamples(names.length ? names : EXAMPLES);
  console.log(
    `Examples built: ${(names.length ? names : EXAMPLES).map((n) => `demo/examples/${n}/dist/`).join(', ')}`,
  );
}
