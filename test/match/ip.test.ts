import { describe, expect, it } from 'vitest';
import { parseIp } from '../../src/match/index.js';

const v4 = (a: number, b: number, c: number, d: number) => ({
  version: 4,
  value: BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d),
});
const v6 = (hex: string) => ({ version: 6, value: BigInt(`0x${hex.replaceAll(':', '')}`) });

describe('parseIp accepts exactly the textual forms of an address', () => {
  it.each([
    ['IPv4', '10.1.0.5', v4(10, 1, 0, 5)],
    ['IPv4 zeros', '0.0.0.0', v4(0, 0, 0, 0)],
    ['IPv4 broadcast', '255.255.255.255', v4(255, 255, 255, 255)],
    ['IPv6 full', '2001:0db8:0000:0000:0000:0000:0000:0010', v6('2001:0db8:0000:0000:0000:0000:0000:0010')],
    ['IPv6 compressed', '2001:db8::10', v6('2001:0db8:0000:0000:0000:0000:0000:0010')],
    ['IPv6 upper case, partly compressed', '2001:DB8:0:0::10', v6('2001:0db8:0000:0000:0000:0000:0000:0010')],
    ['IPv6 loopback', '::1', v6('0000:0000:0000:0000:0000:0000:0000:0001')],
    ['IPv6 unspecified', '::', v6('0000:0000:0000:0000:0000:0000:0000:0000')],
    ['IPv6 trailing ::', 'fe80::', v6('fe80:0000:0000:0000:0000:0000:0000:0000')],
    ['IPv6 :: standing for one group', '1:2:3:4:5:6:7::', v6('0001:0002:0003:0004:0005:0006:0007:0000')],
    ['IPv4-mapped, dotted tail', '::ffff:10.0.0.1', v6('0000:0000:0000:0000:0000:ffff:0a00:0001')],
    ['IPv4-mapped, hex tail', '::FFFF:a00:1', v6('0000:0000:0000:0000:0000:ffff:0a00:0001')],
    ['dotted tail without ::', '0:0:0:0:0:ffff:10.0.0.1', v6('0000:0000:0000:0000:0000:ffff:0a00:0001')],
  ])('%s: %s', (_name, text, expected) => {
    expect(parseIp(text)).toEqual(expected);
  });

  it.each([
    ['empty', ''],
    ['whitespace around (trimming is the caller’s choice)', ' 10.0.0.1 '],
    ['IPv4 leading zero (octal to inet_aton)', '010.1.1.1'],
    ['IPv4 part above 255', '10.0.0.256'],
    ['IPv4 three parts', '10.0.1'],
    ['IPv4 five parts', '10.0.0.1.1'],
    ['IPv4 empty part', '10..0.1'],
    ['IPv4 with port', '10.0.0.1:22'],
    ['IPv4 CIDR', '10.0.0.0/24'],
    ['IPv4 signed part', '10.0.0.+1'],
    ['IPv4 hex part', '0x0a.0.0.1'],
    ['IPv6 two ::', '1::2::3'],
    ['IPv6 nine groups', '1:2:3:4:5:6:7:8:9'],
    ['IPv6 seven groups without ::', '1:2:3:4:5:6:7'],
    ['IPv6 eight groups and ::', '1:2:3:4:5:6:7::8'],
    ['IPv6 five hex digits', '2001:db8::10000'],
    ['IPv6 non-hex', '2001:db8::g'],
    ['IPv6 leading single colon', ':1::2'],
    ['IPv6 triple colon', '1:::2'],
    ['IPv6 trailing single colon', '1::2:'],
    ['IPv6 zone id', 'fe80::1%eth0'],
    ['IPv6 brackets', '[::1]'],
    ['IPv6 bracketed with port', '[::1]:22'],
    ['IPv6 CIDR', '2001:db8::/32'],
    ['dotted quad not last', '::1.2.3.4:5'],
    ['dotted quad before ::', '1.2.3.4::'],
    ['bad dotted tail', '::ffff:10.0.0.256'],
    ['host name', 'router1.example.com'],
    ['garbage', 'n/a'],
    ['very long', '1'.repeat(10_000)],
  ])('rejects %s: %j', (_name, text) => {
    expect(parseIp(text)).toBeNull();
  });
});
