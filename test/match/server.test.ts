/**
 * Audit entry → server (docs/upstreams.md §3). Each row names the servers an entry must match; the row is
 * checked through the pairwise function and through ServerIndex, which must agree with it exactly.
 */
import { describe, expect, it } from 'vitest';
import { type MatchEntry, type MatchServer, ServerIndex, serverMatchesEntry } from '../../src/match/index.js';

const server = (id: number, address: string, protocol: string, mask: number | null = null): MatchServer => ({
  id,
  address,
  mask,
  protocol,
});

const SERVERS: MatchServer[] = [
  server(1, '10.1.0.5', 'ssh'),
  server(2, '10.1.0.5', 'telnet'),
  server(3, '10.1.0.5', 'http'),
  server(10, '10.9.0.0', 'ssh', 24),
  server(11, '172.16.4.9', 'rdp', 16), // host bits set: stands for 172.16.0.0/16
  server(20, '2001:db8::10', 'ssh'),
  server(21, '2001:0DB8:0:0:AB::', 'vnc', 80),
  server(30, '192.168.7.7', 'ssh', 40), // IPv4 with a mask beyond 32: the exact address only
  server(31, '192.168.7.8', 'ssh', 32),
  server(32, '2001:db8:ffff::1', 'tds', 128),
  server(40, '::ffff:198.51.100.7', 'mysql'), // IPv4-mapped server address
  server(41, '::ffff:203.0.113.0', 'tcp', 120), // mapped subnet = 203.0.113.0/24
  server(50, 'not-an-address', 'ssh'),
  server(51, '198.18.0.1', 'ssh', -1), // mask outside the contract: exact address only
];
const ALL_V4_SERVER = server(60, '0.0.0.0', 'ssh', 0);
const ALL_V6_SERVER = server(61, '::', 'ssh', 0);

const entry = (ipAddress: string | null, connectionProtocol: string | null = ''): MatchEntry => ({
  ipAddress,
  deviceAccount: 'root',
  connectionProtocol,
});

function check(servers: readonly MatchServer[], e: MatchEntry, expected: number[]) {
  expect(servers.filter((s) => serverMatchesEntry(s, e)).map((s) => s.id)).toEqual(expected);
  expect(new ServerIndex(servers).serversFor(e).map((s) => s.id)).toEqual(expected);
}

