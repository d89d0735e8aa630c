/**
 * Minimal RGBA raster operations for drawing the emulator's output images:
 * resampling, anti-aliased shapes, alpha compositing and colour helpers.
 * Pure JS on Uint8Array, no canvas.
 */

/** 8-bit RGBA pixels, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type Rgb = readonly [number, number, number];

export function createImage(
  width: number,
  height: number,
  fill: Rgb = [0, 0, 0],
  alpha = 255,
): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < data.length; p += 4) {
    data[p] = fill[0];
    data[p + 1] = fill[1];
    data[p + 2] = fill[2];
    data[p + 3] = alpha;
  }
  return { width, height, data };
}

/** Averages `factor`×`factor` blocks: a cheap, alias-free first step before bilinear resizing. */
export function downscaleBox(src: RgbaImage, factor: number): RgbaImage {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return src;
  const width = Math.max(1, Math.floor(src.width / f));
  const height = Math.max(1, Math.floor(src.height / f));
  const out = new Uint8Array(width * height * 4);
  const sums = new Float64Array(width * 4);
  const area = f * f;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let sy = y * f; sy < y * f + f; sy++) {
      const row = sy * src.width * 4;
      for (let x = 0; x < width; x++) {
        const base = row + x * f * 4;
        for (let sx = 0; sx < f * 4; sx += 4) {
          // Colour is weighted by alpha so transparent pixels do not darken edges.
          const a = src.data[base + sx + 3];
          sums[x * 4] += src.data[base + sx] * a;
          sums[x * 4 + 1] += src.data[base + sx + 1] * a;
          sums[x * 4 + 2] += src.data[base + sx + 2] * a;
          sums[x * 4 + 3] += a;
        }
      }
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const a = sums[x * 4 + 3];
      if (a > 0) {
        out[o] = Math.round(sums[x * 4] / a);
        out[o + 1] = Math.round(sums[x * 4 + 1] / a);
        out[o + 2] = Math.round(sums[x * 4 + 2] / a);
      }
      out[o + 3] = Math.round(a / area);
    }
  }
  return { width, height, data: out };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Resizes the `crop` area of `src` to `width`×`height`: box-averaging first when
 * shrinking a lot, then bilinear. Areas outside `src` repeat its edge pixels.
 */
export function resample(
  src: RgbaImage,
  width: number,
  height: number,
  crop: Rect = { x: 0, y: 0, width: src.width, height: src.height },
): RgbaImage {
  const factor = Math.floor(Math.min(crop.width / width, crop.height / height) / 2);
  let source = src;
  let area = crop;
  if (factor >= 2) {
    source = downscaleBox(src, factor);
    area = {
      x: crop.x / factor,
      y: crop.y / factor,
      width: crop.width / factor,
      height: crop.height / factor,
    };
  }
  const out = new Uint8Array(width * height * 4);
  const sw = source.width;
  const sh = source.height;
  const sd = source.data;
  const scaleX = area.width / width;
  const scaleY = area.height / height;
  // Source columns and weights are the same on every row: compute them once.
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  const weightX = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(sw - 1, Math.max(0, area.x + (x + 0.5) * scaleX - 0.5));
    const x0 = Math.floor(fx);
    left[x] = x0 * 4;
    right[x] = Math.min(sw - 1, x0 + 1) * 4;
    weightX[x] = fx - x0;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(sh - 1, Math.max(0, area.y + (y + 0.5) * scaleY - 0.5));
    const y0 = Math.floor(fy);
    const top = y0 * sw * 4;
    const bottom = Math.min(sh - 1, y0 + 1) * sw * 4;
    const wy = fy - y0;
    let o = y * width * 4;
    for (let x = 0; x < width; x++, o += 4) {
      const wx = weightX[x];
      const p00 = top + left[x];
      const p01 = top + right[x];
      const p10 = bottom + left[x];
      const p11 = bottom + right[x];
      // Weights times alpha (premultiplied), so transparent neighbours lend no colour.
      const w00 = (1 - wx) * (1 - wy) * sd[p00 + 3];
      const w01 = wx * (1 - wy) * sd[p01 + 3];
      const w10 = (1 - wx) * wy * sd[p10 + 3];
      const w11 = wx * wy * sd[p11 + 3];
      const alpha = w00 + w01 + w10 + w11;
      out[o + 3] = Math.round(alpha);
      if (alpha === 0) continue;
      const k = 1 / alpha;
      out[o] = Math.round((sd[p00] * w00 + sd[p01] * w01 + sd[p10] * w10 + sd[p11] * w11) * k);
      out[o + 1] = Math.round(
        (sd[p00 + 1] * w00 + sd[p01 + 1] * w01 + sd[p10 + 1] * w10 + sd[p11 + 1] * w11) * k,
      );
      out[o + 2] = Math.round(
        (sd[p00 + 2] * w00 + sd[p01 + 2] * w01 + sd[p10 + 2] * w10 + sd[p11 + 2] * w11) * k,
      );
    }
  }
  return { width, height, data: out };
}

