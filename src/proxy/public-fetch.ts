/**
 * The fetch the emulator uses for image URLs in `--mock` mode: it reaches only
 * public addresses. Without it, a page could make the proxy's machine fetch
 * `http://127.0.0.1:6379/`, `http://169.254.169.254/` or a LAN printer and learn
 * from the answer which internal ports are open. Every name is resolved and every
 * address checked in the connection's own `lookup` (so a name cannot resolve
 * to a public address for the check and a private one for the connection), and
 * redirects are followed by hand, each hop checked the same way.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Redirect hops followed at most. */
const MAX_REDIRECTS = 3;
/** Largest image accepted. */
const MAX_BYTES = 16 * 1024 * 1024;
/** Longest wait for one image, redirects included. */
const TIMEOUT_MS = 15_000;

/** Addresses that are not the public internet. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Whether `address` (an IP literal) is loopback, private, link-local or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  }
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** `dns.lookup` that fails for any name with a non-public address. */
function publicLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses;
    const blocked = list.find((entry) => isPrivateAddress(entry.address));
    if (blocked || list.length === 0) {
      const refused = Object.assign(
        new Error(`${hostname} resolves to a non-public address; not fetched in mock mode`),
        { code: 'ENOTPUBLIC' },
      );
      return callback(refused, []);
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}

/**
 * A `fetch` for GET requests of public http(s) URLs only. Rejects with a
 * TypeError (as fetch does) for anything else, a private address at any hop,
 * too many redirects, a body over 16 MiB or more than 15 s.
 */
export async function publicFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const deadline = Date.now() + TIMEOUT_MS;
  let url = new URL(input instanceof Request ? input.url : String(input));
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError(`mock mode fetches only http(s) URLs, not ${url.protocol}`);
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0 && isPrivateAddress(literal))
      throw new TypeError(`${url.hostname} is not a public address; not fetched in mock mode`);
    const response = await get(url, deadline, init?.signal ?? undefined);
    const location = response.headers.location;
    if (
      response.statusCode &&
      response.statusCode >= 300 &&
      response.statusCode < 400 &&
      location
    ) {
      response.resume();
      url = new URL(location, url);
      continue;
    }
    return toResponse(response, deadline);
  }
  throw new TypeError(`more than ${MAX_REDIRECTS} redirects; not followed in mock mode`);
}

function get(
  url: URL,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'GET',
      lookup: publicLookup,
      timeout: Math.max(1, deadline - Date.now()),
      signal,
    });
    req.once('response', resolve);
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
    req.end();
  });
}

function toResponse(message: IncomingMessage, deadline: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => message.destroy(new Error('timed out')), deadline - Date.now());
    message.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > MAX_BYTES) message.destroy(new Error(`image over ${MAX_BYTES} bytes`));
      else chunks.push(chunk);
    });
    message.once('error', (error) => {
      clearTimeout(timer);
      reject(new TypeError('fetch failed', { cause: error }));
    });
    message.once('end', () => {
      clearTimeout(timer);
      const headers = new Headers();
      const type = message.headers['content-type'];
      if (type) headers.set('content-type', type);
      resolve(new Response(Buffer.concat(chunks), { status: message.statusCode ?? 502, headers }));
    });
  });
}
