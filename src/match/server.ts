/**
 * Audit entry → server (docs/upstreams.md §3): the entry's `ipaddress` is the server's address, or lies in
 * `address/mask`; `connection_protocol` narrows the match when it names a server protocol.
 */
import { enumValues } from '../resources/describe.js';
import { Protocol } from '../resources/index.js';
import { bitsOf, networkOf, type ParsedIp, parseIp, unmap } from './ip.js';
import type { MatchEntry, MatchServer } from './types.js';

/** docs/upstreams.md §1.5, the only values a server's `protocol` can take. */
export const SERVER_PROTOCOLS: ReadonlySet<string> = new Set(enumValues(Protocol));

/** What a server stands for: the addresses whose first `prefix` bits equal `network`. */
export interface ServerRange {
  version: 4 | 6;
  prefix: number;
  network: bigint;
}

/**
 * A mask beyond the family's width (IPv4 with 33..128) or outside the contract (negative, fractional)
 * stands for the exact address: it never widens the match, so a bad mask cannot leak entries.
 */
function prefixFor(ip: ParsedIp, mask: number | null): number {
  const bits = bitsOf(ip.version);
  if (mask === null || !Number.isInteger(mask) || mask < 0 || mask > bits) return bits;
  return mask;
}

/**
 * Host bits in `address` are ignored (10.0.0.5/24 is 10.0.0.0/24). An IPv4-mapped server address is
 * read as IPv4 (its mask minus 96) when the mask stays within the mapped range, as entries are.
 * Families never mix: an IPv6 subnet (even `::/0`) covers no IPv4 entry, IPv4 `0.0.0.0/0` no IPv6 one.
 * An address that does not parse (a host name) makes the server match nothing.
 */
export function serverRange(server: MatchServer): ServerRange | null {
  // A scan matches one server against every audit entry: work its range out once per server object.
  let range = RANGES.get(server);
  if (range === undefined) {
    range = computeRange(server);
    RANGES.set(server, range);
  }
  return range;
}

const RANGES = new WeakMap<MatchServer, ServerRange | null>();

function computeRange(server: MatchServer): ServerRange | null {
  const raw = parseIp(typeof server.address === 'string' ? server.address.trim() : '');
  if (raw === null) return null;
  const rawPrefix = prefixFor(raw, server.mask);
  const ip = rawPrefix >= 96 ? unmap(raw) : raw;
  const prefix = ip === raw ? rawPrefix : rawPrefix - 96;
  return { version: ip.version, prefix, network: networkOf(ip.value, ip.version, prefix) };
}

/** Only a clean address matches: surrounding whitespace is trimmed, anything else (port, CIDR) is not an address. */
export function entryAddress(entry: MatchEntry): ParsedIp | null {
  const text = entry.ipAddress;
  if (typeof text !== 'string') return null;
  let ip = ADDRESSES.get(text);
  if (ip === undefined) {
    const parsed = parseIp(text.trim());
    ip = parsed === null ? null : unmap(parsed);
    // Bounded: addresses are not secret and parse the same for every caller, but memory must not grow forever.
    if (ADDRESSES.size >= ADDRESS_MEMO_LIMIT) ADDRESSES.clear();
    ADDRESSES.set(text, ip);
  }
  return ip;
}

/**
 * An audit log repeats a few thousand device addresses over tens of thousands of entries, and every scan
 * matches each entry: each distinct address text is parsed once. Values are never mutated.
 */
const ADDRESSES = new Map<string, ParsedIp | null>();
const ADDRESS_MEMO_LIMIT = 50_000;

/**
 * The server protocol an entry names, or `null` when it names none (empty, unknown, `ssh2`): no narrowing.
 * Narrowing is a plain filter: an entry naming `rdp` at an address with only ssh servers matches none.
 */
export function entryProtocol(entry: MatchEntry): string | null {
  const text = entry.connectionProtocol;
  if (typeof text !== 'string') return null;
  const protocol = text.trim().toLowerCase();
  return SERVER_PROTOCOLS.has(protocol) ? protocol : null;
}

export function protocolAllows(server: MatchServer, protocol: string | null): boolean {
  return protocol === null || serverProtocol(server) === protocol;
}

export function rangeContains(range: ServerRange, ip: ParsedIp): boolean {
  return range.version === ip.version && networkOf(ip.value, ip.version, range.prefix) === range.network;
}

export function serverMatchesEntry(server: MatchServer, entry: MatchEntry): boolean {
  const ip = entryAddress(entry);
  if (ip === null) return false;
  const range = serverRange(server);
  return range !== null && rangeContains(range, ip) && protocolAllows(server, entryProtocol(entry));
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

interface Indexed {
  server: MatchServer;
  protocol: string;
}

/** The servers of one family and prefix length, by network. */
interface Bucket {
  prefix: number;
  /** The prefix as a bit mask: one AND per lookup instead of two shifts. */
  mask: bigint;
  byNetwork: Map<bigint, Indexed[]>;
}

function maskOf(version: 4 | 6, prefix: number): bigint {
  const bits = BigInt(bitsOf(version));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

function serverProtocol(server: MatchServer): string {
  return String(server.protocol).trim().toLowerCase();
}

/**
 * Servers bucketed by (family, prefix length, network). A lookup masks the entry's address once per
 * distinct prefix length in use — a handful in practice — and does one hash lookup each, so the cost
 * does not grow with the number of servers or subnets.
 */
export class ServerIndex {
  readonly #buckets: Record<4 | 6, Bucket[]> = { 4: [], 6: [] };

  constructor(servers: readonly MatchServer[]) {
    for (const server of [...servers].sort(byId)) {
      const range = serverRange(server);
      if (range === null) continue;
      const buckets = this.#buckets[range.version];
      let bucket = buckets.find((b) => b.prefix === range.prefix);
      if (bucket === undefined) {
        bucket = { prefix: range.prefix, mask: maskOf(range.version, range.prefix), byNetwork: new Map() };
        buckets.push(bucket);
      }
      const item = { server, protocol: serverProtocol(server) };
      const list = bucket.byNetwork.get(range.network);
      if (list === undefined) bucket.byNetwork.set(range.network, [item]);
      else list.push(item);
    }
  }

  serversFor(entry: MatchEntry): MatchServer[] {
    const ip = entryAddress(entry);
    if (ip === null) return [];
    const protocol = entryProtocol(entry);
    const found: MatchServer[] = [];
    let bucketsHit = 0;
    for (const bucket of this.#buckets[ip.version]) {
      const hits = bucket.byNetwork.get(ip.value & bucket.mask);
      if (hits === undefined) continue;
      bucketsHit++;
      for (const { server, protocol: p } of hits) if (protocol === null || p === protocol) found.push(server);
    }
    // Each bucket is already in id order; only hits from several buckets need sorting.
    return bucketsHit > 1 ? found.sort(byId) : found;
  }
}
