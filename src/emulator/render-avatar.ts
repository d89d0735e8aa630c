/**
 * The emulated `face-to-model` output: an upper-body studio portrait drawn around
 * the shopper's photo, so a person sees their face became "the avatar".
 */
import { BODY } from './body-layout.js';
import { drawCaption } from './bitmap-font.js';
import { between, seededRandom } from './random.js';
import {
  createImage,
  drawImage,
  ellipseDistance,
  fillShape,
  fillVerticalGradient,
  meanColor,
  mix,
  resample,
  roundedRectDistance,
  type Rgb,
  type RgbaImage,
} from './raster.js';

export const AVATAR_WIDTH = 512;

/** Height over width of FASHN's face-to-model aspect ratios (all vertical). */
export const ASPECT_HEIGHT: Record<string, number> = {
  '1:1': 1,
  '4:5': 5 / 4,
  '3:4': 4 / 3,
  '2:3': 3 / 2,
  '9:16': 16 / 9,
};

export interface AvatarRenderInput {
  face: RgbaImage;
  aspectRatio: string;
  seed: number;
  prompt?: string;
}

const DEFAULT_SKIN: Rgb = [222, 184, 156];
const TOP_COLOR: Rgb = [236, 236, 238];

/** The avatar's pixel size for an aspect ratio, e.g. 2:3 -> 512×768. */
export function avatarSize(aspectRatio: string): { width: number; height: number } {
  return {
    width: AVATAR_WIDTH,
    height: Math.round(AVATAR_WIDTH * (ASPECT_HEIGHT[aspectRatio] ?? 1.5)),
  };
}

/** Torso half-width (in widths) from the body-shape words FASHN's docs use as examples. */
function torsoHalfWidth(prompt: string | undefined): number {
  const text = (prompt ?? '').toLowerCase();
  if (/\b(athletic|broad|muscular|strong)\b/.test(text)) return BODY.torsoHalfWidth + 0.04;
  if (/\b(curvy|plus|full|heavy|stocky)\b/.test(text)) return BODY.torsoHalfWidth + 0.05;
  if (/\b(slender|slim|petite|thin|lean|narrow)\b/.test(text)) return BODY.torsoHalfWidth - 0.05;
  return BODY.torsoHalfWidth;
}

/** Adds a soft white glow (Gaussian falloff) around (cx, cy): studio light behind the head. */
function addGlow(image: RgbaImage, cx: number, cy: number, radius: number, strength: number): void {
  const { width, height, data } = image;
  // exp(-(dx² + dy²)/r²) = exp(-dx²/r²) · exp(-dy²/r²): one table per axis.
  const fx = Float64Array.from({ length: width }, (_, x) => Math.exp(-(((x - cx) / radius) ** 2)));
  for (let y = 0; y < height; y++) {
    const fy = strength * Math.exp(-(((y - cy) / radius) ** 2));
    if (fy < 0.004) continue;
    for (let x = 0; x < width; x++) {
      const k = fy * fx[x];
      const p = (y * width + x) * 4;
      data[p] = Math.round(data[p] + (255 - data[p]) * k);
      data[p + 1] = Math.round(data[p + 1] + (255 - data[p + 1]) * k);
      data[p + 2] = Math.round(data[p + 2] + (255 - data[p + 2]) * k);
    }
  }
}

