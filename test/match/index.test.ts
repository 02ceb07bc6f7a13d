/**
 * The indexes must give exactly what the pairwise functions give (seeded random data), stay fast, and
 * no input may make any matching function throw.
 */
import { describe, expect, it } from 'vitest';
import {
  AccountIndex,
  accountMatchesEntry,
  type MatchEntry,
  type MatchServer,
  parseDeviceAccount,
  parseIp,
  ServerIndex,
  serverMatchesEntry,
} from '../../src/match/index.js';
import { accounts, entries, picker, prng, servers } from './generate.js';

describe('indexes agree with the pairwise functions', () => {
  it.each([1, 2, 3])('seed %i', (seed) => {
    const random = prng(seed);
    const allServers = servers(60, random);
    const allAccounts = accounts(400, 60, random);
    const serverIndex = new ServerIndex(allServers);
    const accountIndex = new AccountIndex(allAccounts, serverIndex);
    const byId = new Map<number, MatchServer>(allServers.map((s) => [s.id, s]));
    let serverHits = 0;
    let accountHits = 0;
    for (const e of entries(800, random)) {
      const expectedServers = allServers.filter((s) => serverMatchesEntry(s, e)).map((s) => s.id);
      const expectedAccounts = allAccounts
        .filter((a) => {
          const s = byId.get(a.serverId);
          return s !== undefined && accountMatchesEntry(a, s, e);
        })
        .map((a) => a.id);
      expect(
        serverIndex.serversFor(e).map((s) => s.id),
        JSON.stringify(e),
      ).toEqual(expectedServers);
      expect(
        accountIndex.accountsFor(e).map((a) => a.id),
        JSON.stringify(e),
      ).toEqual(expectedAccounts);
      serverHits += expectedServers.length;
      accountHits += expectedAccounts.length;
    }
    // Guards against a generator so sparse that "both empty" would make the comparison vacuous.
    expect(serverHits).toBeGreaterThan(400);
    expect(accountHits).toBeGreaterThan(400);
  });
});

describe('performance guard (loose bound; a regression to pairwise scans would blow it)', () => {
  it('200 servers, 2,000 accounts, 20,000 entries', () => {
    const random = prng(42);
    const allServers = servers(200, random);
    const allAccounts = accounts(2_000, 200, random);
    const all = entries(20_000, random);
    const started = performance.now();
    const serverIndex = new ServerIndex(allServers);
    const accountIndex = new AccountIndex(allAccounts, serverIndex);
    let hits = 0;
    for (const e of all) hits += serverIndex.serversFor(e).length + accountIndex.accountsFor(e).length;
    const elapsed = performance.now() - started;
    expect(hits).toBeGreaterThan(20_000);
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('garbage never throws', () => {
  const server: MatchServer = { id: 1, address: '10.0.0.0', mask: 8, protocol: 'ssh' };
  const index = new ServerIndex([server, { id: 2, address: '', mask: 200, protocol: '' }]);
  const accountIndex = new AccountIndex([{ id: 1, serverId: 1, login: 'root', domain: null }], index);
  const random = prng(7);
  const pick = picker(random);
  const alphabet = [...'0123456789abcdefABCDEFxX:.%/[]@\\ \t\n-+é\u0000'];
  const fuzz = Array.from({ length: 2_000 }, () =>
    Array.from({ length: Math.floor(random() * 40) }, () => pick(alphabet)).join(''),
  );
  const fixed = [
    '',
    ' ',
    '::::',
    ':',
    '.',
    '...',
    '1.2.3.4.',
    '[]',
    '%',
    'ffff'.repeat(100),
    '\u{1F600}',
    '1'.repeat(1e5),
  ];

  it.each([...fixed, ...fuzz.slice(0, 5)])('%j', (text) => {
    const e: MatchEntry = { ipAddress: text, deviceAccount: text, connectionProtocol: text };
    expect(() => parseIp(text)).not.toThrow();
    expect(() => parseDeviceAccount(text)).not.toThrow();
    expect(() => serverMatchesEntry({ ...server, address: text }, e)).not.toThrow();
    expect(() => index.serversFor(e)).not.toThrow();
    expect(() => accountIndex.accountsFor(e)).not.toThrow();
  });

  it('2,000 random strings over address and separator characters', () => {
    for (const text of fuzz) {
      const e: MatchEntry = { ipAddress: text, deviceAccount: text, connectionProtocol: text };
      expect(() => [parseIp(text), index.serversFor(e), accountIndex.accountsFor(e)]).not.toThrow();
    }
  });
});
