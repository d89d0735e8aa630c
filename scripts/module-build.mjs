// The script-tag ES build (dist/fashn-try-on.js and dist/chunks/), in memory, shared by
// scripts/build.mjs and the bundle benchmark:
//  - esbuild turns each TypeScript module into minified JS (Lit's templates minified
//    first, scripts/minify-lit-templates.mjs);
//  - Rollup bundles and splits. Unlike esbuild's splitter, it puts a module that a lazy
//    chunk shares with the chunk that imports it into that importer: the flow's chunk
//    holds the errors and the JPEG encoder the file pipeline also uses, instead of a
//    third chunk that costs a request (or a preload) and its own gzip (about 0.5 KB);
//  - terser minifies each chunk again (scripts/terser-pass.mjs), source maps chained
//    from src/ through every step.
// A lazy chunk never waits for another round trip: `waterfalls` names any chunk that a
// dynamic import would fetch only after its target arrived, and the build refuses it.
import { isAbsolute, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { transform } from 'esbuild';
import { LIT_SOURCES, minifyLitTemplatesMapped } from './minify-lit-templates.mjs';
import { terserPass } from './terser-pass.mjs';

const encoder = new TextEncoder();

/**
 * Rollup plugin: the element's Lit templates minified (scripts/minify-lit-templates.mjs),
 * with the map of that step, which Rollup chains to the next.
 */
function litTemplates() {
  return {
    name: 'lit-templates',
    transform: (code, id) => (LIT_SOURCES.test(id) ? minifyLitTemplatesMapped(code, id) : null),
  };
}

/** Rollup plugin: TypeScript through esbuild, `./x.js` imports found as `./x.ts`. */
function typescript() {
  return {
    name: 'typescript',
    async resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const ts = await this.resolve(source.replace(/\.js$/, '.ts'), importer, { skipSelf: true });
      return ts ?? null;
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = await transform(code, {
        loader: 'ts',
        sourcefile: id,
        sourcemap: 'external',
        target: 'es2022',
        minify: true,
        // Module scripts are always UTF-8: text stays as written (the Arabic pack is a third
        // of its \u-escaped size).
        charset: 'utf8',
        legalComments: 'none',
        tsconfigRaw: {
          compilerOptions: { useDefineForClassFields: false, experimentalDecorators: true },
        },
      });
      return { code: out.code, map: out.map };
    },
  };
}

/**
 * Builds `input` (name → source, relative to `root`) as ES modules into `outdir`, in
 * memory, `external` left out. Returns the files (absolute paths; `.js` and `.js.map`) and
 * `outputs`, each `.js` (relative to `root`) with its `imports` (`import-statement` or
 * `dynamic-import`), its `entryPoint` when it is one (a source path) and its `inputs`.
 * @param {{ root: string, input: Record<string, string>, outdir?: string, external?: string[] }} options
 */
