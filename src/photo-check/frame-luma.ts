/**
 * The fast way to the analysis luma where WebCodecs' `ImageDecoder` exists
 * (Chromium, Firefox; not WebKit): the JPEG is decoded at the smallest n/8
 * DCT scale that still covers the analysis size, its pixels copied out of the
 * `VideoFrame`, and the luma resampled here. This skips `createImageBitmap`, a
 * canvas and `getImageData`, each a trip through the browser that costs
 * several milliseconds on a slow phone (`npm run bench -- photo-check`).
 *
 * The resample is bilinear with pixel centres aligned, which is what
 * Chromium's `resizeQuality: 'medium'` does while the decoded frame is less
 * than about 1.4 times the analysis size, so the measures (and the thresholds
 * drawn from them in Chromium) match its canvas path's; the bench compares
 * both on the labelled set. (In Firefox this path stays within 13 % of
 * Chromium's blur measure on the set, its own resize up to 78 % above.)
 * Further down the browser first averages (its mipmaps). The n/8 decode of a
 * photo up to 1600 px (the element checks no larger) is at most 4/3 of the
 * analysis size; some larger photos, or a frame format not read here, get
 * `undefined` and the caller's canvas path.
 */
import { decodeJpegAtEighths } from './scaled-jpeg.js';
import type { Luma, PhotoHeader } from './types.js';

/**
 * Where red sits in a 4-byte pixel (blue is at 2 − red). A JPEG decoded at a
 * reduced scale comes as BGRX in Chromium; other formats take the canvas path.
 */
const RED_AT: Partial<Record<VideoPixelFormat, number>> = { RGBA: 0, RGBX: 0, BGRA: 2, BGRX: 2 };

/** Largest decoded-to-analysis size ratio where bilinear is what the browser's resize does. */
const MAX_RATIO = 1.4;

/**
 * Whether `decodeLuma` can take the photo `header` describes: a JPEG without an EXIF
 * rotation, decoded by `ImageDecoder` at a reduced n/8 scale close to `maxSide`.
 * Known from the header, before the whole file is read.
 */
export function framePathFits(header: PhotoHeader, maxSide: number): boolean {
  const { width, height } = header;
  if (
    typeof ImageDecoder !== 'function' ||
    header.format !== 'jpeg' ||
    header.orientation !== 1 ||
    !width ||
    !height
  )
    return false;
  const scale = maxSide / Math.max(width, height);
  const eighths = Math.ceil(8 * scale);
  // At 8/8 there is nothing to gain; see MAX_RATIO for the other bound.
  return eighths < 8 && eighths <= MAX_RATIO * 8 * scale;
}

/**
 * Luma of the JPEG in `bytes`, at most `maxSide` on the long side, or
 * `undefined` when this path does not apply (no `ImageDecoder`, not a JPEG, an
 * EXIF rotation, already small, too large, an unusual frame).
 */
export async function decodeLuma(
  bytes: Uint8Array,
  header: PhotoHeader,
  maxSide: number,
): Promise<Luma | undefined> {
  const { width, height } = header;
  if (!width || !height || !framePathFits(header, maxSide)) return undefined;
  const scale = maxSide / Math.max(width, height);
  const eighths = Math.ceil(8 * scale);
  let frame: VideoFrame | undefined;
  try {
    frame = await decodeJpegAtEighths(bytes, width, height, eighths);
    return await frameLuma(
      frame,
      Math.max(1, Math.round(width * scale)),
      Math.max(1, Math.round(height * scale)),
    );
  } catch {
    return undefined;
  } finally {
    frame?.close();
  }
}

/** Luma of `frame` resampled to `width`×`height`; `undefined` for a format not read here. */
async function frameLuma(
  frame: VideoFrame,
  width: number,
  height: number,
): Promise<Luma | undefined> {
  const red = frame.format ? RED_AT[frame.format] : undefined;
  const sourceWidth = frame.visibleRect?.width ?? frame.codedWidth;
  const sourceHeight = frame.visibleRect?.height ?? frame.codedHeight;
  const fits = (source: number, target: number) =>
    source >= Math.max(2, target) && source <= MAX_RATIO * target;
  if (red === undefined || !fits(sourceWidth, width) || !fits(sourceHeight, height))
    return undefined;
  const copied = new Uint8Array(frame.allocationSize());
  const [{ offset, stride }] = await frame.copyTo(copied);
  // Rec. 601 luma in 8-bit integers, as luma.ts computes it from RGBA.
  const source = new Uint8Array(sourceWidth * sourceHeight);
  const blue = 2 - red;
  for (let y = 0, out = 0; y < sourceHeight; y++) {
    for (let x = 0, at = offset + y * stride; x < sourceWidth; x++, at += 4, out++)
      source[out] = (77 * copied[at + red] + 150 * copied[at + 1] + 29 * copied[at + blue]) >> 8;
  }
  const columns = taps(sourceWidth, width);
  const rows = taps(sourceHeight, height);
  const data = new Uint8Array(width * height);
  // Integers only (weights in 256ths): the check runs once per photo, mostly
  // before the engine has optimised this loop, where every fractional
  // intermediate would be a boxed number.
  for (let y = 0, out = 0; y < height; y++) {
    const top = rows.first[y] * sourceWidth;
    const bottom = top + sourceWidth;
    const down = rows.weight[y];
    for (let x = 0; x < width; x++, out++) {
      const a = top + columns.first[x];
      const b = bottom + columns.first[x];
      const right = columns.weight[x];
      const upper = (source[a] << 8) + (source[a + 1] - source[a]) * right;
      const lower = (source[b] << 8) + (source[b + 1] - source[b]) * right;
      data[out] = ((upper << 8) + (lower - upper) * down + 32_768) >> 16;
    }
  }
  return { data, width, height };
}

/** Per target pixel, the first of the two source pixels it lies between and the second's weight in 256ths. */
function taps(sourceSize: number, targetSize: number) {
  const first = new Int32Array(targetSize);
  const weight = new Int32Array(targetSize);
  const step = sourceSize / targetSize;
  for (let i = 0; i < targetSize; i++) {
    const at = Math.min(sourceSize - 1, Math.max(0, (i + 0.5) * step - 0.5));
    first[i] = Math.min(sourceSize - 2, Math.floor(at));
    weight[i] = Math.round((at - first[i]) * 256);
  }
  return { first, weight };
}
