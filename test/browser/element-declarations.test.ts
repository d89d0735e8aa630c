/**
 * The declare-once tables agree with everything derived from them: the
 * element's observed attributes and properties, the events it dispatches, the
 * custom-elements manifest and README tables (built from the same tables with
 * their descriptions), and the config reader.
 */
import { expect } from '@open-wc/testing';
import { ATTRIBUTES, CONFIG_KEYS, PROPERTY_OF } from '../../src/element/attributes.js';
import { readConfig } from '../../src/element/config.js';
import { ATTRIBUTE_DOCS, EVENT_DOCS } from '../../src/element/docs.js';
import { EVENTS, EVENT_NAMES } from '../../src/element/events.js';
import { FashnTryOn } from '../../src/element/fashn-try-on.js';
import { mount, record, resetEmulator, unmountAll } from './element-helpers.js';

describe('declared once', () => {
  afterEach(() => unmountAll());

  it('observes exactly the declared attributes, each setting its property', async () => {
    expect([...FashnTryOn.observedAttributes].sort()).to.deep.equal(
      Object.values(ATTRIBUTES).sort(),
    );
    const el = await mount();
    for (const key of CONFIG_KEYS) {
      el.setAttribute(ATTRIBUTES[key], 'x');
      expect(el[key], key).to.equal('x');
      expect(PROPERTY_OF[ATTRIBUTES[key]]).to.equal(key);
    }
  });

  it('reads a configuration of exactly the declared properties, and names refused ones by attribute', () => {
    const { config, issues } = readConfig(Object.fromEntries(CONFIG_KEYS.map((k) => [k, '?'])));
    expect(Object.keys(config).sort()).to.deep.equal([...CONFIG_KEYS].sort());
    for (const issue of issues) expect(Object.values(ATTRIBUTES)).to.include(issue.attribute);
  });

  it('documents every attribute and every event, and nothing else', () => {
    expect(Object.keys(ATTRIBUTE_DOCS).sort()).to.deep.equal([...CONFIG_KEYS].sort());
    expect(Object.keys(EVENT_DOCS).sort()).to.deep.equal([...EVENT_NAMES].sort());
    expect(EVENT_NAMES).to.deep.equal(Object.keys(EVENTS));
  });

  it('dispatches only declared events, cancelable exactly where declared', async () => {
    await resetEmulator();
    const el = await mount({ 'garment-image': 'https://shop.example.com/tee.jpg' });
    const seen: Event[] = [];
    const listen = (event: Event) => seen.push(event);
    for (const name of EVENT_NAMES) el.addEventListener(name, listen);
    const all = record(el);
    el.addEventListener('fashn-before-run', (event) => event.preventDefault());
    el.setAttribute('mode', 'warp');
    await el.useSelfie(new Blob(['not an image'], { type: 'image/jpeg' })).catch(() => {});
    expect(all.length).to.be.greaterThan(0);
    for (const event of seen) {
      const name = event.type as keyof typeof EVENTS;
      expect(EVENT_NAMES, name).to.include(name);
      expect(event.cancelable, name).to.equal(EVENTS[name].cancelable);
      expect(event.bubbles && event.composed, name).to.equal(true);
    }
  });
});
