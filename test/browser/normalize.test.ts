import { expect } from '@open-wc/testing';
import { FashnError } from '../../src/api/errors.js';
import { imageInput } from '../../src/api/schemas.js';
import { readImageHeader } from '../../src/capture/image-header.js';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import {
  ImageRejectedError,
  normalizeImage,
  type NormalizeOptions,
} from '../../src/capture/normalize.js';
import {
  QUADRANT_COLORS,
  SVG_TEXT,
  blobBytes,
  heifSkeleton,
  isColor,
  jpegSkeleton,
  makeJpeg,
  makePng,
  readPixels,
  type Rgb,
} from '../support/images.js';

const { topLeft: RED, topRight: GREEN, bottomLeft: BLUE, bottomRight: YELLOW } = QUADRANT_COLORS;

/** Safari and WebKitGTK (Chromium's and Firefox's user agents name another engine). */
const WEBKIT =
  /AppleWebKit/.test(navigator.userAgent) && !/Chrome|Firefox/.test(navigator.userAgent);
type Test = (title: string, body: () => Promise<void>) => void;
/** `it`, or a skip whose title says why, in the engine named. */
const unlessWebKit = (why: string): Test =>
  WEBKIT
    ? (title, body) =>
        (it as unknown as { skip: Test }).skip(`${title} (skipped in WebKit: ${why})`, body)
    : it;
const MAX_BYTES = 600 * 1024;

/** The real decoder, counting its calls: refusals "before decoding" must leave it at 0. */
function countingDecoder() {
  const decoder = {
    calls: 0,
    createImageBitmap: (image: Blob, options?: ImageBitmapOptions) => {
      decoder.calls++;
      return createImageBitmap(image, options);
    },
  };
  return decoder;
}

async function rejection(file: Blob, options?: NormalizeOptions): Promise<ImageRejectedError> {
  try {
    await normalizeImage(file, options);
  } catch (error) {
    expect(error).to.be.instanceOf(FashnError);
    expect(error).to.be.instanceOf(ImageRejectedError);
    expect((error as FashnError).step).to.equal('capture');
    return error as ImageRejectedError;
  }
  throw new Error('expected normalizeImage to reject');
}

/** The colours at the centres of the four quarters of an image. */
async function quarterColors(blob: Blob) {
  const pixels = await readPixels(blob);
  const { width: w, height: h } = pixels;
  return {
    topLeft: pixels.at(w / 4, h / 4),
    topRight: pixels.at((3 * w) / 4, h / 4),
    bottomLeft: pixels.at(w / 4, (3 * h) / 4),
    bottomRight: pixels.at((3 * w) / 4, (3 * h) / 4),
  };
}

function expectColor(actual: ArrayLike<number>, expected: Rgb, where: string) {
  expect(
    isColor(actual, expected),
    `${where}: got ${Array.from(actual).join(',')}, want ${expected.join(',')}`,
  ).to.be.true;
}

