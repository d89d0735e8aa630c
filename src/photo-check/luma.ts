/**
 * Luma of RGBA pixels, area-averaged down to at most `maxSide` on the long
 * side: every measure runs on the same scale whatever the camera, so one set
 * of thresholds fits, and a 1600 px photo costs a quarter pass.
 */
import type { Luma, Pixels } from './types.js';

/** Long side the measures run at. Blur thresholds are tied to it. */
export const ANALYSIS_SIDE = 512;

/** Rec. 601 luma in 8-bit integer arithmetic. */
const lumaOf = (r: number, g: number, b: number) => (77 * r + 150 * g + 29 * b) >> 8;

export function downscaledLuma(pixels: Pixels, maxSide = ANALYSIS_SIDE): Luma {
  const { data, width, height } = pixels;
  if (width < 1 || height < 1 || data.length < width * height * 4)
    throw new RangeError(`expected ${width}×${height} RGBA pixels, got ${data.length} bytes`);
  const scale = Math.min(1, maxSide / Math.max(width, height));
  if (scale === 1) {
    // Already small (the browser decoded it so): one pass, no sums, no call per
    // pixel (this runs once per photo, mostly before the engine optimises it).
    const out = new Uint8Array(width * height);
    for (let i = 0, at = 0; i < out.length; i++, at += 4)
      out[i] = (77 * data[at] + 150 * data[at + 1] + 29 * data[at + 2]) >> 8;
    return { data: out, width, height };
  }
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const sums = new Uint32Array(outWidth * outHeight);
  const counts = new Uint32Array(outWidth * outHeight);
  // Each source column and row maps to one target column and row: a box filter, one pass.
  const column = new Uint32Array(width);
  for (let x = 0; x < width; x++) column[x] = Math.min(outWidth - 1, Math.floor(x * scale));
  for (let y = 0; y < height; y++) {
    const rowBase = Math.min(outHeight - 1, Math.floor(y * scale)) * outWidth;
    let at = y * width * 4;
    for (let x = 0; x < width; x++, at += 4) {
      const target = rowBase + column[x];
      sums[target] += lumaOf(data[at], data[at + 1], data[at + 2]);
      counts[target] += 1;
    }
  }
  const out = new Uint8Array(outWidth * outHeight);
  for (let i = 0; i < out.length; i++) out[i] = counts[i] ? Math.round(sums[i] / counts[i]) : 0;
  return { data: out, width: outWidth, height: outHeight };
}
