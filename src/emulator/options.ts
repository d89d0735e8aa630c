/**
 * The emulator's options checked and completed with defaults, and the subset
 * that may cross HTTP (`POST …/__control/reset`).
 */
import * as z from 'zod/mini';
import type { EmulatorOptions } from './types.js';

export interface ResolvedOptions {
  speed: number;
  jitter: number;
  apiKey?: string;
  now: () => number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  publicUrl?: string;
  rateLimitPerMinute?: number;
  maxConcurrent?: number;
  control: boolean;
  maxStoredPredictions: number;
}

/** EmulatorOptions that can cross HTTP (`POST …/__control/reset`). */
export const controlOptions = z.strictObject({
  speed: z.optional(z.number().check(z.minimum(0))),
  jitter: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  apiKey: z.optional(z.string()),
  publicUrl: z.optional(z.string().check(z.regex(/^https?:\/\//, 'must be an http(s) URL'))),
  rateLimitPerMinute: z.optional(z.int().check(z.minimum(1))),
  maxConcurrent: z.optional(z.int().check(z.minimum(1))),
  maxStoredPredictions: z.optional(z.int().check(z.minimum(1))),
});

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const speed = options.speed ?? 1;
  const jitter = options.jitter ?? 0.1;
  if (!(Number.isFinite(speed) && speed >= 0)) throw new RangeError('speed must be a number ≥ 0');
  if (!(Number.isFinite(jitter) && jitter >= 0 && jitter <= 1))
    throw new RangeError('jitter must be in 0..1');
  return {
    speed,
    jitter,
    apiKey: options.apiKey,
    now: options.now ?? Date.now,
    // Looked up per call, so a fetch patched after creation is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sleep: options.sleep ?? sleep,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    rateLimitPerMinute: options.rateLimitPerMinute,
    maxConcurrent: options.maxConcurrent,
    control: options.control ?? true,
    maxStoredPredictions: options.maxStoredPredictions ?? 100,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
