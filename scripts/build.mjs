// `npm run build`: everything `dist/` holds, then the size budget.
//  - fashn-try-on.js       self-contained ES module for <script type="module"> (lit, zod/mini, idb-keyval inside)
//  - fashn-try-on.iife.js  the same as a classic script
//  - index.js, element.js, proxy.js, proxy-node.js, proxy-cli.js, emulator.js: npm entry points
//    (dependencies left to the package manager)
//  - types/                declarations; custom-elements.json from the element's JSDoc
import { build } from 'vite';
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

// 1 + 2: the script-tag builds, everything bundled.
for (const format of ['es', 'iife']) {
  await build({
    ...quiet,
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      minify: true,
      target: 'es2022',
      lib: {
        entry: 'src/index.ts',
        formats: [format],
        name: 'FashnTryOn',
        fileName: () => (format === 'es' ? 'fashn-try-on.js' : 'fashn-try-on.iife.js'),
      },
    },
  });
}

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
      output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});

// 4: declarations.
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

// 5: custom-elements.json from the JSDoc.
execFileSync(
  'npx',
  ['custom-elements-manifest', 'analyze', '--litelement', '--globs', 'src/element/fashn-try-on.ts', '--outdir', 'dist'],
  { stdio: 'inherit' },
);
if (!existsSync(new URL('custom-elements.json', dist))) throw new Error('custom-elements.json was not written');

// 6: the size budget.
const sizes = ['fashn-try-on.js', 'fashn-try-on.iife.js'].map((file) => {
  const bytes = readFileSync(new URL(file, dist));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
for (const { file, raw, gzip } of sizes) {
  console.log(`${file}: ${(raw / 1024).toFixed(1)} KB min, ${(gzip / 1024).toFixed(2)} KB min+gzip`);
}
writeFileSync(new URL('size.json', dist), JSON.stringify(sizes, null, 2));
const main = sizes[0];
if (main.gzip > BUDGET_BYTES) {
  console.error(
    `Size budget exceeded: dist/fashn-try-on.js is ${main.gzip} bytes min+gzip, the budget is ${BUDGET_BYTES}.`,
  );
  process.exit(1);
}
console.log(`Size budget: ${main.gzip} of ${BUDGET_BYTES} bytes (${Math.round((main.gzip / BUDGET_BYTES) * 100)}%).`);
