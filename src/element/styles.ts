/**
 * The look of the steps, loaded with the flow and adopted as a constructable
 * stylesheet (CSP-safe); the host and the buttons are styled by `shell-styles.ts`.
 */
import { css } from './shell-styles.js';

export const styles = css`
  .btn.quiet {
    border-color: transparent;
    color: var(--_muted);
    font-weight: 500;
  }
  .btn:disabled {
    opacity: 0.45;
    cursor: default;
    transform: none;
  }
  dialog {
    box-sizing: border-box;
    width: min(92vw, 460px);
    max-height: min(92dvh, 860px);
    padding: 0;
    border: 0;
    border-radius: calc(var(--_radius) + 6px);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 24px 64px rgb(0 0 0 / 0.28);
    overflow: auto;
  }
  dialog[open] {
    animation: rise 0.22s ease-out;
  }
  dialog::backdrop {
    background: rgb(15 15 20 / 0.55);
    backdrop-filter: blur(3px);
  }
  @media (max-width: 600px) {
    dialog {
      width: 100%;
      max-width: none;
      height: 100%;
      max-height: none;
      margin: 0;
      border-radius: 0;
    }
  }
  .panel {
    position: relative;
    display: grid;
    gap: 16px;
    padding: 24px;
    background: var(--_surface);
    border-radius: calc(var(--_radius) + 6px);
  }
  .panel:not(.open) {
    justify-items: start;
    padding: 0;
  }
  .stage:has(img.contain) {
    background: var(--_soft);
  }
  :host([layout='inline']) .panel.open {
    border: 1px solid var(--_line);
  }
  h2 {
    /* Logical sides throughout: under dir="rtl" (set or inherited) the layout mirrors. */
    margin: 0;
    margin-inline-end: 52px;
    font-size: 1.25rem;
    font-weight: 650;
    letter-spacing: -0.01em;
  }
  h2:focus {
    outline: none;
  }
  p {
    margin: 0;
  }
  .muted {
    color: var(--_muted);
    font-size: 0.925rem;
  }
  a {
    color: inherit;
    text-underline-offset: 3px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 10px;
  }
  .actions > * {
    flex: 1 1 auto;
  }
  .btn:focus-visible,
  a:focus-visible,
  .drop:focus-within {
    outline: 3px solid color-mix(in srgb, var(--_accent) 55%, #3b82f6);
    outline-offset: 2px;
  }
  .close {
    position: absolute;
    inset-block-start: 12px;
    inset-inline-end: 12px;
    min-height: 44px;
    width: 44px;
    padding: 0;
    border-radius: 50%;
    border-color: transparent;
  }
  svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
  }
  .stage {
    position: relative;
    overflow: hidden;
    border-radius: var(--_radius);
    background: #0b0b0e;
    aspect-ratio: 3 / 4;
    max-height: 58dvh;
    width: 100%;
    justify-self: center;
  }
  video,
  .stage img,
  .thumbs img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  video {
    transform: scaleX(-1);
  }
  .stage img.contain {
    object-fit: contain;
  }
  .stage .hint {
    position: absolute;
    inset: auto 0 0;
    padding: 10px;
    color: #fff;
    font-size: 0.875rem;
    text-align: center;
    background: linear-gradient(transparent, rgb(0 0 0 / 0.6));
  }
  .drop {
    display: grid;
    gap: 4px;
    justify-items: center;
    padding: 14px;
    border: 1.5px dashed var(--_line);
    border-radius: var(--_radius);
    text-align: center;
  }
  .drop.over {
    border-color: var(--_accent);
    background: var(--_soft);
  }
  /* "or drop a photo here" only where something can be dragged: not on touch-only screens. */
  @media not all and (any-pointer: fine) {
    .drop span {
      display: none;
    }
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .wait {
    display: grid;
    gap: 10px;
    padding: 28px 0 8px;
    text-align: center;
  }
  .pulse {
    width: 64px;
    height: 64px;
    justify-self: center;
    border-radius: 50%;
    border: 3px solid var(--_soft);
    border-top-color: var(--_accent);
    animation: spin 0.9s linear infinite;
  }
  progress {
    width: 100%;
    height: 6px;
    appearance: none;
    border: 0;
    border-radius: 3px;
    background: var(--_soft);
    overflow: hidden;
  }
  progress::-webkit-progress-bar {
    background: var(--_soft);
  }
  progress::-webkit-progress-value {
    background: var(--_accent);
    transition: width 0.5s;
  }
  progress::-moz-progress-bar {
    background: var(--_accent);
  }
  .error {
    padding: 12px 14px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, #dc2626 12%, var(--_surface));
  }
  .toggle {
    display: inline-flex;
    justify-self: center;
    padding: 4px;
    gap: 4px;
    border-radius: 999px;
    background: var(--_soft);
  }
  .toggle .btn {
    min-height: 44px;
    border: 0;
    border-radius: 999px;
  }
  .toggle .btn[aria-pressed='true'] {
    background: var(--_surface);
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.15);
  }
  .thumbs {
    display: flex;
    gap: 8px;
    justify-content: center;
  }
  .thumbs .btn {
    width: 56px;
    height: 72px;
    padding: 0;
    overflow: hidden;
  }
  .thumbs .btn[aria-pressed='true'] {
    border: 2px solid var(--_accent);
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @keyframes rise {
    from {
      opacity: 0;
      transform: translateY(12px);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    dialog[open] {
      animation: none !important;
      transition: none !important;
    }
    .pulse {
      border-top-color: var(--_soft);
    }
  }
`;
