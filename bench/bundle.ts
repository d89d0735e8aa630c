/**
 * Table 1, bundle: min+gzip bytes of the self-contained script-tag build
 * (`src/index.ts`, everything bundled, exactly as scripts/build.mjs builds
 * `dist/fashn-try-on.js`), beside lit, zod/mini and idb-keyval each built
 * alone the same way, so our own share is visible. Builds in memory; `dist/`
 * is left alone.
 */
import { gzipSync } from 'node:zlib';
import { build, type Plugin, type Rolldown } from 'vite';
import { markdownTable, kib, verdict, type Section, type SectionResult } from './report.js';

const ROOT = new URL('..', import.meta.url).pathname;
/** The goal of the issue (and scripts/build.mjs's budget). */
const BUDGET_BYTES = 30 * 1024;

interface Built {
  raw: number;
  gzip: number;
}

const VIRTUAL = 'virtual:bench-entry';
const RESOLVED = '\0bench-entry';

/** An entry whose source is given inline, resolved from the repo root so bare imports find node_modules. */
function inlineEntry(source: string): Plugin {
  return {
    name: 'bench-inline-entry',
    // Vite hands the lib entry over as a path under the root.
    resolveId: (id) => (id.endsWith(VIRTUAL) ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? source : undefined),
  };
}

/** Builds `entry` like scripts/build.mjs's script-tag build: Vite lib, ES, minified, es2022. */
async function buildSize(
  entry: string | { source: string },
  external: readonly string[] = [],
): Promise<Built> {
  const inline = typeof entry !== 'string';
  const output = await build({
    logLevel: 'silent',
    configFile: false,
    root: ROOT,
    plugins: inline ? [inlineEntry(entry.source)] : [],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      sourcemap: false,
      lib: { entry: inline ? VIRTUAL : entry, formats: ['es'], fileName: () => 'bundle.js' },
      rolldownOptions: {
        external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
      },
    },
  });
  const results = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  const chunks = results
    .flatMap((result) => result.output)
    .filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`expected one chunk, got ${chunks.length}`);
  const bytes = Buffer.from(chunks[0]!.code);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export const bundleSection: Section = {
  name: 'bundle',
  title: 'Bundle size',
  async run(): Promise<SectionResult> {
    const entry = 'src/index.ts';
    const whole = await buildSize(entry);
    // What each dependency adds inside the whole, tree-shaken: the whole without it.
    const noLit = await buildSize(entry, ['lit']);
    const noZod = await buildSize(entry, ['zod']);
    const ours = await buildSize(entry, ['lit', 'zod', 'idb-keyval']);
    const lit = await buildSize({
      source: "export * from 'lit';\nexport * from 'lit/decorators.js';",
    });
    const zod = await buildSize({ source: "export * from 'zod/mini';" });
    const pct = (bytes: number) => `${Math.round((bytes / whole.gzip) * 100)}%`;
    const table = markdownTable(
      [
        'build (Vite lib, ES, minified, es2022; gzip -9)',
        'min',
        'min+gzip',
        'share of the whole (gzip)',
      ],
      [
        [
          `**fashn-try-on.js** (${entry}, self-contained)`,
          kib(whole.raw),
          `**${kib(whole.gzip, 2)}**`,
          `100% · goal ≤ 30 KB: ${verdict(whole.gzip <= BUDGET_BYTES)}`,
        ],
        [
          'our code alone (lit, zod, idb-keyval external)',
          kib(ours.raw),
          kib(ours.gzip, 2),
          pct(ours.gzip),
        ],
        [
          'lit inside the whole (whole − whole without lit)',
          kib(whole.raw - noLit.raw),
          kib(whole.gzip - noLit.gzip, 2),
          pct(whole.gzip - noLit.gzip),
        ],
        [
          'zod/mini inside the whole (whole − whole without zod)',
          kib(whole.raw - noZod.raw),
          kib(whole.gzip - noZod.gzip, 2),
          pct(whole.gzip - noZod.gzip),
        ],
        [
          'lit alone (lit + lit/decorators.js, everything exported)',
          kib(lit.raw),
          kib(lit.gzip, 2),
          '—',
        ],
        ['zod/mini alone (everything exported)', kib(zod.raw), kib(zod.gzip, 2), '—'],
      ],
    );
    const over = whole.gzip - BUDGET_BYTES;
    return {
      table,
      notes: [
        `The whole is ${whole.gzip} bytes min+gzip against a budget of ${BUDGET_BYTES} bytes (${Math.round((whole.gzip / BUDGET_BYTES) * 100)}%)${over > 0 ? `: ${over} bytes over` : ''}.`,
        'Built in memory with the options of scripts/build.mjs (dist/ is not touched). "Inside the whole" rows are differences of two builds, so they count what tree-shaking keeps; gzip shares do not add up exactly.',
        '"Alone" rows export everything the library has, an upper bound of what it could cost.',
      ],
    };
  },
};
