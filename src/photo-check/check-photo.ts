/**
 * The browser entry of the photo check: decode the photo once, let the
 * browser downscale it to the analysis size, measure, ask the face finder (if
 * any), judge. Loaded by dynamic import at the review step only.
 */
import { faceFindings, imageFindings } from './judge.js';
import { ANALYSIS_SIDE } from './luma.js';
import { measurePhoto } from './measure.js';
import { nativeFaceFinder, type FaceFinder } from './faces.js';
import { DEFAULT_THRESHOLDS, type PhotoThresholds } from './thresholds.js';
import type { FaceBox, PhotoCheckResult, Pixels } from './types.js';

export interface CheckPhotoOptions {
  /** Who finds faces; the browser's `FaceDetector` by default. `null`: skip the face checks. */
  findFaces?: FaceFinder | null;
  thresholds?: Readonly<PhotoThresholds>;
  /** Decoder; `globalThis.createImageBitmap` by default. */
  createImageBitmap?: (image: Blob) => Promise<ImageBitmap>;
}

/** Pixels of `image`, scaled by the browser so the long side is at most `maxSide`. */
export function readScaledPixels(image: ImageBitmap, maxSide = ANALYSIS_SIDE): Pixels {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const context = new OffscreenCanvas(width, height).getContext('2d', {
    willReadFrequently: true,
  });
  if (!context) throw new Error('2D canvas is not available');
  context.imageSmoothingQuality = 'medium';
  context.drawImage(image, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

/** Checks an already decoded photo. */
export async function checkBitmap(
  image: ImageBitmap,
  options: CheckPhotoOptions = {},
): Promise<PhotoCheckResult> {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const measures = measurePhoto(readScaledPixels(image), image);
  const findFaces = options.findFaces === undefined ? nativeFaceFinder() : options.findFaces;
  let faces: FaceBox[] | null = null;
  if (findFaces) {
    try {
      faces = await findFaces(image);
    } catch {
      // A detector that fails says nothing about the photo: the face checks are skipped.
      faces = null;
    }
  }
  return {
    findings: [
      ...imageFindings(measures, thresholds),
      ...(faces ? faceFindings(faces, image.height, thresholds) : []),
    ],
    measures,
    faces,
  };
}

/** Checks a photo file (the normalised JPEG the review step shows). */
export async function checkPhoto(
  photo: Blob,
  options: CheckPhotoOptions = {},
): Promise<PhotoCheckResult> {
  const decode = options.createImageBitmap ?? ((blob: Blob) => globalThis.createImageBitmap(blob));
  const image = await decode(photo);
  try {
    return await checkBitmap(image, options);
  } finally {
    image.close();
  }
}
