/**
 * Browser side of the photo-check section (bundled by bench/photo-check.ts):
 * runs the check on the labelled set, times it on a 1600 px photo against the
 * browser's bare decode of the same file, and wraps @vladmandic/face-api's
 * tiny face detector as a `FaceFinder` to measure what shipping it would buy.
 * face-api is a devDependency: it is measured here, not shipped.
 */
import * as faceapi from '@vladmandic/face-api';
import { readImageHeader } from '../../src/capture/image-header.js';
import {
  checkBitmap,
  checkPhoto,
  checkPhotoOnBitmap,
  decodeSmall,
  type FaceFinder,
} from '../../src/photo-check/index.js';
import { toFraction } from '../../src/photo-check/faces.js';
import type { PhotoCheckResult } from '../../src/photo-check/types.js';

export interface SetEntry {
  file: string;
  /** Findings with no detector (image checks only). */
  plain: PhotoCheckResult;
  /** Findings with the tiny face detector at each input size. */
  tiny: Record<number, PhotoCheckResult>;
  /** Findings with the browser's FaceDetector, when it has one. */
  native: PhotoCheckResult | null;
  /** No detector, through an `ImageBitmap` and a canvas (the path taken when a face finder needs the image). */
  bitmap: PhotoCheckResult;
  /** No detector, `ImageDecoder` hidden, as in WebKit: the whole photo decoded, then resized. */
  canvas: PhotoCheckResult;
}

/**
 * Runs `work` as a browser without WebCodecs' `ImageDecoder` would (WebKit):
 * the check then takes its canvas path.
 */
async function withoutImageDecoder<T>(work: () => Promise<T>): Promise<T> {
  const scope = globalThis as { ImageDecoder?: unknown };
  const saved = scope.ImageDecoder;
  scope.ImageDecoder = undefined;
  try {
    return await work();
  } finally {
    scope.ImageDecoder = saved;
  }
}

/** The part of the bundled tfjs used here (face-api's types declare only a few of its functions). */
const tf = faceapi.tf as unknown as {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
};

let loaded: Promise<string> | undefined;
/** Loads the tiny face detector's weights once; resolves to the tfjs backend in use. */
function loadTiny(backend: string): Promise<string> {
  loaded ??= (async () => {
    await tf.setBackend(backend);
    await tf.ready();
    await faceapi.nets.tinyFaceDetector.loadFromUri('/face-api-model');
    return tf.getBackend();
  })();
  return loaded;
}

function tinyFinder(inputSize: number): FaceFinder {
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 });
  return async (image) => {
    const tensor = faceapi.tf.browser.fromPixels(image);
    try {
      const found = await faceapi.detectAllFaces(tensor, options);
      return found.map(({ box }) =>
        toFraction(box.x, box.y, box.width, box.height, image.width, image.height),
      );
    } finally {
      tensor.dispose();
    }
  };
}

/** The check through an `ImageBitmap` and a canvas, as it runs when a face finder needs the image. */
async function checkThroughBitmap(photo: Blob): Promise<PhotoCheckResult> {
  const header = readImageHeader(new Uint8Array(await photo.slice(0, 65_536).arrayBuffer()));
  return checkPhotoOnBitmap(photo, header, { findFaces: null });
}

async function scoreSet(files: string[], inputSizes: number[], backend: string) {
  const usedBackend = await loadTiny(backend);
  const hasNative = 'FaceDetector' in globalThis;
  const entries: SetEntry[] = [];
  for (const file of files) {
    const blob = await (await fetch(`/set/${file}`)).blob();
    const tiny: Record<number, PhotoCheckResult> = {};
    for (const size of inputSizes)
      tiny[size] = await checkPhoto(blob, {
        findFaces: tinyFinder(size),
        readHeader: readImageHeader,
      });
    entries.push({
      file,
      plain: await checkPhoto(blob, { findFaces: null, readHeader: readImageHeader }),
      tiny,
      native: hasNative ? await checkPhoto(blob, { readHeader: readImageHeader }) : null,
      bitmap: await checkThroughBitmap(blob),
      canvas: await withoutImageDecoder(() =>
        checkPhoto(blob, { findFaces: null, readHeader: readImageHeader }),
      ),
    });
  }
  return { entries, backend: usedBackend, hasNative };
}

