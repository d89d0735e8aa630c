import { expect } from '@open-wc/testing';
import { readConfig } from '../../src/element/config.js';
import { LANGUAGES, format, loadStrings, stringsFor } from '../../src/i18n/index.js';
import { en } from '../../src/i18n/en.js';
import './element-helpers.js';

describe('config', () => {
  it('uses SPEC defaults when nothing is set', () => {
    const { config, issues } = readConfig({});
    expect(issues).to.deep.equal([]);
    expect(config).to.include({
      proxyUrl: '/api/fashn',
      category: 'auto',
      mode: 'balanced',
      numSamples: 1,
      seed: 42,
      outputFormat: 'jpeg',
      segmentationFree: true,
      returnBase64: true,
      avatarAspectRatio: '2:3',
      layout: 'dialog',
      remember: true,
      cacheDays: 30,
    });
    expect(config.capture).to.deep.equal({ camera: true, upload: true });
  });

  it('parses attribute strings', () => {
    const { config, issues } = readConfig({
      numSamples: '3',
      seed: '4294967295',
      segmentationFree: 'false',
      capture: 'upload',
      category: 'tops',
      privacyUrl: '/privacy',
    });
    expect(issues).to.deep.equal([]);
    expect(config).to.include({ numSamples: 3, seed: 4294967295, segmentationFree: false });
    expect(config.capture).to.deep.equal({ camera: false, upload: true });
  });

  it('names each refused attribute and keeps its default', () => {
    const { config, issues } = readConfig({
      numSamples: '9',
      mode: 'fast',
      seed: '-1',
      capture: 'video',
      privacyUrl: 'javascript:alert(1)',
      garmentImage: 'ftp://x/y.jpg',
    });
    expect(issues.map((i) => i.attribute).sort()).to.deep.equal([
      'capture',
      'garment-image',
      'mode',
      'num-samples',
      'privacy-url',
      'seed',
    ]);
    expect(config).to.include({ numSamples: 1, mode: 'balanced', seed: 42, privacyUrl: undefined });
    expect(issues.find((i) => i.attribute === 'num-samples')!.message).to.match(/^num-samples: /);
  });
});

describe('config edge cases', () => {
  it('accepts property values as well as attribute strings, trimmed', () => {
    const { config, issues } = readConfig({
      numSamples: 4,
      seed: ' 0 ',
      remember: '',
      returnBase64: false,
      capture: ' upload  camera ',
      garmentImage: 'data:image/png;base64,iVBORw0KGgo=',
      avatarPrompt: 'x'.repeat(500),
      cacheDays: '3650',
    });
    expect(issues).to.deep.equal([]);
    expect(config).to.include({ numSamples: 4, seed: 0, remember: true, returnBase64: false });
    expect(config).to.include({ cacheDays: 3650, avatarPrompt: 'x'.repeat(500) });
    expect(config.capture).to.deep.equal({ camera: true, upload: true });
  });

  it('refuses what is not quite right, saying what it expected', () => {
    const { config, issues } = readConfig({
      numSamples: 2.5,
      seed: 4294967296,
      cacheDays: '1e3',
      remember: 'yes',
      proxyUrl: '  ',
      avatarPrompt: 'x'.repeat(501),
      category: 7,
      outputFormat: 'JPEG',
    });
    const messages = Object.fromEntries(issues.map((i) => [i.attribute, i.message]));
    expect(Object.keys(messages).sort()).to.deep.equal([
      'avatar-prompt',
      'cache-days',
      'category',
      'num-samples',
      'output-format',
      'proxy-url',
      'remember',
      'seed',
    ]);
    expect(messages['num-samples']).to.equal('num-samples: expected a whole number from 1 to 4');
    expect(messages['output-format']).to.equal('output-format: expected one of png, jpeg');
    expect(messages['remember']).to.equal('remember: expected "true" or "false"');
    expect(config).to.include({ numSamples: 1, seed: 42, cacheDays: 30, proxyUrl: '/api/fashn' });
    expect(config).to.include({ remember: true, category: 'auto', outputFormat: 'jpeg' });
  });
});

describe('i18n', () => {
  it('translates every key in every built-in language', async () => {
    expect(LANGUAGES).to.have.members(['en', 'de', 'fr', 'es', 'ar']);
    for (const lang of LANGUAGES) {
      const table = await loadStrings(lang);
      expect(table, lang).to.equal(stringsFor(lang));
      expect(Object.keys(table).sort(), lang).to.deep.equal(Object.keys(en).sort());
      for (const [key, text] of Object.entries(table)) {
        expect(text, `${lang}.${key}`).to.be.a('string').and.not.empty;
        // The same {placeholders} as English, so format() fills every language.
        const slots = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect(slots(text), `${lang}.${key}`).to.deep.equal(slots(en[key as keyof typeof en]));
      }
    }
    expect(stringsFor('de-AT').tryOn).to.equal('Anprobieren');
    expect(stringsFor('pt').tryOn).to.equal('Try it on');
    expect(stringsFor('fr', { tryOn: 'Essayez' }).tryOn).to.equal('Essayez');
    expect(format(en.elapsed, { elapsed: 3, estimate: 12 })).to.equal('3 s of about 12 s');
  });
});
