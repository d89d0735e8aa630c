/**
 * What a shop's developer and a shopper meet first: a relative garment URL,
 * clean error messages, feedback right after "Take photo", and an upload area
 * that offers drag and drop only where a pointer can drop.
 */
import { expect } from '@open-wc/testing';
import { readConfig } from '../../src/element/config.js';
import { makeJpeg } from '../support/images.js';
import { mount, record, resetEmulator, unmountAll } from './element-helpers.js';

/** A PNG the test server serves, named relative to the test page. */
const RELATIVE_GARMENT = 'demo/public/garments/breton-model-detail-thumb.png';

describe('relative garment-image', () => {
  beforeEach(() => resetEmulator());
  afterEach(() => unmountAll());

  it('is resolved against the base URL; empty, absolute and data: URLs are judged as written', () => {
    const base = 'https://shop.example.com/products/tee.html';
    const garment = (value: string) => readConfig({ garmentImage: value }, base);
    expect(garment('/garments/tee.png').config.garmentImage).to.equal(
      'https://shop.example.com/garments/tee.png',
    );
    expect(garment(' tee.png ').config.garmentImage).to.equal(
      'https://shop.example.com/products/tee.png',
    );
    expect(garment('//cdn.example.com/tee.png').config.garmentImage).to.equal(
      'https://cdn.example.com/tee.png',
    );
    expect(garment('data:image/png;base64,AAAA').config.garmentImage).to.equal(
      'data:image/png;base64,AAAA',
    );
    expect(garment('').issues.map((issue) => issue.attribute)).to.deep.equal(['garment-image']);
    expect(garment('ftp://x/tee.png').issues).to.have.length(1);
    // Without a base (servers, tests of the rule) a relative URL is refused as before.
    expect(readConfig({ garmentImage: '/garments/tee.png' }).issues).to.have.length(1);
  });

  it('reaches FASHN as the absolute URL, with no invalid-config error', async () => {
    const el = await mount({ 'garment-image': RELATIVE_GARMENT });
    const events = record(el);
    const result = await el.useSelfie(await makeJpeg(400, 500, { pattern: 'photo' }));
    const absolute = new URL(RELATIVE_GARMENT, document.baseURI).href;
    expect(absolute).to.match(/^http:\/\/localhost:\d+\/demo\//);
    expect(result.garmentImage).to.equal(absolute);
    expect(events.filter((e) => e.type === 'fashn-error')).to.deep.equal([]);
    const tryon = events.find(
      (e) => e.type === 'fashn-before-run' && e.detail.model === 'tryon-v1.6',
    );
    expect(tryon!.detail.inputs.garment_image).to.equal(absolute);
  });
});
