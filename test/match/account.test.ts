/**
 * Audit entry → account (docs/upstreams.md §3): login (case-sensitive), optional domain (case-insensitive),
 * and the account's server must match the entry. Rows run through the pairwise function and AccountIndex.
 */
import { describe, expect, it } from 'vitest';
import {
  AccountIndex,
  accountMatchesEntry,
  type MatchAccount,
  type MatchEntry,
  type MatchServer,
  parseDeviceAccount,
  ServerIndex,
} from '../../src/match/index.js';

describe('parseDeviceAccount gives every reading of the text', () => {
  it.each([
    ['plain login', 'root', [{ login: 'root', domain: null }]],
    [
      'DOMAIN\\login',
      'CORP\\root',
      [
        { login: 'CORP\\root', domain: null },
        { login: 'root', domain: 'CORP' },
      ],
    ],
    [
      'login@domain',
      'root@corp',
      [
        { login: 'root@corp', domain: null },
        { login: 'root', domain: 'corp' },
      ],
    ],
    [
      'login@domain splits at the last @',
      'svc@example.com@CORP',
      [
        { login: 'svc@example.com@CORP', domain: null },
        { login: 'svc@example.com', domain: 'CORP' },
      ],
    ],
    [
      'DOMAIN\\login splits at the first \\',
      'CORP\\a\\b',
      [
        { login: 'CORP\\a\\b', domain: null },
        { login: 'a\\b', domain: 'CORP' },
      ],
    ],
    [
      'both separators: each single split',
      'a\\b@c',
      [
        { login: 'a\\b@c', domain: null },
        { login: 'b@c', domain: 'a' },
        { login: 'a\\b', domain: 'c' },
      ],
    ],
    ['empty domain after @', 'root@', [{ login: 'root@', domain: null }]],
    ['empty login before @', '@corp', [{ login: '@corp', domain: null }]],
    ['empty login after \\', 'CORP\\', [{ login: 'CORP\\', domain: null }]],
    ['lone backslash', '\\', [{ login: '\\', domain: null }]],
    ['lone @', '@', [{ login: '@', domain: null }]],
    ['whitespace kept as recorded', ' root', [{ login: ' root', domain: null }]],
    ['empty text', '', []],
  ])('%s: %j', (_name, text, expected) => {
    expect(parseDeviceAccount(text)).toEqual(expected);
  });
});

const SERVERS: MatchServer[] = [
  { id: 1, address: '10.1.0.5', mask: null, protocol: 'ssh' },
  { id: 2, address: '10.1.0.5', mask: null, protocol: 'telnet' },
  { id: 3, address: '10.9.0.0', mask: 24, protocol: 'rdp' },
  { id: 4, address: '2001:db8::10', mask: null, protocol: 'ssh' },
];
const account = (
  id: number,
  serverId: number,
  login: string,
  domain: string | null = null,
): MatchAccount => ({
  id,
  serverId,
  login,
  domain,
});
const ACCOUNTS: MatchAccount[] = [
  account(1, 1, 'root'),
  account(2, 2, 'root', 'LAB'),
  account(3, 1, 'Root'),
  account(4, 3, 'admin', 'CORP'),
  account(5, 3, 'admin', ''),
  account(6, 3, 'admin', null),
  account(7, 4, 'svc@example.com'),
  account(8, 3, 'svc@example.com', 'corp'),
  account(9, 99, 'root'), // its server is not among the servers: matches no entry
];

const entry = (ipAddress: string, deviceAccount: string | null, connectionProtocol = ''): MatchEntry => ({
  ipAddress,
  deviceAccount,
  connectionProtocol,
});

describe('§3 audit entry → account', () => {
  const servers = new ServerIndex(SERVERS);
  const index = new AccountIndex(ACCOUNTS, servers);

  it.each<[string, MatchEntry, number[]]>([
    ['plain login matches whatever the domain', entry('10.1.0.5', 'root'), [1, 2]],
    ['plain login, protocol narrows the server', entry('10.1.0.5', 'root', 'TELNET'), [2]],
    ['login is case-sensitive', entry('10.1.0.5', 'Root', 'ssh'), [3]],
    ['login differing in case only matches nothing', entry('10.1.0.5', 'ROOT'), []],
    ['DOMAIN\\login, same case', entry('10.9.0.77', 'CORP\\admin'), [4]],
    ['DOMAIN\\login, domain case differs', entry('10.9.0.77', 'corp\\admin'), [4]],
    ['login@domain, domain case differs', entry('10.9.0.77', 'admin@Corp'), [4]],
    ['DOMAIN\\login, login case differs', entry('10.9.0.77', 'CORP\\Admin'), []],
    ['wrong domain', entry('10.9.0.77', 'OTHER\\admin'), []],
    ['no NetBIOS/DNS equivalence', entry('10.9.0.77', 'admin@corp.example.com'), []],
    ['plain login, domain-less and domain accounts alike', entry('10.9.0.77', 'admin'), [4, 5, 6]],
    ['login containing @ matches by the plain reading', entry('2001:db8::10', 'svc@example.com'), [7]],
    ['login containing @ with a domain after it', entry('10.9.0.3', 'svc@example.com@CORP'), [8]],
    ['login with @ also matches by plain reading on its server', entry('10.9.0.3', 'svc@example.com'), [8]],
    ['domain-qualified login with domain on the right', entry('10.1.0.5', 'root@lab'), [2]],
    ['domain-qualified entry never matches a domain-less account', entry('10.1.0.5', 'X\\root'), []],
    ['account on a non-matching server', entry('10.1.0.6', 'root'), []],
    ['login right, subnet wrong', entry('10.9.1.1', 'CORP\\admin'), []],
    ['protocol narrows the account’s server away', entry('10.9.0.77', 'CORP\\admin', 'ssh'), []],
    ['garbage address', entry('10.1.0.5:22', 'root'), []],
    ['empty device account', entry('10.1.0.5', ''), []],
    ['null device account', entry('10.1.0.5', null), []],
    ['whitespace around the login is not trimmed', entry('10.1.0.5', ' root '), []],
  ])('%s', (_name, e, expected) => {
    const pairwise = ACCOUNTS.filter((a) => {
      const s = SERVERS.find((candidate) => candidate.id === a.serverId);
      return s !== undefined && accountMatchesEntry(a, s, e);
    });
    expect(pairwise.map((a) => a.id)).toEqual(expected);
    expect(index.accountsFor(e).map((a) => a.id)).toEqual(expected);
  });

  it('accountMatchesEntry refuses a server that is not the account’s', () => {
    const [ssh, telnet] = SERVERS;
    const root = ACCOUNTS[0];
    expect(root && ssh && accountMatchesEntry(root, ssh, entry('10.1.0.5', 'root'))).toBe(true);
    expect(root && telnet && accountMatchesEntry(root, telnet, entry('10.1.0.5', 'root'))).toBe(false);
  });
});
