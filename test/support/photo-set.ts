/**
 * The labelled photo-check set (test/fixtures/photo-check, made by
 * scripts/make-photo-check-set.sh from public-domain and CC0 photos): file
 * names and the findings a person expects for each. Node only (reads files).
 */
import { readFileSync } from 'node:fs';
import type { PhotoFinding } from '../../src/photo-check/types.js';

export const PHOTO_SET_DIR = new URL('../fixtures/photo-check/', import.meta.url);

export interface LabelledPhoto {
  file: string;
  expected: PhotoFinding[];
  bytes: Uint8Array;
}

/** Findings that come from the pixels alone; the rest need a face detector. */
export const IMAGE_CHECKS: readonly PhotoFinding[] = [
  'too-dark',
  'washed-out',
  'blurred',
  'too-small',
];
export const FACE_CHECKS: readonly PhotoFinding[] = [
  'no-face',
  'several-faces',
  'face-too-small',
  'face-cut-off',
];

export function loadPhotoSet(): LabelledPhoto[] {
  const labels = JSON.parse(readFileSync(new URL('labels.json', PHOTO_SET_DIR), 'utf8')) as Record<
    string,
    PhotoFinding[]
  >;
  return Object.entries(labels).map(([file, expected]) => ({
    file,
    expected,
    bytes: readFileSync(new URL(file, PHOTO_SET_DIR)),
  }));
}
