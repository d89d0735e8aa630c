/**
 * Tiny real images for tests, as `data:` URLs, made by pure-JS encoders. Works in
 * Node and in the browser (no Buffer, no canvas, no CommonJS dependency).
 */
import { encode as encodePng } from 'fast-png';
import { encodeBase64 } from './base64.js';
import { encodeJpeg } from './jpeg-encoder.js';

function solidPixels(
  width: number,
  height: number,
  rgba: readonly [number, number, number, number],
): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < data.length; p += 4) data.set(rgba, p);
  return data;
}

/** A `data:image/jpeg;base64,…` URL of a `width`×`height` image of one colour. */
export function solidJpegDataUrl(
  width: number,
  height: number,
  rgb: readonly [number, number, number],
): string {
  const bytes = encodeJpeg(
    { width, height, data: solidPixels(width, height, [rgb[0], rgb[1], rgb[2], 255]) },
    92,
  );
  return `data:image/jpeg;base64,${encodeBase64(bytes)}`;
}

/** A `data:image/png;base64,…` URL of a `width`×`height` RGBA image of one colour (alpha kept). */
export function solidPngDataUrl(
  width: number,
  height: number,
  rgba: readonly [number, number, number, number],
): string {
  const bytes = encodePng({
    width,
    height,
    data: solidPixels(width, height, rgba),
    channels: 4,
    depth: 8,
  });
  return `data:image/png;base64,${encodeBase64(bytes)}`;
}
