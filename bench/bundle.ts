/**
 * Table 1, bundle: what a shopper downloads, from the real build. Runs
 * `node scripts/build.mjs` (the `npm run build` that ships; it exits 1 over
 * budget, and that is reported) and reads `dist/size.json`: the entry, each
 * lazy language chunk, the whole (entry + every chunk it imports + the largest
 * language pack) against the 30 KB goal, and the IIFE. Beside it, built in
 * memory by the build's own ES build (scripts/module-build.mjs): lit alone and
 * idb-keyval alone (what the element imports of them), and our code (the
 * same build with them external).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { NETWORK, measureClicks } from './click.js';
import { fmt, kib, markdownTable, verdict, type Section, type SectionResult } from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'src/script.ts';
const ENTRY_OUT = 'dist/fashn-try-on.js';

/** One file as `dist/size.json` describes it. */
interface FileSize {
  file: string;
  min: number;
  gzip: number;
}

/** `dist/size.json`, written by scripts/build.mjs. */
interface SizeReport {
  budget: number;
  eagerBudget: number;
  reviewBudget: number;
  entry: FileSize;
  eager: { files: string[]; min: number; gzip: number };
  afterIntent: { files: string[]; min: number; gzip: number };
  /** What a shopper taking a selfie loads: the whole without the file pipeline. */
  camera: { files: string[]; min: number; gzip: number };
  cameraBudget: number;
  /** The file pipeline, loaded when a shopper chooses a file. */
  filePipeline: { files: string[]; min: number; gzip: number };
  chunks: (FileSize & { language: boolean; reviewCheck: boolean })[];
  whole: { files: string[]; min: number; gzip: number };
  /** The photo check's chunk, loaded at review (counted apart from the whole). */
  review: { files: string[]; min: number; gzip: number };
  wholeWithReview: { files: string[]; min: number; gzip: number };
  iife: FileSize;
}

