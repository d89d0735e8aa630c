/**
 * The script-tag ES build (scripts/module-build.mjs) on a small real split: what a lazy
 * chunk shares with its importer lives in the importer (no third chunk, no round trip),
 * the map of a minified token leads back to its TypeScript line, and a split that would
 * make a lazy chunk wait for another is named.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

type Outputs = Record<
  string,
  { imports: { path: string; kind: string }[]; entryPoint?: string; inputs: object }
>;
const { buildModuleScript, waterfalls } = (await import(
  new URL('../../scripts/module-build.mjs', import.meta.url).href
)) as {
  buildModuleScript(options: {
    root: string;
    input: Record<string, string>;
  }): Promise<{ files: { path: string; contents: Uint8Array }[]; outputs: Outputs }>;
  waterfalls(outputs: Outputs): { importer: string; target: string; waits: string[] }[];
};

const dir = mkdtempSync(join(tmpdir(), 'module-build-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// entry → (dynamic) flow → (static) shared; pipeline, imported by flow, uses shared too.
const sources = {
  'entry.ts': `export const open = () => import('./flow.js').then((m) => m.run());\n`,
  'shared.ts': `export const shout = (text: string): string => text.toUpperCase() + '!';\n`,
  'flow.ts': `import { shout } from './shared.js';\nexport const run = () => shout('flow');\nexport const file = () => import('./pipeline.js');\n`,
  'pipeline.ts': `import { shout } from './shared.js';\nexport const read = () => shout('file');\n`,
};
// The element's Lit templates are minified before TypeScript: lines after a template
// must still map to where they are written.
const card = [
  'const html = (strings: TemplateStringsArray, ...values: unknown[]) => strings.join(String(values));',
  'export const card = (name: string) => html`',
  '  <div class="card">',
  '    <p>${name}</p>',
  '  </div>',
  '`;',
  "export const after = () => 'after-the-template';",
  '',
].join('\n');
mkdirSync(join(dir, 'src/element'), { recursive: true });
writeFileSync(join(dir, 'src/element/card.ts'), card);
for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, name), text);

const text = (files: { path: string; contents: Uint8Array }[], end: string) =>
  new TextDecoder().decode(files.find((file) => file.path.endsWith(end))!.contents);

describe('module build', () => {
  it('keeps what a lazy chunk shares with its importer in the importer', async () => {
    const { outputs } = await buildModuleScript({ root: dir, input: { entry: 'entry.ts' } });
    const scripts = Object.keys(outputs).filter((path) => path.endsWith('.js'));
    assert.equal(scripts.length, 3, scripts.join(', '));
    const flow = scripts.find((path) => outputs[path].entryPoint === 'flow.ts')!;
    const pipeline = scripts.find((path) => outputs[path].entryPoint === 'pipeline.ts')!;
    assert.ok('shared.ts' in outputs[flow].inputs);
    assert.deepEqual(
      outputs[pipeline].imports.map((i) => [i.path, i.kind]),
      [[flow, 'import-statement']],
    );
    assert.deepEqual(waterfalls(outputs), []);
  });

  it('maps a minified token back to its TypeScript line', async () => {
    const { files, outputs } = await buildModuleScript({ root: dir, input: { entry: 'entry.ts' } });
    const flow = Object.keys(outputs).find((path) => outputs[path].entryPoint === 'flow.ts')!;
    const code = text(files, flow);
    const lines = code.split('\n');
    const line = lines.findIndex((l) => l.includes('"flow"'));
    assert.ok(line >= 0, code);
    const map = new TraceMap(text(files, `${flow}.map`));
    const position = originalPositionFor(map, {
      line: line + 1,
      column: lines[line].indexOf('"flow"'),
    });
    assert.equal(position.source?.replace(/^(\.\.\/)+/, ''), 'flow.ts');
    assert.equal(position.line, 2);
  });

  it('maps a token after a minified Lit template back to its line', async () => {
    const { files, outputs } = await buildModuleScript({
      root: dir,
      input: { card: 'src/element/card.ts' },
    });
    const chunk = Object.keys(outputs).find((path) => path.endsWith('card.js'))!;
    const code = text(files, chunk);
    assert.ok(code.includes('<div class="card"><p>'), `the template is minified: ${code}`);
    const lines = code.split('\n');
    const line = lines.findIndex((l) => l.includes('after-the-template'));
    const position = originalPositionFor(new TraceMap(text(files, `${chunk}.map`)), {
      line: line + 1,
      column: lines[line].indexOf('after-the-template'),
    });
    assert.equal(position.source?.replace(/^(\.\.\/)+/, ''), 'src/element/card.ts');
    assert.equal(position.line, 7);
  });

  it('names a lazy chunk that would wait for another', () => {
    const outputs: Outputs = {
      'dist/entry.js': { imports: [{ path: 'dist/flow.js', kind: 'dynamic-import' }], inputs: {} },
      'dist/flow.js': {
        imports: [{ path: 'dist/shared.js', kind: 'import-statement' }],
        inputs: {},
      },
      'dist/shared.js': { imports: [], inputs: {} },
    };
    assert.deepEqual(waterfalls(outputs), [
      { importer: 'dist/entry.js', target: 'dist/flow.js', waits: ['dist/shared.js'] },
    ]);
    // Loaded with the importer already: no wait.
    outputs['dist/entry.js'].imports.push({ path: 'dist/shared.js', kind: 'import-statement' });
    assert.deepEqual(waterfalls(outputs), []);
  });
});
