/**
 * The `address` condition of a server list: an IP matches the servers that stand for it (the same address, or a
 * subnet containing it, as §3 matches audit entries), a CIDR the servers whose own address lies inside it. A CIDR
 * with host bits set means its network (`10.1.2.3/16` is `10.1.0.0/16`).
 */
import { GatewayError } from '../errors.js';
import { bitsOf, networkOf, parseIp, unmap } from '../match/ip.js';
import { type ServerRange, serverRange } from '../match/server.js';
import type { MatchServer } from '../match/types.js';

export type AddressQuery =
  | { kind: 'ip'; version: 4 | 6; value: bigint }
  | { kind: 'cidr'; version: 4 | 6; prefix: number; network: bigint };

/** Reads an IP or a CIDR; anything else is BAD_USER_INPUT. */
export function parseAddressQuery(text: string): AddressQuery {
  const bad = () =>
    new GatewayError(
      'BAD_USER_INPUT',
      '`address` must be an IPv4 or IPv6 address, or a CIDR such as 10.1.0.0/16.',
    );
  const [addressText = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) throw bad();
  const parsed = parseIp(addressText);
  if (!parsed) throw bad();
  if (prefixText === undefined) {
    const ip = unmap(parsed);
    return { kind: 'ip', version: ip.version, value: ip.value };
  }
  if (!/^\d{1,3}$/.test(prefixText)) throw bad();
  const prefix = Number(prefixText);
  if (prefix > bitsOf(parsed.version)) throw bad();
  // An IPv4-mapped range within the mapped block is that IPv4 range, as addresses are read (`::ffff:10.0.0.0/104`
  // is 10.0.0.0/8).
  const ip = prefix >= 96 ? unmap(parsed) : parsed;
  const bits = ip === parsed ? prefix : prefix - 96;
  return { kind: 'cidr', version: ip.version, prefix: bits, network: networkOf(ip.value, ip.version, bits) };
}

const inRange = (range: ServerRange | null, version: 4 | 6, value: bigint) =>
  range !== null && range.version === version && networkOf(value, version, range.prefix) === range.network;

/** Whether a server meets the condition. A server whose address does not parse (a host name) meets none. */
export function serverMatchesAddress(server: MatchServer, query: AddressQuery): boolean {
  if (query.kind === 'ip') return inRange(serverRange(server), query.version, query.value);
  const own = parseIp(typeof server.address === 'string' ? server.address.trim() : '');
  if (!own) return false;
  const ip = query.version === 4 ? unmap(own) : own;
  return ip.version === query.version && networkOf(ip.value, ip.version, query.prefix) === query.network;
}
