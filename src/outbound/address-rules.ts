import { BlockList, isIP } from 'node:net';

/**
 * Which resolved addresses an outbound request (webhook, media URL) may connect to: ordinary public
 * unicast only (CONTRACT, "Outbound address rules"). Anything that reaches this machine, its network, a
 * cloud metadata service or a special-purpose range is refused, in every form that names it.
 */
const REFUSED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];
const REFUSED_V6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
  ['fd00:ec2::254', 128, 'cloud metadata'],
];

const v4 = new Map<string, BlockList>();
const v6 = new Map<string, BlockList>();
for (const [network, prefix, why] of REFUSED_V4) listFor(v4, why).addSubnet(network, prefix, 'ipv4');
for (const [network, prefix, why] of REFUSED_V6) listFor(v6, why).addSubnet(network, prefix, 'ipv6');

function listFor(lists: Map<string, BlockList>, why: string): BlockList {
  if (!lists.has(why)) lists.set(why, new BlockList());
  return lists.get(why)!;
}

/** Why the address may not be connected to, or null when it is ordinary public unicast. */
export function refusalOf(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return refusalIn(v4, address, 'ipv4');
  if (family !== 6) return 'not an IP address';
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const why = refusalIn(v4, embedded.address, 'ipv4');
    // An IPv4-mapped or NAT64 form reaches the IPv4 address it embeds: judged as that address.
    return why && `${embedded.form} form of a ${why} address`;
  }
  return refusalIn(v6, address, 'ipv6');
}

function refusalIn(lists: Map<string, BlockList>, address: string, type: 'ipv4' | 'ipv6'): string | null {
  for (const [why, list] of lists) if (list.check(address, type)) return why;
  return null;
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible or NAT64 (`64:ff9b::/96`) address. */
function embeddedIpv4(address: string): { address: string; form: string } | null {
  const groups = expandIpv6(address);
  const last32 = `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return { address: last32, form: 'IPv4-mapped' };
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return { address: last32, form: 'NAT64' };
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups[2] === 1) return { address: last32, form: 'local-use NAT64' };
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7] > 1)) return { address: last32, form: 'IPv4-compatible' };
  return null;
}

/** Eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part included). */
function expandIpv6(address: string): number[] {
  let text = address.split('%')[0].toLowerCase();
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16));
}
