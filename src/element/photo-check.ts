/**
 * The review step's photo check, loaded by dynamic import when a photo
 * reaches review (never with the shell, never with the flow): runs the check
 * and renders what it found in plain words. It imports nothing the flow's
 * chunk also imports (lit's `html`, the view's button helper and the header
 * reader are handed in), so loading it adds exactly this chunk.
 */
import { photoCheckStrings, type PhotoCheckStrings } from '../i18n/photo-check.js';
import { checkPhoto, type PhotoHeader } from '../photo-check/check-photo.js';
import type { FashnPhotoCheckDetail } from './events.js';

/** lit's `html` tag, handed in by the view so that this chunk does not bundle lit a second time. */
export type HtmlTag = (strings: TemplateStringsArray, ...values: unknown[]) => unknown;

/** The view's button helper (views.ts), handed in like `html`. */
type Button = (label: string, onClick: () => void, part: string, kind?: 'primary') => unknown;

/**
 * Renders the findings in plain words and the ways on, in place of the
 * review's usual buttons: "Retake" first, "Use anyway" second (none with
 * `require`).
 */
export type PhotoCheckView = (
  button: Button,
  strings: { retake: string },
  actions: { retake: () => void; usePhoto: (anyway?: boolean) => void },
) => unknown;

export interface PhotoReview {
  /** What `fashn-photo-check` carries. */
  detail: FashnPhotoCheckDetail;
  /**
   * What to show in `lang` with the page's `strings` overrides; undefined
   * when nothing was found or the shopper chose "Use anyway".
   */
  view(
    html: HtmlTag,
    lang: string,
    overrides: Partial<PhotoCheckStrings> | undefined,
  ): PhotoCheckView | undefined;
  /** Whether the photo must not be sent now; `anyway` is "Use anyway" (refused with `require`). */
  holds(anyway: boolean): boolean;
}

/** Checks `photo` (its pixels; faces where the browser can find them) and keeps the verdict. */
export async function reviewPhoto(
  photo: Blob,
  mode: FashnPhotoCheckDetail['mode'],
  readHeader: (bytes: Uint8Array) => PhotoHeader,
): Promise<PhotoReview> {
  const { findings, measures, faces } = await checkPhoto(photo, { readHeader });
  let anyway = false;
  return {
    detail: { mode, findings, measures, faces },
    view(html, lang, overrides) {
      if (!findings.length || anyway) return undefined;
      const t = photoCheckStrings(lang, overrides);
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
      anyway ||= choseAnyway && mode !== 'require';
      return findings.length > 0 && !anyway;
    },
  };
}