/** Renders the avatar. Deterministic for the same face pixels, aspect ratio, seed and prompt. */
export function renderAvatar(input: AvatarRenderInput): RgbaImage {
  const { width, height } = avatarSize(input.aspectRatio);
  const u = width;
  const random = seededRandom(input.seed);
  const image = createImage(width, height);

  // Soft studio background with a slight per-seed tint.
  const tint: Rgb = [
    Math.round(between(random, 200, 255)),
    Math.round(between(random, 200, 255)),
    Math.round(between(random, 200, 255)),
  ];
  fillVerticalGradient(image, mix([242, 239, 234], tint, 0.12), mix([212, 208, 202], tint, 0.12));
  addGlow(image, u / 2, BODY.head.cy * u, 0.55 * u, 0.45);

  // The face: a centre crop with the head's proportions, a little above the middle as in selfies.
  const head = BODY.head;
  const headW = Math.round(head.rx * 2 * u);
  const headH = Math.round(head.ry * 2 * u);
  const aspect = head.rx / head.ry;
  const { face } = input;
  const cropH = 0.86 * Math.min(face.height, face.width / aspect);
  const cropW = cropH * aspect;
  const crop = {
    x: (face.width - cropW) / 2,
    y: Math.min(face.height - cropH, Math.max(0, face.height * 0.46 - cropH / 2)),
    width: cropW,
    height: cropH,
  };
  const faceImage = resample(face, headW, headH, crop);
  const faceMean = meanColor(faceImage, {
    x: headW * 0.35,
    y: headH * 0.35,
    width: headW * 0.3,
    height: headH * 0.3,
  });
  const skin = mix(DEFAULT_SKIN, faceMean, 0.5);
  const skinShadow = mix(skin, [60, 40, 30], 0.18);

  // Body: sleeves, torso in a plain light top with side shading, neck and collar.
  const half = torsoHalfWidth(input.prompt) * u;
  const torsoTop = BODY.shoulders * u;
  for (const side of [-1, 1]) {
    const sleeve = {
      x: u / 2 + side * half - 0.06 * u,
      y: torsoTop + 0.05 * u,
      width: 0.12 * u,
      height: height,
    };
    fillShape(
      image,
      sleeve,
      roundedRectDistance(sleeve, 0.055 * u),
      mix(TOP_COLOR, [120, 120, 128], 0.2),
    );
  }
  const neck = {
    x: u / 2 - BODY.neck.halfWidth * u,
    y: BODY.neck.top * u,
    width: BODY.neck.halfWidth * 2 * u,
    height: (BODY.neck.bottom - BODY.neck.top) * u,
  };
  fillShape(image, neck, roundedRectDistance(neck, 0.03 * u), (_x, y) =>
    mix(skinShadow, skin, Math.min(1, Math.max(0, (y - neck.y) / neck.height))),
  );
  const torso = {
    x: u / 2 - half,
    y: torsoTop,
    width: half * 2,
    height: height - torsoTop + 0.3 * u,
  };
  fillShape(image, torso, roundedRectDistance(torso, 0.14 * u), (x) => {
    const t = Math.abs(x - u / 2) / half;
    return mix(TOP_COLOR, [150, 150, 158], 0.3 * t * t);
  });
  const collar = { cx: u / 2, cy: torsoTop, rx: 0.09 * u, ry: 0.06 * u };
  const ring = {
    x: collar.cx - collar.rx - 4,
    y: collar.cy - collar.ry - 4,
    width: collar.rx * 2 + 8,
    height: collar.ry * 2 + 8,
  };
  fillShape(
    image,
    ring,
    ellipseDistance(collar.cx, collar.cy, collar.rx + 4, collar.ry + 4),
    [200, 200, 206],
  );
  const neckline = {
    x: collar.cx - collar.rx,
    y: torsoTop - collar.ry,
    width: collar.rx * 2,
    height: collar.ry * 2,
  };
  fillShape(image, neckline, ellipseDistance(collar.cx, collar.cy, collar.rx, collar.ry), skin);
  // The neck above the collar stays visible over the collar's upper half.
  const neckOverCollar = { ...neck, height: torsoTop - neck.y };
  fillShape(image, neckOverCollar, roundedRectDistance(neckOverCollar, 0), (_x, y) =>
    mix(skinShadow, skin, Math.min(1, Math.max(0, (y - neck.y) / neck.height))),
  );

  // Head: the photo inside an oval with a soft edge.
  const headX = Math.round(head.cx * u - headW / 2);
  const headY = Math.round(head.cy * u - headH / 2);
  const oval = ellipseDistance(headW / 2, headH / 2, headW / 2, headH / 2);
  drawImage(image, faceImage, headX, headY, (x, y) =>
    Math.min(1, Math.max(0, 0.5 - oval(x, y) / 1.5)),
  );

  drawCaption(image, 'EMULATED AVATAR', { height: 0.05, bottom: 0.022 });
  return image;
}
