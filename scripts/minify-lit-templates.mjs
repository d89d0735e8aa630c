// esbuild plugin: minifies the text of Lit's css`…`, html`…` and svg`…`
// templates in src/element/ (esbuild leaves template contents alone). Only the
// static text between `${…}` is touched, found with TypeScript's parser, so
// nested templates and interpolations pass through unchanged.
import { readFile } from 'node:fs/promises';
import MagicString from 'magic-string';
import ts from 'typescript';

/** CSS without comments and without whitespace where CSS ignores it. */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>~])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .replace(/([\s:(,])0\.(\d)/g, '$1.$2');
}

/**
 * HTML without the source's line breaks and indentation: a break between two
 * tags goes, any other run of whitespace with a break becomes one space (what
 * the browser would render anyway). Whitespace within a line is kept.
 */
export function minifyHtml(text) {
  return text.replace(/>\s*\n\s*</g, '><').replace(/\s*\n\s*/g, ' ');
}

const MINIFIERS = { css: minifyCss, html: minifyHtml, svg: minifyHtml };

/**
 * `source` with the static text of every css/html/svg tagged template minified, and the
 * source map of that step (so positions after a shortened template still lead back to
 * their line in `fileName`).
 */
export function minifyLitTemplatesMapped(source, fileName = 'file.ts') {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const result = new MagicString(source);
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag)) {
      const minify = MINIFIERS[node.tag.text];
      const template = node.template;
      if (minify) {
        const parts = ts.isNoSubstitutionTemplateLiteral(template)
          ? [template]
          : [template.head, ...template.templateSpans.map((span) => span.literal)];
        for (const part of parts) {
          // The part's source runs from its opening ` or } to its closing ` or ${.
          const start = part.getStart(file) + 1;
          const end = part.end - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1);
          const text = source.slice(start, end);
          const minified = minify(text);
          if (minified === text) continue;
          if (minified) result.overwrite(start, end, minified);
          else result.remove(start, end);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return {
    code: result.toString(),
    map: result.generateMap({ hires: true, source: fileName, includeContent: true }),
  };
}

/** `source` with the static text of every css/html/svg tagged template minified. */
export function minifyLitTemplates(source, fileName = 'file.ts') {
  return minifyLitTemplatesMapped(source, fileName).code;
}

/** The sources whose Lit templates are minified: the element's. */
export const LIT_SOURCES = /src[\\/]element[\\/].*\.ts$/;

export const minifyLitTemplatesPlugin = {
  name: 'minify-lit-templates',
  setup(build) {
    build.onLoad({ filter: LIT_SOURCES }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: minifyLitTemplates(source, args.path), loader: 'ts' };
    });
  },
};
