/**
 * Built-in UI languages and the lookup the element uses: language from a BCP 47
 * tag (`de-AT` → `de`), English for anything unknown, page overrides on top.
 */
import { de } from './de.js';
import { en, type Strings } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { Strings } from './en.js';
export type StringKey = keyof Strings;

/** Built-in tables by primary language subtag. More can be added by pages via `strings`. */
export const LANGUAGES: Readonly<Record<string, Strings>> = { en, de, fr, es };

/** The table for a `lang` value, with `overrides` (the element's `strings`) applied. */
export function stringsFor(lang: string | null | undefined, overrides?: Partial<Strings>): Strings {
  const base = LANGUAGES[(lang ?? '').toLowerCase().split('-')[0] ?? ''] ?? en;
  return overrides ? { ...base, ...overrides } : base;
}

/** Replaces `{name}` placeholders with `values[name]`; unknown ones stay as written. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
