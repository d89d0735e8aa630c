/**
 * The photo check's vocabulary: what it reads (RGBA pixels, face boxes), what
 * it measures and what it finds. Plain data, no DOM.
 */

/** What can be wrong with a photo, one code per plain-words message. */
export const PHOTO_FINDINGS = [
  'too-dark',
  'washed-out',
  'blurred',
  'too-small',
  'no-face',
  'several-faces',
  'face-too-small',
  'face-cut-off',
] as const;
export type PhotoFinding = (typeof PHOTO_FINDINGS)[number];

/** RGBA pixels, 4 bytes per pixel, row by row (an `ImageData` fits). */
export interface Pixels {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** Luma (0–255) of an image, one byte per pixel. */
export interface Luma {
  data: Uint8Array;
  width: number;
  height: number;
}

/** What the check needs of an image header. */
export interface PhotoHeader {
  format: string;
  width?: number;
  height?: number;
  /** EXIF orientation, 1 when none. */
  orientation: number;
}

/** A face, as a fraction (0–1) of the photo's width and height, so any detector size fits. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The numbers a verdict is drawn from; reported in the event so a shop can log them. */
export interface PhotoMeasures {
  /** The photo's size in pixels (not the analysed, downscaled size). */
  width: number;
  height: number;
  /** Mean luma, 0–255. */
  meanLuma: number;
  /** Luma percentiles: 5th and 95th, 0–255. */
  p5: number;
  p95: number;
  /** Share (0–1) of pixels with luma ≤ 16 (crushed) and ≥ 245 (clipped). */
  darkShare: number;
  clippedShare: number;
  /** Variance of the Laplacian of the contrast-normalised, downscaled luma. */
  sharpness: number;
}

/** The check's answer. */
export interface PhotoCheckResult {
  /** Empty when nothing is wrong. In a fixed order: exposure, blur, size, faces. */
  findings: PhotoFinding[];
  measures: PhotoMeasures;
  /**
   * Faces found, or `null` when no detector ran (the browser has none, or it
   * failed): then the face checks were skipped, never guessed.
   */
  faces: FaceBox[] | null;
}
