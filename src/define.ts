import { FashnTryOn } from './element/fashn-try-on.js';

/**
 * Registers `<fashn-try-on>` (or `tagName`). Safe to call twice, and when a
 * second copy of the script already registered the tag: it then does nothing.
 */
export function define(tagName = 'fashn-try-on'): void {
  if (customElements.get(tagName)) return;
  // A subclass per extra tag: one constructor cannot be registered under two names.
  customElements.define(
    tagName,
    tagName === 'fashn-try-on' ? FashnTryOn : class extends FashnTryOn {},
  );
}
