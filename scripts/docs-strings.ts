/**
 * Writes docs/strings.md: every UI text key of <fashn-try-on> with its built-in
 * English, German, French, Spanish and Arabic text (the photo check's too), for shops that override or add
 * texts through `strings`. `--check` fails instead of writing when the file is
 * stale (test/node/readme.test.ts runs it), so it follows src/i18n/.
 *
 *   node --import tsx scripts/docs-strings.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ar } from '../src/i18n/ar.js';
import { de } from '../src/i18n/de.js';
import { en } from '../src/i18n/en.js';
import { es } from '../src/i18n/es.js';
import { fr } from '../src/i18n/fr.js';
import { photoCheckStrings } from '../src/i18n/photo-check.js';

export const STRINGS_DOC = new URL('../docs/strings.md', import.meta.url);

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** The whole of docs/strings.md. */
export function renderStringsDoc(): string {
  const langs = ['en', 'de', 'fr', 'es', 'ar'] as const;
  // The photo check's words load with the check, at review; they are overridden the same way.
  const packs: Record<string, string>[] = [en, de, fr, es, ar].map((pack, i) => ({
    ...pack,
    ...photoCheckStrings(langs[i]),
  }));
  const rows = Object.keys(packs[0]).map(
    (key) => `| \`${key}\` | ${packs.map((pack) => cell(pack[key] ?? '')).join(' | ')} |`,
  );
  return `# UI texts

Every text \`<fashn-try-on>\` shows, by key, in its five built-in languages. Set any of
them through the element's \`strings\` property (a partial table, in whatever language the
page shows); \`{placeholders}\` are filled in by the element. Error messages are keyed
\`error.<code>\` (see the README's Errors section), plus \`error.PoseError\`,
\`error.ContentModerationError\`, \`error.garment\` (the garment could not be used),
\`error.photo\` (the photo could not be used) and \`error.camera-retry\` (the camera failed
where the shop offers no upload).

Generated from the element's language tables by \`node --import tsx scripts/docs-strings.ts\`;
\`npm test\` checks it is current.

| key | en | de | fr | es | ar |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = renderStringsDoc();
  if (process.argv.includes('--check')) {
    if (readFileSync(STRINGS_DOC, 'utf8') !== text) {
      console.error('docs/strings.md is stale: run node --import tsx scripts/docs-strings.ts');
      process.exit(1);
    }
    console.log('docs/strings.md matches src/i18n/.');
  } else {
    writeFileSync(STRINGS_DOC, text);
    console.log('docs/strings.md written from src/i18n/.');
  }
}
