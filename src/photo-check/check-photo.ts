/**
 * The browser entry of the photo check: decode the photo once, already at the
 * analysis size, measure, ask the face finder (if any) on that small image,
 * judge. A JPEG is decoded at a reduced n/8 DCT scale where WebCodecs'
 * `ImageDecoder` allows, which costs a fraction of a full decode; with no face
 * finder to feed, its luma is read straight from the decoded frame
 * (frame-luma.ts), else through an `ImageBitmap` and a canvas. Loaded by
 * dynamic import at the review step only. The header reader is handed in (the
 * element's bundle has one), so this module shares no code with the bundle.
 */
import { faceFindings, imageFindings } from './judge.js';
import { ANALYSIS_SIDE } from './luma.js';
import { decodeLuma, framePathFits } from './frame-luma.js';
import { decodeJpegAtEighths } from './scaled-jpeg.js';
import { measureLuma, measurePhoto } from './measure.js';
import { nativeFaceFinder, type FaceFinder } from './faces.js';
import { DEFAULT_THRESHOLDS, type PhotoThresholds } from './thresholds.js';
import type { FaceBox, PhotoCheckResult, PhotoHeader, Pixels } from './types.js';

export type { PhotoHeader } from './types.js';

export interface CheckPhotoOptions {
  /** Who finds faces; the browser's `FaceDetector` by default. `null`: skip the face checks. */
  findFaces?: FaceFinder | null;
  thresholds?: Readonly<PhotoThresholds>;
  /**
   * Reads format, size and EXIF orientation from a file's first bytes (the
   * capture code's `readImageHeader` fits). Without one, the photo is decoded
   * whole and scaled after, which costs more on large photos.
   */
  readHeader?: (bytes: Uint8Array) => PhotoHeader;
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

/**
 * Checks an already decoded photo; `size` is the photo's real size when
 * `image` was decoded smaller.
 */
export async function checkBitmap(
  image: ImageBitmap,
  options: CheckPhotoOptions = {},
  size: { width: number; height: number } = image,
): Promise<PhotoCheckResult> {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const measures = measurePhoto(readScaledPixels(image), size);
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
      ...(faces ? faceFindings(faces, size.height, thresholds) : []),
    ],
    measures,
    faces,
  };
}

/**
 * Decodes `photo` with its long side at most `maxSide` when its header gives
 * its size: a JPEG at the smallest n/8 DCT scale that still covers it
 * (WebCodecs), else the browser's decode with resize. Without a size (or with
 * an EXIF rotation, which the browser applies), the whole photo.
 */
export async function decodeSmall(
  photo: Blob,
  header: PhotoHeader | undefined,
  maxSide = ANALYSIS_SIDE,
): Promise<ImageBitmap> {
  const { width, height } = header ?? {};
  if (
    !header ||
    !width ||
    !height ||
    header.orientation !== 1 ||
    Math.max(width, height) <= maxSide
  )
    return createImageBitmap(photo);
  const scale = maxSide / Math.max(width, height);
  const target = {
    resizeWidth: Math.round(width * scale),
    resizeHeight: Math.round(height * scale),
  };
  const eighths = Math.ceil(8 * scale);
  if (header.format === 'jpeg' && typeof ImageDecoder === 'function' && eighths < 8) {
    let frame: VideoFrame | undefined;
    try {
      frame = await decodeJpegAtEighths(photo.stream(), width, height, eighths);
      return await createImageBitmap(frame, { ...target, resizeQuality: 'medium' });
    } catch {
      // Fall through to the plain decode.
    } finally {
      frame?.close();
    }
  }
  return createImageBitmap(photo, { ...target, resizeQuality: 'medium' });
}

/** The size a header gives, when the decoded photo will have it (no EXIF rotation). */
function sizeOf(header: PhotoHeader | undefined): { width: number; height: number } | undefined {
  return header?.width && header.height && header.orientation === 1
    ? { width: header.width, height: header.height }
    : undefined;
}

/**
 * Checks `photo` through an `ImageBitmap` and a canvas: the path for a face finder,
 * which needs an image, and where the decoder's frame cannot be read directly.
 */
export async function checkPhotoOnBitmap(
  photo: Blob,
  header: PhotoHeader | undefined,
  options: CheckPhotoOptions = {},
): Promise<PhotoCheckResult> {
  const image = await decodeSmall(photo, header);
  try {
    return await checkBitmap(image, options, sizeOf(header) ?? image);
  } finally {
    image.close();
  }
}

/** Checks a photo file (the photo the review step shows). */
export async function checkPhoto(
  photo: Blob,
  options: CheckPhotoOptions = {},
): Promise<PhotoCheckResult> {
  const findFaces = options.findFaces === undefined ? nativeFaceFinder() : options.findFaces;
  const head = options.readHeader && new Uint8Array(await photo.slice(0, 65_536).arrayBuffer());
  const header = head && options.readHeader?.(head);
  const size = sizeOf(header);
  // No detector needs an image: where the decoder's frame can be read, its luma is all
  // the check reads, and only then is the whole file read (the decoder takes it whole).
  if (!findFaces && header && size && framePathFits(header, ANALYSIS_SIDE)) {
    const bytes = photo.size <= head.length ? head : new Uint8Array(await photo.arrayBuffer());
    const luma = await decodeLuma(bytes, header, ANALYSIS_SIDE);
    if (luma) {
      const measures = measureLuma(luma, size);
      const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
      return { findings: imageFindings(measures, thresholds), measures, faces: null };
    }
  }
  return checkPhotoOnBitmap(photo, header, { ...options, findFaces: findFaces ?? null });
}
