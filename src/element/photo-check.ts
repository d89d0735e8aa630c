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

/** What the review shows for the findings: the list in plain words, and the label of "Use anyway" (none with `require`). */
export interface PhotoCheckView {
  box: unknown;
  useAnyway: string | undefined;
}

/** The element as this module uses it (duck-typed: no lit import here). */
interface Host extends HTMLElement {
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

type Mode = FashnPhotoCheckDetail['mode'];

export interface PhotoReview {
  findings: PhotoFinding[];
  /** What to show; undefined when nothing was found or the shopper chose "Use anyway". */
  view(
    html: HtmlTag,
    lang: string,
    overrides: Partial<PhotoCheckStrings> | undefined,
    mode: Mode,
  ): PhotoCheckView | undefined;
  /** Whether the photo must not be sent now; `anyway` is "Use anyway" (refused with `require`). */
  holds(anyway: boolean, mode: Mode): boolean;
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
    view(html, lang, overrides, mode) {
      if (!findings.length || anyway) return undefined;
      const t = photoCheckStrings(lang, overrides);
      return {
        box: html`<div part="photo-check" role="alert">
          <p>${t.photoCheckIntro}</p>
          <ul>
            ${findings.map((finding) => html`<li>${t[`photoCheck.${finding}`]}</li>`)}
          </ul>
        </div>`,
        useAnyway: mode === 'require' ? undefined : t.useAnyway,
      };
    },
    holds(choseAnyway, mode) {
      anyway ||= choseAnyway && mode !== 'require';
      return findings.length > 0 && !anyway;
    },
  };
  host.requestUpdate();
  await host.updateComplete;
  const active = document.activeElement;
  if (findings.length && (active === host || active === document.body || !active))
    host.renderRoot.querySelector<HTMLElement>('[part~="retake"]')?.focus();
}
