// `npm run build`: everything `dist/` holds, then the size budget.
//  - fashn-try-on.js       self-contained ES module for <script type="module"> (lit and idb-keyval
//                          inside); each language but English is a chunk in chunks/, loaded
//                          relative to it when a page speaks that language
//  - fashn-try-on.iife.js  the same as one classic script (languages inlined)
//  - index.js, element.js, proxy.js, proxy-node.js, proxy-cli.js, emulator.js: npm entry points
//    (dependencies left to the package manager), sharing modules in shared/
//  - types/                declarations; custom-elements.json from the element's JSDoc
//  - size.json             the figures of the budget check below, for the benchmark
import { build } from 'vite';
import { build as esbuild } from 'esbuild';
import { minifyLitTemplatesPlugin } from './minify-lit-templates.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { builtinModules } from 'node:module';

export const BUDGET_BYTES = 30 * 1024;
const root = new URL('..', import.meta.url);
const dist = new URL('dist/', root);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const quiet = { logLevel: 'warn', configFile: false, root: new URL('.', root).pathname };

// 1 + 2: the script-tag builds, everything bundled. esbuild minifies this
// bundle about 7% smaller than Vite 8's default minifier (see BENCHMARKS.md).
const scriptBuild = {
  bundle: true,
  minify: true,
  sourcemap: true,
  target: 'es2022',
  conditions: ['production'],
  tsconfig: 'tsconfig.json',
  legalComments: 'none',
  plugins: [minifyLitTemplatesPlugin],
  logLevel: 'warning',
};
const esm = await esbuild({
  ...scriptBuild,
  entryPoints: { 'fashn-try-on': 'src/index.ts' },
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
});
// Without splitting, esbuild inlines the language packs' dynamic imports.
await esbuild({
  ...scriptBuild,
  entryPoints: ['src/index.ts'],
  outfile: 'dist/fashn-try-on.iife.js',
  format: 'iife',
  globalName: 'FashnTryOn',
});

// 3: npm entry points, dependencies external.
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
];
await build({
  ...quiet,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: {
        index: 'src/index.ts',
        element: 'src/element/index.ts',
        proxy: 'src/proxy/index.ts',
        'proxy-node': 'src/proxy/node.ts',
        'proxy-cli': 'src/proxy/cli.ts',
        emulator: 'src/emulator/index.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
      output: { entryFileNames: '[name].js', chunkFileNames: 'shared/[name]-[hash].js' },
    },
  },
});

// 4: declarations.
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

// 5: custom-elements.json from the JSDoc.
execFileSync(
  'npx',
  [
    'custom-elements-manifest',
    'analyze',
    '--litelement',
    '--globs',
    'src/element/fashn-try-on.ts',
    '--outdir',
    'dist',
  ],
  { stdio: 'inherit' },
);
if (!existsSync(new URL('custom-elements.json', dist)))
  throw new Error('custom-elements.json was not written');

// 6: the size budget: what a shopper downloads for a whole flow, each file
// gzipped on its own as it travels: the entry, every chunk it loads, and the
// largest of the language packs (a page loads at most one).
const sizeOf = (file) => {
  const bytes = readFileSync(new URL(file, dist));
  return { file, min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const outputs = esm.metafile.outputs;
const inDist = (path) => path.replace(/^dist\//, '');
const entryPath = 'dist/fashn-try-on.js';
const isLanguage = (path) => /^src\/i18n\/(?!index\.)/.test(outputs[path]?.entryPoint ?? '');
// The photo check loads when a photo reaches review, after the shopper chose to try on: it is
// reported on its own line, outside the budget of the first screen and the flow's own code.
const isReviewCheck = (path) => outputs[path]?.entryPoint === 'src/element/photo-check.ts';
/** `path` and every chunk it imports, statically or not, leaving language packs and the review check out. */
const loadedBy = (path, seen = new Set()) => {
  seen.add(path);
  for (const { path: next } of outputs[path].imports) {
    if (!seen.has(next) && outputs[next] && !isLanguage(next) && !isReviewCheck(next))
      loadedBy(next, seen);
  }
  return seen;
};
const flow = [...loadedBy(entryPath)];
const languages = Object.keys(outputs)
  .filter((path) => path.endsWith('.js') && isLanguage(path))
  .map((path) => ({ path, files: [...loadedBy(path)].filter((file) => !flow.includes(file)) }));
const gzipOf = (files) => files.reduce((sum, file) => sum + sizeOf(inDist(file)).gzip, 0);
const heaviest = languages.sort((a, b) => gzipOf(b.files) - gzipOf(a.files))[0];
const wholeFiles = [...flow, ...(heaviest?.files ?? [])].map(inDist);

const entry = sizeOf('fashn-try-on.js');
const chunks = Object.keys(outputs)
  .filter((path) => path.endsWith('.js') && path !== entryPath)
  .map((path) => ({
    ...sizeOf(inDist(path)),
    language: isLanguage(path),
    reviewCheck: isReviewCheck(path),
  }));
const whole = {
  files: wholeFiles,
  min: wholeFiles.reduce((sum, file) => sum + sizeOf(file).min, 0),
  gzip: wholeFiles.reduce((sum, file) => sum + sizeOf(file).gzip, 0),
};
const iife = sizeOf('fashn-try-on.iife.js');

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const line = ({ file, min, gzip }, note = '') =>
  console.log(
    `${file.padEnd(36)} ${kb(min).padStart(10)} min ${kb(gzip).padStart(9)} min+gzip${note}`,
  );
line(entry, '  (entry)');
for (const chunk of chunks)
  line(
    chunk,
    chunk.language ? '  (language pack)' : chunk.reviewCheck ? '  (photo check, at review)' : '',
  );
line({ file: 'whole flow', ...whole }, `  (${whole.files.join(' + ')})`);
line(iife, '  (classic script, not budgeted)');
writeFileSync(
  new URL('size.json', dist),
  `${JSON.stringify({ budget: BUDGET_BYTES, entry, chunks, whole, iife }, null, 2)}\n`,
);
if (whole.gzip > BUDGET_BYTES) {
  console.error(
    `Size budget exceeded: the whole flow is ${whole.gzip} bytes min+gzip, the budget is ${BUDGET_BYTES}.`,
  );
  process.exit(1);
}
console.log(
  `Size budget: ${whole.gzip} of ${BUDGET_BYTES} bytes (${Math.round((whole.gzip / BUDGET_BYTES) * 100)}%).`,
);
