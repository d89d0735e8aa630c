/**
 * The build's preload pass (scripts/preload-pass.mjs) on a real esbuild split: a dynamic
 * import starts the chunks its target imports statically, nothing else changes, and the
 * source map still points every token at its source.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { build, type Metafile, type OutputFile } from 'esbuild';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

type Pass = (
  files: readonly { path: string; contents: Uint8Array }[],
  metafile: Metafile,
  cwd: string,
) => { path: string; contents: Uint8Array }[];
const { preloadPass } = (await import(
  new URL('../../scripts/preload-pass.mjs', import.meta.url).href
)) as { preloadPass: Pass };

const dir = mkdtempSync(join(tmpdir(), 'preload-pass-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// entry → (dynamic) flow → (static) shared; pipeline (dynamic from flow) → shared too, so
// shared is a chunk of its own that flow imports statically.
const sources = {
  'entry.ts': `export const open = () => import('./flow.js').then((m) => m.run());\n`,
  'shared.ts': `export const shout = (text: string) => text.toUpperCase() + '!';\n`,
  'flow.ts': `import { shout } from './shared.js';\nexport const run = () => shout('flow');\nexport const file = () => import('./pipeline.js');\n`,
  'pipeline.ts': `import { shout } from './shared.js';\nexport const read = () => shout('file');\n`,
};
for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, name), text);

async function split(): Promise<{ files: OutputFile[]; metafile: Metafile }> {
  const result = await build({
    absWorkingDir: dir,
    entryPoints: ['entry.ts'],
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    sourcemap: true,
    outdir: 'out',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  return { files: result.outputFiles, metafile: result.metafile };
}

const text = (files: { path: string; contents: Uint8Array }[], end: string) =>
  new TextDecoder().decode(files.find((file) => file.path.endsWith(end))!.contents);

describe('preload pass', () => {
  it("starts the flow's static chunk with the flow, and leaves what is already loaded alone", async () => {
    const { files, metafile } = await split();
    const passed = preloadPass(files, metafile, dir);
    const entry = text(passed, 'out/entry.js');
    const outputs = Object.keys(metafile.outputs);
    const flow = outputs.find((path) => path.includes('chunks/flow-') && path.endsWith('.js'))!;
    const shared = metafile.outputs[flow].imports.find((i) => i.kind === 'import-statement')!.path;
    const sharedName = shared.split('/').pop()!;
    const flowName = flow.split('/').pop()!;
    assert.ok(
      entry.includes(
        `(import("./chunks/${sharedName}").catch(()=>{}),import("./chunks/${flowName}"))`,
      ),
      entry,
    );
    // The flow already has the shared chunk when it imports the pipeline: nothing to add.
    const flowText = text(passed, flow);
    assert.equal(flowText, text(files, flow));
    // Only the entry changed.
    const changed = passed.filter(
      (file, i) => Buffer.compare(Buffer.from(file.contents), Buffer.from(files[i].contents)) !== 0,
    );
    assert.deepEqual(changed.map((file) => file.path.slice(dir.length + 1)).sort(), [
      'out/entry.js',
      'out/entry.js.map',
    ]);
  });

  it('keeps the source map true after the inserted text', async () => {
    const { files, metafile } = await split();
    const passed = preloadPass(files, metafile, dir);
    /** Where `needle`'s first character in the built entry comes from, by its map. */
    const origin = (built: { path: string; contents: Uint8Array }[], needle: string) => {
      const lines = text(built, 'out/entry.js').split('\n');
      const line = lines.findIndex((l) => l.includes(needle));
      const map = new TraceMap(text(built, 'out/entry.js.map'));
      return originalPositionFor(map, { line: line + 1, column: lines[line].indexOf(needle) });
    };
    // After the insertion, before it, and the inserted call's own token: as without the pass.
    for (const needle of ['.then(', 'run()', 'import("./chunks/flow-']) {
      const position = origin(passed, needle);
      assert.deepEqual(position, origin(files, needle), needle);
      assert.equal(position.source, '../entry.ts', needle);
    }
  });
});
