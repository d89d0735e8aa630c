/**
 * Exposure from the luma histogram: mean, 5th and 95th percentiles, and the
 * share of crushed (≤ 16) and clipped (≥ 245) pixels.
 */
import type { Luma } from './types.js';

export interface Exposure {
  histogram: Uint32Array;
  meanLuma: number;
  p5: number;
  p95: number;
  darkShare: number;
  clippedShare: number;
}

export function lumaHistogram(luma: Luma): Uint32Array {
  const { data } = luma;
  const histogram = new Uint32Array(256);
  // An indexed loop: the check runs once per photo, in code the engine has not
  // optimised yet, where a typed array's iterator costs ten times as much.
  for (let i = 0; i < data.length; i++) histogram[data[i]] += 1;
  return histogram;
}

/** The smallest luma with at least `share` (0–1) of pixels at or below it. */
export function histogramPercentile(histogram: Uint32Array, total: number, share: number): number {
  const wanted = Math.max(1, Math.ceil(total * share));
  let seen = 0;
  for (let value = 0; value < 256; value++) {
    seen += histogram[value];
    if (seen >= wanted) return value;
  }
  return 255;
}

export function measureExposure(luma: Luma): Exposure {
  const histogram = lumaHistogram(luma);
  const total = luma.data.length;
  let sum = 0;
  let dark = 0;
  let clipped = 0;
  for (let value = 0; value < 256; value++) {
    const count = histogram[value];
    sum += value * count;
    if (value <= 16) dark += count;
    if (value >= 245) clipped += count;
  }
  return {
    histogram,
    meanLuma: sum / total,
    p5: histogramPercentile(histogram, total, 0.05),
    p95: histogramPercentile(histogram, total, 0.95),
    darkShare: dark / total,
    clippedShare: clipped / total,
  };
}
