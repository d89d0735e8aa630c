/**
 * What a shop's developer and a shopper meet first: a relative garment URL,
 * clean error messages, feedback right after "Take photo", and an upload area
 * that offers drag and drop only where a pointer can drop.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { FashnErrorDetail } from '../../src/api/errors.js';
import { readConfig } from '../../src/element/config.js';
import { de } from '../../src/i18n/de.js';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';
import { es } from '../../src/i18n/es.js';
import { makeJpeg } from '../support/images.js';
import {
  control,
  mount,
  press,
  record,
  resetEmulator,
  TrackSpy,
  unmountAll,
  waitForState,
} from './element-helpers.js';

/** Collects what the element writes with console.warn while `body` runs. */
async function consoleWarnings(body: () => Promise<void>): Promise<string[]> {
  const original = console.warn;
  const lines: string[] = [];
  console.warn = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    await body();
  } finally {
    console.warn = original;
  }
  return lines;
}

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

describe("error messages: the shopper's clean, the developer's apart", () => {
  afterEach(() => unmountAll());

  for (const [lang, table] of Object.entries({ en, de, fr, es })) {
    it(`an invalid attribute: the localized message alone (${lang}), the rule in developerMessage and the console`, async () => {
      const seen: FashnErrorDetail[] = [];
      const warnings = await consoleWarnings(async () => {
        const host = document.createElement('div');
        host.className = 'fashn-test-host';
        host.lang = lang;
        const el = document.createElement('fashn-try-on');
        el.addEventListener('fashn-error', (e) => seen.push(e.detail));
        el.setAttribute('remember', 'false');
        el.setAttribute('num-samples', '9');
        host.append(el);
        document.body.append(host);
        await el.updateComplete;
      });
      expect(seen).to.have.length(1);
      expect(seen[0]).to.include({
        code: 'invalid-config',
        attribute: 'num-samples',
        message: table['error.invalid-config'],
        developerMessage: 'num-samples: expected a whole number from 1 to 4',
      });
      expect(seen[0].message).to.not.match(/num-samples|expected/);
      expect(warnings).to.deep.equal([
        '<fashn-try-on> num-samples: expected a whole number from 1 to 4',
      ]);
    });
  }

  it('a missing garment at try-on time: the garment message for the shopper, "missing" for the developer', async () => {
    const el = await mount({ layout: 'inline' });
    let failure: FashnErrorDetail | undefined;
    const warnings = await consoleWarnings(async () => {
      failure = await el.useSelfie(await makeJpeg(100, 100)).catch((e) => e.toDetail());
    });
    expect(failure).to.include({
      code: 'invalid-config',
      attribute: 'garment-image',
      message: en['error.garment'],
      developerMessage: 'garment-image: missing',
    });
    expect(warnings).to.deep.equal(['<fashn-try-on> garment-image: missing']);
  });
});

describe('"Take photo" answers at once', () => {
  let spy: TrackSpy;
  const convertToBlob = OffscreenCanvas.prototype.convertToBlob;
  beforeEach(() => {
    spy = new TrackSpy().install();
    // A slow phone: encoding the frame takes 400 ms.
    OffscreenCanvas.prototype.convertToBlob = async function (options) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return convertToBlob.call(this, options);
    };
  });
  afterEach(() => {
    OffscreenCanvas.prototype.convertToBlob = convertToBlob;
    unmountAll();
    spy.restore();
  });

  for (const [lang, table] of Object.entries({ en, de })) {
    it(`shows "${table.preparing}" over the preview until the review appears (${lang})`, async () => {
      const el = await mount({ 'garment-image': RELATIVE_GARMENT, layout: 'inline', lang });
      await press(el, table.tryOn);
      await waitForState(el, 'consent');
      await press(el, table.continue);
      await waitForState(el, 'capture');
      await waitUntil(() => {
        const take = control(el, table.takePhoto) as HTMLButtonElement | undefined;
        return take !== undefined && !take.disabled;
      }, 'camera ready');
      control(el, table.takePhoto)!.click();
      await el.updateComplete;
      expect(el.state).to.equal('capture');
      const hint = el.shadowRoot!.querySelector('.stage .hint');
      expect(hint?.textContent?.trim()).to.equal(table.preparing);
      expect((control(el, table.takePhoto) as HTMLButtonElement).disabled).to.equal(true);
      expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent.trim()).to.equal(
        table.preparing,
      );
      await waitForState(el, 'review');
      expect(el.shadowRoot!.querySelector('.hint')).to.equal(null);
      expect(spy.allEnded()).to.equal(true);
    });
  }
});

describe('"or drop a photo here" only where a photo can be dropped', () => {
  afterEach(() => unmountAll());

  /** The capture step in `lang` (upload only), and its drop hint. */
  async function dropHint(lang: string, table: typeof en): Promise<HTMLElement> {
    const el = await mount({
      'garment-image': RELATIVE_GARMENT,
      layout: 'inline',
      capture: 'upload',
      lang,
    });
    await press(el, table.tryOn);
    await press(el, table.continue);
    await waitForState(el, 'capture');
    expect(control(el, table.uploadPhoto)!.checkVisibility()).to.equal(true);
    const hint = el.shadowRoot!.querySelector<HTMLElement>('[part="drop"] span')!;
    expect(hint.textContent.trim()).to.equal(table.dropHint);
    return hint;
  }

  it('is shown where there is a mouse', async () => {
    expect(matchMedia('(any-pointer: fine)').matches).to.equal(true);
    for (const [lang, table] of Object.entries({ en, de, fr, es }))
      expect((await dropHint(lang, table)).checkVisibility(), lang).to.equal(true);
  });

  // Last in this file: the page stays a touch screen until the next file's page.
  it('is hidden on a touch-only screen, where the upload button stays', async function (this: {
    skip(): never;
  }) {
    // Chromium only: the other engines' drivers cannot emulate a touch screen.
    if (!(await executeServerCommand('touch-only'))) this.skip();
    expect(matchMedia('(any-pointer: fine)').matches).to.equal(false);
    for (const [lang, table] of Object.entries({ en, de, fr, es }))
      expect((await dropHint(lang, table)).checkVisibility(), lang).to.equal(false);
  });
});
