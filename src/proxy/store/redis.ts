/**
 * The multi-instance store on Redis (npm `redis`, node-redis 5 or 6, an
 * optional peer dependency loaded only when this is called). Every instance
 * pointed at the same Redis shares rate-limit buckets, keys and completion
 * fan-out:
 *
 * - `take` is one Lua script (atomic read-refill-take on a hash per client),
 *   so two instances never both spend the last token;
 * - `setIfAbsent` is `SET key value NX PX ttl`, `get` is `GET`;
 * - `publish`/`subscribe` are Redis pub/sub on a second connection (a
 *   subscribed connection can run nothing else).
 *
 * Keys and channels are prefixed (default `fashn-try-on:`) so one Redis can
 * serve other things too.
 */
import type { ProxyStore } from './types.js';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Put before every key and channel. Default `fashn-try-on:`. */
  prefix?: string;
}

export interface RedisStore extends ProxyStore {
  /** Closes both connections (pending commands finish first). */
  close(): Promise<void>;
}

/** The part of a node-redis client this store uses. */
interface Client {
  connect(): Promise<unknown>;
  duplicate(): Client;
  close(): Promise<void>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: object): Promise<string | null>;
  del(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  unsubscribe(channel: string, listener: (message: string) => void): Promise<void>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * Token bucket, atomically: refill by elapsed time, take `cost` when there is
 * enough, store, and expire the hash once it would be full again anyway.
 * Returns `{ allowed (1|0), retryAfterMs }`.
 */
const TAKE_SCRIPT = `
local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local refill = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(stored[1])
local at = tonumber(stored[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * refill)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refill * 1000) + 1000)
if allowed == 1 then
  return {1, 0}
end
return {0, math.ceil((cost - tokens) / refill * 1000)}
`;

/** Connects to Redis and returns the store; rejects when Redis cannot be reached. */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const prefix = options.prefix ?? 'fashn-try-on:';
  const { createClient } = (await import('redis')) as unknown as {
    createClient: (options: {
      url: string;
      socket: { reconnectStrategy(retries: number, cause: Error): number | Error };
    }) => Client;
  };
  // Unreachable at start: reject (a misconfigured URL must not hang startup). Once
  // connected, a lost connection is retried with back-off (commands wait meanwhile).
  let connected = false;
  const client = createClient({
    url: options.url,
    socket: {
      reconnectStrategy: (retries, cause) =>
        connected ? Math.min(50 * 2 ** retries, 2_000) : cause,
    },
  });
  // node-redis reconnects by itself; an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  connected = true;
  let subscriber: Promise<Client> | undefined;
  const subscriberClient = () =>
    (subscriber ??= (async () => {
      const connection = client.duplicate();
      connection.on('error', () => undefined);
      await connection.connect();
      return connection;
    })());

  return {
    async take(key, cost, capacity, refillPerSecond, now) {
      const reply = (await client.eval(TAKE_SCRIPT, {
        keys: [`${prefix}rate:${key}`],
        arguments: [cost, capacity, refillPerSecond, now].map(String),
      })) as [number, number];
      return { allowed: reply[0] === 1, retryAfterMs: Number(reply[1]) };
    },
    async setIfAbsent(key, value, ttlMs) {
      const reply = await client.set(prefix + key, value, {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
      });
      return reply === 'OK';
    },
    async set(key, value, ttlMs) {
      await client.set(prefix + key, value, {
        expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
      });
    },
    async get(key) {
      return (await client.get(prefix + key)) ?? undefined;
    },
    async delete(key) {
      await client.del(prefix + key);
    },
    async publish(channel, message) {
      await client.publish(prefix + channel, message);
    },
    async subscribe(channel, listener) {
      const connection = await subscriberClient();
      const safe = (message: string) => {
        try {
          listener(message);
        } catch {
          // A failing subscriber must not break the connection's other listeners.
        }
      };
      await connection.subscribe(prefix + channel, safe);
      return () => connection.unsubscribe(prefix + channel, safe);
    },
    async close() {
      const pending = subscriber;
      subscriber = undefined;
      await Promise.allSettled([client.close(), pending?.then((connection) => connection.close())]);
    },
  };
}
