import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { measureExposure } from '../../src/photo-check/exposure.js';
import { faceFindings, imageFindings } from '../../src/photo-check/judge.js';
import { downscaledLuma } from '../../src/photo-check/luma.js';
import { measurePhoto } from '../../src/photo-check/measure.js';
import { laplacianVariance } from '../../src/photo-check/sharpness.js';
import { toFraction } from '../../src/photo-check/faces.js';
import { IMAGE_CHECKS, loadPhotoSet } from '../support/photo-set.js';

const set = loadPhotoSet();
const decode = (bytes: Uint8Array) => jpeg.decode(bytes, { useTArray: true });

describe('photo check on the labelled set (real pixels)', () => {
  for (const photo of set) {
    const wanted = photo.expected.filter((f) => IMAGE_CHECKS.includes(f));
    it(`${photo.file}: ${wanted.length ? wanted.join(', ') : 'nothing wrong in the pixels'}`, () => {
      const measures = measurePhoto(decode(photo.bytes));
      assert.deepEqual(imageFindings(measures), wanted, JSON.stringify(measures));
    });
  }

  it('a 1600 px version of a good photo is judged like the original', () => {
    const good = decode(set.find((p) => p.file === 'good-1.jpg')!.bytes);
    // Nearest-neighbour ×3: the measures run on a 512 px luma either way.
    const big = {
      width: good.width * 3,
      height: good.height * 3,
      data: new Uint8Array(good.width * good.height * 36),
    };
    for (let y = 0; y < big.height; y++)
      for (let x = 0; x < big.width; x++) {
        const from = (Math.floor(y / 3) * good.width + Math.floor(x / 3)) * 4;
        big.data.set(good.data.subarray(from, from + 4), (y * big.width + x) * 4);
      }
    assert.deepEqual(imageFindings(measurePhoto(big)), []);
  });
});

describe('photo check measures', () => {
  it('downscales luma by area to at most 512 px on the long side', () => {
    const pixels = { width: 1600, height: 800, data: new Uint8Array(1600 * 800 * 4).fill(200) };
    const luma = downscaledLuma(pixels);
    assert.equal(luma.width, 512);
    assert.equal(luma.height, 256);
    assert.ok(luma.data.every((v) => v === 200));
  });

  it('refuses pixel data shorter than its size says', () => {
    assert.throws(
      () => downscaledLuma({ width: 10, height: 10, data: new Uint8Array(40) }),
      RangeError,
    );
  });

  it('exposure percentiles and shares follow the histogram', () => {
    const data = new Uint8Array(100);
    data.fill(0, 0, 10);
    data.fill(128, 10, 90);
    data.fill(255, 90);
    const exposure = measureExposure({ width: 10, height: 10, data });
    assert.equal(exposure.p5, 0);
    assert.equal(exposure.p95, 255);
    assert.equal(exposure.darkShare, 0.1);
    assert.equal(exposure.clippedShare, 0.1);
    assert.equal(exposure.meanLuma, (128 * 80 + 255 * 10) / 100);
  });

  it('a flat image has no Laplacian variance; a checkerboard has a lot', () => {
    const flat = { width: 8, height: 8, data: new Uint8Array(64).fill(90) };
    assert.equal(laplacianVariance(flat), 0);
    const checker = {
      width: 8,
      height: 8,
      data: Uint8Array.from({ length: 64 }, (_, i) => ((i + (i >> 3)) % 2 ? 255 : 0)),
    };
    assert.ok(laplacianVariance(checker) > 100_000);
  });
});

describe('photo check face findings', () => {
  const centred = { x: 0.35, y: 0.2, width: 0.3, height: 0.35 };

  it('one well placed face: nothing to say', () => {
    assert.deepEqual(faceFindings([centred], 1200), []);
  });
  it('no face', () => {
    assert.deepEqual(faceFindings([], 1200), ['no-face']);
  });
  it('a second face of comparable size counts; a tiny one in the background does not', () => {
    const second = { x: 0.05, y: 0.3, width: 0.2, height: 0.25 };
    const far = { x: 0.8, y: 0.1, width: 0.04, height: 0.05 };
    assert.deepEqual(faceFindings([centred, second], 1200), ['several-faces']);
    assert.deepEqual(faceFindings([centred, far], 1200), []);
  });
  it('a face too small by share of the photo, or in pixels', () => {
    assert.deepEqual(faceFindings([{ x: 0.4, y: 0.4, width: 0.08, height: 0.1 }], 1200), [
      'face-too-small',
    ]);
    assert.deepEqual(faceFindings([centred], 120), ['face-too-small']);
  });
  it('a face touching the frame is cut off', () => {
    assert.deepEqual(faceFindings([{ ...centred, x: 0 }], 1200), ['face-cut-off']);
    assert.deepEqual(faceFindings([{ ...centred, y: 0.7, height: 0.3 }], 1200), ['face-cut-off']);
  });
  it('detector boxes outside the image are clipped to it', () => {
    assert.deepEqual(toFraction(-10, 20, 60, 40, 100, 200), {
      x: 0,
      y: 0.1,
      width: 0.5,
      height: 0.2,
    });
  });
});