describe('normalizeImage', () => {
  it('turns a 4032×3024 camera JPEG into a decodable 1600×1200 JPEG of at most 600 KB', async () => {
    const photo = await makeJpeg(4032, 3024, { pattern: 'photo' });
    expect(photo.size).to.be.above(MAX_BYTES);

    const result = await normalizeImage(photo);

    expect(result.blob.type).to.equal('image/jpeg');
    expect(result.blob.size).to.be.at.most(MAX_BYTES);
    expect([result.width, result.height]).to.deep.equal([1600, 1200]);
    expect([result.sourceWidth, result.sourceHeight]).to.deep.equal([4032, 3024]);
    expect(result.orientation).to.equal(1);
    const decoded = await readPixels(result.blob);
    expect([decoded.width, decoded.height]).to.deep.equal([1600, 1200]);
  });

  it('gives the same picture through ImageDecoder (reduced-scale decode) and createImageBitmap alone', async () => {
    // Where ImageDecoder is missing (WebKit) both take the createImageBitmap path.
    const photo = await makeJpeg(3200, 2400, { orientation: 6, pattern: 'photo' });
    const fast = await normalizeImage(photo);
    const plain = await normalizeImage(photo, {
      createImageBitmap: (image, options) => createImageBitmap(image, options),
    });
    expect([fast.width, fast.height]).to.deep.equal([1200, 1600]);
    expect([plain.width, plain.height]).to.deep.equal([1200, 1600]);
    const [a, b] = await Promise.all([readPixels(fast.blob), readPixels(plain.blob)]);
    let difference = 0;
    let samples = 0;
    for (let y = 5; y < 1600; y += 37)
      for (let x = 5; x < 1200; x += 37, samples++)
        for (let channel = 0; channel < 3; channel++)
          difference += Math.abs(a.at(x, y)[channel] - b.at(x, y)[channel]);
    // Both are resampled JPEGs of a smooth photo: a few levels apart on average, not a turn or a shift.
    expect(difference / (samples * 3)).to.be.below(4);
  });

  it('applies EXIF orientation 6 to a large photo: sides swapped, red corner top right', async () => {
    const photo = await makeJpeg(3200, 2400, { orientation: 6 });
    const result = await normalizeImage(photo);

    expect([result.width, result.height]).to.deep.equal([1200, 1600]);
    expect([result.sourceWidth, result.sourceHeight]).to.deep.equal([2400, 3200]);
    expect(result.orientation).to.equal(6);
    const colors = await quarterColors(result.blob);
    expectColor(colors.topRight, RED, 'top right');
    expectColor(colors.topLeft, BLUE, 'top left');
    expectColor(colors.bottomRight, GREEN, 'bottom right');
    expectColor(colors.bottomLeft, YELLOW, 'bottom left');
  });

  it('applies all eight EXIF orientations (both byte orders)', async () => {
    // What is shown at each corner, per the EXIF specification, for stored
    // quarters red (top left), green (top right), blue (bottom left), yellow.
    const shown: Record<number, [Rgb, Rgb, Rgb, Rgb]> = {
      1: [RED, GREEN, BLUE, YELLOW],
      2: [GREEN, RED, YELLOW, BLUE],
      3: [YELLOW, BLUE, GREEN, RED],
      4: [BLUE, YELLOW, RED, GREEN],
      5: [RED, BLUE, GREEN, YELLOW],
      6: [BLUE, RED, YELLOW, GREEN],
      7: [YELLOW, GREEN, BLUE, RED],
      8: [GREEN, YELLOW, RED, BLUE],
    };
    for (let orientation = 1; orientation <= 8; orientation++) {
      const littleEndian = orientation % 2 === 0;
      const photo = await makeJpeg(120, 80, { orientation, exif: { littleEndian } });
      const result = await normalizeImage(photo);

      const turned = orientation >= 5;
      expect([result.width, result.height], `orientation ${orientation}`).to.deep.equal(
        turned ? [80, 120] : [120, 80],
      );
      expect(result.orientation).to.equal(orientation);
      const colors = await quarterColors(result.blob);
      const [topLeft, topRight, bottomLeft, bottomRight] = shown[orientation];
      expectColor(colors.topLeft, topLeft, `orientation ${orientation} top left`);
      expectColor(colors.topRight, topRight, `orientation ${orientation} top right`);
      expectColor(colors.bottomLeft, bottomLeft, `orientation ${orientation} bottom left`);
      expectColor(colors.bottomRight, bottomRight, `orientation ${orientation} bottom right`);
      // The result carries no EXIF any more, so no viewer turns it a second time.
      expect(readImageHeader(await blobBytes(result.blob)).orientation).to.equal(1);
    }
  });

  it('lowers the quality of a noisy 4032×3024 photo to stay within 600 KB', async () => {
    const photo = await makeJpeg(4032, 3024, { pattern: 'noisy-photo' });
    const result = await normalizeImage(photo);

    expect(result.blob.size).to.be.at.most(MAX_BYTES);
    expect(result.quality).to.be.below(0.9);
    expect(result.quality).to.be.at.least(0.5);
    expect([result.width, result.height]).to.deep.equal([1600, 1200]);
  });

  it('makes the picture smaller when even the lowest quality is too big', async () => {
    const photo = await makeJpeg(1600, 1200, { pattern: 'noisy-photo' });
    const result = await normalizeImage(photo, { maxBytes: 80 * 1024, minQuality: 0.6 });

    expect(result.blob.size).to.be.at.most(80 * 1024);
    expect(result.quality).to.equal(0.6);
    expect(result.width).to.be.below(1600);
    expect(result.width / result.height).to.be.closeTo(4 / 3, 0.01);
    const decoded = await readPixels(result.blob);
    expect([decoded.width, decoded.height]).to.deep.equal([result.width, result.height]);
  });

  it('keeps a small 400×300 photo at its size and quality', async () => {
    const photo = await makeJpeg(400, 300, { pattern: 'photo' });
    const result = await normalizeImage(photo);

    expect([result.width, result.height]).to.deep.equal([400, 300]);
    expect(result.quality).to.equal(0.9);
  });

  it('honours maxSide', async () => {
    const result = await normalizeImage(await makeJpeg(900, 1200), { maxSide: 600 });
    expect([result.width, result.height]).to.deep.equal([450, 600]);
  });

  it('puts a transparent PNG on white', async () => {
    const png = await makePng(300, 200, 'transparent');
    const result = await normalizeImage(png);

    expect(result.blob.type).to.equal('image/jpeg');
    const pixels = await readPixels(result.blob);
    expectColor(pixels.at(10, 10), [255, 255, 255], 'transparent corner');
    expectColor(pixels.at(150, 100), [255, 0, 0], 'opaque disc');
    expectColor(pixels.at(10, 195), [128, 128, 255], 'half-transparent blue band');
  });

  describe('refuses with image-too-large, judged from the header', () => {
    it('an 8000×7000 (56 MP) JPEG header, without decoding it', async () => {
      const decoder = countingDecoder();
      const bytes = jpegSkeleton(8000, 7000, { complete: false, padding: 64 * 1024 });
      const error = await rejection(new Blob([bytes], { type: 'image/jpeg' }), decoder);

      expect(error.code).to.equal('image-too-large');
      expect(error.reason).to.equal('too-many-pixels');
      expect(error.message).to.match(/50 megapixels/);
      expect(decoder.calls).to.equal(0);
    });

    it('a file over 25 MB, without reading its pixels', async () => {
      const decoder = countingDecoder();
      const head = jpegSkeleton(1000, 800, { complete: false });
      const big = new Blob([head, new Uint8Array(25 * 1024 * 1024)], { type: 'image/jpeg' });
      const error = await rejection(big, decoder);

      expect(error.code).to.equal('image-too-large');
      expect(error.reason).to.equal('file-too-large');
      expect(error.toDetail()).to.include({
        code: 'image-too-large',
        step: 'capture',
        retriable: false,
      });
      expect(decoder.calls).to.equal(0);
    });
  });

  describe('refuses with invalid-image', () => {
    it('an empty file', async () => {
      const error = await rejection(new Blob([], { type: 'image/jpeg' }));
      expect([error.code, error.reason]).to.deep.equal(['invalid-image', 'empty']);
    });

    it('a text file, even one named like a photo', async () => {
      const error = await rejection(
        new File(['just some words'], 'selfie.jpg', { type: 'image/jpeg' }),
      );
      expect([error.code, error.reason]).to.deep.equal(['invalid-image', 'not-an-image']);
    });

    it('a JPEG cut in half, before decoding it', async () => {
      const decoder = countingDecoder();
      const bytes = await blobBytes(await makeJpeg(800, 600, { pattern: 'photo' }));
      const half = new Blob([bytes.subarray(0, bytes.length >> 1)], { type: 'image/jpeg' });
      const error = await rejection(half, decoder);

      expect([error.code, error.reason]).to.deep.equal(['invalid-image', 'truncated']);
      expect(decoder.calls).to.equal(0);
    });

    unlessWebKit('it decodes scan data without Huffman tables into noise rather than refusing it')(
      'a JPEG whose structure is whole but whose data is not a picture',
      async () => {
        const error = await rejection(new Blob([jpegSkeleton(640, 480, { padding: 2000 })]));
        expect([error.code, error.reason]).to.deep.equal(['invalid-image', 'undecodable']);
      },
    );

    it('an SVG drawing', async () => {
      const error = await rejection(new Blob([SVG_TEXT], { type: 'image/svg+xml' }));
      expect([error.code, error.reason]).to.deep.equal(['invalid-image', 'svg']);
    });

    it('an HEIC photo this browser cannot decode, suggesting what to do', async () => {
      const heic = new Blob([heifSkeleton(4032, 3024)], { type: 'image/heic' });
      const error = await rejection(heic);

      expect([error.code, error.reason]).to.deep.equal(['invalid-image', 'unsupported-format']);
      expect(error.message).to.match(/HEIC/);
      expect(error.message).to.match(/new photo/i);
      expect(error.message).to.match(/JPEG or PNG/);
    });
  });

  it('rejects with canceled when the signal aborts, before or during the work', async () => {
    const photo = await makeJpeg(400, 300);
    const early = new AbortController();
    early.abort();
    const late = new AbortController();
    const pending = normalizeImage(photo, { signal: late.signal });
    late.abort();

    for (const promise of [normalizeImage(photo, { signal: early.signal }), pending]) {
      const error = await promise.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).to.be.instanceOf(FashnError);
      expect((error as FashnError).code).to.equal('canceled');
      expect((error as FashnError).step).to.equal('capture');
    }
  });

  it('refuses nonsensical options with a RangeError', async () => {
    const photo = await makeJpeg(40, 30);
    for (const options of [{ maxSide: 0 }, { quality: 1.5 }, { quality: 0.6, minQuality: 0.8 }]) {
      const error = await normalizeImage(photo, options).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error, JSON.stringify(options)).to.be.instanceOf(RangeError);
    }
  });
});

describe('blobToDataUrl', () => {
  it('gives a data URL of the same bytes that the API schemas accept', async () => {
    const { blob } = await normalizeImage(await makeJpeg(64, 48));
    const url = await blobToDataUrl(blob);

    expect(url.startsWith('data:image/jpeg;base64,')).to.be.true;
    const decoded = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (char) =>
      char.charCodeAt(0),
    );
    expect(Array.from(decoded)).to.deep.equal(Array.from(await blobBytes(blob)));
    expect(imageInput.safeParse(url).success).to.be.true;
  });
});
