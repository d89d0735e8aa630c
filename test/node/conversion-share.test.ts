import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lookFilename, shareLook, type ShareLook } from '../../src/conversion/share.js';

// The share fallbacks with the browser's Web Share functions passed in (Node has
// none); the image is read by the real fetch from a data: URL, as in the element.

const PNG_1PX =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const look: ShareLook = {
  image: PNG_1PX,
  title: 'Linen shirt',
  text: 'How does this look on me?',
  url: 'https://shop.example/p/linen-shirt',
  filename: 'try-on.png',
};

/** A browser's Web Share as seen by the code: what it was asked, and how it answers. */
function browser(options: {
  files: boolean;
  urls?: boolean;
  answer?: (data: ShareData) => Promise<void>;
}) {
  const shared: ShareData[] = [];
  const downloads: [string, string][] = [];
  return {
    shared,
    downloads,
    deps: {
      share: async (data: ShareData) => {
        shared.push(data);
        await (options.answer ?? (async () => {}))(data);
      },
      canShare: (data: ShareData) => (data.files ? options.files : (options.urls ?? true)),
      download: (url: string, filename: string) => void downloads.push([url, filename]),
    },
  };
}

const abort = () => Promise.reject(new DOMException('Share canceled', 'AbortError'));
const notAllowed = () => Promise.reject(new DOMException('No gesture', 'NotAllowedError'));

describe('share', () => {
  it('shares the look as an image file with the product name and text', async () => {
    const b = browser({ files: true });
    assert.deepEqual(await shareLook(look, b.deps), { outcome: 'shared', via: 'file' });
    assert.equal(b.shared.length, 1);
    const [data] = b.shared;
    assert.equal(data.title, 'Linen shirt');
    assert.equal(data.text, 'How does this look on me?');
    const file = data.files![0];
    assert.equal(file.name, 'try-on.png');
    assert.equal(file.type, 'image/png');
    assert.ok(file.size > 60);
    assert.deepEqual(b.downloads, []);
  });

  it('where files cannot be shared: the product URL', async () => {
    const b = browser({ files: false });
    assert.deepEqual(await shareLook(look, b.deps), { outcome: 'fell-back', via: 'url' });
    assert.equal(b.shared[0].url, look.url);
    assert.equal(b.shared[0].files, undefined);
  });

  it('a share sheet the shopper closes is canceled, with no fallback', async () => {
    const b = browser({ files: true, answer: abort });
    assert.deepEqual(await shareLook(look, b.deps), { outcome: 'canceled', via: 'file' });
    assert.equal(b.shared.length, 1);
    assert.deepEqual(b.downloads, []);
  });

  it('a file share that fails otherwise tries the URL, then downloads', async () => {
    const b = browser({
      files: true,
      answer: (data) => (data.files ? notAllowed() : Promise.resolve()),
    });
    assert.deepEqual(await shareLook(look, b.deps), { outcome: 'fell-back', via: 'url' });
    const c = browser({ files: true, answer: notAllowed });
    assert.deepEqual(await shareLook(look, c.deps), { outcome: 'fell-back', via: 'download' });
    assert.deepEqual(c.downloads, [[PNG_1PX, 'try-on.png']]);
  });

  it('no Web Share API at all: downloads', async () => {
    const downloads: string[] = [];
    const detail = await shareLook(look, { download: (url) => void downloads.push(url) });
    assert.deepEqual(detail, { outcome: 'fell-back', via: 'download' });
    assert.deepEqual(downloads, [PNG_1PX]);
  });

  it('share without canShare (older browsers): the URL, no file', async () => {
    const shared: ShareData[] = [];
    const detail = await shareLook(look, {
      share: async (data) => void shared.push(data),
      download: () => assert.fail('no download'),
    });
    assert.deepEqual(detail, { outcome: 'fell-back', via: 'url' });
    assert.equal(shared[0].files, undefined);
  });

  it('an image that cannot be read (a CDN without CORS) shares the URL', async () => {
    const b = browser({ files: true });
    const failing = async () => {
      throw new TypeError('Failed to fetch');
    };
    const detail = await shareLook(
      { ...look, image: 'https://cdn.example/out.jpg' },
      { ...b.deps, fetch: failing },
    );
    assert.deepEqual(detail, { outcome: 'fell-back', via: 'url' });
  });

  it('never reads, shares or downloads an image URL that is not https, blob or data:image', async () => {
    const b = browser({ files: true, urls: false });
    const detail = await shareLook(
      { ...look, image: 'javascript:alert(1)' },
      { ...b.deps, fetch: () => assert.fail('no fetch') },
    );
    assert.deepEqual(detail, { outcome: 'fell-back', via: 'download' });
    assert.deepEqual(b.shared, []);
    assert.deepEqual(b.downloads, []);
  });

  it('names the file after the output format', () => {
    assert.equal(lookFilename('png'), 'try-on.png');
    assert.equal(lookFilename('jpeg'), 'try-on.jpg');
  });
});
