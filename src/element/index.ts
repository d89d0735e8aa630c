/** `fashn-try-on/element`: the class and its types, without registering a tag. */
export { FashnTryOn } from './fashn-try-on.js';
export type * from './events.js';
export type { KeptAvatar, KeptResult, TryOnMemory } from '../cache/memory.js';
export { PageMemory } from '../cache/fallback.js';
export type { TryOnStore } from '../cache/store.js';
export type { TryOnConfig, ConfigIssue } from './config.js';
export type { Strings, StringKey } from '../i18n/index.js';
export type { FashnErrorCode, FashnErrorDetail, FashnErrorStep } from '../api/errors.js';
export { FashnError } from '../api/errors.js';