/** Blends `color` over the pixel at byte offset `p` with coverage 0–1. */
function blendPixel(data: Uint8Array, p: number, color: Rgb, coverage: number): void {
  if (coverage <= 0) return;
  const k = Math.min(1, coverage);
  data[p] = Math.round(data[p] + (color[0] - data[p]) * k);
  data[p + 1] = Math.round(data[p + 1] + (color[1] - data[p + 1]) * k);
  data[p + 2] = Math.round(data[p + 2] + (color[2] - data[p + 2]) * k);
  data[p + 3] = Math.max(data[p + 3], Math.round(255 * k));
}

/**
 * Fills the shape given by a signed distance function (negative inside, in pixels)
 * over the bounding box `box`, anti-aliased over about one pixel. `shade` may vary
 * the colour per pixel.
 */
export function fillShape(
  image: RgbaImage,
  box: Rect,
  distance: (x: number, y: number) => number,
  color: Rgb | ((x: number, y: number) => Rgb),
  opacity = 1,
): void {
  const x0 = Math.max(0, Math.floor(box.x - 1));
  const y0 = Math.max(0, Math.floor(box.y - 1));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width + 1));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height + 1));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const coverage = Math.min(1, Math.max(0, 0.5 - distance(x + 0.5, y + 0.5))) * opacity;
      if (coverage <= 0) continue;
      const c = typeof color === 'function' ? color(x + 0.5, y + 0.5) : color;
      blendPixel(image.data, (y * image.width + x) * 4, c, coverage);
    }
  }
}

/** Approximate signed distance to an axis-aligned ellipse (good enough for anti-aliasing). */
export function ellipseDistance(cx: number, cy: number, rx: number, ry: number) {
  return (x: number, y: number): number => {
    const nx = (x - cx) / rx;
    const ny = (y - cy) / ry;
    const k = Math.hypot(nx, ny);
    // Scale the normalised distance back to pixels by the local radius.
    const radius = k === 0 ? Math.min(rx, ry) : Math.hypot(nx * rx, ny * ry) / k;
    return (k - 1) * radius;
  };
}

/** Signed distance to a rectangle with corner radius `r`. */
export function roundedRectDistance(rect: Rect, r: number) {
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  const hx = rect.width / 2 - r;
  const hy = rect.height / 2 - r;
  return (x: number, y: number): number => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
    return outside + Math.min(Math.max(qx, qy), 0) - r;
  };
}

export function fillRect(image: RgbaImage, rect: Rect, color: Rgb, opacity = 1): void {
  fillShape(image, rect, roundedRectDistance(rect, 0), color, opacity);
}

/** Vertical two-colour gradient over the whole image. */
export function fillVerticalGradient(image: RgbaImage, top: Rgb, bottom: Rgb): void {
  const { width, height, data } = image;
  for (let y = 0; y < height; y++) {
    const t = height > 1 ? y / (height - 1) : 0;
    const c = mix(top, bottom, t);
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      data[p] = c[0];
      data[p + 1] = c[1];
      data[p + 2] = c[2];
      data[p + 3] = 255;
    }
  }
}

