// A dynamic import fetches its chunk, and only once that has arrived the chunks it
// imports statically: one more round trip per level. The flow's chunk imports a chunk it
// shares with the file pipeline, so "Try it on" waited two round trips for the flow.
// As Vite's preload does, each dynamic import now starts those chunks at the same time:
//   import("./chunks/view-X.js")
// becomes
//   (import("./chunks/chunk-Y.js").catch(()=>{}),import("./chunks/view-X.js"))
// (a failed preload is the real import's to report). Source maps shift with the text.
import { dirname, join, relative } from 'node:path';
import { decode, encode } from '@jridgewell/sourcemap-codec';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * `outputFiles` with every dynamic import preceded by imports of the chunks its target
 * loads statically (and the importer does not already have).
 * @param {readonly { path: string, contents: Uint8Array }[]} outputFiles absolute paths
 * @param {import('esbuild').Metafile} metafile its paths relative to `cwd`
 * @param {string} cwd esbuild's working directory
 * @returns {{ path: string, contents: Uint8Array }[]}
 */
export function preloadPass(outputFiles, metafile, cwd) {
  const outputs = metafile.outputs;
  /** `path` and every chunk it imports statically, transitively. */
  const staticClosure = (path, seen = new Set()) => {
    seen.add(path);
    for (const { path: next, kind } of outputs[path]?.imports ?? [])
      if (kind === 'import-statement' && !seen.has(next)) staticClosure(next, seen);
    return seen;
  };
  const byPath = new Map(outputFiles.map((file) => [file.path, file.contents]));
  for (const [key, output] of Object.entries(outputs)) {
    if (!key.endsWith('.js')) continue;
    const has = staticClosure(key);
    const specifier = (target) => {
      const path = relative(dirname(key), target).replaceAll('\\', '/');
      return path.startsWith('.') ? path : `./${path}`;
    };
    /** Text to put before each `import("<target>")`. */
    const prefixes = new Map();
    for (const { path: target, kind } of output.imports) {
      if (kind !== 'dynamic-import' || prefixes.has(target)) continue;
      const needed = [...staticClosure(target)].filter((path) => path !== target && !has.has(path));
      if (needed.length)
        prefixes.set(
          target,
          `(${needed.map((path) => `import(${JSON.stringify(specifier(path))}).catch(()=>{}),`).join('')}`,
        );
    }
    if (!prefixes.size) continue;
    const file = join(cwd, key);
    const code = decoder.decode(byPath.get(file));
    /** Insertions as [offset in the original text, text]. */
    const insertions = [];
    for (const [target, prefix] of prefixes) {
      const call = `import(${JSON.stringify(specifier(target))})`;
      for (let at = code.indexOf(call); at !== -1; at = code.indexOf(call, at + call.length))
        insertions.push([at, prefix], [at + call.length, ')']);
    }
    insertions.sort((a, b) => a[0] - b[0]);
    let out = '';
    let from = 0;
    for (const [at, text] of insertions) {
      out += code.slice(from, at) + text;
      from = at;
    }
    out += code.slice(from);
    byPath.set(file, encoder.encode(out));
    const mapFile = `${file}.map`;
    if (byPath.has(mapFile))
      byPath.set(
        mapFile,
        encoder.encode(shiftMap(decoder.decode(byPath.get(mapFile)), code, insertions)),
      );
  }
  return [...byPath].map(([path, contents]) => ({ path, contents }));
}

/** The source map of `code` after `insertions`: generated columns move by what came before them. */
function shiftMap(mapText, code, insertions) {
  const map = JSON.parse(mapText);
  const lineStarts = [0];
  for (let at = code.indexOf('\n'); at !== -1; at = code.indexOf('\n', at + 1))
    lineStarts.push(at + 1);
  const mappings = decode(map.mappings).map((segments, line) => {
    // An insertion never holds a line break, so every shift stays within its line.
    const start = lineStarts[line] ?? Number.POSITIVE_INFINITY;
    return segments.map(([column, ...rest]) => {
      const offset = start + column;
      const shift = insertions
        .filter(([at]) => at >= start && at <= offset)
        .reduce((sum, [, text]) => sum + text.length, 0);
      return [column + shift, ...rest];
    });
  });
  return JSON.stringify({ ...map, mappings: encode(mappings) });
}
