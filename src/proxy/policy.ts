/**
 * The shop's own limits on what a run may ask for, checked after the schema:
 * which hosts a garment image may come from, and how many samples one try-on
 * may cost. Without them a copied product page can spend the shop's credits
 * dressing avatars in anything, four images at a time.
 */

export interface ShopPolicy {
  /**
   * Hosts a `garment_image` URL may come from: exact names, or `*.example.com`
   * for its subdomains. Set, it also refuses data: garments. Default: any.
   */
  allowGarmentHosts?: readonly string[];
  /** Most `num_samples` one try-on may ask for (FASHN allows 1–4). Default 4. */
  maxNumSamples?: number;
}

export interface ResolvedPolicy {
  garmentHosts: readonly string[] | undefined;
  maxNumSamples: number;
}

const HOST_PATTERN = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** Checks the policy options; throws a TypeError naming the bad one. */
export function resolvePolicy(policy: ShopPolicy): ResolvedPolicy {
  const maxNumSamples = policy.maxNumSamples ?? 4;
  if (!Number.isInteger(maxNumSamples) || maxNumSamples < 1 || maxNumSamples > 4)
    throw new TypeError(
      `maxNumSamples must be a whole number from 1 to 4, got ${String(maxNumSamples)}`,
    );
  let garmentHosts: string[] | undefined;
  if (policy.allowGarmentHosts !== undefined) {
    if (!Array.isArray(policy.allowGarmentHosts))
      throw new TypeError('allowGarmentHosts must be an array of host names');
    garmentHosts = policy.allowGarmentHosts.map((host: unknown) => {
      const name = typeof host === 'string' ? host.toLowerCase() : '';
      if (!HOST_PATTERN.test(name))
        throw new TypeError(`allowGarmentHosts: not a host name: ${JSON.stringify(host)}`);
      return name;
    });
  }
  return { garmentHosts, maxNumSamples };
}

/** Why `inputs` break the policy (a message naming the field), or `undefined`. */
export function policyProblem(
  inputs: Record<string, unknown>,
  policy: ResolvedPolicy,
): string | undefined {
  const samples = inputs.num_samples;
  if (typeof samples === 'number' && samples > policy.maxNumSamples)
    return `inputs.num_samples: this shop allows at most ${policy.maxNumSamples}.`;
  const garment = inputs.garment_image;
  if (
    policy.garmentHosts &&
    typeof garment === 'string' &&
    !garmentAllowed(garment, policy.garmentHosts)
  )
    return 'inputs.garment_image: this shop only accepts garment images from its own hosts.';
  return undefined;
}

function garmentAllowed(value: string, hosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  const name = url.hostname.toLowerCase();
  return hosts.some((host) =>
    host.startsWith('*.')
      ? name.endsWith(host.slice(1)) && name.length > host.length - 1
      : name === host,
  );
}
