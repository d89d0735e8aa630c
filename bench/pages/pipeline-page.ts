/**
 * Browser side of table 2 (bundled by bench/pipeline.ts): makes photo-like
 * JPEGs of a given size, then times `normalizeImage` against the browser's
 * bare decode of the same file, alternating the two so drift hits both alike.
 * The bare decode is `createImageBitmap` until one pixel of the bitmap has
 * been read back: WebKit resolves `createImageBitmap` before the pixels can
 * be used and does the rest of the work on first use (a 1-pixel read of a
 * fresh 12 MP bitmap costs it about as much again; Chromium and Firefox ~0 ms).
 */
import { normalizeImage } from '../../src/capture/normalize.js';

export interface PipelineRun {
  width: number;
  height: number;
  /** Timed runs of each, after one warm-up of each. */
  runs: number;
}

export interface PipelineMeasure {
  inputBytes: number;
  bareMs: number[];
  /** When `createImageBitmap` alone resolved, in each bare run. */
  resolvedMs: number[];
  oursMs: number[];
  outputBytes: number[];
  outputWidth: number;
  outputHeight: number;
}

/**
 * A photo-like JPEG: smooth gradients and soft shapes (sky, skin, fabric),
 * then fine noise like a phone sensor's, so the encoder has real detail to
 * keep (a flat picture would decode unrealistically fast).
 */
async function photoLikeJpeg(width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  const sky = ctx.createLinearGradient(0, 0, width * 0.3, height);
  sky.addColorStop(0, '#8fb4d9');
  sky.addColorStop(0.55, '#e9d8c4');
  sky.addColorStop(1, '#5b4636');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, height);
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 60; i++) {
    const x = random() * width;
    const y = random() * height;
    const r = (0.03 + random() * 0.2) * width;
    const blob = ctx.createRadialGradient(x, y, 0, x, y, r);
    const hue = Math.round(random() * 360);
    blob.addColorStop(0, `hsla(${hue}, 45%, ${35 + random() * 40}%, 0.8)`);
    blob.addColorStop(1, `hsla(${hue}, 45%, 50%, 0)`);
    ctx.fillStyle = blob;
    ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
  }
  // Sensor noise: a random tile blended over the whole picture.
  const tileSize = 509; // odd, so the repeat does not line up with JPEG's 8×8 blocks
  const noise = new ImageData(tileSize, tileSize);
  for (let i = 0; i < noise.data.length; i += 4) {
    const v = Math.round(random() * 255);
    noise.data[i] = v;
    noise.data[i + 1] = Math.round(random() * 255);
    noise.data[i + 2] = v;
    noise.data[i + 3] = 255;
  }
  const tile = new OffscreenCanvas(tileSize, tileSize);
  tile.getContext('2d')!.putImageData(noise, 0, 0);
  ctx.globalAlpha = 0.08;
  ctx.fillStyle = ctx.createPattern(tile, 'repeat')!;
  ctx.fillRect(0, 0, width, height);
  ctx.globalAlpha = 1;
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
}

/** Decodes until a pixel is readable; resolves with when `createImageBitmap` itself resolved. */
async function bareDecode(blob: Blob): Promise<number> {
  const started = performance.now();
  const bitmap = await createImageBitmap(blob);
  const resolved = performance.now() - started;
  const context = new OffscreenCanvas(1, 1).getContext('2d')!;
  context.drawImage(bitmap, 0, 0, 1, 1, 0, 0, 1, 1);
  context.getImageData(0, 0, 1, 1);
  bitmap.close();
  return resolved;
}

/** Runs one size: warm-up, then `runs` alternating pairs. */
export async function measurePipeline({
  width,
  height,
  runs,
}: PipelineRun): Promise<PipelineMeasure> {
  const jpeg = await photoLikeJpeg(width, height);
  // The file as a shopper's would be: bytes in memory, not a canvas-backed blob.
  const blob = new Blob([await jpeg.arrayBuffer()], { type: 'image/jpeg' });
  await bareDecode(blob);
  const first = await normalizeImage(blob);
  const result: PipelineMeasure = {
    inputBytes: blob.size,
    bareMs: [],
    resolvedMs: [],
    oursMs: [],
    outputBytes: [],
    outputWidth: first.width,
    outputHeight: first.height,
  };
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always follows the other's garbage.
    const order = i % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare'];
    for (const which of order) {
      const started = performance.now();
      if (which === 'bare') {
        result.resolvedMs.push(await bareDecode(blob));
        result.bareMs.push(performance.now() - started);
      } else {
        const out = await normalizeImage(blob);
        result.oursMs.push(performance.now() - started);
        result.outputBytes.push(out.blob.size);
      }
    }
  }
  return result;
}

declare global {
  interface Window {
    measurePipeline?: typeof measurePipeline;
  }
}
window.measurePipeline = measurePipeline;