export async function buildModuleScript({ root, input, outdir = 'dist', external = [] }) {
  const isExternal = (id) =>
    !id.startsWith('.') &&
    !isAbsolute(id) &&
    external.some((name) => (name.endsWith('/*') ? id.startsWith(name.slice(0, -1)) : id === name));
  /** Each module imported dynamically, with the modules that import it so. */
  const lazy = new Map();
  const bundle = await rollup({
    input: Object.fromEntries(
      Object.entries(input).map(([name, file]) => [name, join(root, file)]),
    ),
    external: isExternal,
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['production'], rootDir: root }),
      litTemplates(),
      typescript(),
      {
        name: 'lazy-entries',
        moduleParsed(info) {
          for (const id of info.dynamicallyImportedIds)
            lazy.set(id, [...(lazy.get(id) ?? []), info.id]);
        },
      },
    ],
    onwarn(warning, warn) {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
    },
  });
  const dir = join(root, outdir);
  const { output } = await bundle.generate({
    dir,
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    // The entry's code (src/script.ts) is the element's shell: its chunk is named so.
    chunkFileNames: (chunk) => `chunks/${chunk.name === 'script' ? 'shell' : '[name]'}-[hash].js`,
  });
  await bundle.close();

  /**
   * The module a lazy chunk is loaded for, when the chunk also holds modules for the
   * chunks it loads (then it has no facade of its own): the one imported dynamically
   * from another chunk.
   */
  const lazyEntryOf = (chunk) => {
    const entries = chunk.moduleIds.filter((id) =>
      lazy.get(id)?.some((importer) => !chunk.moduleIds.includes(importer)),
    );
    if (entries.length !== 1)
      throw new Error(`${chunk.fileName}: ${entries.length} lazy entries (${entries.join(', ')})`);
    return entries[0];
  };
  const source = (id) => relative(root, id).split('\\').join('/');
  const out = (fileName) => `${outdir}/${fileName}`;
  const outputs = {};
  const files = [];
  // External modules (`external`) stay out: they are the page's to load.
  const built = new Set(output.map((file) => file.fileName));
  for (const chunk of output) {
    if (chunk.type !== 'chunk') continue;
    const path = join(dir, chunk.fileName);
    files.push({ path, contents: encoder.encode(chunk.code) });
    if (chunk.map)
      files.push({ path: `${path}.map`, contents: encoder.encode(chunk.map.toString()) });
    const entryPoint =
      chunk.facadeModuleId ?? (chunk.isDynamicEntry ? lazyEntryOf(chunk) : undefined);
    outputs[out(chunk.fileName)] = {
      imports: [
        ...chunk.imports
          .filter((file) => built.has(file))
          .map((file) => ({ path: out(file), kind: 'import-statement' })),
        ...[...new Set(chunk.dynamicImports)]
          .filter((file) => built.has(file))
          .map((file) => ({ path: out(file), kind: 'dynamic-import' })),
      ],
      ...(entryPoint ? { entryPoint: source(entryPoint) } : {}),
      inputs: Object.fromEntries(chunk.moduleIds.map((id) => [source(id.replace(/^\0/, '')), {}])),
    };
  }
  const late = waterfalls(outputs);
  if (late.length)
    throw new Error(
      `A lazy chunk would wait a round trip for another: ${late.map(({ target, waits }) => `${target} → ${waits.join(', ')}`).join('; ')}`,
    );
  return { files: await terserPass(files, { module: true }), outputs };
}

/**
 * Each dynamic import whose target imports, statically, a chunk the importer has not
 * loaded: the browser would fetch that chunk only after the target arrived.
 * @param {Record<string, { imports: { path: string, kind: string }[] }>} outputs
 * @returns {{ importer: string, target: string, waits: string[] }[]}
 */
export function waterfalls(outputs) {
  const loaded = (path, seen = new Set()) => {
    seen.add(path);
    for (const { path: next, kind } of outputs[path]?.imports ?? [])
      if (kind === 'import-statement' && !seen.has(next)) loaded(next, seen);
    return seen;
  };
  const found = [];
  for (const [importer, { imports }] of Object.entries(outputs)) {
    const present = loaded(importer);
    for (const { path: target, kind } of imports) {
      if (kind !== 'dynamic-import') continue;
      const waits = [...loaded(target)].filter((path) => path !== target && !present.has(path));
      if (waits.length) found.push({ importer, target, waits });
    }
  }
  return found;
}

/** The photo check loads when a photo reaches review: reported on its own, beside the whole. */
const REVIEW_CHECK = 'src/element/photo-check.ts';
/** The file pipeline (validation, header, EXIF, decoding) loads when a shopper chooses a file. */
const FILE_PIPELINE = ['src/capture/normalize.ts'];

