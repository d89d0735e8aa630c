/**
 * The UI language of an element: the nearest `lang` (the element's own, an
 * ancestor's or the document's), watched for changes, with its string table
 * loaded before anything is shown in it.
 */
import { hasStrings, loadStrings, stringsFor, type Strings } from '../../i18n/index.js';

export class LanguageController {
  readonly #observer: MutationObserver;

  constructor(
    private readonly host: HTMLElement,
    onChange: () => void,
  ) {
    this.#observer = new MutationObserver(onChange);
  }

  hostConnected(): void {
    this.#observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['lang'],
      subtree: true,
    });
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
  }

  get lang(): string {
    return this.host.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  }

  /** Whether the table of the current language is loaded (`strings` is English until it is). */
  get ready(): boolean {
    return hasStrings(this.lang);
  }

  /** Loads the current language's table (never rejects: English when it cannot). */
  load(): Promise<unknown> {
    return loadStrings(this.lang);
  }

  /** The current table with the page's `overrides`. */
  strings(overrides?: Partial<Strings>): Strings {
    return stringsFor(this.lang, overrides);
  }
}
