// A second minification pass over esbuild's script-tag output (in memory, before
// it is written): terser's compressor folds what esbuild's single pass leaves
// (about 2.5 % of the flow's gzip; BENCHMARKS.md, "Bundle"). Source maps chain
// through it, so they still point at src/.
import { basename } from 'node:path';
import { minify } from 'terser';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Every `.js` of `outputFiles` (esbuild's `write: false` result) minified again,
 * its `.js.map` replaced by the chained map; other files as they were. `module`
 * for ES modules (top-level names are then private); a classic script keeps its
 * top level and its `\u` escapes (its page decides its charset).
 * @param {readonly { path: string, contents: Uint8Array }[]} outputFiles
 * @param {{ module: boolean }} options
 * @returns {Promise<{ path: string, contents: Uint8Array }[]>}
 */
export async function terserPass(outputFiles, { module }) {
  const byPath = new Map(outputFiles.map((file) => [file.path, file.contents]));
  const result = new Map(byPath);
  for (const [path, contents] of byPath) {
    if (!path.endsWith('.js')) continue;
    const map = byPath.get(`${path}.map`);
    const name = basename(path);
    const out = await minify(
      { [name]: decoder.decode(contents) },
      {
        ecma: 2020,
        module,
        compress: { passes: 2 },
        mangle: true,
        // Module scripts are UTF-8 (see scripts/build.mjs): text stays as written.
        format: { comments: false, ascii_only: !module },
        sourceMap: map ? { content: decoder.decode(map), url: `${name}.map` } : false,
      },
    );
    result.set(path, encoder.encode(out.code));
    if (map && typeof out.map === 'string') result.set(`${path}.map`, encoder.encode(out.map));
  }
  return [...result].map(([path, contents]) => ({ path, contents }));
}
