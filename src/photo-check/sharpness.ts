/**
 * Blur as the variance of the Laplacian (4-neighbour kernel) of the
 * downscaled luma. A dark or flat photo has weak edges without being blurred,
 * so the variance is divided by the square of the luma's 5–95 % spread: the
 * measure answers "how sharp are the edges this photo has", not "how bright".
 */
import type { Luma } from './types.js';

export function laplacianVariance(luma: Luma): number {
  const { data, width, height } = luma;
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumOfSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    let at = y * width + 1;
    for (let x = 1; x < width - 1; x++, at++) {
      const value =
        data[at - 1] + data[at + 1] + data[at - width] + data[at + width] - 4 * data[at];
      sum += value;
      sumOfSquares += value * value;
      count += 1;
    }
  }
  const mean = sum / count;
  return sumOfSquares / count - mean * mean;
}

/** Laplacian variance as if the luma spread `p5`…`p95` filled 0…255 (at least a spread of 16). */
export function normalisedSharpness(luma: Luma, p5: number, p95: number): number {
  const spread = Math.max(16, p95 - p5);
  return laplacianVariance(luma) * (255 / spread) ** 2;
}
