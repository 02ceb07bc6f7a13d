/** Seeded random servers, accounts and audit entries for the property test and the performance guard. */
import type { MatchAccount, MatchEntry, MatchServer } from '../../src/match/index.js';

/** mulberry32: small, fast, and the same sequence on every run for a given seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Pick = <T>(items: readonly T[]) => T;
export const picker =
  (random: () => number): Pick =>
  <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };

const PROTOCOLS = ['ssh', 'telnet', 'rdp', 'http', 'vnc', 'tcp'];
const LOGINS = ['root', 'Root', 'admin', 'svc@example.com', 'ops\\x', 'backup', 'cisco'];
const DOMAINS = [null, '', 'CORP', 'corp', 'LAB'];

/** Addresses are drawn from a small space so that exact hits, shared addresses and subnets all occur. */
function address(random: () => number): string {
  const n = Math.floor(random() * 64);
  if (random() < 0.75) return `10.0.${n >> 4}.${n & 15}`;
  return `2001:db8::${n.toString(16)}`;
}

export function servers(count: number, random: () => number): MatchServer[] {
  const pick = picker(random);
  return Array.from({ length: count }, (_, i) => {
    const addr = address(random);
    const v4 = !addr.includes(':');
    const masks = v4 ? [null, null, null, 24, 28, 30, 16, 32, 40] : [null, null, 120, 124, 64, 128];
    const mask = random() < 0.01 ? 0 : pick(masks);
    return { id: i + 1, address: addr, mask, protocol: pick(PROTOCOLS) };
  });
}

export function accounts(count: number, serverCount: number, random: () => number): MatchAccount[] {
  const pick = picker(random);
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    serverId: 1 + Math.floor(random() * serverCount),
    login: random() < 0.8 ? pick(LOGINS) : `user${Math.floor(random() * 500)}`,
    domain: pick(DOMAINS),
  }));
}

/** An address as a vendor might log it: other textual forms, whitespace, or plain garbage. */
function loggedAddress(random: () => number, pick: Pick): string {
  const addr = address(random);
  const forms = addr.includes(':')
    ? [addr, addr.toUpperCase(), addr.replace('::', ':0:0:0:0:0:')]
    : [addr, `::ffff:${addr}`, ` ${addr}\t`, `${addr}:22`, addr.replace(/^10\./, '010.')];
  return random() < 0.9 ? pick(forms) : pick(['', '   ', 'n/a', '10.0.0.0/24', '::g', 'localhost']);
}

function loggedAccount(pick: Pick): string {
  const login = pick(LOGINS);
  const domain = pick(['CORP', 'corp', 'lab', 'OTHER']);
  return pick([
    login,
    login,
    `${domain}\\${login}`,
    `${login}@${domain}`,
    login.toUpperCase(),
    '',
    '@',
    '\\',
  ]);
}

export function entries(count: number, random: () => number): MatchEntry[] {
  const pick = picker(random);
  return Array.from({ length: count }, () => ({
    ipAddress: random() < 0.03 ? null : loggedAddress(random, pick),
    deviceAccount: random() < 0.03 ? null : loggedAccount(pick),
    connectionProtocol: pick([null, '', 'ssh', 'SSH ', 'telnet', 'rdp', 'ssh2', 'netconf']),
  }));
}