/** Runs the real build; returns its exit code and the tail of its output. */
function runBuild(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}\n${run.stderr}`.trim() };
}

interface Measured {
  whole: FileSize & { files: string[] };
}

interface Built {
  files: { path: string; contents: Uint8Array }[];
  outputs: Record<
    string,
    { imports: { path: string; kind: string }[]; inputs: Record<string, object> }
  >;
}

type ModuleBuild = {
  buildModuleScript(options: {
    root: string;
    input: Record<string, string>;
    outdir?: string;
    external?: string[];
  }): Promise<Built>;
  measure(
    files: Built['files'],
    outputs: Built['outputs'],
    where: { root: string; entry: string; outdir?: string },
  ): Measured;
};

/** scripts/build.mjs's ES build and its accounting (plain JS, loaded at run time). */
async function moduleBuild(): Promise<ModuleBuild> {
  const url = new URL('../scripts/module-build.mjs', import.meta.url).href;
  return (await import(url)) as ModuleBuild;
}

const sizeOf = (file: string, bytes: Uint8Array): FileSize => ({
  file,
  min: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
});

/** The element's entry built like dist/fashn-try-on.js, in memory, `external` left out, and its whole. */
async function buildEntry(external: string[] = []): Promise<Measured & { inputs: string[] }> {
  const { buildModuleScript, measure } = await moduleBuild();
  const { files, outputs } = await buildModuleScript({
    root: ROOT,
    input: { 'fashn-try-on': ENTRY },
    external,
  });
  return {
    ...measure(files, outputs, { root: ROOT, entry: ENTRY_OUT }),
    inputs: Object.values(outputs).flatMap((output) => Object.keys(output.inputs)),
  };
}

/** One module whose source is `contents`, built the same way: min and gzip of its JS. */
async function buildSource(contents: string): Promise<FileSize> {
  const { buildModuleScript } = await moduleBuild();
  const dir = mkdtempSync(join(ROOT, 'bench', '.entry-'));
  try {
    writeFileSync(join(dir, 'entry.ts'), contents);
    const { files } = await buildModuleScript({
      root: ROOT,
      input: { 'bench-entry': relative(ROOT, join(dir, 'entry.ts')) },
    });
    const js = files.filter((file) => file.path.endsWith('.js'));
    if (js.length !== 1) throw new Error(`expected one JS file, got ${js.length}`);
    return sizeOf('bench-entry.js', js[0].contents);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the browser code imports from lit and idb-keyval (their value imports in
 * src/element, src/capture and src/cache; the flow renders with lit-html alone,
 * its controllers hosted by the view, so LitElement is not imported at all).
 */
const LIT_NAMES = ['html', 'nothing', 'render', 'svg'];
const IDB_NAMES = ['clear', 'createStore', 'delMany', 'entries', 'get', 'set'];
const reExport = (names: string[], from: string) =>
  `export { ${names.join(', ')} } from '${from}';`;
const DEPENDENCIES = ['lit', 'lit/*', 'idb-keyval'];

export const bundleSection: Section = {
  name: 'bundle',
  title: 'Bundle size',
  async run(): Promise<SectionResult> {
    const built = runBuild();
    let size: SizeReport;
    try {
      size = JSON.parse(readFileSync(new URL('dist/size.json', `file://${ROOT}`), 'utf8'));
    } catch {
      throw new Error(
        `scripts/build.mjs wrote no dist/size.json (exit ${built.status}): ${built.output.split('\n').slice(-3).join(' / ')}`,
      );
    }
    const overBudget =
      built.status === 1 &&
      (size.whole.gzip > size.budget ||
        size.camera.gzip > size.cameraBudget ||
        size.review.gzip > size.reviewBudget ||
        (size.eager?.gzip ?? 0) > size.eagerBudget);
    if (built.status !== 0 && !overBudget)
      throw new Error(
        `scripts/build.mjs failed (exit ${built.status}): ${built.output.split('\n').slice(-3).join(' / ')}`,
      );

    const ours = await buildEntry(DEPENDENCIES);
    const lit = await buildSource(reExport(LIT_NAMES, 'lit/html.js'));
    const idb = await buildSource(reExport(IDB_NAMES, 'idb-keyval'));
    // zod is not among the external dependencies: a file of it would be inside this build.
    const zodInside = ours.inputs.filter((path) => path.includes('node_modules/zod/'));
    const { whole, budget, eager, afterIntent, eagerBudget, review, wholeWithReview } = size;
    const { camera, cameraBudget, filePipeline } = size;
    const clicks = await measureClicks();
    const pct = (bytes: number) => `${Math.round((bytes / whole.gzip) * 100)}%`;
    const dependenciesInside = {
      min: whole.min - ours.whole.min,
      gzip: whole.gzip - ours.whole.gzip,
    };
    const languages = size.chunks.filter((chunk) => chunk.language);
    const others = size.chunks.filter((chunk) => !chunk.language);
    const table = markdownTable(
      [
        'file or build (Rollup split, esbuild and terser minified, es2022; gzip -9 per file)',
        'min',
        'min+gzip',
        'share of the whole (gzip)',
      ],
      [
        [
          `entry \`dist/${size.entry.file}\``,
          kib(size.entry.min),
          kib(size.entry.gzip, 2),
          pct(size.entry.gzip),
        ],
        ...others.map((chunk) => [
          afterIntent.files.includes(chunk.file)
            ? `the flow \`dist/${chunk.file}\` (loaded on intent)`
            : filePipeline.files.includes(chunk.file)
              ? `the file pipeline \`dist/${chunk.file}\` (loaded when a file is chosen)`
              : chunk.reviewCheck
                ? `the photo check \`dist/${chunk.file}\` (loaded at review)`
                : `chunk \`dist/${chunk.file}\` (loaded with the entry)`,
          kib(chunk.min),
          kib(chunk.gzip, 2),
          pct(chunk.gzip),
        ]),
        ...languages.map((chunk) => [
          `language pack \`dist/${chunk.file}\` (lazy)${whole.files.includes(chunk.file) ? ', the largest' : ''}`,
          kib(chunk.min),
          kib(chunk.gzip, 2),
          whole.files.includes(chunk.file) ? pct(chunk.gzip) : '—',
        ]),
        [
          `**the whole** (${whole.files.join(' + ')})`,
          kib(whole.min),
          `**${kib(whole.gzip, 2)}**`,
          `100% · gate ≤ ${kib(budget, 0)}: ${verdict(whole.gzip <= budget)}; issue goal ≤ 30 KB: ${verdict(whole.gzip <= 30 * 1024)}`,
        ],
        [
          `**whole flow, camera** (${camera.files.join(' + ')}): what a shopper who takes a selfie loads`,
          kib(camera.min),
          `**${kib(camera.gzip, 2)}**`,
          `${pct(camera.gzip)} · gate ≤ ${kib(cameraBudget, 0)}: ${verdict(camera.gzip <= cameraBudget)}; issue goal ≤ 30 KB: ${verdict(camera.gzip <= 30 * 1024)}`,
        ],
        [
          `loaded when a file is chosen (${filePipeline.files.join(' + ')}): validation, header, EXIF, decoding`,
          kib(filePipeline.min),
          kib(filePipeline.gzip, 2),
          pct(filePipeline.gzip),
        ],
        [
          `**eager before intent** (${eager.files.join(' + ')}): what a page loads before the shopper shows interest`,
          kib(eager.min),
          `**${kib(eager.gzip, 2)}**`,
          `${pct(eager.gzip)} · goal ≤ ${kib(eagerBudget, 0)}: ${verdict(eager.gzip <= eagerBudget)}`,
        ],
        [
          `loaded after click (${afterIntent.files.join(' + ')}): the flow, on intent and at the latest on click`,
          kib(afterIntent.min),
          kib(afterIntent.gzip, 2),
          pct(afterIntent.gzip),
        ],
        [
          `click → consent dialog after 200 ms of hover (${NETWORK.latencyMs} ms RTT, ${NETWORK.downKbps / 1000} Mbps down; median of ${clicks.runs})`,
          `**${fmt(clicks.hoverMs)} ms**`,
          '—',
          `goal ≤ 400 ms: ${verdict(clicks.hoverMs <= 400)}`,
        ],
        [
          `click → consent dialog, cold: no hover before the click (same network; median of ${clicks.runs})`,
          `${fmt(clicks.coldMs)} ms`,
          '—',
          `baseline: navigation → labelled trigger ${fmt(clicks.eagerMs)} ms`,
        ],
        [
          'our code (the whole built again with lit and idb-keyval external)',
          kib(ours.whole.min),
          kib(ours.whole.gzip, 2),
          pct(ours.whole.gzip),
        ],
        [
          'lit + idb-keyval inside the whole (the whole − our code)',
          kib(dependenciesInside.min),
          kib(dependenciesInside.gzip, 2),
          pct(dependenciesInside.gzip),
        ],
        ['lit alone (what the element imports)', kib(lit.min), kib(lit.gzip, 2), '—'],
        ['idb-keyval alone (what the memory imports)', kib(idb.min), kib(idb.gzip, 2), '—'],
        [
          `\`dist/${size.iife.file}\` (classic script, languages inlined; not budgeted)`,
          kib(size.iife.min),
          kib(size.iife.gzip, 2),
          '—',
        ],
      ],
    );
    const over = whole.gzip - budget;
    return {
      table,
      notes: [
        `Eager before intent is ${eager.gzip} bytes min+gzip against ${eagerBudget} (\`npm run build\` fails above it): the shell (\`src/element/fashn-try-on.ts\`: trigger, attributes, a look into memory), what it imports statically, and the page's language pack (the largest counted). The flow loads on pointer over or focus on the trigger, a touch, the element scrolled into view, at the latest on click, and at once when memory holds a kept avatar or a prediction in flight.`,
        `Click → dialog: bench/click.ts serves this \`dist/\` to headless Chromium with CDP network emulation (${NETWORK.latencyMs} ms latency, ${NETWORK.downKbps} kbps down, ${NETWORK.upKbps} kbps up), a fresh page per run with the element below the fold (so only the measured intent loads the flow), and times in the page from the click to the open dialog showing the consent step. "Hover" dispatches \`pointerover\` on the trigger 200 ms before the click; "cold" clicks with nothing before it. The baseline is the same pages' time from navigation to a labelled trigger.`,
        `The whole is ${whole.gzip} bytes min+gzip against a budget of ${budget} bytes (${Math.round((whole.gzip / budget) * 100)}%): ${over > 0 ? `${over} bytes over; \`npm run build\` exits 1` : `${-over} bytes to spare; \`npm run build\` passes`}.`,
        `The photo check (${review.files.join(', ')}) loads only when a photo reaches review: ${review.gzip} bytes min+gzip, counted apart from the whole; the whole with it is ${wholeWithReview.gzip} bytes (${Math.round((wholeWithReview.gzip / budget) * 100)}% of the budget; not budgeted).`,
        'Method: the section runs `node scripts/build.mjs` (what `npm run build` runs; it rewrites `dist/`) and reads `dist/size.json`, which that build writes: each file gzipped on its own (-9) as it travels; the whole is the entry, every chunk it imports and the largest language pack (a page loads exactly one, English included).',
        `The comparison rows are built in memory by scripts/build.mjs's own ES build, \`buildModuleScript\` in scripts/module-build.mjs (Rollup splits; each module is TypeScript minified by esbuild for es2022 after the minify-lit-templates pass, \`production\` and \`browser\` export conditions; then terser over each chunk), and counted by the same \`measure\`. "Our code" externalises ${DEPENDENCIES.map((d) => `\`${d}\``).join(', ')}; the difference of two builds counts what tree-shaking keeps, so gzip shares do not add up exactly. "Alone" rows re-export just what src/ imports (lit: ${LIT_NAMES.join(', ')} of \`lit/html.js\`: the flow renders with lit-html into the shell's shadow root, with no LitElement; idb-keyval: ${IDB_NAMES.join(', ')}).`,
        zodInside.length === 0
          ? 'zod is not in the browser bundle (no file of node_modules/zod among the build\'s inputs): the browser reads FASHN\'s answers and its attributes with plain twins of the zod schemas, and zod stays on the server (proxy, emulator); README, Decisions, "No zod in the browser bundle", explains why.'
          : `**zod is in the browser bundle** (${zodInside.length} of its files among the build's inputs), though the README's Decisions say it should not be.`,
      ],
    };
  },
};
