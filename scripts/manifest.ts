// Completes dist/custom-elements.json (written by the analyzer from the
// element's JSDoc) from the declarations the element is built from: its
// attributes (src/element/attributes.ts) and events (src/element/events.ts),
// each with its description (src/element/docs.ts). Run by scripts/build.mjs.
import { readFileSync, writeFileSync } from 'node:fs';
import { ATTRIBUTES, CONFIG_KEYS } from '../src/element/attributes.js';
import { ATTRIBUTE_DOCS, EVENT_DOCS } from '../src/element/docs.js';
import { EVENT_NAMES } from '../src/element/events.js';

interface Declaration {
  customElement?: boolean;
  members?: { kind: string; description?: string }[];
  attributes?: unknown[];
  events?: unknown[];
}
interface Manifest {
  modules: { declarations?: Declaration[] }[];
}

const file = new URL('../dist/custom-elements.json', import.meta.url);
const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const element = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.customElement);
if (!element) throw new Error('custom-elements.json holds no custom element');
// The analyzer takes assignments to the shadow DOM's nodes for fields; every real one is documented.
element.members = element.members?.filter(
  (member) => member.kind !== 'field' || member.description,
);
element.attributes = CONFIG_KEYS.map((key) => ({
  name: ATTRIBUTES[key],
  fieldName: key,
  description: ATTRIBUTE_DOCS[key],
}));
element.events = EVENT_NAMES.map((name) => ({
  name,
  type: { text: 'CustomEvent' },
  description: EVENT_DOCS[name],
}));
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