describe('§3 audit entry → server', () => {
  it.each<[string, MatchEntry, number[]]>([
    ['exact IPv4, no protocol: every server on the address', entry('10.1.0.5'), [1, 2, 3]],
    ['exact IPv4, whitespace trimmed', entry(' \t10.1.0.5 \n'), [1, 2, 3]],
    ['address of no server', entry('10.1.0.6'), []],
    ['protocol narrows to one server', entry('10.1.0.5', 'ssh'), [1]],
    ['protocol compared case-insensitively and trimmed', entry('10.1.0.5', ' TELNET '), [2]],
    ['unknown protocol text does not narrow', entry('10.1.0.5', 'ssh2'), [1, 2, 3]],
    ['another unknown protocol does not narrow', entry('10.1.0.5', 'netconf'), [1, 2, 3]],
    ['empty protocol does not narrow', entry('10.1.0.5', ''), [1, 2, 3]],
    ['null protocol does not narrow', entry('10.1.0.5', null), [1, 2, 3]],
    ['server protocol named but absent on the address: nothing', entry('10.1.0.5', 'rdp'), []],
    ['IPv4 subnet, inside', entry('10.9.0.77'), [10]],
    ['IPv4 subnet, network address', entry('10.9.0.0'), [10]],
    ['IPv4 subnet, broadcast address', entry('10.9.0.255'), [10]],
    ['IPv4 subnet, just outside', entry('10.9.1.0'), []],
    ['IPv4 subnet, just below', entry('10.8.255.255'), []],
    ['IPv4 subnet narrowed away by protocol', entry('10.9.0.77', 'telnet'), []],
    ['server address with host bits set stands for its network', entry('172.16.200.1'), [11]],
    ['exact IPv6, compressed', entry('2001:db8::10'), [20]],
    ['exact IPv6, full form with leading zeros', entry('2001:0db8:0000:0000:0000:0000:0000:0010'), [20]],
    ['exact IPv6, upper case, partly compressed', entry('2001:DB8:0:0::10'), [20]],
    ['IPv6 neighbour address', entry('2001:db8::11'), []],
    ['IPv6 subnet, inside', entry('2001:db8::ab:1:2:3'), [21]],
    ['IPv6 subnet, network address', entry('2001:db8:0:0:ab::'), [21]],
    ['IPv6 subnet, last address', entry('2001:db8::ab:ffff:ffff:ffff'), [21]],
    ['IPv6 subnet, outside', entry('2001:db8::ac:0:0:0'), []],
    ['IPv6 mask 128 is the exact address', entry('2001:db8:ffff::1'), [32]],
    ['IPv6 mask 128, neighbour', entry('2001:db8:ffff::2'), []],
    ['IPv4 mask above 32 is the exact address', entry('192.168.7.7'), [30]],
    ['IPv4 mask above 32 does not widen', entry('192.168.7.9'), []],
    ['IPv4 mask 32 is the exact address', entry('192.168.7.8'), [31]],
    ['negative mask is the exact address', entry('198.18.0.1'), [51]],
    ['negative mask does not widen', entry('198.18.0.2'), []],
    ['IPv4-mapped entry matches the IPv4 server', entry('::ffff:10.1.0.5', 'ssh'), [1]],
    ['IPv4-mapped entry in hex matches the IPv4 server', entry('::ffff:a01:5', 'ssh'), [1]],
    ['IPv4 entry matches an IPv4-mapped server', entry('198.51.100.7'), [40]],
    ['IPv4 entry inside an IPv4-mapped subnet', entry('203.0.113.200'), [41]],
    ['IPv4-compatible (not mapped) entry is IPv6', entry('::10.1.0.5'), []],
    ['IPv4 leading zero does not match', entry('010.1.0.5'), []],
    ['address with port does not match', entry('10.1.0.5:22'), []],
    ['CIDR does not match', entry('10.9.0.0/24'), []],
    ['bracketed IPv6 does not match', entry('[2001:db8::10]'), []],
    ['server address that is not an address matches nothing', entry('not-an-address'), []],
    ['empty address', entry(''), []],
    ['whitespace address', entry('   '), []],
    ['null address', entry(null), []],
  ])('%s', (_name, e, expected) => {
    check(SERVERS, e, expected);
  });

  it.each<[string, MatchEntry, number[]]>([
    ['mask 0 on IPv4: every IPv4 address', entry('203.0.113.9'), [60]],
    ['mask 0 on IPv4: an IPv4-mapped entry too', entry('::ffff:203.0.113.9'), [60]],
    ['mask 0 on IPv6: every IPv6 address', entry('2001:db8::1'), [61]],
    ['mask 0 on IPv6 does not cover IPv4', entry('8.8.8.8'), [60]],
    ['mask 0 still narrowed by protocol', entry('8.8.8.8', 'telnet'), []],
  ])('%s', (_name, e, expected) => {
    check([ALL_V4_SERVER, ALL_V6_SERVER], e, expected);
  });

  it('the index answers in ascending id whatever the input order and prefix lengths', () => {
    const servers = [
      server(9, '10.0.0.1', 'ssh'),
      server(3, '10.0.0.0', 'ssh', 8),
      server(7, '10.0.0.0', 'ssh', 16),
      server(1, '10.0.0.1', 'ssh'),
      server(5, '0.0.0.0', 'ssh', 0),
    ];
    expect(new ServerIndex(servers).serversFor(entry('10.0.0.1')).map((s) => s.id)).toEqual([1, 3, 5, 7, 9]);
  });
});
