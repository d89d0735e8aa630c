/**
 * Measures and face boxes in, findings out: pure, so the benchmark can score
 * thresholds on the labelled set without re-reading a pixel.
 */
import { DEFAULT_THRESHOLDS, type PhotoThresholds } from './thresholds.js';
import type { FaceBox, PhotoFinding, PhotoMeasures } from './types.js';

export function imageFindings(
  m: PhotoMeasures,
  t: Readonly<PhotoThresholds> = DEFAULT_THRESHOLDS,
): PhotoFinding[] {
  const findings: PhotoFinding[] = [];
  const dark = m.meanLuma < t.darkMeanLuma || m.p95 < t.darkP95;
  if (dark) findings.push('too-dark');
  else if (m.p5 > t.washedOutP5 || m.clippedShare > t.washedOutClippedShare)
    findings.push('washed-out');
  if (m.sharpness < t.blurredSharpness) findings.push('blurred');
  if (Math.min(m.width, m.height) < t.minShortSide) findings.push('too-small');
  return findings;
}

/** Face findings; `faces` in fractions of the photo, which is `height` pixels high. */
export function faceFindings(
  faces: readonly FaceBox[],
  height: number,
  t: Readonly<PhotoThresholds> = DEFAULT_THRESHOLDS,
): PhotoFinding[] {
  if (faces.length === 0) return ['no-face'];
  const largest = faces.reduce((a, b) => (b.height > a.height ? b : a));
  const findings: PhotoFinding[] = [];
  const others = faces.filter(
    (f) => f !== largest && f.height >= largest.height * t.otherFaceShare,
  );
  if (others.length > 0) findings.push('several-faces');
  if (largest.height < t.minFaceHeightShare || largest.height * height < t.minFacePixels)
    findings.push('face-too-small');
  const m = t.edgeMargin;
  const cut =
    largest.x < m ||
    largest.y < m ||
    largest.x + largest.width > 1 - m ||
    largest.y + largest.height > 1 - m;
  if (cut) findings.push('face-cut-off');
  return findings;
}
