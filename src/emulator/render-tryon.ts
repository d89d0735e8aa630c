/**
 * The emulated `tryon-v1.6` output: the model image with the garment cut out of
 * its background and fitted onto the body area its category covers, so a person
 * sees "this garment, on this avatar". Each sample varies a little with its seed.
 */
import { garmentRegion, type GarmentArea } from './body-layout.js';
import { drawCaption } from './bitmap-font.js';
import { between, hashString, seededRandom } from './random.js';
import {
  drawImage,
  luma,
  resample,
  rotateHue,
  type Rect,
  type Rgb,
  type RgbaImage,
} from './raster.js';

/** Long side of the output (FASHN processes at 864×1296; two thirds of it keeps this fast). */
export const TRYON_LONG_SIDE = 864;

export interface TryonRenderInput {
  model: RgbaImage;
  /** The garment as returned by `prepareGarment` (cut out and cropped). */
  garment: RgbaImage;
  category: 'auto' | GarmentArea;
  seed: number;
  /** 0-based index of this sample and how many were asked for. */
  sample: number;
  samples: number;
}

/** Near-white: bright and unsaturated (a studio or paper background). */
function isBackground(data: Uint8Array, p: number): boolean {
  if (data[p + 3] < 24) return true;
  const r = data[p];
  const g = data[p + 1];
  const b = data[p + 2];
  return Math.min(r, g, b) >= 226 && Math.max(r, g, b) - Math.min(r, g, b) <= 24;
}

/**
 * Makes the garment's background transparent: near-white (or already transparent)
 * pixels connected to the border, so white prints inside the garment stay.
 */
export function removeBackground(image: RgbaImage): RgbaImage {
  const { width, height } = image;
  const data = image.data.slice();
  const visited = new Uint8Array(width * height);
  const stack: number[] = [];
  const push = (i: number) => {
    if (!visited[i] && isBackground(data, i * 4)) {
      visited[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (stack.length) {
    const i = stack.pop()!;
    data[i * 4 + 3] = 0;
    const x = i % width;
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (i >= width) push(i - width);
    if (i < width * (height - 1)) push(i + width);
  }
  // Half-transparent rim where the garment meets removed background: no white halo.
  for (let i = 0; i < width * height; i++) {
    if (visited[i]) continue;
    const x = i % width;
    const touches =
      (x > 0 && visited[i - 1]) ||
      (x < width - 1 && visited[i + 1]) ||
      (i >= width && visited[i - width]) ||
      (i < width * (height - 1) && visited[i + width]);
    if (touches) data[i * 4 + 3] = Math.round(data[i * 4 + 3] / 2);
  }
  return { width, height, data };
}

/** Bounding box of pixels with visible alpha, or null when all are transparent. */
function opaqueBounds(image: RgbaImage): Rect | null {
  let minX = image.width;
  let minY = image.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[(y * image.width + x) * 4 + 3] > 24) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

export type GarmentPhotoType = 'auto' | 'flat-lay' | 'model';

/**
 * The garment pixels to fit: at most `maxSide` px, background removed, cropped to
 * the garment itself. Done once per prediction, shared by its samples.
 */
export function prepareGarment(
  garment: RgbaImage,
  photoType: GarmentPhotoType,
  maxSide = TRYON_LONG_SIDE,
): RgbaImage {
  const scale = Math.min(1, maxSide / Math.max(garment.width, garment.height));
  let image =
    scale < 1
      ? resample(
          garment,
          Math.max(1, Math.round(garment.width * scale)),
          Math.max(1, Math.round(garment.height * scale)),
        )
      : garment;
  if (photoType === 'model') {
    // Worn by a model: take the torso area of that photo rather than the whole person.
    const crop = {
      x: image.width * 0.2,
      y: image.height * 0.25,
      width: image.width * 0.6,
      height: image.height * 0.45,
    };
    image = resample(image, Math.round(crop.width), Math.round(crop.height), crop);
  }
  const cutOut = removeBackground(image);
  const bounds = opaqueBounds(cutOut);
  // An all-white garment photo leaves nothing after cutting: use the photo as it is.
  if (!bounds || bounds.width < 4 || bounds.height < 4) return image;
  return resample(cutOut, bounds.width, bounds.height, bounds);
}

/** `auto`: tall cut-outs are treated as one-pieces (dresses), the rest as tops. */
function resolveArea(category: TryonRenderInput['category'], garment: RgbaImage): GarmentArea {
  if (category !== 'auto') return category;
  return garment.height / garment.width >= 1.5 ? 'one-pieces' : 'tops';
}

/** Renders one try-on sample. Deterministic for the same inputs, seed and sample index. */
export function renderTryon(input: TryonRenderInput): RgbaImage {
  const { model } = input;
  const fit = TRYON_LONG_SIDE / Math.max(model.width, model.height);
  const width = Math.max(8, Math.round(model.width * fit));
  const height = Math.max(8, Math.round(model.height * fit));
  const image = resample(model, width, height);
  for (let p = 3; p < image.data.length; p += 4) image.data[p] = 255;

  const random = seededRandom(hashString(`${input.seed}:${input.sample}`));
  const { garment } = input;
  const area = resolveArea(input.category, garment);
  const region = garmentRegion(area, width, height);

  // Per-sample variation: size, position and hue, small enough to stay the same garment.
  const scale =
    Math.min(region.width / garment.width, region.height / garment.height) *
    between(random, 0.9, 1);
  const w = Math.max(1, Math.round(garment.width * scale));
  const h = Math.max(1, Math.round(garment.height * scale));
  const fitted = resample(garment, w, h);
  rotateHue(fitted, between(random, -14, 14));
  const dx = region.x + (region.width - w) / 2 + between(random, -0.02, 0.02) * width;
  const dy = region.y + between(random, 0, 0.03) * width;

  // Shade the garment by the body underneath, so folds and sides show through.
  const base = image.data.slice();
  drawImage(image, fitted, dx, dy, undefined, (x, y, color): Rgb => {
    const p = (y * width + x) * 4;
    const k = 0.8 + 0.2 * Math.min(1, luma([base[p], base[p + 1], base[p + 2]]) / 235);
    return [color[0] * k, color[1] * k, color[2] * k];
  });

  const sample = input.samples > 1 ? ` · ${input.sample + 1}/${input.samples}` : '';
  // Opaque and larger than the avatar's caption, which it covers on an emulated avatar.
  drawCaption(image, `EMULATED TRY-ON${sample} · SEED ${input.seed}`, {
    height: 0.062,
    bottom: 0.016,
    minWidth: 0.5,
    opacity: 1,
  });
  return image;
}
