/**
 * Built-in UI languages and the lookup the element uses: language from a BCP 47
 * tag (`de-AT` → `de`), English for anything unknown, page overrides on top.
 * Every table, English included, is a separate module loaded the first time a
 * page asks for it, so a page pays only for the language it speaks.
 */
import type { Strings } from './en.js';

export type { Strings } from './en.js';
export type StringKey = keyof Strings;

const PACKS: Record<string, () => Promise<Strings>> = {
  en: () => import('./en.js').then((m) => m.en),
  de: () => import('./de.js').then((m) => m.de),
  fr: () => import('./fr.js').then((m) => m.fr),
  es: () => import('./es.js').then((m) => m.es),
  ar: () => import('./ar.js').then((m) => m.ar),
};

/** The built-in languages, by primary language subtag. More can be added by pages via `strings`. */
export const LANGUAGES: readonly string[] = Object.keys(PACKS);

const loaded: Record<string, Strings> = {};
const loading: Record<string, Promise<Strings>> = {};

/** The built-in language of a `lang` value: its primary subtag when built in, else `en`. */
function languageOf(lang: string | null | undefined): string {
  const code = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  return LANGUAGES.includes(code) ? code : 'en';
}

/** Whether the table of `lang` is at hand. */
export function hasStrings(lang: string | null | undefined): boolean {
  return languageOf(lang) in loaded;
}

/**
 * The table of `lang`, loading it on first use. A table that cannot be loaded
 * is English from then on; rejects only when English cannot be loaded either.
 */
export function loadStrings(lang: string | null | undefined): Promise<Strings> {
  const code = languageOf(lang);
  if (loaded[code]) return Promise.resolve(loaded[code]);
  return (loading[code] ??= PACKS[code]()
    .catch((error: unknown) => {
      if (code === 'en') throw error;
      return loadStrings('en');
    })
    .then((table) => (loaded[code] = table)));
}

/**
 * The table for a `lang` value once loaded (English while it loads), with
 * `overrides` (the element's `strings`) applied. Call `loadStrings` first.
 */
export function stringsFor(lang: string | null | undefined, overrides?: Partial<Strings>): Strings {
  const base = loaded[languageOf(lang)] ?? loaded.en;
  if (!base) throw new Error('fashn-try-on: no string table loaded yet (loadStrings first)');
  return overrides ? { ...base, ...overrides } : base;
}

/** Replaces `{name}` placeholders with `values[name]`; unknown ones stay as written. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