/**
 * What a shopper downloads, each file gzipped on its own (-9) as it travels, from a
 * `buildModuleScript` result whose entry is `entry` (a path in `outputs`):
 *  - `whole`: the entry, every chunk it loads, and the largest language pack (with any
 *    chunk only it needs): a page loads exactly one, English included;
 *  - `camera`: the whole without the file pipeline (a shopper who takes a selfie);
 *  - `eager`: the entry, what it imports statically, and the largest pack (before intent);
 *  - `afterIntent`, `filePipeline`: what intent, and choosing a file, add;
 *  - `review`: the photo check's chunk, loaded at review, counted apart from the whole.
 * Each is `{ files, min, gzip }` (files relative to `outdir`).
 * @param {{ path: string, contents: Uint8Array }[]} files
 * @param {Record<string, { imports: { path: string, kind: string }[], entryPoint?: string }>} outputs
 * @param {{ root: string, entry: string, outdir?: string }} where
 */
export function measure(files, outputs, { root, entry, outdir = 'dist' }) {
  const bytes = new Map(
    files.map((file) => [relative(root, file.path).split('\\').join('/'), file.contents]),
  );
  const name = (path) => path.slice(outdir.length + 1);
  const sizeOf = (path) => {
    const contents = bytes.get(path);
    return {
      file: name(path),
      min: contents.length,
      gzip: gzipSync(contents, { level: 9 }).length,
    };
  };
  const total = (paths) => {
    const sizes = paths.map(sizeOf);
    return {
      files: sizes.map((size) => size.file),
      min: sizes.reduce((sum, size) => sum + size.min, 0),
      gzip: sizes.reduce((sum, size) => sum + size.gzip, 0),
    };
  };
  const entryOf = (path) => outputs[path]?.entryPoint ?? '';
  const isLanguage = (path) => /^src\/i18n\/(?!index\.)/.test(entryOf(path));
  const isReviewCheck = (path) => entryOf(path) === REVIEW_CHECK;
  const isFilePipeline = (path) => FILE_PIPELINE.includes(entryOf(path));
  /** `path` and every chunk it loads, statically or not, but languages, the review and `skip`. */
  const loadedBy = (path, skip = () => false, seen = new Set()) => {
    seen.add(path);
    for (const { path: next } of outputs[path].imports)
      if (
        !seen.has(next) &&
        outputs[next] &&
        !isLanguage(next) &&
        !isReviewCheck(next) &&
        !skip(next)
      )
        loadedBy(next, skip, seen);
    return seen;
  };
  /** `path` and the chunks it imports statically: what loads with it. */
  const staticallyLoadedBy = (path, seen = new Set()) => {
    seen.add(path);
    for (const { path: next, kind } of outputs[path].imports)
      if (kind === 'import-statement' && !seen.has(next)) staticallyLoadedBy(next, seen);
    return seen;
  };
  const flow = [...loadedBy(entry)];
  const scripts = Object.keys(outputs).filter((path) => path.endsWith('.js'));
  const heaviest =
    scripts
      .filter(isLanguage)
      .map((path) => [...loadedBy(path)].filter((file) => !flow.includes(file)))
      .map((paths) => ({ paths, gzip: total(paths).gzip }))
      .sort((a, b) => b.gzip - a.gzip)[0]?.paths ?? [];
  const wholePaths = [...flow, ...heaviest];
  const cameraPaths = [...loadedBy(entry, isFilePipeline), ...heaviest];
  const eagerPaths = [...staticallyLoadedBy(entry), ...heaviest];
  const reviewPaths = scripts.filter(isReviewCheck);
  return {
    entry: sizeOf(entry),
    chunks: scripts
      .filter((path) => path !== entry)
      .map((path) => ({
        ...sizeOf(path),
        language: isLanguage(path),
        reviewCheck: isReviewCheck(path),
      })),
    eager: total(eagerPaths),
    afterIntent: total(cameraPaths.filter((path) => !eagerPaths.includes(path))),
    camera: total(cameraPaths),
    filePipeline: total(wholePaths.filter((path) => !cameraPaths.includes(path))),
    whole: total(wholePaths),
    review: total(reviewPaths),
    wholeWithReview: total([...wholePaths, ...reviewPaths]),
  };
}