/**
 * Draws `src` at (`dx`, `dy`) over `dst` using `src`'s alpha (times `mask` when
 * given: a per-pixel 0–1 factor in `src` coordinates).
 */
export function drawImage(
  dst: RgbaImage,
  src: RgbaImage,
  dx: number,
  dy: number,
  mask?: (x: number, y: number) => number,
  tint?: (x: number, y: number, color: Rgb) => Rgb,
): void {
  const ox = Math.round(dx);
  const oy = Math.round(dy);
  for (let y = Math.max(0, -oy); y < src.height && y + oy < dst.height; y++) {
    for (let x = Math.max(0, -ox); x < src.width && x + ox < dst.width; x++) {
      const s = (y * src.width + x) * 4;
      let alpha = src.data[s + 3] / 255;
      if (mask) alpha *= mask(x + 0.5, y + 0.5);
      if (alpha <= 0) continue;
      let color: Rgb = [src.data[s], src.data[s + 1], src.data[s + 2]];
      if (tint) color = tint(x + ox, y + oy, color);
      blendPixel(dst.data, ((y + oy) * dst.width + x + ox) * 4, color, alpha);
    }
  }
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [
    Math.round(a[0] + (b[0] - a[0]) * t),
    Math.round(a[1] + (b[1] - a[1]) * t),
    Math.round(a[2] + (b[2] - a[2]) * t),
  ];
}

/** Rec. 601 luma, 0–255. */
export function luma(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/** Mean colour of the opaque pixels in `rect` (transparent pixels ignored). */
export function meanColor(image: RgbaImage, rect: Rect): Rgb {
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(image.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(image.height, Math.ceil(rect.y + rect.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * image.width + x) * 4;
      const a = image.data[p + 3] / 255;
      r += image.data[p] * a;
      g += image.data[p + 1] * a;
      b += image.data[p + 2] * a;
      n += a;
    }
  }
  return n === 0 ? [128, 128, 128] : [Math.round(r / n), Math.round(g / n), Math.round(b / n)];
}

/** Rotates the hue of every pixel by `degrees` (in place), keeping luma roughly. */
export function rotateHue(image: RgbaImage, degrees: number): void {
  if (degrees === 0) return;
  // The standard YIQ-style hue rotation matrix (as in CSS `hue-rotate()`).
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const m = [
    0.213 + cos * 0.787 - sin * 0.213,
    0.715 - cos * 0.715 - sin * 0.715,
    0.072 - cos * 0.072 + sin * 0.928,
    0.213 - cos * 0.213 + sin * 0.143,
    0.715 + cos * 0.285 + sin * 0.14,
    0.072 - cos * 0.072 - sin * 0.283,
    0.213 - cos * 0.213 - sin * 0.787,
    0.715 - cos * 0.715 + sin * 0.715,
    0.072 + cos * 0.928 + sin * 0.072,
  ] as const;
  const d = image.data;
  for (let p = 0; p < d.length; p += 4) {
    const r = d[p];
    const g = d[p + 1];
    const b = d[p + 2];
    d[p] = clampByte(m[0] * r + m[1] * g + m[2] * b);
    d[p + 1] = clampByte(m[3] * r + m[4] * g + m[5] * b);
    d[p + 2] = clampByte(m[6] * r + m[7] * g + m[8] * b);
  }
}

export function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}

/** Drops the alpha channel over an opaque `background` (for RGB encoders). */
export function toRgb(image: RgbaImage, background: Rgb = [255, 255, 255]): Uint8Array {
  const out = new Uint8Array(image.width * image.height * 3);
  const d = image.data;
  for (let p = 0, o = 0; p < d.length; p += 4, o += 3) {
    const a = d[p + 3] / 255;
    out[o] = Math.round(background[0] + (d[p] - background[0]) * a);
    out[o + 1] = Math.round(background[1] + (d[p + 1] - background[1]) * a);
    out[o + 2] = Math.round(background[2] + (d[p + 2] - background[2]) * a);
  }
  return out;
}
