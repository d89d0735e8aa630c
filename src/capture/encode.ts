/**
 * The last step of every photo: a JPEG on white of at most `maxBytes`, the
 * quality lowered step by step, then pixels taken away. Shared by the camera
 * (its frame, drawn at the final size, is encoded once: no decode and no
 * second JPEG generation) and the file pipeline (`normalize.ts`, loaded only
 * when a shopper picks a file).
 */
import { canceledError } from '../api/errors.js';
import { ImageRejectedError } from './rejected.js';

export interface Size {
  width: number;
  height: number;
}

export interface JpegBudget {
  /** Largest result in bytes. */
  maxBytes: number;
  /** JPEG quality tried first (0–1). */
  quality: number;
  /** Lowest quality before the result is made smaller instead. */
  minQuality: number;
}

/** What `face-to-model` gets: long side at most 1600 px, at most 600 KiB. */
export const PHOTO_DEFAULTS = {
  maxSide: 1600,
  maxBytes: 600 * 1024,
  quality: 0.9,
  minQuality: 0.5,
} as const;

export interface EncodedPhoto extends Size {
  /** `image/jpeg`, without any metadata (no EXIF, no location). */
  blob: Blob;
  /** The JPEG quality of `blob`. */
  quality: number;
}

/** How much the quality drops per encoding attempt. */
const QUALITY_STEP = 0.1;
/** Encodings at `minQuality` with fewer pixels before giving up (each removes at least 10 %). */
const MAX_SHRINKS = 20;

/**
 * Encodes `canvas` (upright, opaque), lowering the quality step by step down
 * to `minQuality`, then taking pixels away, until the JPEG fits in `maxBytes`.
 * Rejects `invalid-image` (`encode-failed`) when the browser cannot encode a JPEG, `canceled`
 * when `signal` aborts.
 */
export async function encodeWithinBudget(
  canvas: OffscreenCanvas,
  budget: JpegBudget,
  signal?: AbortSignal,
): Promise<EncodedPhoto> {
  let quality = budget.quality;
  let size: Size = { width: canvas.width, height: canvas.height };
  for (let shrinks = 0; ;) {
    const blob = await encodeJpeg(canvas, quality);
    throwIfAborted(signal);
    if (blob.size <= budget.maxBytes) return { blob, ...size, quality };
    if (quality > budget.minQuality) {
      quality = Math.max(budget.minQuality, Math.round((quality - QUALITY_STEP) * 100) / 100);
      continue;
    }
    if (++shrinks > MAX_SHRINKS) {
      throw new RangeError(`maxBytes (${budget.maxBytes}) is too small for any JPEG`);
    }
    // JPEG size grows about with the pixel count: shrink by about the excess.
    const factor = Math.min(0.9, Math.max(0.5, Math.sqrt(budget.maxBytes / blob.size) * 0.95));
    size = {
      width: Math.max(1, Math.round(size.width * factor)),
      height: Math.max(1, Math.round(size.height * factor)),
    };
    // From the last canvas (at most 2× larger): one smooth step is enough.
    canvas = drawOnWhite(canvas, size);
  }
}

/** `source` drawn at `size` on white (transparent pixels become white). */
export function drawOnWhite(source: CanvasImageSource, size: Size): OffscreenCanvas {
  const [canvas, context] = canvas2d(size);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size.width, size.height);
  context.drawImage(source, 0, 0, size.width, size.height);
  return canvas;
}

/** A canvas of `size` and its 2D context, set to smooth with high quality. */
export function canvas2d({
  width,
  height,
}: Size): [OffscreenCanvas, OffscreenCanvasRenderingContext2D] {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new ImageRejectedError('encode-failed');
  context.imageSmoothingQuality = 'high';
  return [canvas, context];
}

/** `size` scaled down (never up) so its long side is at most `maxSide`. */
export function fitWithin(size: Size, maxSide: number): Size {
  const scale = Math.min(1, maxSide / Math.max(size.width, size.height));
  if (scale === 1) return { width: size.width, height: size.height };
  return {
    width: Math.max(1, Math.min(maxSide, Math.round(size.width * scale))),
    height: Math.max(1, Math.min(maxSide, Math.round(size.height * scale))),
  };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const error = canceledError(undefined, signal.reason);
  error.step = 'capture';
  throw error;
}

async function encodeJpeg(canvas: OffscreenCanvas, quality: number): Promise<Blob> {
  let blob: Blob;
  try {
    blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  } catch (error) {
    throw new ImageRejectedError('encode-failed', undefined, error);
  }
  if (blob.type !== 'image/jpeg') throw new ImageRejectedError('encode-failed');
  return blob;
}
