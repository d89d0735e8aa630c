/** Pixels in, measures out: the part of the check that never needs a detector. */
import { measureExposure } from './exposure.js';
import { ANALYSIS_SIDE, downscaledLuma } from './luma.js';
import { normalisedSharpness } from './sharpness.js';
import type { Luma, Pixels, PhotoMeasures } from './types.js';

/**
 * `pixels` may already be downscaled (the browser lets its decoder do that);
 * `size` is then the photo's real size, which the too-small check needs.
 */
export function measurePhoto(
  pixels: Pixels,
  size: { width: number; height: number } = pixels,
): PhotoMeasures {
  return measureLuma(downscaledLuma(pixels, ANALYSIS_SIDE), size);
}

/** Measures of a luma already at the analysis size (at most `ANALYSIS_SIDE` on the long side). */
export function measureLuma(
  luma: Luma,
  size: { width: number; height: number } = luma,
): PhotoMeasures {
  const exposure = measureExposure(luma);
  return {
    width: size.width,
    height: size.height,
    meanLuma: exposure.meanLuma,
    p5: exposure.p5,
    p95: exposure.p95,
    darkShare: exposure.darkShare,
    clippedShare: exposure.clippedShare,
    sharpness: normalisedSharpness(luma, exposure.p5, exposure.p95),
  };
}
