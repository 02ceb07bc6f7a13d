/**
 * Strict IP address parsing, written here so that matching depends on no library's idea of what an
 * address is. Every function returns `null` on bad input rather than throwing: audit addresses are
 * vendor free text.
 */

export interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
/** ::ffff:0:0/96, the IPv4-mapped IPv6 range (RFC 4291 §2.5.5.2). */
const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * Dotted quad only. A part with a leading zero (`010`) is rejected, not read as decimal: inet_aton
 * reads it as octal, so `010.1.1.1` may mean 8.1.1.1 to the device that logged it.
 */
function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  // A plain number holds 32 bits exactly; one BigInt at the end is cheaper than four.
  let value = 0;
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return BigInt(value);
}

/** Hex groups and, when `allowV4Tail`, a dotted quad as the last item (worth two groups). */
function parseGroups(items: readonly string[], allowV4Tail: boolean): bigint[] | null {
  const groups: bigint[] = [];
  for (const [i, item] of items.entries()) {
    if (allowV4Tail && i === items.length - 1 && item.includes('.')) {
      const v4 = parseIpv4(item);
      if (v4 === null) return null;
      groups.push(v4 >> 16n, v4 & 0xffffn);
    } else if (HEX_GROUP.test(item)) {
      groups.push(BigInt(Number.parseInt(item, 16)));
    } else {
      return null;
    }
  }
  return groups;
}

/**
 * RFC 4291 text forms: eight groups, or fewer with one `::`, optionally ending in a dotted quad.
 * Zone ids (`%eth0`), brackets and ports are not addresses and give `null`.
 */
function parseIpv6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const [headText = '', tailText] = halves;
  const head = headText === '' ? [] : headText.split(':');
  const tail = tailText === undefined || tailText === '' ? [] : tailText.split(':');
  const compressed = tailText !== undefined;
  const headGroups = parseGroups(head, !compressed);
  const tailGroups = parseGroups(tail, true);
  if (headGroups === null || tailGroups === null) return null;
  const count = headGroups.length + tailGroups.length;
  // `::` stands for at least one zero group, so a compressed form has at most seven explicit groups.
  if (compressed ? count > 7 : count !== 8) return null;
  const groups = [...headGroups, ...new Array<bigint>(8 - count).fill(0n), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses exactly an IPv4 or IPv6 address, nothing around it (no whitespace, port, prefix or zone). */
export function parseIp(text: string): ParsedIp | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return null;
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === null ? null : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === null ? null : { version: 4, value };
}

/** `::ffff:a.b.c.d` is how dual-stack hosts log an IPv4 peer; treat it as that IPv4 address. */
export function isMapped(ip: ParsedIp): boolean {
  return ip.version === 6 && ip.value >> 32n === MAPPED_PREFIX >> 32n;
}

/** The IPv4 address for an IPv4-mapped IPv6 address; any other address unchanged. */
export function unmap(ip: ParsedIp): ParsedIp {
  return isMapped(ip) ? { version: 4, value: ip.value & 0xffffffffn } : ip;
}

export function bitsOf(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

/** The network part of `value` under a prefix of `prefix` bits (host bits cleared). */
export function networkOf(value: bigint, version: 4 | 6, prefix: number): bigint {
  const hostBits = BigInt(bitsOf(version) - prefix);
  return (value >> hostBits) << hostBits;
}
