/**
 * README.md (and docs/) is the whole contract a shop's developer reads: it
 * must not send them to files or discussions outside the repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderStringsDoc, STRINGS_DOC } from '../../scripts/docs-strings.js';

const ROOT = new URL('../../', import.meta.url);
const docs = existsSync(new URL('docs/', ROOT))
  ? readdirSync(new URL('docs/', ROOT))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`)
  : [];

describe('docs/strings.md', () => {
  it('lists every UI text as src/i18n/ has it (node --import tsx scripts/docs-strings.ts)', () => {
    assert.equal(readFileSync(STRINGS_DOC, 'utf8'), renderStringsDoc());
  });
});

/** Every .ts file under `dir`, recursively. */
function sources(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(new URL(`${entry.name}/`, dir))
      : entry.name.endsWith('.ts')
        ? [new URL(entry.name, dir)]
        : [],
  );
}

describe('doc comments of the package', () => {
  it('name nothing outside the repository (they ship in dist/types and custom-elements.json)', () => {
    const found = sources(new URL('src/', ROOT)).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [/\bSPEC\b/, /SPEC\.md/i, /\bthe issues\b/i, /\bissue \d+/i].flatMap((outside) => {
        const match = outside.exec(text);
        return match ? [`${file.pathname.split('/src/')[1]}: "${match[0]}"`] : [];
      });
    });
    assert.deepEqual(found, []);
  });
});

describe('README is self-contained', () => {
  for (const file of ['README.md', ...docs]) {
    it(`${file} names nothing outside the repository`, () => {
      const text = readFileSync(new URL(file, ROOT), 'utf8');
      for (const outside of [/\bSPEC\b/, /SPEC\.md/i, /\bthe issues\b/i, /\bissue \d+/i]) {
        const found = outside.exec(text);
        assert.equal(found, null, `${file} mentions "${found?.[0]}"`);
      }
    });

    it(`${file} links only to files that exist`, () => {
      const text = readFileSync(new URL(file, ROOT), 'utf8');
      const base = new URL(file, ROOT);
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        assert.ok(existsSync(new URL(target, base)), `${file} links to missing ${target}`);
      }
    });
  }
});
