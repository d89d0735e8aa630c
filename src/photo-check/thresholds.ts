/**
 * Where a measure becomes a finding. Chosen from the labelled set in
 * test/fixtures/photo-check (see BENCHMARKS.md, "Photo check"): each sits
 * between the worst good photo and the mildest bad one, nearer the bad side,
 * because a false alarm costs the shopper a retake and a miss costs the shop
 * one credit.
 */
export interface PhotoThresholds {
  /** Too dark: mean luma below this… */
  darkMeanLuma: number;
  /** …or the 95th percentile below this (nothing in the photo is lit). */
  darkP95: number;
  /** Washed out: 5th percentile above this (no shadows left)… */
  washedOutP5: number;
  /** …or this share of pixels clipped to white. */
  washedOutClippedShare: number;
  /** Blurred: normalised Laplacian variance below this. */
  blurredSharpness: number;
  /** Too small: short side, in pixels, below this. */
  minShortSide: number;
  /** A second face counts when at least this share of the largest face's height. */
  otherFaceShare: number;
  /** Face too small: its height below this share of the photo's height… */
  minFaceHeightShare: number;
  /** …or below this many pixels. */
  minFacePixels: number;
  /** Cut off: a face box within this share of the frame's edge. */
  edgeMargin: number;
}

export const DEFAULT_THRESHOLDS: Readonly<PhotoThresholds> = Object.freeze({
  darkMeanLuma: 40,
  darkP95: 70,
  washedOutP5: 100,
  washedOutClippedShare: 0.2,
  blurredSharpness: 120,
  minShortSide: 400,
  otherFaceShare: 0.4,
  minFaceHeightShare: 0.12,
  minFacePixels: 48,
  edgeMargin: 0.01,
});