/** A 1600×1200 JPEG of a set photo, scaled up with the browser's smoothing. */
async function bigPhoto(file: string): Promise<Blob> {
  const source = await createImageBitmap(await (await fetch(`/set/${file}`)).blob());
  const canvas = new OffscreenCanvas(1600, 1200);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 1600, 1200);
  const height = 1200;
  const width = (source.width / source.height) * height;
  ctx.drawImage(source, (1600 - width) / 2, 0, width, height);
  source.close();
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
}

export interface CostMeasure {
  inputBytes: number;
  /** `createImageBitmap(blob)` + `close()`: what any use of the photo costs. */
  bareMs: number[];
  /** `checkPhoto(blob, { findFaces: null })`: its reduced-scale decode included. */
  checkMs: number[];
  /** The same on the canvas path, as in browsers without `ImageDecoder`. */
  canvasMs: number[];
  /** `checkBitmap(bitmap, { findFaces: null })`: the check alone on a fully decoded photo. */
  checkDecodedMs: number[];
  /** The tiny detector on the photo as the check decodes it. */
  tinyMs: number[];
}

const time = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

async function measureCost(file: string, runs: number, detectorRuns: number, inputSize: number) {
  const blob = await bigPhoto(file);
  const decoded = await createImageBitmap(blob);
  const finder = tinyFinder(inputSize);
  const m: CostMeasure = {
    inputBytes: blob.size,
    bareMs: [],
    checkMs: [],
    canvasMs: [],
    checkDecodedMs: [],
    tinyMs: [],
  };
  // One warm-up of each, then alternate so drift in the machine's load hits all alike.
  for (let run = -1; run < runs; run++) {
    const bare = await time(async () => (await createImageBitmap(blob)).close());
    const check = await time(() =>
      checkPhoto(blob, { findFaces: null, readHeader: readImageHeader }),
    );
    const canvas = await withoutImageDecoder(() =>
      time(() => checkPhoto(blob, { findFaces: null, readHeader: readImageHeader })),
    );
    const checkDecoded = await time(() => checkBitmap(decoded, { findFaces: null }));
    if (run < 0) continue;
    m.bareMs.push(bare);
    m.checkMs.push(check);
    m.canvasMs.push(canvas);
    m.checkDecodedMs.push(checkDecoded);
  }
  // The detector on the image the check decodes (512 px long side), as `checkPhoto` would run it.
  const small = await decodeSmall(blob, readImageHeader(new Uint8Array(await blob.arrayBuffer())));
  for (let run = -1; run < detectorRuns; run++) {
    const tiny = await time(() => finder(small));
    if (run >= 0) m.tinyMs.push(tiny);
  }
  small.close();
  decoded.close();
  return m;
}

let firstPhoto: Blob | undefined;

/** Makes the 1600 px photo for `measureFirst` (before the CPU is throttled). */
async function prepareFirst(file: string): Promise<void> {
  firstPhoto = await bigPhoto(file);
}

/**
 * In a fresh page, the bare decode, then the first `checkPhoto`: what a
 * shopper meets, since the element checks one photo with code the engine
 * has not optimised yet.
 */
async function measureFirst(): Promise<{ bareMs: number; checkMs: number }> {
  const blob = firstPhoto!;
  const bareMs = await time(async () => (await createImageBitmap(blob)).close());
  const checkMs = await time(() =>
    checkPhoto(blob, { findFaces: null, readHeader: readImageHeader }),
  );
  return { bareMs, checkMs };
}

const api = { scoreSet, measureCost, loadTiny, prepareFirst, measureFirst };
declare global {
  interface Window {
    photoCheckBench?: typeof api;
  }
}
window.photoCheckBench = api;
