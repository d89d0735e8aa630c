/**
 * Table 2, selfie pipeline: in each engine (Chromium, Firefox ESR, WebKitGTK),
 * each against its own bare decode, our normalisation
 * (`normalizeImage`: header check, decode with downscale, EXIF, JPEG within
 * 600 KB) of 12 MP and 48 MP photo-like JPEGs against the browser's bare
 * decode of the same file. Median ms of each, their ratio, output bytes.
 */
import { bundlePage, servePage } from './browser.js';
import { ENGINE_LABELS, openEnginePage } from './engines.js';
import { ENGINES } from '../scripts/find-engines.mjs';
import type { PipelineMeasure } from './pages/pipeline-page.js';
import {
  fmt,
  kib,
  markdownTable,
  median,
  mib,
  verdict,
  type Section,
  type SectionResult,
} from './report.js';

const SIZES = [
  { label: '12 MP', width: 4032, height: 3024, runs: 11 },
  { label: '48 MP', width: 8064, height: 6048, runs: 7 },
];
const MAX_RATIO = 1.5;
const MAX_OUTPUT_BYTES = 600 * 1024;

export const pipelineSection: Section = {
  name: 'pipeline',
  title: 'Selfie pipeline (Chromium, Firefox ESR, WebKitGTK)',
  async run(): Promise<SectionResult> {
    const script = await bundlePage('bench/pages/pipeline-page.ts');
    const server = await servePage(script);
    const rows: string[][] = [];
    const notes: string[] = [];
    try {
      for (const engine of ENGINES) {
        const page = await openEnginePage(engine, server.origin);
        try {
          await page.waitFor(() => typeof window.measurePipeline === 'function');
          for (const size of SIZES) {
            const m: PipelineMeasure = await page.evaluate((run) => window.measurePipeline!(run), {
              width: size.width,
              height: size.height,
              runs: size.runs,
            });
            const bare = median(m.bareMs);
            const ours = median(m.oursMs);
            const ratio = ours / bare;
            // Each pair ran back to back, so its ratio shrugs off drift in the machine's load.
            const pairRatio = median(m.oursMs.map((v, i) => v / m.bareMs[i]));
            const biggest = Math.max(...m.outputBytes);
            const met = ratio <= MAX_RATIO && biggest <= MAX_OUTPUT_BYTES;
            rows.push([
              ENGINE_LABELS[engine],
              `${size.label} (${size.width}×${size.height}, ${mib(m.inputBytes)} JPEG)`,
              `${fmt(bare)} (${fmt(median(m.resolvedMs))})`,
              fmt(ours),
              `${fmt(ratio, 2)}× (pairs: ${fmt(pairRatio, 2)}×)`,
              `${kib(median(m.outputBytes))} (${m.outputWidth}×${m.outputHeight})`,
              `${verdict(met)}${met ? '' : ratio > MAX_RATIO ? ` (ratio over ${MAX_RATIO}×)` : ' (output over 600 KB)'}`,
            ]);
            notes.push(
              `${ENGINE_LABELS[engine]}, ${size.label}: bare ${m.bareMs.map((v) => fmt(v)).join(', ')} ms; ours ${m.oursMs.map((v) => fmt(v)).join(', ')} ms.`,
            );
          }
        } finally {
          await page.close();
        }
      }
      const table = markdownTable(
        [
          'engine',
          'input',
          'bare decode, median ms (createImageBitmap alone)',
          'normalizeImage, median ms',
          'ratio of medians (median of pair ratios)',
          'output (median)',
          'goal ≤ 1.5× and ≤ 600 KB',
        ],
        rows,
      );
      return {
        table,
        notes: [
          `Each engine against its own bare decode (Chromium and Firefox take the reduced-scale \`ImageDecoder\` path for large JPEGs and scale its frame on the canvas; WebKit has no \`ImageDecoder\`, decodes with \`createImageBitmap\`'s resize and hands the bitmap to the encoder without a 2D draw). ${SIZES.map((s) => `${s.runs} (${s.label})`).join(' and ')} runs of each after one warm-up of each, alternating (bare = \`createImageBitmap(blob)\` at full size until one pixel of it has been read back, then \`close()\`: WebKit resolves \`createImageBitmap\` before its pixels are usable and finishes the work on first use, so the promise alone, in brackets, undercounts its decode; in Chromium and Firefox the two agree; ours = \`normalizeImage(blob)\` with its defaults). Inputs are drawn in the page: gradients, soft shapes and sensor-like noise, JPEG quality 0.9.`,
          ...notes,
        ],
      };
    } finally {
      await server.close();
    }
  },
};
