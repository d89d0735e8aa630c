/**
 * A 5×7 pixel font for the emulator's captions ("EMULATED TRY-ON · SEED 42"), so a
 * person looking at an output sees it is emulated and which sample it is.
 */
import { fillRect, fillShape, roundedRectDistance, type RgbaImage, type Rgb } from './raster.js';

/** Each glyph: seven rows of five bits, most significant bit on the left. */
const GLYPHS: Record<string, readonly number[]> = {
  A: [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001],
  B: [0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110],
  C: [0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110],
  D: [0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110],
  E: [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111],
  F: [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000],
  G: [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111],
  H: [0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001],
  I: [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
  J: [0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100],
  K: [0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001],
  L: [0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111],
  M: [0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001],
  N: [0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001],
  O: [0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110],
  P: [0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000],
  Q: [0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101],
  R: [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001],
  S: [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110],
  T: [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100],
  U: [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110],
  V: [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100],
  W: [0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010],
  X: [0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001],
  Y: [0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, 0b00100],
  Z: [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111],
  '0': [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
  '1': [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
  '2': [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
  '3': [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
  '4': [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
  '5': [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
  '6': [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
  '7': [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
  '8': [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
  '9': [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
  '-': [0, 0, 0, 0b11111, 0, 0, 0],
  '/': [0, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0],
  '.': [0, 0, 0, 0, 0, 0b01100, 0b01100],
  ':': [0, 0b01100, 0b01100, 0, 0b01100, 0b01100, 0],
  '#': [0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010],
  '·': [0, 0, 0, 0b00100, 0, 0, 0],
  ' ': [0, 0, 0, 0, 0, 0, 0],
};

const ADVANCE = 6; // glyph width 5 + 1 column of spacing

/** Width in pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  return Math.max(0, text.length * ADVANCE - 1) * scale;
}

/** Draws `text` (upper-cased; unknown characters become spaces) with its top-left at (x, y). */
export function drawText(
  image: RgbaImage,
  text: string,
  x: number,
  y: number,
  scale: number,
  color: Rgb,
): void {
  let penX = x;
  for (const char of text.toUpperCase()) {
    const rows = GLYPHS[char] ?? GLYPHS[' '];
    rows.forEach((bits, row) => {
      for (let col = 0; col < 5; col++) {
        if (bits & (1 << (4 - col))) {
          fillRect(
            image,
            { x: penX + col * scale, y: y + row * scale, width: scale, height: scale },
            color,
          );
        }
      }
    });
    penX += ADVANCE * scale;
  }
}

export interface CaptionLayout {
  /** Pill height and distance from the bottom edge, in image widths. */
  height: number;
  bottom: number;
  /** Smallest pill width, in image widths. */
  minWidth?: number;
  opacity?: number;
}

/**
 * A caption on a dark pill, centred near the bottom. Sizes are in image widths, so
 * a try-on caption (bigger, opaque) covers the avatar's own caption however the
 * avatar was scaled.
 */
export function drawCaption(image: RgbaImage, text: string, layout: CaptionLayout): void {
  const u = image.width;
  const boxH = layout.height * u;
  let scale = Math.max(1, Math.floor(boxH / 13));
  while (scale > 1 && textWidth(text, scale) > u * 0.92) scale--;
  const boxW = Math.min(
    u,
    Math.max(textWidth(text, scale) + 8 * scale, (layout.minWidth ?? 0) * u),
  );
  const rect = {
    x: (u - boxW) / 2,
    y: image.height - layout.bottom * u - boxH,
    width: boxW,
    height: boxH,
  };
  fillShape(image, rect, roundedRectDistance(rect, boxH / 2), [40, 40, 46], layout.opacity ?? 0.6);
  const x = Math.round(rect.x + (boxW - textWidth(text, scale)) / 2);
  const y = Math.round(rect.y + (boxH - 7 * scale) / 2);
  drawText(image, text, x, y, scale, [250, 250, 250]);
}
