/**
 * The review step's photo check, loaded by dynamic import when a photo
 * reaches review (never in the first screen's bundle): runs the check, tells
 * the page (`fashn-photo-check`) and renders what it found in plain words. It
 * imports nothing the element's bundle also imports (lit's `html` and the
 * header reader are handed in), so loading it adds exactly this chunk.
 */
import { photoCheckStrings, type PhotoCheckStrings } from '../i18n/photo-check.js';
import { checkPhoto, type PhotoHeader } from '../photo-check/check-photo.js';
import type { PhotoFinding } from '../photo-check/types.js';
import type { FashnPhotoCheckDetail } from './events.js';

/** lit's `html` tag, handed in by the element so that this chunk does not bundle lit a second time. */
export type HtmlTag = (strings: TemplateStringsArray, ...values: unknown[]) => unknown;

/** The element's button helper (views.ts), handed in like `html`. */
type Button = (label: string, onClick: () => void, part: string, kind?: string) => unknown;

/**
 * Renders the findings in plain words and the ways on, in place of the
 * review's usual buttons: "Retake" first, "Use anyway" second (none with
 * `require`).
 */
export type PhotoCheckView = (
  button: Button,
  strings: { retake: string },
  actions: { retake(): void; usePhoto(anyway?: unknown): void },
) => unknown;

/** The element as this module uses it (duck-typed: no lit import here). */
interface Host extends HTMLElement {
  strings?: Partial<PhotoCheckStrings>;
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

type Mode = FashnPhotoCheckDetail['mode'];

export interface PhotoReview {
  findings: PhotoFinding[];
  /** What to show; undefined when nothing was found or the shopper chose "Use anyway". */
  /** The view in the host's language (its nearest `lang`) with its `strings` overrides. */
  view(html: HtmlTag): PhotoCheckView | undefined;
  /** Whether the photo must not be sent now; `anyway === true` is "Use anyway" (refused with `require`). */
  holds(anyway: unknown): boolean;
}

/**
 * Checks `check.photo`, keeps the verdict in `check.review`, dispatches
 * `fashn-photo-check` from `host`, then shows the findings: `host` renders again, and when the shopper's focus was on the
 * control the findings replaced, "Retake" (first) takes it. A check that
 * cannot run rejects; the element then lets the photo go on unchecked.
 */
export async function reviewPhoto(
  host: Host,
  check: { photo: Blob; review?: PhotoReview },
  mode: Mode,
  readHeader: (bytes: Uint8Array) => PhotoHeader,
): Promise<void> {
  const { findings, measures, faces } = await checkPhoto(check.photo, { readHeader });
  const detail: FashnPhotoCheckDetail = { mode, findings, measures, faces };
  host.dispatchEvent(
    new CustomEvent('fashn-photo-check', { detail, bubbles: true, composed: true }),
  );
  let anyway = false;
  check.review = {
    findings,
    view(html) {
      if (!findings.length || anyway) return undefined;
      const lang = host.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
      const t = photoCheckStrings(lang, host.strings);
      return (button, strings, actions) =>
        html`<div part="photo-check" role="alert">
            <p>${t.photoCheckIntro}</p>
            <ul>
              ${findings.map((finding) => html`<li>${t[`photoCheck.${finding}`]}</li>`)}
            </ul>
          </div>
          <div class="actions">
            ${button(strings.retake, actions.retake, 'retake', 'primary')}
            ${
              mode === 'require'
                ? ''
                : button(t.useAnyway, () => actions.usePhoto(true), 'use-anyway')
            }
          </div>`;
    },
    holds(choseAnyway) {
      anyway ||= choseAnyway === true && mode !== 'require';
      return findings.length > 0 && !anyway;
    },
  };
  host.requestUpdate();
  await host.updateComplete;
  const active = document.activeElement;
  if (findings.length && (active === host || active === document.body || !active))
    host.renderRoot.querySelector<HTMLElement>('[part~="retake"]')?.focus();
}
