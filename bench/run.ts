/**
 * `npm run bench [-- section …]`: runs the benchmark sections (all by default,
 * or those named: bundle pipeline latency proxy returning photo-check), prints the report
 * and writes it to BENCHMARKS.md at the repo root. A section that fails is
 * reported as failed, with why; the others still run. Nothing here asserts:
 * the tables say which goals are met.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { bundleSection } from './bundle.js';
import { latencySection } from './latency.js';
import { photoCheckSection } from './photo-check.js';
import { pipelineSection } from './pipeline.js';
import { proxySection } from './proxy.js';
import type { Section } from './report.js';
import { returningSection } from './returning.js';

const SECTIONS: readonly Section[] = [
  bundleSection,
  pipelineSection,
  latencySection,
  proxySection,
  returningSection,
  photoCheckSection,
];

const REPORT = new URL('../BENCHMARKS.md', import.meta.url);

function chromiumVersion(): string {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'not found at /usr/bin/chromium';
  }
}

/** Machine, command and date: written beside every table, since figures only compare within one run. */
function machineLine(command: string, date: string): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${Math.round(os.totalmem() / 1024 ** 3)} GB RAM`;
  return `${date} · \`${command}\` · Node ${process.version} · ${chromiumVersion()} · ${model} × ${cpus.length} cores · ${memory} · ${os.platform()} ${os.release()}`;
}

const marker = (name: string, end = false) => `<!-- bench:${end ? '/' : ''}${name} -->`;

/** The report: fresh blocks for the sections just run, the previous file's blocks for the others. */
function merge(header: string, fresh: ReadonlyMap<string, string>): string {
  let previous = '';
  try {
    previous = readFileSync(REPORT, 'utf8');
  } catch {
    // First run.
  }
  const parts = [header];
  for (const section of SECTIONS) {
    let block = fresh.get(section.name);
    if (block === undefined) {
      const start = previous.indexOf(marker(section.name));
      const end = previous.indexOf(marker(section.name, true));
      if (start === -1 || end === -1) continue;
      block = previous.slice(start + marker(section.name).length, end).trim();
    }
    parts.push(marker(section.name), block, marker(section.name, true), '');
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) {
    console.error(
      `Unknown section(s): ${unknown.join(', ')}. Known: ${SECTIONS.map((s) => s.name).join(', ')}.`,
    );
    process.exitCode = 2;
    return;
  }
  const chosen = names.length === 0 ? SECTIONS : SECTIONS.filter((s) => names.includes(s.name));
  const command = `npm run bench${names.length ? ` -- ${names.join(' ')}` : ''}`;

  const header = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Every figure is measured beside its baseline in the same run, so ratios hold on noisy machines; absolute figures depend on the machine named above each table. `npm run bench -- <section>…` re-measures only those sections and keeps the others as they were.',
    '',
  ].join('\n');
  const blocks = new Map<string, string>();
  let failed = 0;
  for (const section of chosen) {
    const started = Date.now();
    console.error(`[bench] ${section.name}: running…`);
    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const number = SECTIONS.indexOf(section) + 1;
    const lines = [`## ${number}. ${section.title}`, '', `_${machineLine(command, date)}_`, ''];
    try {
      const result = await section.run();
      lines.push(result.table, '', ...result.notes.map((note) => `- ${note}`));
      console.error(
        `[bench] ${section.name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (error) {
      failed += 1;
      console.error(`[bench] ${section.name}: FAILED`, error);
      const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      lines.push(`**This section failed to run**: ${firstLine}`);
    }
    const block = lines.join('\n');
    blocks.set(section.name, block);
    console.log(`${block}\n`);
  }
  writeFileSync(REPORT, merge(header, blocks));
  console.error(`[bench] wrote ${REPORT.pathname}`);
  if (failed > 0) process.exitCode = 1;
}

await main();
