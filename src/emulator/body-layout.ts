/**
 * Where the emulated avatar's body parts are, in units of the image width from
 * the top edge (FASHN extends avatars downward for taller aspect ratios, so the
 * head and shoulders sit at the same place whatever the height). The try-on
 * renderer uses the same layout to place garments on an avatar.
 */
import type { Rect } from './raster.js';

export const BODY = {
  head: { cx: 0.5, cy: 0.285, rx: 0.165, ry: 0.215 },
  neck: { halfWidth: 0.062, top: 0.43, bottom: 0.6 },
  /** Top of the shoulders / torso. */
  shoulders: 0.575,
  /** Half-width of the torso at the shoulders, before the build from the prompt. */
  torsoHalfWidth: 0.34,
} as const;

export type GarmentArea = 'tops' | 'bottoms' | 'one-pieces';

/** The area of a `width`×`height` avatar image a garment of `area` covers. */
export function garmentRegion(area: GarmentArea, width: number, height: number): Rect {
  const u = width;
  const top = BODY.shoulders * u - 0.01 * u;
  const halfWidth = (BODY.torsoHalfWidth + 0.04) * u;
  if (area === 'bottoms') {
    // The lower part of what is visible below the shoulders (at least a third of a width tall).
    const y = Math.min(Math.max(top + 0.3 * u, height - 0.75 * u), height - 0.33 * u);
    return { x: u / 2 - 0.3 * u, y, width: 0.6 * u, height: height - y };
  }
  const bottom = area === 'tops' ? Math.min(height, top + 0.95 * u) : height;
  return { x: u / 2 - halfWidth, y: top, width: halfWidth * 2, height: Math.max(1, bottom - top) };
}
