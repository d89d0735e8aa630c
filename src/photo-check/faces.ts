/**
 * Face detection behind one small signature, so the check does not care who
 * finds the faces: the browser's own Shape Detection `FaceDetector` by
 * default, or whatever a caller passes (tests, or a shop that brings its own
 * detector). No detector means no face findings, never a guess.
 */
import type { FaceBox } from './types.js';

/** Finds the faces in a decoded photo; boxes in fractions (0–1) of its size. */
export type FaceFinder = (image: ImageBitmap) => Promise<FaceBox[]>;

/** The part of the Shape Detection API this uses (not in TypeScript's DOM types yet). */
interface ShapeDetectionFaceDetector {
  detect(image: ImageBitmapSource): Promise<{ boundingBox: DOMRectReadOnly }[]>;
}
type FaceDetectorConstructor = new (options?: {
  maxDetectedFaces?: number;
  fastMode?: boolean;
}) => ShapeDetectionFaceDetector;

/**
 * A `FaceFinder` over the browser's `FaceDetector`, or `undefined` where the
 * browser has none (most do not: Chromium offers it only where the platform
 * has a face detector, often behind a flag; not on desktop Linux).
 */
export function nativeFaceFinder(scope: object = globalThis): FaceFinder | undefined {
  const Detector = (scope as { FaceDetector?: FaceDetectorConstructor }).FaceDetector;
  if (typeof Detector !== 'function') return undefined;
  let detector: ShapeDetectionFaceDetector | undefined;
  return async (image) => {
    // Created on first use: constructing one can throw where the platform lacks the model.
    detector ??= new Detector({ maxDetectedFaces: 5, fastMode: true });
    const found = await detector.detect(image);
    return found.map(({ boundingBox: box }) =>
      toFraction(box.x, box.y, box.width, box.height, image.width, image.height),
    );
  };
}

/** A pixel box clipped to the image, as fractions of its size. */
export function toFraction(
  x: number,
  y: number,
  width: number,
  height: number,
  imageWidth: number,
  imageHeight: number,
): FaceBox {
  const left = Math.max(0, x);
  const top = Math.max(0, y);
  const right = Math.min(imageWidth, x + width);
  const bottom = Math.min(imageHeight, y + height);
  return {
    x: left / imageWidth,
    y: top / imageHeight,
    width: Math.max(0, right - left) / imageWidth,
    height: Math.max(0, bottom - top) / imageHeight,
  };
}
