/** The `address` / `ipAddress` conditions: IPs and CIDRs of both families, and what is refused. */
import { describe, expect, it } from 'vitest';
import { parseAddressQuery, serverMatchesAddress } from '../../src/lists/address.js';

const server = (address: string, mask: number | null = null) => ({ id: 1, address, mask, protocol: 'ssh' });

describe('address conditions', () => {
  it('a CIDR with host bits set means its network; an IPv4-mapped range is the IPv4 range', () => {
    expect(parseAddressQuery('10.1.2.3/16')).toEqual(parseAddressQuery('10.1.0.0/16'));
    expect(parseAddressQuery('::ffff:10.0.0.0/104')).toEqual(parseAddressQuery('10.0.0.0/8'));
    expect(parseAddressQuery('::ffff:10.1.2.3')).toEqual(parseAddressQuery('10.1.2.3'));
  });

  it('an IP matches the servers that stand for it; a CIDR the servers inside it; both families', () => {
    const ip = parseAddressQuery('10.1.2.3');
    expect(serverMatchesAddress(server('10.1.2.3'), ip)).toBe(true);
    expect(serverMatchesAddress(server('10.1.0.0', 16), ip)).toBe(true);
    expect(serverMatchesAddress(server('10.2.0.0', 16), ip)).toBe(false);
    const cidr = parseAddressQuery('10.1.0.0/16');
    expect(serverMatchesAddress(server('10.1.200.7'), cidr)).toBe(true);
    expect(serverMatchesAddress(server('10.2.0.1'), cidr)).toBe(false);
    const v6 = parseAddressQuery('2001:db8::/32');
    expect(serverMatchesAddress(server('2001:db8:0:1::5'), v6)).toBe(true);
    expect(serverMatchesAddress(server('2001:db9::5'), v6)).toBe(false);
    expect(serverMatchesAddress(server('10.1.2.3'), v6)).toBe(false);
    expect(serverMatchesAddress(server('::ffff:10.1.2.3'), cidr)).toBe(true);
    expect(serverMatchesAddress(server('db.example'), ip)).toBe(false);
  });

  it('refuses anything that is not an IP or a CIDR, without repeating it', () => {
    for (const bad of [
      '10.1.2',
      '10.1.2.3/33',
      '2001:db8::/129',
      'host.example',
      '10.0.0.0/8/8',
      '10.0.0.0/-1',
      '',
    ]) {
      try {
        parseAddressQuery(bad);
        expect.unreachable(`${bad} was accepted`);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('BAD_USER_INPUT');
        if (bad) expect((error as Error).message).not.toContain(bad);
      }
    }
  });
});
