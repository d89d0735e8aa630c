/**
 * What every benchmark section returns, and the small statistics and
 * markdown helpers they share. No timing happens here.
 */

/** One section of BENCHMARKS.md. */
export interface SectionResult {
  /** Markdown table (or a "not measured yet" line). */
  table: string;
  /** Bullet lines under the table: method, factors, goal verdicts. */
  notes: string[];
}

/** A section: runs its measurements and returns its table; throws when it cannot run at all. */
export interface Section {
  /** Name used on the command line (`npm run bench -- latency`). */
  name: string;
  title: string;
  run(): Promise<SectionResult>;
}

/** Median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The `p`-th percentile (0–100), linear between closest ranks; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** A markdown table; cells are written as given. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `1234.5` → `1 235` style is hard to grep; plain fixed digits instead. */
export function fmt(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export function kib(bytes: number, digits = 1): string {
  return `${fmt(bytes / 1024, digits)} KB`;
}

export function mib(bytes: number, digits = 1): string {
  return `${fmt(bytes / 1024 / 1024, digits)} MB`;
}

/** The verdict cell of a goal. */
export function verdict(met: boolean): string {
  return met ? 'met' : '**MISSED**';
}

/** Waits for `ms` of wall time. */
export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
