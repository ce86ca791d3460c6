/** An IPv4 CIDR block as a numeric range. */
export interface Ipv4Block {
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

/**
 * Parses 'a.b.c.d/n' strictly (network address must be aligned; numbers without leading zeros, which some readers take
 * as octal and the templates would carry as written); undefined if malformed.
 */
export function parseCidr(cidr: string): Ipv4Block | undefined {
  const n = '(0|[1-9]\\d{0,2})';
  const match = new RegExp(`^${n}\\.${n}\\.${n}\\.${n}\\/(0|[1-9]\\d?)$`).exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { first: address, last: address + size - 1, prefix };
}

/** Whether two blocks share any address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * Ranges no VPC may use: this network (0.0.0.0/8), loopback (127.0.0.0/8), link-local (169.254.0.0/16, where the
 * instance metadata and the Amazon DNS server answer), multicast (224.0.0.0/4) and reserved (240.0.0.0/4), RFC 6890's
 * special-purpose ranges that cannot address hosts in a VPC. The name of the first one `block` overlaps, or undefined.
 */
export const NON_VPC_RANGES: readonly { readonly cidr: string; readonly name: string }[] = [
  { cidr: '0.0.0.0/8', name: "'this network'" },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'link-local' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved' },
];

export function nonVpcRangeOf(block: Ipv4Block): string | undefined {
  const hit = NON_VPC_RANGES.find((r) => overlaps(block, parseCidr(r.cidr)!));
  return hit && `${hit.cidr} (${hit.name})`;
}
