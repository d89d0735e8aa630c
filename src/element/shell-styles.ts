/**
 * What the page shows before anyone asks for a try-on: the host's theme
 * (custom properties) and the buttons, the trigger among them. Plain text, so
 * the shell needs no Lit; the steps' own look is in `styles.ts`.
 */
/** A plain-text twin of Lit's `css` tag, so the build minifies this sheet like the others. */
export const css = (text: TemplateStringsArray): string => text.join('');

export const SHELL_CSS = css`
  :host {
    --_accent: var(--fashn-try-on-accent, #18181b);
    --_radius: var(--fashn-try-on-radius, 14px);
    --_surface: var(--fashn-try-on-surface, #fff);
    --_text: var(--fashn-try-on-text, #18181b);
    --_muted: color-mix(in srgb, var(--_text) 70%, transparent);
    --_line: color-mix(in srgb, var(--_text) 14%, transparent);
    --_soft: color-mix(in srgb, var(--_text) 6%, transparent);
    display: inline-block;
    font-family: var(--fashn-try-on-font, system-ui, sans-serif);
    color: var(--_text);
    line-height: 1.45;
  }
  :host([layout='inline']) {
    display: block;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--fashn-try-on-accent, #fafafa);
      --_surface: var(--fashn-try-on-surface, #18181b);
      --_text: var(--fashn-try-on-text, #f4f4f5);
    }
  }
  .view {
    display: contents;
  }
  [hidden] {
    display: none !important;
  }
  .btn {
    box-sizing: border-box;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    min-height: 46px;
    padding: 0 20px;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
    transition:
      background 0.15s,
      transform 0.15s;
  }
  .btn:hover {
    background: var(--_soft);
  }
  .btn:active {
    transform: scale(0.98);
  }
  .btn.primary {
    border-color: transparent;
    background: var(--_accent);
    color: var(--_surface);
  }
  .btn.primary:hover {
    opacity: 0.9;
  }
`;

/** Gives `root` the `sheets` (constructable where supported, else a <style> per sheet). */
export function adoptCss(root: ShadowRoot, ...sheets: (CSSStyleSheet | string)[]): void {
  for (const sheet of sheets) {
    if (typeof sheet !== 'string') root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    else if ('replaceSync' in CSSStyleSheet.prototype) {
      const constructed = new CSSStyleSheet();
      constructed.replaceSync(sheet);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, constructed];
    } else root.append(Object.assign(document.createElement('style'), { textContent: sheet }));
  }
}
