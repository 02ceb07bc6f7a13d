/**
 * Just enough IP arithmetic for the demo generator: picking an address inside a subnet target
 * (`address/mask`, IPv4 or IPv6) and telling whether an address lies inside one, so that the
 * "matches nothing" entries really match nothing (docs/upstreams.md §3).
 */
import type { Random } from '../random.js';

export interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function hexGroups(text: string): number[] | null {
  if (text === '') return [];
  const groups = text.split(':');
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

/** IPv6 without an embedded IPv4 tail (the demo data never uses one). */
function parseIPv6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = hexGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? hexGroups(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function parseIp(text: string): ParsedIp | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === null ? null : { version: 6, value: v6 };
}

/** Formats an IPv6 value in RFC 5952 form: lower case, the longest run of ≥ 2 zero groups as `::`. */
function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

export function formatIp(ip: ParsedIp): string {
  if (ip.version === 6) return formatIPv6(ip.value);
  const v = ip.value;
  return [24n, 16n, 8n, 0n].map((shift) => String((v >> shift) & 0xffn)).join('.');
}

function bitsOf(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

function randomBits(rng: Random, bits: number): bigint {
  let value = 0n;
  for (let done = 0; done < bits; done += 16) value = (value << 16n) | BigInt(rng.int(0, 0xffff));
  return value & ((1n << BigInt(bits)) - 1n);
}

/**
 * A random address inside `address/mask`. For an IPv4 subnet with room for it, the network and broadcast
 * addresses are avoided, as no device has them. An unparsable address is returned unchanged.
 */
export function randomAddressIn(rng: Random, address: string, mask: number): string {
  const ip = parseIp(address);
  if (ip === null) return address;
  const hostBits = bitsOf(ip.version) - mask;
  if (hostBits <= 0) return address;
  const hostMask = (1n << BigInt(hostBits)) - 1n;
  let host = randomBits(rng, hostBits);
  if (ip.version === 4 && hostBits >= 2) {
    while (host === 0n || host === hostMask) host = randomBits(rng, hostBits);
  }
  return formatIp({ version: ip.version, value: (ip.value & ~hostMask) | host });
}

/**
 * A test for membership in any of many subnets, with each subnet parsed once: the demo generator asks it
 * for thousands of addresses against every subnet target.
 */
export function subnetsTest(
  subnets: ReadonlyArray<{ address: string; mask: number }>,
): (address: string) => boolean {
  const compiled: Array<{ version: 4 | 6; shift: bigint; prefix: bigint }> = [];
  const seen = new Set<string>();
  for (const { address, mask } of subnets) {
    const ip = parseIp(address);
    const key = `${address}/${mask}`;
    if (ip === null || seen.has(key)) continue;
    seen.add(key);
    const shift = BigInt(Math.max(0, bitsOf(ip.version) - mask));
    compiled.push({ version: ip.version, shift, prefix: ip.value >> shift });
  }
  return (address) => {
    const ip = compiled.length === 0 ? null : parseIp(address);
    if (ip === null) return false;
    return compiled.some((s) => s.version === ip.version && ip.value >> s.shift === s.prefix);
  };
}
