/**
 * The default store: this process's memory. Rate limits are the memory token
 * buckets; keys expire on read (and are swept when the map grows); published
 * messages reach this process's subscribers only, on a later task, as they
 * would from a network store.
 */
import { createMemoryRateLimitStore } from '../rate-limit.js';
import type { ProxyStore } from './types.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * Above this many keys, expired ones are swept on the next write; then not again until
 * the map has doubled, so a large live map costs amortized O(1) per write, not a scan.
 */
const SWEEP_THRESHOLD = 10_000;

export function createMemoryStore(now: () => number = Date.now): ProxyStore {
  const buckets = createMemoryRateLimitStore();
  const entries = new Map<string, Entry>();
  const channels = new Map<string, Set<(message: string) => void>>();
  let sweepAt = SWEEP_THRESHOLD;

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function write(key: string, value: string, ttlMs: number): void {
    if (entries.size >= sweepAt) {
      const at = now();
      for (const [name, entry] of entries) if (entry.expiresAt <= at) entries.delete(name);
      sweepAt = Math.max(SWEEP_THRESHOLD, entries.size * 2);
    }
    entries.set(key, { value, expiresAt: now() + ttlMs });
  }

  return {
    take: (key, cost, capacity, refillPerSecond, at) =>
      buckets.take(key, cost, capacity, refillPerSecond, at),
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      write(key, value, ttlMs);
      return true;
    },
    async set(key, value, ttlMs) {
      write(key, value, ttlMs);
    },
    async get(key) {
      return live(key)?.value;
    },
    async delete(key) {
      entries.delete(key);
    },
    async publish(channel, message) {
      const listeners = channels.get(channel);
      if (!listeners) return;
      for (const listener of [...listeners]) {
        queueMicrotask(() => {
          try {
            listener(message);
          } catch {
            // A failing subscriber must not stop the others.
          }
        });
      }
    },
    async subscribe(channel, listener) {
      let listeners = channels.get(channel);
      if (!listeners) channels.set(channel, (listeners = new Set()));
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
      };
    },
  };
}
